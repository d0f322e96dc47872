import type { TemplateDefinition } from '../types.js';

/**
 * Customer.io Track API v1 (basic auth: site ID and API key; US or EU region).
 * Within the 2-fetch limit: identify (`PUT /api/v1/customers/{id}`) then track
 * (`POST /api/v1/customers/{id}/events`). In "automatic" mode `$identify` and `$set` only identify;
 * other events identify (so the person exists with fresh attributes) and then track.
 */
export const template: TemplateDefinition = {
  id: 'template-customerio',
  name: 'Customer.io',
  description:
    'Identify people and track events in Customer.io through the Track API (US or EU region): at most 2 requests, identify then event. Events without an identifier are skipped with a log line.',
  category: ['Email', 'Analytics'],
  status: 'stable',
  icon_url: '/static/icons/customerio.svg',
  hog: `let host := 'track.customer.io'
if (inputs.region = 'EU') {
  host := 'track-eu.customer.io'
}
let identifier := toString(inputs.identifier ?? '')
if (empty(identifier)) {
  print('No identifier for this person: skipping Customer.io')
  return
}

let isIdentifyEvent := event.event = '$identify' or event.event = '$set'
let doIdentify := inputs.action = 'identify' or inputs.action = 'automatic'
let doTrack := inputs.action = 'track' or (inputs.action = 'automatic' and not isIdentifyEvent)

let url := f'https://{host}/api/v1/customers/{encodeURLComponent(identifier)}'
let headers := {
  'Authorization': f'Basic {base64Encode(f'{inputs.site_id}:{inputs.api_key}')}',
  'Content-Type': 'application/json'
}

fun failIfError(res, what) {
  if (res.status >= 400) {
    let message := res.body
    if (typeof(res.body) = 'object') {
      message := res.body.meta.error ?? jsonStringify(res.body.meta.errors ?? res.body)
    }
    throw Error(f'Customer.io API error (status {res.status}) on {what}: {message}')
  }
}

if (doIdentify) {
  let attributes := {}
  for (let key, value in inputs.attributes) {
    if (notEmpty(value)) {
      attributes[key] := value
    }
  }
  failIfError(fetch(url, {'method': 'PUT', 'headers': headers, 'body': attributes}), 'identify')
}

if (doTrack) {
  failIfError(fetch(f'{url}/events', {
    'method': 'POST',
    'headers': headers,
    'body': {
      'name': inputs.event_name,
      'data': inputs.event_properties ?? {},
      'timestamp': floor(toUnixTimestamp(event.timestamp))
    }
  }), 'track')
}
`,
  inputs_schema: [
    {
      key: 'site_id',
      type: 'string',
      label: 'Site ID',
      description: 'Workspace Settings → API credentials → Track API keys.',
      secret: false,
      required: true,
    },
    { key: 'api_key', type: 'string', label: 'API key', description: 'The Track API key for that site ID.', secret: true, templating: false, required: true },
    {
      key: 'region',
      type: 'choice',
      label: 'Region',
      choices: [
        { value: 'US', label: 'United States (track.customer.io)' },
        { value: 'EU', label: 'Europe (track-eu.customer.io)' },
      ],
      default: 'US',
      secret: false,
      required: true,
    },
    {
      key: 'action',
      type: 'choice',
      label: 'Action',
      description: 'Automatic: $identify and $set identify; other events identify then track.',
      choices: [
        { value: 'automatic', label: 'Automatic' },
        { value: 'identify', label: 'Identify only' },
        { value: 'track', label: 'Track the event only' },
      ],
      default: 'automatic',
      secret: false,
      required: true,
    },
    {
      key: 'identifier',
      type: 'string',
      label: 'Identifier',
      description: 'The customer id (or email, if your workspace identifies people by email).',
      default: '{event.distinct_id}',
      secret: false,
      required: true,
    },
    {
      key: 'attributes',
      type: 'dictionary',
      label: 'Person attributes',
      description: 'Sent on identify. Empty values are left out.',
      default: {
        email: '{person.properties.email}',
        first_name: '{person.properties.first_name}',
        last_name: '{person.properties.last_name}',
      },
      secret: false,
      required: false,
    },
    { key: 'event_name', type: 'string', label: 'Event name', default: '{event.event}', secret: false, required: false },
    {
      key: 'event_properties',
      type: 'json',
      label: 'Event data',
      default: '{event.properties}',
      secret: false,
      required: false,
    },
  ],
  filters: {
    events: [{ id: null, name: 'All events', type: 'events' }],
    properties: [
      {
        key: "(not startsWith(event.event, '$')) or event.event = '$pageview' or event.event = '$screen' or event.event = '$identify' or event.event = '$set'",
        type: 'hogql',
      },
    ],
  },
};
