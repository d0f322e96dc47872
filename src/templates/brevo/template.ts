import type { TemplateDefinition } from '../types.js';

/**
 * Brevo (formerly Sendinblue) contacts: `POST /v3/contacts` with `updateEnabled: true` creates or updates
 * by email, one request. Input keys, defaults and the request follow PostHog's Brevo template; list ids
 * are our addition.
 */
export const template: TemplateDefinition = {
  id: 'template-brevo',
  name: 'Brevo',
  description:
    'Create or update Brevo contacts by email, with attributes and optional lists (one request with updateEnabled). Events without an email are skipped with a log line.',
  category: ['Email'],
  status: 'stable',
  icon_url: '/static/icons/brevo.svg',
  hog: `if (empty(inputs.email)) {
  print('No email on this person: skipping the Brevo contact')
  return
}

let body := {'email': inputs.email, 'updateEnabled': true, 'attributes': {}}
for (let key, value in inputs.attributes) {
  if (notEmpty(value)) {
    body.attributes[key] := value
  }
}
let listIds := arrayFilter(id -> id != null, arrayMap(id -> toInt(trim(id)), splitByString(',', toString(inputs.list_ids ?? ''))))
if (notEmpty(listIds)) {
  body['listIds'] := listIds
}

let res := fetch('https://api.brevo.com/v3/contacts', {
  'method': 'POST',
  'headers': {
    'api-key': inputs.apiKey,
    'Content-Type': 'application/json'
  },
  'body': body
})

if (res.status >= 400) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := arrayStringConcat(arrayFilter(part -> notEmpty(part), [res.body.code, res.body.message]), ': ')
  }
  throw Error(f'Brevo API error (status {res.status}): {message}')
}
`,
  inputs_schema: [
    { key: 'apiKey', type: 'string', label: 'API key', description: 'A Brevo API v3 key (SMTP & API → API keys).', secret: true, templating: false, required: true, secret_headers: ['api-key'] },
    { key: 'email', type: 'string', label: 'Email', description: 'The contact’s email; people without one are skipped.', default: '{person.properties.email}', secret: false, required: true },
    {
      key: 'attributes',
      type: 'dictionary',
      label: 'Attributes',
      description: 'Contact attributes by their (upper-case) name, e.g. FIRSTNAME. Empty values are left out.',
      default: { EMAIL: '{person.properties.email}', FIRSTNAME: '{person.properties.firstname}', LASTNAME: '{person.properties.lastname}' },
      secret: false,
      required: true,
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
  renamed_inputs: { api_key: 'apiKey' },
  filters: {
    events: [
      { id: '$identify', name: '$identify', type: 'events' },
      { id: '$set', name: '$set', type: 'events' },
    ],
    filter_test_accounts: true,
  },
};
