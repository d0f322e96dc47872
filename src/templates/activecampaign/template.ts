import type { TemplateDefinition } from '../types.js';

/**
 * ActiveCampaign API v3, `contact/sync`: creates the contact or updates the one with that email, so
 * re-sending a person is safe. Input keys follow PostHog's ActiveCampaign template.
 */
export const template: TemplateDefinition = {
  id: 'template-activecampaign',
  name: 'ActiveCampaign',
  description: 'Create or update an ActiveCampaign contact when a person is identified.',
  category: ['Email', 'CRM'],
  status: 'beta',
  icon_url: '/static/icons/activecampaign.svg',
  hog: `if (empty(inputs.email)) {
  print('No email set, so no contact is synced.')
  return
}
-- The account may be given as its name ("acme") or as the full API URL from Settings → Developer
let base := inputs.accountName like 'https://%' ? replaceAll(inputs.accountName, '/api/3', '') : f'https://{inputs.accountName}.api-us1.com'
if (substring(base, length(base), 1) == '/') {
  base := substring(base, 1, length(base) - 1)
}
let contact := {'email': inputs.email}
if (notEmpty(inputs.firstName)) {
  contact.firstName := inputs.firstName
}
if (notEmpty(inputs.lastName)) {
  contact.lastName := inputs.lastName
}
if (notEmpty(inputs.phone)) {
  contact.phone := inputs.phone
}
let fieldValues := []
for (let field, value in inputs.attributes) {
  if (notEmpty(value)) {
    fieldValues := arrayPushBack(fieldValues, {'field': field, 'value': value})
  }
}
if (notEmpty(fieldValues)) {
  contact.fieldValues := fieldValues
}
let res := fetch(f'{base}/api/3/contact/sync', {
  'method': 'POST',
  'headers': {'Api-Token': inputs.apiKey, 'Content-Type': 'application/json'},
  'body': {'contact': contact}
})
if (res.status < 200 or res.status >= 300) {
  throw Error(f'ActiveCampaign API error (status {res.status}): {res.body.errors[1].title ?? res.body.message ?? res.body}')
}
`,
  inputs_schema: [
    { key: 'accountName', type: 'string', label: 'Account name or API URL', description: 'acme for acme.api-us1.com, or the API URL from Settings → Developer.', templating: false, required: true },
    { key: 'apiKey', type: 'string', label: 'API key', description: 'Settings → Developer.', secret: true, templating: false, required: true, secret_headers: ['Api-Token'] },
    { key: 'email', type: 'string', label: 'Email', default: '{person.properties.email}', required: true },
    { key: 'firstName', type: 'string', label: 'First name', default: '{person.properties.first_name}', required: false },
    { key: 'lastName', type: 'string', label: 'Last name', default: '{person.properties.last_name}', required: false },
    { key: 'phone', type: 'string', label: 'Phone', default: '{person.properties.phone}', required: false },
    { key: 'attributes', type: 'dictionary', label: 'Custom fields', description: 'Custom field id → value, e.g. {"1": "{person.properties.company}"}.', default: {}, required: false },
  ],
  filters: {
    events: [{ id: '$identify', name: '$identify', type: 'events' }],
  },
};
