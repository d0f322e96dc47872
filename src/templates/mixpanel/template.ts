import type { TemplateDefinition } from '../types.js';

/** Mixpanel Import API (`/import?strict=1`), authenticated with the project token as the basic-auth user. */
export const template: TemplateDefinition = {
  id: 'template-mixpanel',
  name: 'Mixpanel',
  description: 'Send events to Mixpanel through the Import API, validated strictly so bad events fail visibly.',
  category: ['Analytics'],
  status: 'beta',
  icon_url: '/static/icons/mixpanel.svg',
  hog: `let hosts := {'us': 'https://api.mixpanel.com', 'eu': 'https://api-eu.mixpanel.com', 'in': 'https://api-in.mixpanel.com'}
let host := hosts[inputs.region] ?? hosts.us

if (empty(inputs.distinct_id)) {
  throw Error('Mixpanel needs a distinct id, and the input is empty for this event')
}

let properties := {}
for (let key, value in inputs.properties ?? {}) {
  properties[key] := value
}
properties.time := toUnixTimestampMilli(event.timestamp)
properties.distinct_id := inputs.distinct_id
properties['$insert_id'] := event.uuid
if (notEmpty(inputs.ip)) {
  properties.ip := inputs.ip
}

let res := fetch(f'{host}/import?strict=1', {
  'method': 'POST',
  'headers': {
    'Content-Type': 'application/json',
    'Authorization': f'Basic {base64Encode(inputs.project_token || ':')}'
  },
  'body': [{'event': inputs.event_name, 'properties': properties}]
})

if (res.status < 200 or res.status >= 300) {
  let reason := res.body.error ?? res.body
  let failed := res.body.failed_records
  if (notEmpty(failed)) {
    reason := f'{reason}: {failed[1].field} {failed[1].message}'
  }
  throw Error(f'Mixpanel API error (status {res.status}): {reason}')
}
`,
  inputs_schema: [
    { key: 'project_token', type: 'string', label: 'Project token', description: 'Project settings → Access keys.', secret: true, templating: false, required: true },
    {
      key: 'region',
      type: 'choice',
      label: 'Data residency',
      choices: [
        { value: 'us', label: 'US (api.mixpanel.com)' },
        { value: 'eu', label: 'EU (api-eu.mixpanel.com)' },
        { value: 'in', label: 'India (api-in.mixpanel.com)' },
      ],
      default: 'us',
      required: true,
    },
    { key: 'distinct_id', type: 'string', label: 'Distinct ID', default: '{event.distinct_id}', required: true },
    { key: 'event_name', type: 'string', label: 'Event name', default: '{event.event}', required: true },
    { key: 'properties', type: 'json', label: 'Event properties', default: '{event.properties}', required: false },
    { key: 'ip', type: 'string', label: 'IP address', description: 'Used by Mixpanel for geolocation.', default: '{event.properties.$ip}', required: false },
  ],
  filters: {
    events: [],
    hog: "event.event != '$feature_flag_called'",
  },
};
