import type { TemplateDefinition } from '../types.js';

/** Zendesk Support users: `POST /api/v2/users/create_or_update` (matched on email or external_id), one request, API token auth. */
export const template: TemplateDefinition = {
  id: 'template-zendesk',
  name: 'Zendesk',
  description:
    'Create or update Zendesk Support end users by email (one request to users/create_or_update, API token authentication). Events without an email are skipped with a log line.',
  category: ['Support', 'CRM'],
  status: 'beta',
  icon_url: '/static/icons/zendesk.svg',
  hog: `let subdomain := lower(trim(toString(inputs.subdomain ?? '')))
if (not match(subdomain, '^[a-z0-9][a-z0-9-]*$')) {
  throw Error(f'Zendesk: the subdomain must be the part before .zendesk.com (letters, digits and dashes), got "{subdomain}"')
}
let email := lower(trim(toString(inputs.email ?? '')))
if (empty(email)) {
  print('No email on this person: skipping the Zendesk user')
  return
}

let user := {'email': email}
if (notEmpty(inputs.name)) {
  user['name'] := inputs.name
} else {
  user['name'] := email
}
if (notEmpty(inputs.external_id)) {
  user['external_id'] := inputs.external_id
}
let fields := {}
for (let key, value in inputs.user_fields) {
  if (notEmpty(value)) {
    fields[key] := value
  }
}
if (notEmpty(fields)) {
  user['user_fields'] := fields
}

let credentials := base64Encode(f'{inputs.admin_email}/token:{inputs.api_token}')
let res := fetch(f'https://{subdomain}.zendesk.com/api/v2/users/create_or_update', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Basic {credentials}',
    'Content-Type': 'application/json'
  },
  'body': {'user': user}
})

if (res.status >= 400) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := jsonStringify(res.body)
    if (typeof(res.body.error) = 'object') {
      message := res.body.error.message ?? res.body.error.title ?? message
    } else if (notEmpty(res.body.description)) {
      message := f'{res.body.error}: {res.body.description} {jsonStringify(res.body.details ?? {})}'
    } else if (notEmpty(res.body.error)) {
      message := res.body.error
    }
  }
  throw Error(f'Zendesk API error (status {res.status}): {message}')
}
`,
  inputs_schema: [
    {
      key: 'subdomain',
      type: 'string',
      label: 'Zendesk subdomain',
      description: 'For https://acme.zendesk.com, enter acme.',
      secret: false,
      required: true,
    },
    {
      key: 'admin_email',
      type: 'string',
      label: 'Agent email',
      description: 'The email of the agent or admin who owns the API token.',
      secret: false,
      required: true,
    },
    {
      key: 'api_token',
      type: 'string',
      label: 'API token',
      description: 'Admin Center → Apps and integrations → Zendesk API → API tokens.',
      secret: true,
      templating: false,
      required: true,
    },
    { key: 'email', type: 'string', label: 'User email', default: '{person.properties.email}', secret: false, required: true },
    {
      key: 'name',
      type: 'string',
      label: 'User name',
      description: 'Zendesk requires a name; the email is used when this is empty.',
      default: '{person.properties.name}',
      secret: false,
      required: false,
    },
    {
      key: 'external_id',
      type: 'string',
      label: 'External ID',
      description: 'Optional: your user id (Zendesk matches users on it too).',
      secret: false,
      required: false,
    },
    {
      key: 'user_fields',
      type: 'dictionary',
      label: 'User fields',
      description: 'Custom user fields by key (they must exist in Zendesk). Empty values are left out.',
      default: {},
      secret: false,
      required: false,
    },
  ],
  filters: {
    events: [
      { id: '$identify', name: '$identify', type: 'events' },
      { id: '$set', name: '$set', type: 'events' },
    ],
  },
};
