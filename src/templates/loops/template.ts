import type { TemplateDefinition } from '../types.js';

/** Loops contacts: `PUT /api/v1/contacts/update` updates the contact with that email (or creates it), one request. */
export const template: TemplateDefinition = {
  id: 'template-loops',
  name: 'Loops',
  description:
    'Create or update Loops contacts by email, with name, user id and custom contact properties (one request). Events without an email are skipped with a log line.',
  category: ['Email'],
  status: 'stable',
  icon_url: '/static/icons/loops.svg',
  hog: `let email := lower(trim(toString(inputs.email ?? '')))
if (empty(email)) {
  print('No email on this person: skipping the Loops contact')
  return
}

let contact := {'email': email}
if (notEmpty(inputs.user_id)) {
  contact['userId'] := toString(inputs.user_id)
}
for (let key, value in inputs.properties) {
  if (notEmpty(value)) {
    contact[key] := value
  }
}

let res := fetch('https://app.loops.so/api/v1/contacts/update', {
  'method': 'PUT',
  'headers': {
    'Authorization': f'Bearer {inputs.api_key}',
    'Content-Type': 'application/json'
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
    { key: 'api_key', type: 'string', label: 'API key', description: 'Loops → Settings → API.', secret: true, templating: false, required: true },
    { key: 'email', type: 'string', label: 'Email', default: '{person.properties.email}', secret: false, required: true },
    {
      key: 'user_id',
      type: 'string',
      label: 'User ID',
      description: 'Your user id, stored as the contact userId.',
      default: '{event.distinct_id}',
      secret: false,
      required: false,
    },
    {
      key: 'properties',
      type: 'dictionary',
      label: 'Contact properties',
      description: 'Default and custom contact properties (custom ones must exist in Loops). Empty values are left out.',
      default: { firstName: '{person.properties.first_name}', lastName: '{person.properties.last_name}' },
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
