import type { TemplateDefinition } from '../types.js';

/**
 * HubSpot contacts (CRM API v3): one `POST /crm/v3/objects/contacts/batch/upsert` with a single input
 * addressed by email, so HubSpot creates or updates the contact in one request.
 * Input keys follow PostHog's template of the same id: the token comes from the `oauth` object
 * (`{access_token}`) a PostHog configuration carries, or from `access_token`.
 * Empty mapped values are left out so an upsert never blanks a value HubSpot already has.
 */
export const template: TemplateDefinition = {
  id: 'template-hubspot',
  name: 'HubSpot',
  description:
    'Create or update a HubSpot contact by email in one request (batch upsert on the email property). Events without an email are skipped with a log line.',
  category: ['CRM'],
  status: 'stable',
  icon_url: '/static/icons/hubspot.svg',
  hog: `let email := trim(toString(inputs.email ?? ''))
if (empty(email)) {
  print('No email on this person: skipping the HubSpot contact upsert')
  return
}

let token := inputs.oauth?.access_token
if (empty(token)) {
  token := inputs.access_token
}
if (empty(token)) {
  throw Error('HubSpot: no access token; set access_token (a private app token) or the HubSpot connection (oauth)')
}

// HubSpot properties are flat: nested values go as JSON text.
let properties := {'email': email}
for (let key, value in inputs.properties) {
  if (notEmpty(value)) {
    properties[key] := typeof(value) in ('object', 'array', 'tuple') ? jsonStringify(value) : value
  }
}

let res := fetch('https://api.hubapi.com/crm/v3/objects/contacts/batch/upsert', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {token}',
    'Content-Type': 'application/json'
  },
  'body': {'inputs': [{'properties': properties, 'id': properties.email, 'idProperty': 'email'}]}
})

// A batch answers 207 when its one input failed.
if (res.status != 200 and res.status != 201) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := res.body.errors[1].message ?? res.body.message ?? jsonStringify(res.body)
  }
  throw Error(f'HubSpot API error (status {res.status}): {message}')
}
print(f'HubSpot contact upserted: {res.body.results[1].id ?? properties.email}')
`,
  inputs_schema: [
    {
      key: 'oauth',
      type: 'integration',
      integration: 'hubspot',
      label: 'HubSpot connection (PostHog integration)',
      description: 'For configurations brought from PostHog: an object with access_token. Otherwise leave it empty and set the access token below.',
      secret: true,
      templating: false,
      required: false,
    },
    {
      key: 'access_token',
      type: 'string',
      label: 'Access token',
      description: 'A HubSpot private app access token with the crm.objects.contacts.write scope.',
      secret: true,
      templating: false,
      required: false,
    },
    {
      key: 'email',
      type: 'string',
      label: 'Email',
      description: 'The email that identifies the contact. Events without one are skipped.',
      default: '{person.properties.email}',
      secret: false,
      required: true,
    },
    {
      key: 'properties',
      type: 'dictionary',
      label: 'Contact properties',
      description: 'HubSpot contact properties (internal names) to set. Empty values are left out; objects are sent as JSON text.',
      default: {
        firstname: '{person.properties.firstname}',
        lastname: '{person.properties.lastname}',
        company: '{person.properties.company}',
        phone: '{person.properties.phone}',
        website: '{person.properties.website}',
      },
      secret: false,
      required: true,
    },
  ],
  filters: {
    events: [{ id: '$identify', name: '$identify', type: 'events', order: 0 }],
    filter_test_accounts: true,
  },
};
