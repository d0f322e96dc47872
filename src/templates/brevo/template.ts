import type { TemplateDefinition } from '../types.js';

/** Brevo (formerly Sendinblue) contacts: `POST /v3/contacts` with `updateEnabled: true` creates or updates by email, one request. */
export const template: TemplateDefinition = {
  id: 'template-brevo',
  name: 'Brevo',
  description:
    'Create or update Brevo contacts by email, with attributes and optional lists (one request with updateEnabled). Events without an email are skipped with a log line.',
  category: ['Email'],
  status: 'stable',
  icon_url: '/static/icons/brevo.svg',
  hog: `let email := lower(trim(toString(inputs.email ?? '')))
if (empty(email)) {
  print('No email on this person: skipping the Brevo contact')
  return
}

let attributes := {}
for (let key, value in inputs.attributes) {
  if (notEmpty(value)) {
    attributes[key] := value
  }
}
let body := {'email': email, 'updateEnabled': true}
if (notEmpty(attributes)) {
  body['attributes'] := attributes
}
let listIds := arrayFilter(id -> id != null, arrayMap(id -> toInt(trim(id)), splitByString(',', toString(inputs.list_ids ?? ''))))
if (notEmpty(listIds)) {
  body['listIds'] := listIds
}

let res := fetch('https://api.brevo.com/v3/contacts', {
  'method': 'POST',
  'headers': {
    'api-key': inputs.api_key,
    'Accept': 'application/json',
    'Content-Type': 'application/json'
  },
  'body': body
})

if (res.status >= 400) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := f'{res.body.code}: {res.body.message}'
  }
  throw Error(f'Brevo API error (status {res.status}): {message}')
}
`,
  inputs_schema: [
    { key: 'api_key', type: 'string', label: 'API key', description: 'A Brevo API v3 key (SMTP & API → API keys).', secret: true, templating: false, required: true },
    { key: 'email', type: 'string', label: 'Email', default: '{person.properties.email}', secret: false, required: true },
    {
      key: 'attributes',
      type: 'dictionary',
      label: 'Attributes',
      description: 'Contact attributes by their (upper-case) name, e.g. FIRSTNAME. Empty values are left out.',
      default: { FIRSTNAME: '{person.properties.first_name}', LASTNAME: '{person.properties.last_name}' },
      secret: false,
      required: false,
    },
    {
      key: 'list_ids',
      type: 'string',
      label: 'List IDs',
      description: 'Comma-separated numeric ids of the lists to add the contact to (optional).',
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
