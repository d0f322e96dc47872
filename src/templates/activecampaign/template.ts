import type { TemplateDefinition } from '../types.js';

/**
 * ActiveCampaign API v3, `contact/sync`: creates the contact or updates the one with that email, so
 * re-sending a person is safe. Input keys, defaults and the request follow PostHog's ActiveCampaign
 * template; the account may also be given as its full API URL.
 */
export const template: TemplateDefinition = {
  id: 'template-activecampaign',
  name: 'ActiveCampaign',
  description: 'Create or update an ActiveCampaign contact, with custom field values, when a person is identified or updated.',
  category: ['Email', 'CRM'],
  status: 'beta',
  icon_url: '/static/icons/activecampaign.svg',
  hog: `if (empty(inputs.email)) {
  print('No email for this person, so no ActiveCampaign contact is synced.')
  return
}
-- The account may be given as its name ("acme") or as the full API URL from Settings → Developer
let base := inputs.accountName like 'https://%' ? replaceAll(inputs.accountName, '/api/3', '') : f'https://{inputs.accountName}.api-us1.com'
if (substring(base, length(base), 1) == '/') {
  base := substring(base, 1, length(base) - 1)
}
let contact := {'email': inputs.email, 'fieldValues': []}
if (notEmpty(inputs.firstName)) {
  contact.firstName := inputs.firstName
}
if (notEmpty(inputs.lastName)) {
  contact.lastName := inputs.lastName
}
if (notEmpty(inputs.phone)) {
  contact.phone := inputs.phone
}
for (let field, value in inputs.attributes) {
  if (notEmpty(value)) {
    contact.fieldValues := arrayPushBack(contact.fieldValues, {'field': field, 'value': value})
  }
}
let res := fetch(f'{base}/api/3/contact/sync', {
  'method': 'POST',
  'headers': {'content-type': 'application/json', 'Api-Token': inputs.apiKey},
  'body': {'contact': contact}
})
if (res.status < 200 or res.status >= 300) {
  throw Error(f'ActiveCampaign API error (status {res.status}): {res.body.errors[1].title ?? res.body.message ?? res.body}')
}
print(f'ActiveCampaign contact synced: {res.body.contact.id}')
`,
  inputs_schema: [
    {
      key: 'accountName',
      type: 'string',
      label: 'Account name or API URL',
      description: 'acme for acme.api-us1.com (the name in acme.activehosted.com), or the API URL from Settings → Developer.',
      default: '',
      secret: false,
      templating: false,
      required: true,
    },
    { key: 'apiKey', type: 'string', label: 'API key', description: 'Settings → Developer.', default: '', secret: true, templating: false, required: true, secret_headers: ['Api-Token'] },
    { key: 'email', type: 'string', label: 'Email', description: 'The contact’s email; people without one are skipped.', default: '{person.properties.email}', secret: false, required: true },
    { key: 'firstName', type: 'string', label: 'First name', default: '{person.properties.firstName}', secret: false, required: true },
    { key: 'lastName', type: 'string', label: 'Last name', default: '{person.properties.lastName}', secret: false, required: true },
    { key: 'phone', type: 'string', label: 'Phone', default: '{person.properties.phone}', secret: false, required: true },
    {
      key: 'attributes',
      type: 'dictionary',
      label: 'Custom fields',
      description: 'Custom field id → value. Empty values are left out.',
      default: { '1': '{person.properties.company}', '2': '{person.properties.website}' },
      secret: false,
      required: true,
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
