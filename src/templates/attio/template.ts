import type { TemplateDefinition } from '../types.js';

/** Attio people (REST API v2): "assert" (upsert) a person record matched on email_addresses, one request. */
export const template: TemplateDefinition = {
  id: 'template-attio',
  name: 'Attio',
  description:
    'Create or update a person record in Attio, matched on email address (one PUT to the assert endpoint). Events without an email are skipped with a log line.',
  category: ['CRM'],
  status: 'beta',
  icon_url: '/static/icons/attio.svg',
  hog: `let email := lower(trim(toString(inputs.email ?? '')))
if (empty(email)) {
  print('No email on this person: skipping the Attio record')
  return
}

let values := {'email_addresses': [email]}
let firstName := inputs.first_name ?? ''
let lastName := inputs.last_name ?? ''
if (notEmpty(firstName) or notEmpty(lastName)) {
  values['name'] := [{
    'first_name': firstName,
    'last_name': lastName,
    'full_name': trim(f'{firstName} {lastName}')
  }]
}
for (let key, value in inputs.attributes) {
  if (notEmpty(value)) {
    values[key] := value
  }
}

let res := fetch('https://api.attio.com/v2/objects/people/records?matching_attribute=email_addresses', {
  'method': 'PUT',
  'headers': {
    'Authorization': f'Bearer {inputs.api_key}',
    'Content-Type': 'application/json'
  },
  'body': {'data': {'values': values}}
})

if (res.status >= 400) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := res.body.message ?? jsonStringify(res.body)
  }
  throw Error(f'Attio API error (status {res.status}): {message}')
}
`,
  inputs_schema: [
    {
      key: 'api_key',
      type: 'string',
      label: 'Access token',
      description: 'An Attio access token with record_permission:read-write and object_configuration:read scopes.',
      secret: true,
      templating: false,
      required: true,
    },
    { key: 'email', type: 'string', label: 'Email', default: '{person.properties.email}', secret: false, required: true },
    {
      key: 'first_name',
      type: 'string',
      label: 'First name',
      default: '{person.properties.first_name ?? person.properties.firstname}',
      secret: false,
      required: false,
    },
    {
      key: 'last_name',
      type: 'string',
      label: 'Last name',
      default: '{person.properties.last_name ?? person.properties.lastname}',
      secret: false,
      required: false,
    },
    {
      key: 'attributes',
      type: 'dictionary',
      label: 'Other attributes',
      description: 'Person attributes by slug (e.g. job_title, description). Empty values are left out.',
      default: { job_title: '{person.properties.job_title}' },
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
