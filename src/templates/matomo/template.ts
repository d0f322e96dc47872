import type { TemplateDefinition } from '../types.js';

/**
 * Matomo HTTP Tracking API (https://developer.matomo.org/api-reference/tracking-api): a request to
 * `<base>/matomo.php` with `idsite`, `rec=1` and tracking parameters. A `$pageview` is a page view
 * (`action_name` + `url`); any other event is a Matomo event (`e_c` category, `e_a` action, `e_n` name).
 * Parameters go in a form-encoded POST body, which Matomo accepts like a query string, so `token_auth`
 * never appears in a URL that proxies log. Matomo only honours a visitor IP (`cip`) with `token_auth`, so
 * the IP is sent only when a token is set. `send_image=0` makes Matomo answer 204 instead of a GIF.
 */
export const template: TemplateDefinition = {
  id: 'template-matomo',
  name: 'Matomo',
  description: 'Track pageviews and events in Matomo (cloud or self-hosted) through its HTTP Tracking API.',
  category: ['Analytics'],
  status: 'beta',
  icon_url: '/static/icons/matomo.svg',
  hog: `let base := trim(inputs.base_url)
if (not match(base, '^https?://[^/]+')) {
  throw Error('Matomo: the base URL must start with http:// or https://, such as https://matomo.example.com')
}
if (base like '%/') {
  base := trimRight(base, '/')
}
if (not match(toString(inputs.site_id), '^[0-9]+$')) {
  throw Error('Matomo: the site id must be the numeric idsite of the website in Matomo')
}
let params := [
  ['idsite', toString(inputs.site_id)],
  ['rec', '1'],
  ['apiv', '1'],
  ['send_image', '0'],
  ['url', inputs.url],
  ['urlref', inputs.referrer],
  ['uid', inputs.user_id],
  ['ua', inputs.user_agent],
  ['lang', inputs.language],
  ['cdt', toString(floor(toUnixTimestamp(event.timestamp)))]
]
if (event.event = '$pageview') {
  params := arrayPushBack(params, ['action_name', inputs.action_name])
} else {
  params := arrayPushBack(params, ['e_c', inputs.event_category])
  params := arrayPushBack(params, ['e_a', event.event])
  params := arrayPushBack(params, ['e_n', inputs.event_label])
}
if (notEmpty(inputs.token_auth)) {
  params := arrayPushBack(params, ['cip', inputs.ip])
  params := arrayPushBack(params, ['token_auth', inputs.token_auth])
}
let parts := []
for (let pair in params) {
  if (notEmpty(pair[2])) {
    parts := arrayPushBack(parts, f'{pair[1]}={encodeURLComponent(pair[2])}')
  }
}
let res := fetch(f'{base}/matomo.php', {
  'method': 'POST',
  'headers': {'Content-Type': 'application/x-www-form-urlencoded'},
  'body': arrayStringConcat(parts, '&')
})
if (res.status < 200 or res.status >= 300) {
  let detail := res.body
  if (typeof(res.body) = 'object') {
    detail := res.body.message ?? jsonStringify(res.body)
  }
  throw Error(f'Matomo API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    { key: 'base_url', type: 'string', label: 'Matomo URL', description: 'The address of your Matomo, e.g. https://example.matomo.cloud.', required: true },
    { key: 'site_id', type: 'string', label: 'Site ID', description: 'The numeric idsite of the website (Administration → Websites → Manage).', required: true },
    {
      key: 'token_auth',
      type: 'string',
      label: 'Auth token',
      description: 'Optional. Needed to set the visitor IP and to record events older than 24 hours; use a token of a user with write access.',
      secret: true,
      templating: false,
      required: false,
    },
    { key: 'url', type: 'string', label: 'Page URL', default: '{event.properties.$current_url}', required: false },
    { key: 'action_name', type: 'string', label: 'Page title', description: 'For page views.', default: '{event.properties.title}', required: false },
    { key: 'event_category', type: 'string', label: 'Event category', description: 'For other events; the action is the event name.', default: 'Sluice', required: false },
    { key: 'event_label', type: 'string', label: 'Event name (label)', description: 'Optional Matomo event name.', required: false },
    { key: 'user_id', type: 'string', label: 'User ID', default: '{event.distinct_id}', required: false },
    { key: 'referrer', type: 'string', label: 'Referrer', default: '{event.properties.$referrer}', required: false },
    { key: 'user_agent', type: 'string', label: 'User agent', default: '{event.properties.$raw_user_agent}', required: false },
    { key: 'language', type: 'string', label: 'Language', default: '{event.properties.$browser_language}', required: false },
    { key: 'ip', type: 'string', label: 'Visitor IP', description: 'Sent only with an auth token.', default: '{event.properties.$ip}', required: false },
  ],
  filters: {
    events: [],
    hog: "event.event = '$pageview' or not (event.event like '$%')",
  },
};
