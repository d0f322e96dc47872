import type { TemplateDefinition } from '../types.js';

/**
 * Jitsu server-to-server ingest: one event per request to `/api/s/s2s/<type>`, where the type is `page`
 * for `$pageview`, `identify` for `$identify` and `track` otherwise. The s2s path matters: Jitsu then
 * takes IP and user agent from the payload context instead of from our server's request.
 */
export const template: TemplateDefinition = {
  id: 'template-jitsu',
  name: 'Jitsu',
  description: 'Forward events to a Jitsu (cloud or self-hosted) site through its server-to-server HTTP API.',
  category: ['Analytics', 'Data warehouse'],
  status: 'beta',
  icon_url: '/static/icons/jitsu.svg',
  hog: `if (empty(inputs.user_id) and empty(inputs.anonymous_id)) {
  throw Error('Jitsu needs a user id or an anonymous id, and both inputs are empty for this event')
}

let type := 'track'
if (event.event = '$pageview') {
  type := 'page'
} else if (event.event = '$identify') {
  type := 'identify'
}

let body := {
  'type': type,
  'messageId': event.uuid,
  'timestamp': event.timestamp,
  'context': {}
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
if (type = 'identify') {
  body.traits := inputs.traits ?? {}
} else {
  body.properties := inputs.properties ?? {}
  if (type = 'track') {
    body.event := inputs.event_name
  } else {
    body.context.page := {'url': event.properties.$current_url, 'referrer': event.properties.$referrer}
  }
}

-- A trailing slash on the host would give '//api/...', which some reverse proxies refuse.
let host := trimRight(trim(inputs.host), '/')

let res := fetch(f'{host}/api/s/s2s/{type}', {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json', 'X-Write-Key': inputs.write_key},
  'body': body
})

if (res.status < 200 or res.status >= 300) {
  throw Error(f'Jitsu API error (status {res.status}): {res.body.error ?? res.body}')
}
`,
  inputs_schema: [
    { key: 'host', type: 'string', label: 'Jitsu ingest URL', description: 'The ingest domain of your Jitsu site, e.g. https://abc123.d.jitsu.com or your self-hosted domain.', default: 'https://use.jitsu.com', templating: false, required: true },
    { key: 'write_key', type: 'string', label: 'Server write key', description: 'A server-side (s2s) write key of the Jitsu site, as keyId:secret.', secret: true, templating: false, required: true },
    { key: 'user_id', type: 'string', label: 'User ID', default: '{event.distinct_id}', required: false },
    { key: 'anonymous_id', type: 'string', label: 'Anonymous ID', default: '{event.properties.$anon_distinct_id}', required: false },
    { key: 'event_name', type: 'string', label: 'Event name (track calls)', default: '{event.event}', required: false },
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
