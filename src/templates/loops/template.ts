import type { TemplateDefinition } from '../types.js';

/**
 * Loops contacts: `POST /api/v1/contacts/update` updates the contact with that email (or creates it), one
 * request. Input keys, defaults, default filters and the request follow PostHog's Loops destination:
 * the contact's userId is the person id.
 */
export const template: TemplateDefinition = {
  id: 'template-loops',
  name: 'Loops',
  description:
    'Create or update Loops contacts by email, with the person id as userId and mapped contact properties (one request). Events without an email are skipped with a log line.',
  category: ['Email'],
  status: 'stable',
  icon_url: '/static/icons/loops.svg',
  hog: `if (empty(inputs.email)) {
  print('No email on this person: skipping the Loops contact')
  return
}

let contact := {'email': inputs.email, 'userId': person.id}
if (inputs.include_all_properties) {
  for (let key, value in person.properties) {
    if (notEmpty(value) and not (key like '$%')) {
      contact[key] := value
    }
  }
}
for (let key, value in inputs.properties) {
  if (notEmpty(value)) {
    contact[key] := value
  }
}

let res := fetch('https://app.loops.so/api/v1/contacts/update', {
  'method': 'POST',
  'headers': {
    'Content-Type': 'application/json',
    'Authorization': f'Bearer {inputs.apiKey}'
  },
  'body': contact
})

// Loops answers {success: false, message} on errors; check the body as well as the status.
if (res.status >= 400 or (typeof(res.body) = 'object' and equals(res.body.success, false))) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := res.body.message ?? jsonStringify(res.body)
  }
  throw Error(f'Loops API error (status {res.status}): {message}')
}
`,
  inputs_schema: [
    { key: 'apiKey', type: 'string', label: 'API key', description: 'Loops → Settings → API.', default: '', secret: true, templating: false, required: true },
    { key: 'email', type: 'string', label: 'Email', description: 'The email that identifies the contact. Events without one are skipped.', default: '{person.properties.email}', secret: false, required: true },
    {
      key: 'include_all_properties',
      type: 'boolean',
      label: 'Send all person properties',
      description: 'Adds every non-$ person property to the contact; the mapping below overrides single ones.',
      default: false,
      secret: false,
      required: true,
    },
    {
      key: 'properties',
      type: 'dictionary',
      label: 'Contact properties',
      description: 'Default and custom contact properties (custom ones must exist in Loops). Empty values are left out.',
      default: { firstName: '{person.properties.firstname}', lastName: '{person.properties.lastname}' },
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
    actions: [],
    filter_test_accounts: true,
  },
};
