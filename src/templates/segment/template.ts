import type { TemplateDefinition } from '../types.js';

/**
 * Segment HTTP Tracking API: `$pageview` becomes a page call, `$identify` an identify call, everything
 * else a track call. Authenticated with the source write key as the basic-auth user.
 */
export const template: TemplateDefinition = {
  id: 'template-segment',
  name: 'Segment',
  description: 'Forward events to a Segment source through the HTTP Tracking API (track, page and identify calls).',
  category: ['Analytics', 'Data warehouse'],
  status: 'beta',
  icon_url: '/static/icons/segment.svg',
  hog: `let host := inputs.region = 'eu' ? 'https://events.eu1.segmentapis.com' : 'https://api.segment.io'

if (empty(inputs.user_id) and empty(inputs.anonymous_id)) {
  throw Error('Segment needs a user id or an anonymous id, and both inputs are empty for this event')
}

let call := 'track'
if (event.event = '$pageview') {
  call := 'page'
} else if (event.event = '$identify') {
  call := 'identify'
}

let body := {
  'messageId': event.uuid,
  'timestamp': event.timestamp,
  'context': {'library': {'name': 'sluice', 'version': '1'}}
}
if (notEmpty(inputs.user_id)) {
  body.userId := inputs.user_id
}
if (notEmpty(inputs.anonymous_id)) {
  body.anonymousId := inputs.anonymous_id
}
if (notEmpty(inputs.ip)) {
  body.context.ip := inputs.ip
}
if (notEmpty(inputs.user_agent)) {
  body.context.userAgent := inputs.user_agent
}
if (call = 'identify') {
  body.traits := inputs.traits ?? {}
} else {
  body.properties := inputs.properties ?? {}
  if (call = 'page') {
    body.name := inputs.page_name
    body.context.page := {'url': event.properties.$current_url, 'referrer': event.properties.$referrer}
  } else {
    body.event := inputs.event_name
  }
}

let res := fetch(f'{host}/v1/{call}', {
  'method': 'POST',
  'headers': {
    'Content-Type': 'application/json',
    'Authorization': f'Basic {base64Encode(inputs.write_key || ':')}'
  },
  'body': body
})

if (res.status < 200 or res.status >= 300 or res.body.success = false) {
  throw Error(f'Segment API error (status {res.status}): {res.body.message ?? res.body}')
}
`,
  inputs_schema: [
    { key: 'write_key', type: 'string', label: 'Write key', description: 'The write key of a Segment HTTP API source.', secret: true, templating: false, required: true },
    {
      key: 'region',
      type: 'choice',
      label: 'Region',
      choices: [
        { value: 'us', label: 'US (api.segment.io)' },
        { value: 'eu', label: 'EU (events.eu1.segmentapis.com)' },
      ],
      default: 'us',
      required: true,
    },
    { key: 'user_id', type: 'string', label: 'User ID', default: '{event.distinct_id}', required: false },
    { key: 'anonymous_id', type: 'string', label: 'Anonymous ID', default: '{event.properties.$anon_distinct_id}', required: false },
    { key: 'event_name', type: 'string', label: 'Event name (track calls)', default: '{event.event}', required: false },
    { key: 'page_name', type: 'string', label: 'Page name (page calls)', default: '{event.properties.title}', required: false },
    { key: 'properties', type: 'json', label: 'Properties (track and page calls)', default: '{event.properties}', required: false },
    { key: 'traits', type: 'json', label: 'Traits (identify calls)', default: '{person.properties}', required: false },
    { key: 'ip', type: 'string', label: 'IP address', default: '{event.properties.$ip}', required: false },
    { key: 'user_agent', type: 'string', label: 'User agent', default: '{event.properties.$raw_user_agent}', required: false },
  ],
  filters: {
    events: [],
    hog: "event.event != '$feature_flag_called'",
  },
};
