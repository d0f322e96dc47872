import type { TemplateDefinition } from '../types.js';

/**
 * Plausible Events API (https://plausible.io/docs/events-api): `POST <base>/api/event` with a JSON body
 * `{domain, name, url, referrer, props, revenue}`, answered 202. Plausible counts unique visitors from the
 * `User-Agent` and `X-Forwarded-For` headers, so both come from the event: without a user agent Plausible
 * cannot tell visitors apart (and drops bot-like ones), so such events are logged and skipped. The base URL
 * is an input so self-hosted Plausible (Community Edition) works as well as plausible.io.
 */
export const template: TemplateDefinition = {
  id: 'template-plausible',
  name: 'Plausible',
  description: 'Send pageviews and custom events to Plausible Analytics (cloud or self-hosted) through its Events API.',
  category: ['Analytics'],
  status: 'beta',
  icon_url: '/static/icons/plausible.svg',
  hog: `let base := trim(inputs.base_url)
if (not match(base, '^https?://[^/]+')) {
  throw Error('Plausible: the base URL must start with http:// or https://, such as https://plausible.io')
}
if (base like '%/') {
  base := trimRight(base, '/')
}
if (empty(inputs.url)) {
  throw Error('Plausible: the page URL is empty for this event; Plausible requires one')
}
if (empty(inputs.user_agent)) {
  print(f'Plausible: no user agent on event {event.uuid}; Plausible cannot count it, so it was not sent')
  return
}
-- Plausible's own name for a page view is "pageview"; every other name is a custom event (a goal).
let name := inputs.event_name = '$pageview' ? 'pageview' : inputs.event_name
let body := {'domain': inputs.domain, 'name': name, 'url': inputs.url}
if (notEmpty(inputs.referrer)) {
  body.referrer := inputs.referrer
}
if (notEmpty(inputs.props)) {
  body.props := inputs.props
}
if (notEmpty(inputs.revenue_amount) and notEmpty(inputs.revenue_currency)) {
  body.revenue := {'currency': inputs.revenue_currency, 'amount': inputs.revenue_amount}
}
let headers := {'Content-Type': 'application/json', 'User-Agent': inputs.user_agent}
if (notEmpty(inputs.ip)) {
  headers['X-Forwarded-For'] := inputs.ip
}
let res := fetch(f'{base}/api/event', {'method': 'POST', 'headers': headers, 'body': body})
if (res.status < 200 or res.status >= 300) {
  let detail := res.body
  if (typeof(res.body) = 'object') {
    detail := jsonStringify(res.body.errors ?? res.body.error ?? res.body)
  }
  throw Error(f'Plausible API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    { key: 'base_url', type: 'string', label: 'Plausible URL', description: 'https://plausible.io, or the address of your self-hosted Plausible.', default: 'https://plausible.io', required: true },
    { key: 'domain', type: 'string', label: 'Site domain', description: 'The domain of the site as added in Plausible (e.g. example.com).', required: true },
    { key: 'event_name', type: 'string', label: 'Event name', description: '$pageview becomes a Plausible pageview; any other name is a custom event.', default: '{event.event}', required: true },
    { key: 'url', type: 'string', label: 'Page URL', default: '{event.properties.$current_url}', required: true },
    { key: 'referrer', type: 'string', label: 'Referrer', default: '{event.properties.$referrer}', required: false },
    { key: 'user_agent', type: 'string', label: 'User agent', description: 'Sent as the User-Agent header; Plausible needs it to count visitors.', default: '{event.properties.$raw_user_agent}', required: false },
    { key: 'ip', type: 'string', label: 'Visitor IP', description: 'Sent as X-Forwarded-For, for location and unique visitors.', default: '{event.properties.$ip}', required: false },
    { key: 'props', type: 'json', label: 'Custom properties', description: 'Flat key → text or number pairs (Plausible takes at most 30).', default: {}, required: false },
    { key: 'revenue_amount', type: 'string', label: 'Revenue amount', description: 'For revenue goals; sent only with a currency.', required: false },
    { key: 'revenue_currency', type: 'string', label: 'Revenue currency', description: 'ISO 4217 code, e.g. EUR.', required: false },
  ],
  filters: {
    events: [],
    hog: "event.event = '$pageview' or not (event.event like '$%')",
  },
};
