import type { TemplateDefinition } from '../types.js';

/**
 * HubSpot contacts (CRM API v3). Upserts a contact by email within the 2-fetch limit:
 * 1. `POST /crm/v3/objects/contacts` creates the contact;
 * 2. only when HubSpot answers 409 (a contact with that email exists), `PATCH
 *    /crm/v3/objects/contacts/{email}?idProperty=email` updates it.
 * Events without an email are skipped with a log line (no request).
 */
export const template: TemplateDefinition = {
  id: 'template-hubspot',
  name: 'HubSpot',
  description:
    'Create or update a HubSpot contact by email (create, then update on 409 Conflict: at most 2 requests). Events without an email are skipped with a log line.',
  category: ['CRM'],
  status: 'stable',
  icon_url: '/static/icons/hubspot.svg',
  hog: `let email := lower(trim(toString(inputs.email ?? '')))
if (empty(email)) {
  print('No email on this person: skipping the HubSpot contact upsert')
  return
}

let properties := {}
for (let key, value in inputs.properties) {
  if (notEmpty(value)) {
    properties[key] := value
  }
}
properties['email'] := email

let request := {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {inputs.access_token}',
    'Content-Type': 'application/json'
  },
  'body': {'properties': properties}
}

let res := fetch('https://api.hubapi.com/crm/v3/objects/contacts', request)
let action := 'created'
if (res.status = 409) {
  // The contact exists: update it, addressed by its email (the second and last request).
  request.method := 'PATCH'
  res := fetch(f'https://api.hubapi.com/crm/v3/objects/contacts/{encodeURLComponent(email)}?idProperty=email', request)
  action := 'updated'
}

if (res.status >= 400) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := res.body.message ?? jsonStringify(res.body)
  }
  throw Error(f'HubSpot API error (status {res.status}): {message}')
}
print(f'HubSpot contact {action}: {res.body.id}')
`,
  inputs_schema: [
    {
      key: 'access_token',
      type: 'string',
      label: 'Access token',
      description: 'A HubSpot private app access token with the crm.objects.contacts.write scope.',
      secret: true,
      templating: false,
      required: true,
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
      description: 'HubSpot contact properties (internal names) to set. Empty values are left out.',
      default: {
        firstname: '{person.properties.firstname ?? person.properties.first_name}',
        lastname: '{person.properties.lastname ?? person.properties.last_name}',
        company: '{person.properties.company}',
        phone: '{person.properties.phone}',
      },
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
