import type { TemplateDefinition } from '../types.js';

/**
 * Klaviyo profiles (revision 2026-04-15): `POST /api/profile-import` creates or updates the profile
 * matched on email or external id, one request. Input keys and requests follow PostHog's template of
 * the same id: the person's GeoIP properties fill the profile location, mapped values its custom properties.
 */
export const template: TemplateDefinition = {
  id: 'template-klaviyo-user',
  name: 'Klaviyo profiles',
  description:
    "Create or update Klaviyo profiles (one request to profile-import, matched on email or external id), with the person's location and custom properties. People with neither an email nor an external id are skipped with a log line.",
  category: ['Email'],
  status: 'stable',
  icon_url: '/static/icons/klaviyo-user.svg',
  hog: `if (empty(inputs.email) and empty(inputs.externalId)) {
  print('No email or external id for this person: skipping the Klaviyo profile')
  return
}

let attributes := {'location': {}, 'properties': {}}

// Klaviyo location fields from PostHog's GeoIP person properties.
let geo := {
  'latitude': '$geoip_latitude',
  'longitude': '$geoip_longitude',
  'city': '$geoip_city_name',
  'country': '$geoip_country_name',
  'region': '$geoip_continent_code',
  'zip': '$geoip_postal_code',
  'timezone': '$geoip_time_zone'
}
for (let field, property in geo) {
  if (notEmpty(person.properties[property])) {
    attributes.location[field] := person.properties[property]
  }
}

if (notEmpty(inputs.email)) {
  attributes['email'] := inputs.email
}
if (notEmpty(inputs.externalId)) {
  attributes['external_id'] := inputs.externalId
}

if (inputs.include_all_properties) {
  for (let key, value in person.properties) {
    if (notEmpty(value) and not key like '$%') {
      attributes.properties[key] := value
    }
  }
}
for (let key, value in inputs.customProperties) {
  if (notEmpty(value)) {
    attributes.properties[key] := value
  }
}

let res := fetch('https://a.klaviyo.com/api/profile-import', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Klaviyo-API-Key {inputs.apiKey}',
    'revision': '2026-04-15',
    'Content-Type': 'application/json'
  },
  'body': {'data': {'type': 'profile', 'attributes': attributes}}
})

if (res.status >= 400) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := jsonStringify(res.body)
    if (notEmpty(res.body.errors)) {
      message := res.body.errors[1].detail ?? res.body.errors[1].title ?? message
    }
  }
  throw Error(f'Klaviyo API error (status {res.status}): {message}')
}
print(f'Klaviyo profile {res.status = 201 ? 'created' : 'updated'}: {res.body.data.id}')
`,
  inputs_schema: [
    {
      key: 'apiKey',
      type: 'string',
      label: 'Private API key',
      description: 'A Klaviyo private API key with profiles:write access (starts with pk_).',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'email',
      type: 'string',
      label: 'Email',
      description: 'Identifies the profile, with the external id.',
      default: '{person.properties.email}',
      secret: false,
      required: true,
    },
    {
      key: 'externalId',
      type: 'string',
      label: 'External ID',
      description: 'Your id for the person; Klaviyo also matches profiles on it.',
      default: '{person.id}',
      secret: false,
      required: true,
    },
    {
      key: 'include_all_properties',
      type: 'boolean',
      label: 'Send all person properties',
      description: "Also send every person property except PostHog's own ($…) as a custom property; the mapping below wins.",
      default: false,
      secret: false,
      required: true,
    },
    {
      key: 'customProperties',
      type: 'dictionary',
      label: 'Custom properties',
      description: 'Custom profile properties. Empty values are left out.',
      default: {
        first_name: '{person.properties.firstname}',
        last_name: '{person.properties.lastname}',
        title: '{person.properties.title}',
        organization: '{person.properties.organization}',
        phone_number: '{person.properties.phone}',
      },
      secret: false,
      required: false,
    },
  ],
  renamed_inputs: { api_key: 'apiKey', external_id: 'externalId', properties: 'customProperties' },
  filters: {
    events: [
      { id: '$identify', name: '$identify', type: 'events', order: 0 },
      { id: '$set', name: '$set', type: 'events', order: 0 },
    ],
    filter_test_accounts: true,
  },
};
