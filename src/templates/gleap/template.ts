import type { TemplateDefinition } from '../types.js';

/**
 * Gleap: creates or updates a contact through the server-side identify endpoint
 * (`POST https://api.gleap.io/admin/identify`, project API key in the `Api-Token` header). Nothing is sent
 * when the user id comes out empty. Input keys, defaults and the request follow PostHog's Gleap destination;
 * with all person properties included, PostHog's own `$` properties are still left out.
 */
export const template: TemplateDefinition = {
  id: 'template-gleap',
  name: 'Gleap',
  description: 'Create or update contacts in Gleap from person properties.',
  category: ['Support', 'CRM'],
  status: 'beta',
  icon_url: '/static/icons/gleap.svg',
  hog: `if (empty(inputs.userId)) {
  print('The user id is empty for this event, so nothing is sent to Gleap')
  return
}

let contact := {}
if (inputs.include_all_properties) {
  for (let key, value in person.properties ?? {}) {
    if (not (key like '$%')) {
      contact[key] := value
    }
  }
}
contact.userId := inputs.userId
for (let key, value in inputs.attributes ?? {}) {
  if (notEmpty(value)) {
    contact[key] := value
  }
}

let res := fetch('https://api.gleap.io/admin/identify', {
  'method': 'POST',
  'headers': {'User-Agent': 'Sluice', 'Api-Token': inputs.apiKey, 'Content-Type': 'application/json'},
  'body': contact
})

if (res.status < 200 or res.status >= 300) {
  throw Error(f'Gleap API error (status {res.status}): {res.body.message ?? res.body}')
}
`,
  inputs_schema: [
    { key: 'apiKey', type: 'string', label: 'Gleap API key', description: 'The secret API key of the Gleap project (Project settings → API).', secret: true, templating: false, required: true, secret_headers: ['Api-Token'] },
    { key: 'userId', type: 'string', label: 'User ID', description: 'The contact id in Gleap; when empty, nothing is sent.', default: '{person.id}', secret: false, required: true },
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
      key: 'attributes',
      type: 'dictionary',
      label: 'Contact field mapping',
      description: 'Gleap contact fields and their values; empty values are left out.',
      default: { email: '{person.properties.email}', name: '{person.properties.name}', phone: '{person.properties.phone}' },
      secret: false,
      required: false,
    },
  ],
  filters: {
    events: [
      { id: '$identify', name: '$identify', type: 'events' },
      { id: '$set', name: '$set', type: 'events' },
    ],
    filter_test_accounts: true,
  },
};
