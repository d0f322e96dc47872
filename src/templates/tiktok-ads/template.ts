import type { TemplateDefinition } from '../types.js';

/**
 * TikTok Events API 2.0 (`/open_api/v1.3/event/track/`, `event_source: web`). Email (trimmed, lower-case),
 * phone (E.164) and external id are SHA-256 hashed here. TikTok reports most errors inside a 200
 * answer (`code` ≠ 0): both are failures.
 */
export const template: TemplateDefinition = {
  id: 'template-tiktok-ads',
  name: 'TikTok Ads Conversions',
  description: 'Send web conversion events to TikTok through the Events API, with email and phone hashed.',
  category: ['Advertisement'],
  status: 'beta',
  icon_url: '/static/icons/tiktok-ads.svg',
  hog: `fun hashed(value) {
  if (empty(value)) {
    return null
  }
  return value =~ '^[a-f0-9]{64}$' ? value : sha256Hex(value)
}
fun normalizePhone(value) {
  if (empty(value)) {
    return null
  }
  let text := trim(toString(value))
  if (text =~ '^[a-f0-9]{64}$') {
    return text
  }
  let digits := arrayStringConcat(arrayFilter(c -> c in '0123456789', splitByString('', text)), '')
  if (startsWith(digits, '00')) {
    digits := substring(digits, 3)
  }
  return empty(digits) ? null : f'+{digits}'
}

let user := {}
let email := hashed(empty(inputs.email) ? null : lower(trim(toString(inputs.email))))
if (email != null) {
  user.email := email
}
let phone := hashed(normalizePhone(inputs.phone))
if (phone != null) {
  user.phone := phone
}
let externalId := hashed(empty(inputs.external_id) ? null : trim(toString(inputs.external_id)))
if (externalId != null) {
  user.external_id := externalId
}
for (let key, value in {'ip': inputs.ip, 'user_agent': inputs.user_agent, 'ttclid': inputs.ttclid, 'ttp': inputs.ttp}) {
  if (notEmpty(value)) {
    user[key] := value
  }
}

let properties := {}
for (let key, value in inputs.properties ?? {}) {
  if (value != null and value != '') {
    properties[key] := value
  }
}

let item := {
  'event': inputs.event_name,
  'event_time': toInt(toUnixTimestamp(event.timestamp)),
  'event_id': event.uuid,
  'user': user,
  'page': {'url': inputs.page_url, 'referrer': inputs.page_referrer},
  'properties': properties
}
let body := {'event_source': 'web', 'event_source_id': inputs.pixel_code, 'data': [item]}
if (notEmpty(inputs.test_event_code)) {
  body.test_event_code := inputs.test_event_code
}

let res := fetch('https://business-api.tiktok.com/open_api/v1.3/event/track/', {
  'method': 'POST',
  'headers': {'Access-Token': inputs.access_token, 'Content-Type': 'application/json'},
  'body': body
})

if (res.status < 200 or res.status >= 300 or res.body.code != 0) {
  throw Error(f'TikTok API error (status {res.status}): code {res.body.code}: {res.body.message ?? res.body} (request_id {res.body.request_id})')
}
`,
  inputs_schema: [
    { key: 'pixel_code', type: 'string', label: 'Pixel code', description: 'Events Manager → your pixel → Settings.', required: true },
    { key: 'access_token', type: 'string', label: 'Events API access token', secret: true, templating: false, required: true },
    {
      key: 'event_name',
      type: 'string',
      label: 'Event',
      description: 'A standard event (ViewContent, Purchase, CompleteRegistration, AddToCart, …) or a custom name.',
      default: "{event.event = '$pageview' ? 'ViewContent' : event.event}",
      required: true,
    },
    { key: 'email', type: 'string', label: 'Email (hashed before sending)', default: '{person.properties.email}', required: false },
    { key: 'phone', type: 'string', label: 'Phone, with country code (hashed before sending)', default: '{person.properties.phone}', required: false },
    { key: 'external_id', type: 'string', label: 'External ID (hashed before sending)', default: '{person.id}', required: false },
    { key: 'ip', type: 'string', label: 'IP address', default: '{event.properties.$ip}', required: false },
    { key: 'user_agent', type: 'string', label: 'User agent', default: '{event.properties.$raw_user_agent}', required: false },
    { key: 'ttclid', type: 'string', label: 'TikTok click ID (ttclid)', default: '{event.properties.ttclid ?? person.properties.ttclid}', required: false },
    { key: 'ttp', type: 'string', label: 'TikTok cookie (_ttp)', default: '{person.properties.ttp}', required: false },
    { key: 'page_url', type: 'string', label: 'Page URL', default: '{event.properties.$current_url}', required: false },
    { key: 'page_referrer', type: 'string', label: 'Page referrer', default: '{event.properties.$referrer}', required: false },
    {
      key: 'properties',
      type: 'dictionary',
      label: 'Properties',
      description: 'value, currency, content_ids, …; empty values are left out.',
      default: { value: '{event.properties.revenue ?? event.properties.value}', currency: '{event.properties.currency}' },
      required: false,
    },
    { key: 'test_event_code', type: 'string', label: 'Test event code', default: '', required: false },
  ],
  filters: {
    events: [
      { id: '$pageview', name: '$pageview', type: 'events' },
      { id: 'purchase', name: 'purchase', type: 'events' },
    ],
  },
};
