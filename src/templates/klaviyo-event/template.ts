import type { TemplateDefinition } from '../types.js';

/**
 * Klaviyo events (revision 2026-04-15): `POST /api/events` with the metric (the event's name) and the
 * profile (email and/or external id) inline, one request; Klaviyo creates the profile if needed.
 * Input keys and requests follow PostHog's template of the same id.
 */
export const template: TemplateDefinition = {
  id: 'template-klaviyo-event',
  name: 'Klaviyo events',
  description:
    "Send events to Klaviyo as metrics named after the event, on the person's profile (one request; the profile is created if needed). People with neither an email nor an external id are skipped with a log line.",
  category: ['Email'],
  status: 'stable',
  icon_url: '/static/icons/klaviyo-event.svg',
  hog: `if (empty(inputs.email) and empty(inputs.externalId)) {
  print('No email or external id for this person: skipping the Klaviyo event')
  return
}

let profile := {}
if (notEmpty(inputs.email)) {
  profile['email'] := inputs.email
}
if (notEmpty(inputs.externalId)) {
  profile['external_id'] := inputs.externalId
}

let properties := {}
if (inputs.include_all_properties) {
  for (let key, value in event.properties) {
    if (notEmpty(value) and not key like '$%') {
      properties[key] := value
    }
  }
}
for (let key, value in inputs.attributes) {
  if (notEmpty(value)) {
    properties[key] := value
  }
}

let res := fetch('https://a.klaviyo.com/api/events', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Klaviyo-API-Key {inputs.apiKey}',
    'revision': '2026-04-15',
    'Content-Type': 'application/json'
  },
  'body': {
    'data': {
      'type': 'event',
      'attributes': {
        'properties': properties,
        'metric': {'data': {'type': 'metric', 'attributes': {'name': event.event}}},
        'profile': {'data': {'type': 'profile', 'attributes': profile}}
      }
    }
  }
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
      key: 'apiKey',
      type: 'string',
      label: 'Private API key',
      description: 'A Klaviyo private API key with events:write access (starts with pk_).',
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
      label: 'Send all event properties',
      description: "Also send every event property except PostHog's own ($…); the mapping below wins.",
      default: false,
      secret: false,
      required: true,
    },
    {
      key: 'attributes',
      type: 'dictionary',
      label: 'Event properties',
      description: 'Properties of the Klaviyo event. Empty values are left out.',
      default: { price: '{event.properties.price}', currency: '{event.properties.currency}' },
      secret: false,
      required: false,
    },
  ],
  renamed_inputs: { api_key: 'apiKey', external_id: 'externalId' },
  filters: {
    events: [{ id: null, name: 'All events', type: 'events' }],
    properties: [{ key: "(not startsWith(event.event, '$')) or event.event = '$pageview' or event.event = '$screen'", type: 'hogql' }],
    filter_test_accounts: true,
  },
};
