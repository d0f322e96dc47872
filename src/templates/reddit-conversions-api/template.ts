import type { TemplateDefinition } from '../types.js';

/**
 * Reddit Conversions API v3 (`POST /api/v3/pixels/{pixel_id}/conversion_events`). Email, external id
 * and IP address are SHA-256 hashed (email trimmed and lower-cased); the user agent goes in clear.
 * Standard tracking types pass as they are; anything else is sent as a custom event.
 */
export const template: TemplateDefinition = {
  id: 'template-reddit-conversions-api',
  name: 'Reddit Conversions API',
  description: 'Send conversion events to Reddit Ads through the Conversions API, with email and IP hashed.',
  category: ['Advertisement'],
  status: 'beta',
  icon_url: '/static/icons/reddit-conversions-api.svg',
  hog: `let standard := ['PageVisit', 'ViewContent', 'Search', 'AddToCart', 'AddToWishlist', 'Purchase', 'Lead', 'SignUp']

fun hashed(value) {
  if (empty(value)) {
    return null
  }
  let text := trim(toString(value))
  return text =~ '^[a-f0-9]{64}$' ? text : sha256Hex(text)
}

let type := {'tracking_type': inputs.event_type}
if (not has(standard, inputs.event_type)) {
  type := {'tracking_type': 'CUSTOM', 'custom_event_name': inputs.event_type}
}

let user := {}
let email := hashed(empty(inputs.email) ? null : lower(trim(toString(inputs.email))))
if (email != null) {
  user.email := email
}
let externalId := hashed(inputs.external_id)
if (externalId != null) {
  user.external_id := externalId
}
let ip := hashed(inputs.ip_address)
if (ip != null) {
  user.ip_address := ip
}
if (notEmpty(inputs.user_agent)) {
  user.user_agent := inputs.user_agent
}
if (notEmpty(inputs.rdt_uuid)) {
  user.uuid := inputs.rdt_uuid
}

let metadata := {'conversion_id': event.uuid}
for (let key, value in inputs.metadata ?? {}) {
  if (value != null and value != '') {
    metadata[key] := value
  }
}

let conversion := {
  'event_at': toInt(toUnixTimestampMilli(event.timestamp)),
  'action_source': 'WEBSITE',
  'type': type,
  'metadata': metadata,
  'user': user
}
if (notEmpty(inputs.click_id)) {
  conversion.click_id := inputs.click_id
}

let url := f'https://ads-api.reddit.com/api/v3/pixels/{inputs.pixel_id}/conversion_events'
if (notEmpty(inputs.test_id)) {
  url := f'{url}?test_id={encodeURLComponent(inputs.test_id)}'
}

let res := fetch(url, {
  'method': 'POST',
  'headers': {'Authorization': f'Bearer {inputs.access_token}', 'Content-Type': 'application/json'},
  'body': {'data': {'events': [conversion]}}
})

if (res.status < 200 or res.status >= 300) {
  throw Error(f'Reddit API error (status {res.status}): {res.body.error.message ?? res.body.message ?? res.body}')
}
`,
  inputs_schema: [
    { key: 'pixel_id', type: 'string', label: 'Pixel ID', description: 'Events Manager → your pixel (a2_…).', required: true },
    { key: 'access_token', type: 'string', label: 'Conversion access token', description: 'Events Manager → Conversions API → Generate access token.', secret: true, templating: false, required: true },
    {
      key: 'event_type',
      type: 'string',
      label: 'Event type',
      description: 'PageVisit, ViewContent, Search, AddToCart, AddToWishlist, Purchase, Lead, SignUp; anything else is sent as a custom event.',
      default: "{event.event = '$pageview' ? 'PageVisit' : event.event = 'purchase' ? 'Purchase' : event.event}",
      required: true,
    },
    { key: 'click_id', type: 'string', label: 'Reddit click ID (rdt_cid)', default: '{event.properties.rdt_cid ?? person.properties.rdt_cid}', required: false },
    { key: 'email', type: 'string', label: 'Email (hashed before sending)', default: '{person.properties.email}', required: false },
    { key: 'external_id', type: 'string', label: 'External ID (hashed before sending)', default: '{person.id}', required: false },
    { key: 'ip_address', type: 'string', label: 'IP address (hashed before sending)', default: '{event.properties.$ip}', required: false },
    { key: 'user_agent', type: 'string', label: 'User agent', default: '{event.properties.$raw_user_agent}', required: false },
    { key: 'rdt_uuid', type: 'string', label: 'Reddit pixel uuid (_rdt_uuid)', default: '{person.properties.rdt_uuid}', required: false },
    {
      key: 'metadata',
      type: 'dictionary',
      label: 'Event metadata',
      description: 'value, currency, item_count, …; conversion_id defaults to the event uuid; empty values are left out.',
      default: { value: '{event.properties.revenue ?? event.properties.value}', currency: '{event.properties.currency}' },
      required: false,
    },
    { key: 'test_id', type: 'string', label: 'Test ID', description: 'From Events Manager → Test events; leave empty in production.', default: '', required: false },
  ],
  filters: {
    events: [
      { id: '$pageview', name: '$pageview', type: 'events' },
      { id: 'purchase', name: 'purchase', type: 'events' },
    ],
  },
};
