import type { TemplateDefinition } from '../types.js';

/**
 * SendGrid Marketing Campaigns: add or update a contact (`PUT /v3/marketing/contacts`, an asynchronous job).
 * Custom fields are configured by name: when there are any, the template first reads the account's field
 * definitions (`GET /v3/marketing/field_definitions`) to send them by id, so that path makes two requests.
 * Input keys, defaults, default filters and the requests follow PostHog's SendGrid destination.
 */
export const template: TemplateDefinition = {
  id: 'template-sendgrid',
  name: 'SendGrid',
  description:
    'Add or update SendGrid Marketing contacts by email, with reserved and custom fields, optionally adding them to lists (one request, two with custom fields). Events without an email are skipped with a log line.',
  category: ['Email'],
  status: 'stable',
  icon_url: '/static/icons/sendgrid.svg',
  hog: `if (empty(inputs.email)) {
  print('No email on this person: skipping the SendGrid contact')
  return
}

let contact := {'email': inputs.email}
for (let key, value in inputs.properties) {
  if (notEmpty(value)) {
    contact[key] := value
  }
}

let headers := {
  'Authorization': f'Bearer {inputs.api_key}',
  'Content-Type': 'application/json'
}

if (notEmpty(inputs.custom_fields)) {
  // SendGrid takes custom fields by id: look the configured names up (a key that already is an id is kept).
  let definitions := fetch('https://api.sendgrid.com/v3/marketing/field_definitions', {
    'method': 'GET',
    'headers': headers
  })
  if (definitions.status != 200) {
    throw Error(f'SendGrid API error (status {definitions.status}) while reading the custom field definitions')
  }
  contact['custom_fields'] := {}
  for (let field in definitions.body?.custom_fields ?? []) {
    let value := inputs.custom_fields[field.name] ?? inputs.custom_fields[field.id]
    if (notEmpty(value)) {
      contact['custom_fields'][field.id] := value
    }
  }
}

let body := {'contacts': [contact]}
let listIds := arrayFilter(id -> notEmpty(id), arrayMap(id -> trim(id), splitByString(',', toString(inputs.list_ids ?? ''))))
if (notEmpty(listIds)) {
  body['list_ids'] := listIds
}

let res := fetch('https://api.sendgrid.com/v3/marketing/contacts', {
  'method': 'PUT',
  'headers': headers,
  'body': body
})

if (res.status >= 300) {
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
      description: 'A SendGrid API key with Marketing access (contacts and field definitions).',
      secret: true,
      templating: false,
      required: true,
    },
    { key: 'email', type: 'string', label: 'Email', description: 'The contact’s email. Events without one are skipped.', default: '{person.properties.email}', secret: false, required: true },
    {
      key: 'properties',
      type: 'dictionary',
      label: 'Reserved fields',
      description:
        'SendGrid’s reserved contact fields: address_line_1, address_line_2, alternate_emails, anonymous_id, city, country, email, external_id, facebook, first_name, last_name, phone_number_id, postal_code, state_province_region, unique_name, whatsapp. Empty values are left out.',
      default: {
        first_name: '{person.properties.first_name}',
        last_name: '{person.properties.last_name}',
        city: '{person.properties.city}',
        country: '{person.properties.country}',
        postal_code: '{person.properties.postal_code}',
      },
      secret: false,
      required: true,
    },
    {
      key: 'custom_fields',
      type: 'dictionary',
      label: 'Custom fields',
      description: 'Custom fields by name (create them in SendGrid first). Empty values are left out.',
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
    events: [{ id: '$identify', name: '$identify', type: 'events' }],
    actions: [],
    filter_test_accounts: true,
  },
};
