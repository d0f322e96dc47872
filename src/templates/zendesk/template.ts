import type { TemplateDefinition } from '../types.js';

/**
 * Zendesk Support users: `POST /api/v2/users/create_or_update` (matched on email), one request, API token
 * auth. Input keys, defaults and the request follow PostHog's template of the same id. Unlike PostHog's
 * template, an error answer fails the run.
 */
export const template: TemplateDefinition = {
  id: 'template-zendesk',
  name: 'Zendesk',
  description:
    'Create or update Zendesk Support end users by email (one request to users/create_or_update, API token authentication). Persons without an email or a name are skipped with a log line.',
  category: ['Support', 'CRM'],
  status: 'beta',
  icon_url: '/static/icons/zendesk.svg',
  hog: `let subdomain := lower(trim(toString(inputs.subdomain ?? '')))
if (not match(subdomain, '^[a-z0-9][a-z0-9-]*$')) {
  throw Error(f'Zendesk: the subdomain must be the part before .zendesk.com (letters, digits and dashes), got "{subdomain}"')
}
// Zendesk needs both to create a user.
if (empty(inputs.email) or empty(inputs.name)) {
  print('Skipped: the email or the name is empty, so no Zendesk user is created or updated')
  return
}

let user := {
  'email': inputs.email,
  'name': inputs.name,
  'skip_verify_email': true,
  'user_fields': {}
}
if (notEmpty(inputs.external_id)) {
  user.external_id := inputs.external_id
}
for (let key, value in inputs.attributes ?? {}) {
  // email and name have their own fields above.
  if (notEmpty(value) and key != 'email' and key != 'name') {
    user.user_fields[key] := value
  }
}

let credentials := base64Encode(f'{inputs.admin_email}/token:{inputs.token}')
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
      description: 'The email of the agent or admin who owns the API token; changes are made in their name.',
      secret: true,
      required: true,
    },
    {
      key: 'token',
      type: 'string',
      label: 'API token',
      description: 'Admin Center → Apps and integrations → Zendesk API → API tokens.',
      secret: true,
      required: true,
    },
    { key: 'email', type: 'string', label: 'User email', default: '{person.properties.email}', secret: false, required: true },
    { key: 'name', type: 'string', label: 'User name', default: '{person.properties.name}', secret: false, required: true },
    {
      key: 'attributes',
      type: 'dictionary',
      label: 'User fields',
      description: 'Zendesk user field key → value. The fields must exist in Zendesk; empty values are left out.',
      default: { phone: '{person.properties.phone}', plan: '{person.properties.plan}' },
      secret: false,
      required: false,
    },
    {
      key: 'external_id',
      type: 'string',
      label: 'External ID',
      description: 'Optional: your user id, stored on the Zendesk user.',
      secret: false,
      required: false,
    },
  ],
  renamed_inputs: { api_token: 'token', user_fields: 'attributes' },
  filters: {
    events: [
      { id: '$identify', name: '$identify', type: 'events', order: 0 },
      { id: '$set', name: '$set', type: 'events', order: 1 },
    ],
    actions: [],
    filter_test_accounts: true,
  },
};
