import type { TemplateDefinition } from '../types.js';

/**
 * Attio people (REST API v2): "assert" (upsert) a person record matched on email_addresses, one request.
 * Input keys, defaults and the request follow PostHog's Attio template.
 */
export const template: TemplateDefinition = {
  id: 'template-attio',
  name: 'Attio',
  description:
    'Create or update a person record in Attio, matched on email address (one PUT to the assert endpoint). Events without an email are skipped with a log line.',
  category: ['CRM'],
  status: 'beta',
  icon_url: '/static/icons/attio.svg',
  hog: `if (empty(inputs.email)) {
  print('No email on this person: skipping the Attio record')
  return
}

let values := {'email_addresses': [{'email_address': inputs.email}]}
for (let key, value in inputs.personAttributes) {
  if (notEmpty(value)) {
    values[key] := value
  }
}

let res := fetch('https://api.attio.com/v2/objects/people/records?matching_attribute=email_addresses', {
  'method': 'PUT',
  'headers': {
    'Authorization': f'Bearer {inputs.apiKey}',
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
      key: 'apiKey',
      type: 'string',
      label: 'Access token',
      description: 'An Attio access token with record_permission:read-write and object_configuration:read scopes.',
      secret: true,
      templating: false,
      required: true,
    },
    { key: 'email', type: 'string', label: 'Email', description: 'Matches the person record; people without one are skipped.', default: '{person.properties.email}', secret: false, required: true },
    {
      key: 'personAttributes',
      type: 'dictionary',
      label: 'Other attributes',
      description: 'Person attributes by slug or id (e.g. name, job_title, description). Empty values are left out.',
      default: { name: '{person.properties.name}', job_title: '{person.properties.job_title}' },
      secret: false,
      required: true,
    },
  ],
  renamed_inputs: { api_key: 'apiKey', attributes: 'personAttributes' },
  filters: {
    events: [
      { id: '$identify', name: '$identify', type: 'events' },
      { id: '$set', name: '$set', type: 'events' },
    ],
    filter_test_accounts: true,
  },
};
