import type { TemplateDefinition } from '../types.js';

/** Amplitude HTTP V2 API: one event per invocation to `/2/httpapi`, US or EU data center. */
export const template: TemplateDefinition = {
  id: 'template-amplitude',
  name: 'Amplitude',
  description: 'Send events to Amplitude through the HTTP V2 API, with person properties as user properties.',
  category: ['Analytics'],
  status: 'beta',
  icon_url: '/static/icons/amplitude.svg',
  hog: `let host := inputs.region = 'eu' ? 'https://api.eu.amplitude.com' : 'https://api2.amplitude.com'

if (empty(inputs.user_id) and empty(inputs.device_id)) {
  throw Error('Amplitude needs a user id or a device id, and both inputs are empty for this event')
}

let payload := {
  'event_type': inputs.event_type,
  'time': toUnixTimestampMilli(event.timestamp),
  'insert_id': event.uuid,
  'event_properties': inputs.event_properties ?? {},
  'user_properties': inputs.user_properties ?? {}
}
if (notEmpty(inputs.user_id)) {
  payload.user_id := inputs.user_id
}
if (notEmpty(inputs.device_id)) {
  payload.device_id := inputs.device_id
}
if (notEmpty(inputs.ip)) {
  payload.ip := inputs.ip
}

let res := fetch(f'{host}/2/httpapi', {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json', 'Accept': '*/*'},
  'body': {'api_key': inputs.api_key, 'events': [payload], 'options': {'min_id_length': inputs.min_id_length}}
})

if (res.status < 200 or res.status >= 300) {
  let reason := res.body.error ?? res.body
  if (notEmpty(res.body.missing_field)) {
    reason := f'{reason} (missing field: {res.body.missing_field})'
  }
  throw Error(f'Amplitude API error (status {res.status}): {reason}')
}
`,
  inputs_schema: [
    { key: 'api_key', type: 'string', label: 'Amplitude API key', description: 'The project API key (Settings → Projects → API keys).', secret: true, templating: false, required: true },
    {
      key: 'region',
      type: 'choice',
      label: 'Data center',
      choices: [
        { value: 'us', label: 'US (api2.amplitude.com)' },
        { value: 'eu', label: 'EU (api.eu.amplitude.com)' },
      ],
      default: 'us',
      required: true,
    },
    { key: 'user_id', type: 'string', label: 'User ID', description: 'Amplitude needs a user id or a device id.', default: '{event.distinct_id}', required: false },
    { key: 'device_id', type: 'string', label: 'Device ID', default: '{event.properties.$device_id}', required: false },
    { key: 'event_type', type: 'string', label: 'Event type', default: '{event.event}', required: true },
    { key: 'event_properties', type: 'json', label: 'Event properties', default: '{event.properties}', required: false },
    { key: 'user_properties', type: 'json', label: 'User properties', default: '{person.properties}', required: false },
    { key: 'ip', type: 'string', label: 'IP address', description: 'Used by Amplitude for location.', default: '{event.properties.$ip}', required: false },
    {
      key: 'min_id_length',
      type: 'number',
      label: 'Minimum id length',
      description: 'Amplitude rejects user and device ids shorter than this (its own default is 5).',
      default: 1,
      required: false,
    },
  ],
  filters: {
    events: [],
    hog: "event.event != '$feature_flag_called'",
  },
};
