import type { TemplateDefinition } from '../types.js';

/**
 * Intercom contacts (REST API 2.14). Intercom has no upsert, so within the 2-fetch limit:
 * 1. `POST /contacts/search` for the email;
 * 2. `PUT /contacts/{id}` when found, else `POST /contacts` (role user).
 * An existing external_id is never overwritten. Events without an email are skipped with a log line.
 */
export const template: TemplateDefinition = {
  id: 'template-intercom',
  name: 'Intercom',
  description:
    'Create or update Intercom contacts by email: search, then update or create (2 requests). Choose the US, EU or Australian workspace region. Events without an email are skipped with a log line.',
  category: ['Support', 'CRM'],
  status: 'stable',
  icon_url: '/static/icons/intercom.svg',
  hog: `let email := lower(trim(toString(inputs.email ?? '')))
if (empty(email)) {
  print('No email on this person: skipping the Intercom contact')
  return
}

let headers := {
  'Authorization': f'Bearer {inputs.access_token}',
  'Content-Type': 'application/json',
  'Accept': 'application/json',
  'Intercom-Version': '2.14'
}

fun intercomError(res) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := jsonStringify(res.body)
    if (notEmpty(res.body.errors)) {
      message := res.body.errors[1].message ?? message
    }
  }
  return Error(f'Intercom API error (status {res.status}): {message}')
}

let search := fetch(f'https://{inputs.host}/contacts/search', {
  'method': 'POST',
  'headers': headers,
  'body': {'query': {'field': 'email', 'operator': '=', 'value': email}}
})
if (search.status >= 400) {
  throw intercomError(search)
}

let contact := {'email': email}
if (notEmpty(inputs.name)) {
  contact['name'] := inputs.name
}
if (notEmpty(inputs.phone)) {
  contact['phone'] := inputs.phone
}
let attributes := {}
for (let key, value in inputs.custom_attributes) {
  if (notEmpty(value)) {
    attributes[key] := value
  }
}
if (notEmpty(attributes)) {
  contact['custom_attributes'] := attributes
}

let existing := search.body.data[1]
let res := null
if (notEmpty(existing)) {
  if (notEmpty(inputs.external_id) and empty(existing.external_id)) {
    contact['external_id'] := inputs.external_id
  }
  res := fetch(f'https://{inputs.host}/contacts/{existing.id}', {'method': 'PUT', 'headers': headers, 'body': contact})
} else {
  contact['role'] := 'user'
  if (notEmpty(inputs.external_id)) {
    contact['external_id'] := inputs.external_id
  }
  res := fetch(f'https://{inputs.host}/contacts', {'method': 'POST', 'headers': headers, 'body': contact})
}
if (res.status >= 400) {
  throw intercomError(res)
}
`,
  inputs_schema: [
    {
      key: 'access_token',
      type: 'string',
      label: 'Access token',
      description: 'An Intercom access token with read and write access to contacts.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'host',
      type: 'choice',
      label: 'Data region',
      choices: [
        { value: 'api.intercom.io', label: 'United States (api.intercom.io)' },
        { value: 'api.eu.intercom.io', label: 'Europe (api.eu.intercom.io)' },
        { value: 'api.au.intercom.io', label: 'Australia (api.au.intercom.io)' },
      ],
      default: 'api.intercom.io',
      secret: false,
      required: true,
    },
    { key: 'email', type: 'string', label: 'Email', default: '{person.properties.email}', secret: false, required: true },
    {
      key: 'external_id',
      type: 'string',
      label: 'External ID',
      description: 'Your user id; set on new contacts and on existing ones that have none.',
      default: '{event.distinct_id}',
      secret: false,
      required: false,
    },
    { key: 'name', type: 'string', label: 'Name', default: '{person.properties.name}', secret: false, required: false },
    { key: 'phone', type: 'string', label: 'Phone', default: '{person.properties.phone}', secret: false, required: false },
    {
      key: 'custom_attributes',
      type: 'dictionary',
      label: 'Custom attributes',
      description: 'Custom data attributes (they must exist in Intercom). Empty values are left out.',
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
