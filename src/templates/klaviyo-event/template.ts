import type { TemplateDefinition } from '../types.js';

/** Klaviyo events (JSON:API, revision 2026-01-15): `POST /api/events` with the metric and profile inline, one request. */
export const template: TemplateDefinition = {
  id: 'template-klaviyo-event',
  name: 'Klaviyo events',
  description:
    "Send events to Klaviyo as metrics on the person's profile (one request; the profile is created if needed; the event uuid deduplicates retries). People without an email or phone number are skipped with a log line.",
  category: ['Email'],
  status: 'stable',
  icon_url: '/static/icons/klaviyo-event.svg',
  hog: `let email := lower(trim(toString(inputs.email ?? '')))
let phone := toString(inputs.phone_number ?? '')
if (empty(email) and empty(phone)) {
  print('No email or phone number on this person: skipping the Klaviyo event')
  return
}

let profile := {}
if (notEmpty(email)) {
  profile['email'] := email
}
if (notEmpty(phone)) {
  profile['phone_number'] := phone
}
if (notEmpty(inputs.external_id)) {
  profile['external_id'] := inputs.external_id
}

let attributes := {
  'properties': inputs.properties ?? {},
  'time': inputs.time,
  'unique_id': event.uuid,
  'metric': {'data': {'type': 'metric', 'attributes': {'name': inputs.metric_name}}},
  'profile': {'data': {'type': 'profile', 'attributes': profile}}
}
if (notEmpty(inputs.value)) {
  attributes['value'] := toFloat(inputs.value)
}

let res := fetch('https://a.klaviyo.com/api/events', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Klaviyo-API-Key {inputs.api_key}',
    'revision': '2026-01-15',
    'Accept': 'application/vnd.api+json',
    'Content-Type': 'application/vnd.api+json'
  },
  'body': {'data': {'type': 'event', 'attributes': attributes}}
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
      description: 'A Klaviyo private API key with events:write access (starts with pk_).',
      secret: true,
      templating: false,
      required: true,
    },
    { key: 'metric_name', type: 'string', label: 'Metric (event) name', default: '{event.event}', secret: false, required: true },
    { key: 'email', type: 'string', label: 'Email', default: '{person.properties.email}', secret: false, required: false },
    { key: 'phone_number', type: 'string', label: 'Phone number', default: '{person.properties.phone}', secret: false, required: false },
    { key: 'external_id', type: 'string', label: 'External ID', description: 'Optional: your user id.', secret: false, required: false },
    { key: 'time', type: 'string', label: 'Time', default: '{event.timestamp}', secret: false, required: false },
    {
      key: 'value',
      type: 'string',
      label: 'Value',
      description: 'Optional numeric value of the event (e.g. revenue).',
      default: '{event.properties.revenue}',
      secret: false,
      required: false,
    },
    { key: 'properties', type: 'json', label: 'Event properties', default: '{event.properties}', secret: false, required: false },
  ],
  filters: {
    events: [{ id: null, name: 'All events', type: 'events' }],
    properties: [{ key: "(not startsWith(event.event, '$')) or event.event = '$pageview' or event.event = '$screen'", type: 'hogql' }],
  },
};
