import type { TemplateDefinition } from '../types.js';

/** SendGrid Marketing Campaigns: add or update a contact (`PUT /v3/marketing/contacts`, asynchronous job), one request. */
export const template: TemplateDefinition = {
  id: 'template-sendgrid',
  name: 'SendGrid',
  description:
    'Add or update SendGrid Marketing contacts by email, optionally adding them to lists (one request; SendGrid processes it as a job). Events without an email are skipped with a log line.',
  category: ['Email'],
  status: 'stable',
  icon_url: '/static/icons/sendgrid.svg',
  hog: `let email := lower(trim(toString(inputs.email ?? '')))
if (empty(email)) {
  print('No email on this person: skipping the SendGrid contact')
  return
}

let contact := {'email': email}
for (let key, value in inputs.properties) {
  if (notEmpty(value)) {
    contact[key] := value
  }
}
let customFields := {}
for (let key, value in inputs.custom_fields) {
  if (notEmpty(value)) {
    customFields[key] := value
  }
}
if (notEmpty(customFields)) {
  contact['custom_fields'] := customFields
}

let body := {'contacts': [contact]}
let listIds := arrayFilter(id -> notEmpty(id), arrayMap(id -> trim(id), splitByString(',', toString(inputs.list_ids ?? ''))))
if (notEmpty(listIds)) {
  body['list_ids'] := listIds
}

let res := fetch('https://api.sendgrid.com/v3/marketing/contacts', {
  'method': 'PUT',
  'headers': {
    'Authorization': f'Bearer {inputs.api_key}',
    'Content-Type': 'application/json'
  },
  'body': body
})

if (res.status >= 400) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := jsonStringify(res.body)
    if (notEmpty(res.body.errors)) {
      message := arrayStringConcat(arrayMap(e -> notEmpty(e.field) ? f'{e.field}: {e.message}' : e.message, res.body.errors), '; ')
    }
  }
  throw Error(f'SendGrid API error (status {res.status}): {message}')
}
`,
  inputs_schema: [
    {
      key: 'api_key',
      type: 'string',
      label: 'API key',
      description: 'A SendGrid API key with Marketing → Contacts write access.',
      secret: true,
      templating: false,
      required: true,
    },
    { key: 'email', type: 'string', label: 'Email', default: '{person.properties.email}', secret: false, required: true },
    {
      key: 'properties',
      type: 'dictionary',
      label: 'Contact fields',
      description: 'Reserved fields: first_name, last_name, phone_number_id, city, country, postal_code, … Empty values are left out.',
      default: { first_name: '{person.properties.first_name}', last_name: '{person.properties.last_name}' },
      secret: false,
      required: false,
    },
    {
      key: 'custom_fields',
      type: 'dictionary',
      label: 'Custom fields',
      description: 'Custom fields by their field id (e.g. e1_T). Empty values are left out.',
      default: {},
      secret: false,
      required: false,
    },
    {
      key: 'list_ids',
      type: 'string',
      label: 'List IDs',
      description: 'Comma-separated ids of the lists to add the contact to (optional).',
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
