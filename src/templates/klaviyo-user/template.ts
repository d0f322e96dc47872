import type { TemplateDefinition } from '../types.js';

/** Klaviyo profiles (JSON:API, revision 2026-01-15): `POST /api/profile-import` creates or updates by identifier, one request. */
export const template: TemplateDefinition = {
  id: 'template-klaviyo-user',
  name: 'Klaviyo profiles',
  description:
    'Create or update Klaviyo profiles (one request to profile-import, matched on email, phone number or external id). People without an email or phone number are skipped with a log line.',
  category: ['Email'],
  status: 'stable',
  icon_url: '/static/icons/klaviyo-user.svg',
  hog: `let email := lower(trim(toString(inputs.email ?? '')))
let phone := toString(inputs.phone_number ?? '')
if (empty(email) and empty(phone)) {
  print('No email or phone number on this person: skipping the Klaviyo profile')
  return
}

let attributes := {}
if (notEmpty(email)) {
  attributes['email'] := email
}
if (notEmpty(phone)) {
  attributes['phone_number'] := phone
}
for (let key, value in {'external_id': inputs.external_id, 'first_name': inputs.first_name, 'last_name': inputs.last_name}) {
  if (notEmpty(value)) {
    attributes[key] := value
  }
}
let properties := {}
for (let key, value in inputs.properties) {
  if (notEmpty(value)) {
    properties[key] := value
  }
}
if (notEmpty(properties)) {
  attributes['properties'] := properties
}

let res := fetch('https://a.klaviyo.com/api/profile-import', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Klaviyo-API-Key {inputs.api_key}',
    'revision': '2026-01-15',
    'Accept': 'application/vnd.api+json',
    'Content-Type': 'application/vnd.api+json'
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
`,
  inputs_schema: [
    {
      key: 'api_key',
      type: 'string',
      label: 'Private API key',
      description: 'A Klaviyo private API key with profiles:write access (starts with pk_).',
      secret: true,
      templating: false,
      required: true,
    },
    { key: 'email', type: 'string', label: 'Email', default: '{person.properties.email}', secret: false, required: false },
    {
      key: 'phone_number',
      type: 'string',
      label: 'Phone number',
      description: 'E.164 format, e.g. +15005550006.',
      default: '{person.properties.phone}',
      secret: false,
      required: false,
    },
    {
      key: 'external_id',
      type: 'string',
      label: 'External ID',
      description: 'Optional: your user id, also used to match the profile.',
      secret: false,
      required: false,
    },
    { key: 'first_name', type: 'string', label: 'First name', default: '{person.properties.first_name}', secret: false, required: false },
    { key: 'last_name', type: 'string', label: 'Last name', default: '{person.properties.last_name}', secret: false, required: false },
    {
      key: 'properties',
      type: 'dictionary',
      label: 'Custom properties',
      description: 'Custom profile properties. Empty values are left out.',
      default: { plan: '{person.properties.plan}' },
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
