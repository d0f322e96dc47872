import type { TemplateDefinition } from '../types.js';

/**
 * Umami send API (https://umami.is/docs/api/sending-stats): `POST <base>/api/send` with
 * `{type: 'event', payload: {website, hostname, url, referrer, title, language, screen, name, data}}`.
 * A payload without `name` is a page view; with one, a custom event whose `data` is its properties.
 * Umami drops requests whose User-Agent looks like a bot, so the visitor's browser user agent is sent;
 * a missing one falls back to a fixed browser-like string rather than a library name. The base URL is an
 * input: Umami Cloud (https://cloud.umami.is) or a self-hosted instance.
 */
export const template: TemplateDefinition = {
  id: 'template-umami',
  name: 'Umami',
  description: 'Send pageviews and custom events to Umami Analytics (cloud or self-hosted) through its send API.',
  category: ['Analytics'],
  status: 'beta',
  icon_url: '/static/icons/umami.svg',
  hog: `let base := trim(inputs.base_url)
if (not match(base, '^https?://[^/]+')) {
  throw Error('Umami: the base URL must start with http:// or https://, such as https://cloud.umami.is')
}
if (base like '%/') {
  base := trimRight(base, '/')
}
if (not match(trim(inputs.website_id ?? ''), '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')) {
  throw Error('Umami: the website id must be the website UUID shown in Umami')
}
let payload := {'website': trim(inputs.website_id), 'url': inputs.url ?? '/'}
for (let key in ['hostname', 'referrer', 'title', 'language', 'screen']) {
  if (notEmpty(inputs[key])) {
    payload[key] := inputs[key]
  }
}
if (inputs.event_name != '$pageview') {
  payload.name := inputs.event_name
  if (notEmpty(inputs.data)) {
    payload.data := inputs.data
  }
}
let headers := {'Content-Type': 'application/json', 'User-Agent': inputs.user_agent ?? 'Mozilla/5.0 (compatible; Sluice)'}
if (notEmpty(inputs.ip)) {
  headers['X-Forwarded-For'] := inputs.ip
}
let res := fetch(f'{base}/api/send', {'method': 'POST', 'headers': headers, 'body': {'type': 'event', 'payload': payload}})
if (res.status < 200 or res.status >= 300) {
  let detail := res.body
  if (typeof(res.body) = 'object') {
    detail := res.body.error?.message ?? res.body.message ?? jsonStringify(res.body)
  }
  throw Error(f'Umami API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    { key: 'base_url', type: 'string', label: 'Umami URL', description: 'https://cloud.umami.is, or the address of your self-hosted Umami.', default: 'https://cloud.umami.is', required: true },
    { key: 'website_id', type: 'string', label: 'Website ID', description: 'The website UUID from Umami (Settings → Websites).', required: true },
    { key: 'event_name', type: 'string', label: 'Event name', description: '$pageview is sent as a page view; any other name as a custom event.', default: '{event.event}', required: true },
    { key: 'url', type: 'string', label: 'Page path or URL', default: '{event.properties.$pathname}', required: false },
    { key: 'hostname', type: 'string', label: 'Hostname', default: '{event.properties.$host}', required: false },
    { key: 'referrer', type: 'string', label: 'Referrer', default: '{event.properties.$referrer}', required: false },
    { key: 'title', type: 'string', label: 'Page title', default: '{event.properties.title}', required: false },
    { key: 'language', type: 'string', label: 'Language', default: '{event.properties.$browser_language}', required: false },
    { key: 'screen', type: 'string', label: 'Screen', description: 'Width x height, e.g. 1920x1080.', required: false },
    { key: 'data', type: 'json', label: 'Event data', description: 'Properties of a custom event.', default: {}, required: false },
    { key: 'user_agent', type: 'string', label: 'User agent', default: '{event.properties.$raw_user_agent}', required: false },
    { key: 'ip', type: 'string', label: 'Visitor IP', description: 'Sent as X-Forwarded-For, for location.', default: '{event.properties.$ip}', required: false },
  ],
  filters: {
    events: [],
    hog: "event.event = '$pageview' or not (event.event like '$%')",
  },
};
