import type { TemplateDefinition } from '../types.js';

/**
 * Google Analytics 4 Measurement Protocol (`/mp/collect`). GA answers 2xx even for payloads it drops,
 * so the template checks event names itself, and the `validate` input first sends the event to the
 * validation server (`/debug/mp/collect`) and fails on its validation messages (2 requests).
 */
export const template: TemplateDefinition = {
  id: 'template-google-analytics-4',
  name: 'Google Analytics 4',
  description:
    'Send events to Google Analytics 4 with the Measurement Protocol. GA accepts malformed events silently (it answers 2xx and drops them): turn on validation while setting up.',
  category: ['Analytics'],
  status: 'beta',
  icon_url: '/static/icons/google-analytics-4.svg',
  hog: `let host := inputs.region = 'eu' ? 'https://region1.google-analytics.com' : 'https://www.google-analytics.com'
let name := inputs.event_name

if (not (name =~ '^[A-Za-z][A-Za-z0-9_]{0,39}$')) {
  throw Error(f'Google Analytics: event name "{name}" is invalid: it must start with a letter and have at most 40 letters, digits and underscores (GA would drop it silently)')
}
if (name =~ '^(google_|ga_|firebase_)') {
  throw Error(f'Google Analytics: event name "{name}" uses a reserved prefix (google_, ga_, firebase_)')
}
if (empty(inputs.client_id)) {
  throw Error('Google Analytics: the client id is empty for this event')
}

let params := {}
for (let key, value in inputs.params ?? {}) {
  if (value != null and value != '') {
    params[key] := value
  }
}

let payload := {
  'client_id': inputs.client_id,
  'timestamp_micros': toUnixTimestampMilli(event.timestamp) * 1000,
  'events': [{'name': name, 'params': params}]
}
if (notEmpty(inputs.user_id)) {
  payload.user_id := inputs.user_id
}
let userProperties := {}
for (let key, value in inputs.user_properties ?? {}) {
  if (value != null and value != '') {
    userProperties[key] := {'value': value}
  }
}
if (notEmpty(userProperties)) {
  payload.user_properties := userProperties
}

let query := f'measurement_id={encodeURLComponent(inputs.measurement_id)}&api_secret={encodeURLComponent(inputs.api_secret)}'
let request := {'method': 'POST', 'headers': {'Content-Type': 'application/json'}, 'body': payload}

if (inputs.validate) {
  let check := fetch(f'{host}/debug/mp/collect?{query}', request)
  if (check.status >= 300) {
    throw Error(f'Google Analytics API error (status {check.status}): {check.body}')
  }
  let messages := check.body.validationMessages
  if (notEmpty(messages)) {
    throw Error(f'Google Analytics API error (status {check.status}): validation failed: {messages[1].description} ({messages[1].fieldPath}, {messages[1].validationCode})')
  }
}

let res := fetch(f'{host}/mp/collect?{query}', request)
if (res.status < 200 or res.status >= 300) {
  throw Error(f'Google Analytics API error (status {res.status}): {res.body}')
}
`,
  inputs_schema: [
    { key: 'measurement_id', type: 'string', label: 'Measurement ID', description: 'G-XXXXXXXXXX, from Admin → Data streams.', required: true },
    { key: 'api_secret', type: 'string', label: 'Measurement Protocol API secret', description: 'Admin → Data streams → Measurement Protocol API secrets.', secret: true, templating: false, required: true },
    {
      key: 'region',
      type: 'choice',
      label: 'Collection endpoint',
      choices: [
        { value: 'global', label: 'Global (www.google-analytics.com)' },
        { value: 'eu', label: 'EU (region1.google-analytics.com)' },
      ],
      default: 'global',
      required: true,
    },
    { key: 'client_id', type: 'string', label: 'Client ID', description: 'Identifies the browser or device.', default: '{event.distinct_id}', required: true },
    { key: 'user_id', type: 'string', label: 'User ID', description: 'Must not be personally identifiable (no email).', default: '', required: false },
    {
      key: 'event_name',
      type: 'string',
      label: 'Event name',
      description: 'Letters, digits and underscores, starting with a letter, at most 40 characters.',
      default: "{event.event = '$pageview' ? 'page_view' : replaceAll(replaceAll(event.event, '$', ''), ' ', '_')}",
      required: true,
    },
    {
      key: 'params',
      type: 'dictionary',
      label: 'Event parameters',
      description: 'Empty values are left out.',
      default: { page_location: '{event.properties.$current_url}', page_referrer: '{event.properties.$referrer}', page_title: '{event.properties.title}' },
      required: false,
    },
    { key: 'user_properties', type: 'dictionary', label: 'User properties', default: {}, required: false },
    {
      key: 'validate',
      type: 'boolean',
      label: 'Validate each event first',
      description: 'Send each event to the validation server first and fail on its messages. Doubles the requests: use while setting up.',
      default: false,
      required: false,
    },
  ],
  filters: {
    events: [{ id: '$pageview', name: '$pageview', type: 'events' }],
  },
};
