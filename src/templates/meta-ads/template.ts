import type { TemplateDefinition } from '../types.js';

/**
 * Meta Conversions API (`POST /{pixel_id}/events`). Customer information is normalized as Meta
 * requires and SHA-256 hashed here: email trimmed and lower-cased; phone digits only, without leading
 * zeros (it must carry its country code); names trimmed, lower-cased, without punctuation; the external
 * id trimmed. A value that already is a SHA-256 hex digest is passed on as it is. IP address and user
 * agent are sent in clear, as Meta requires. The access token goes in the body, not the URL.
 */
export const template: TemplateDefinition = {
  id: 'template-meta-ads',
  name: 'Meta Ads Conversions',
  description: 'Send conversion events to Meta (Facebook, Instagram) through the Conversions API, with customer information hashed.',
  category: ['Advertisement'],
  status: 'beta',
  icon_url: '/static/icons/meta-ads.svg',
  hog: `let punctuation := '!"#$%&\\'()*+,-./:;<=>?@[]^_{|}~'

fun alreadyHashed(value) {
  return value =~ '^[a-f0-9]{64}$'
}
fun hashed(value) {
  if (empty(value)) {
    return null
  }
  return alreadyHashed(value) ? value : sha256Hex(value)
}
fun normalizeEmail(value) {
  if (empty(value)) {
    return null
  }
  return lower(trim(toString(value)))
}
fun normalizePhone(value) {
  if (empty(value)) {
    return null
  }
  let text := toString(value)
  if (alreadyHashed(text)) {
    return text
  }
  let digits := arrayStringConcat(arrayFilter(c -> c in '0123456789', splitByString('', text)), '')
  while (startsWith(digits, '0')) {
    digits := substring(digits, 2)
  }
  return digits
}
fun normalizeName(value) {
  if (empty(value)) {
    return null
  }
  let text := lower(trim(toString(value)))
  if (alreadyHashed(text)) {
    return text
  }
  return trim(arrayStringConcat(arrayFilter(c -> not (c in punctuation), splitByString('', text)), ''))
}

let userData := {}
let email := hashed(normalizeEmail(inputs.email))
if (email != null) {
  userData.em := [email]
}
let phone := hashed(normalizePhone(inputs.phone))
if (phone != null) {
  userData.ph := [phone]
}
let firstName := hashed(normalizeName(inputs.first_name))
if (firstName != null) {
  userData.fn := firstName
}
let lastName := hashed(normalizeName(inputs.last_name))
if (lastName != null) {
  userData.ln := lastName
}
let externalId := hashed(empty(inputs.external_id) ? null : trim(toString(inputs.external_id)))
if (externalId != null) {
  userData.external_id := externalId
}
if (notEmpty(inputs.client_ip_address)) {
  userData.client_ip_address := inputs.client_ip_address
}
if (notEmpty(inputs.client_user_agent)) {
  userData.client_user_agent := inputs.client_user_agent
}
if (notEmpty(inputs.fbc)) {
  userData.fbc := inputs.fbc
}
if (notEmpty(inputs.fbp)) {
  userData.fbp := inputs.fbp
}
if (empty(userData)) {
  throw Error('Meta: no customer information for this event (email, phone, name, external id, IP address or user agent)')
}

let serverEvent := {
  'event_name': inputs.event_name,
  'event_time': toInt(toUnixTimestamp(event.timestamp)),
  'event_id': event.uuid,
  'action_source': inputs.action_source,
  'user_data': userData
}
if (notEmpty(inputs.event_source_url)) {
  serverEvent.event_source_url := inputs.event_source_url
}
let customData := {}
for (let key, value in inputs.custom_data ?? {}) {
  if (value != null and value != '') {
    customData[key] := value
  }
}
if (notEmpty(customData)) {
  serverEvent.custom_data := customData
}

let body := {'data': [serverEvent], 'access_token': inputs.access_token}
if (notEmpty(inputs.test_event_code)) {
  body.test_event_code := inputs.test_event_code
}

let res := fetch(f'https://graph.facebook.com/{inputs.api_version}/{inputs.pixel_id}/events', {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json'},
  'body': body
})

if (res.status < 200 or res.status >= 300 or notEmpty(res.body.error)) {
  let err := res.body.error
  throw Error(f'Meta API error (status {res.status}): {err.message ?? res.body} (type {err.type}, code {err.code}, subcode {err.error_subcode}, fbtrace_id {err.fbtrace_id})')
}
`,
  inputs_schema: [
    { key: 'pixel_id', type: 'string', label: 'Pixel (dataset) ID', required: true },
    { key: 'access_token', type: 'string', label: 'Conversions API access token', description: 'Events Manager → dataset settings → Conversions API → Generate access token.', secret: true, templating: false, required: true },
    { key: 'api_version', type: 'string', label: 'Graph API version', default: 'v24.0', required: true },
    {
      key: 'event_name',
      type: 'string',
      label: 'Event name',
      description: 'A standard event (PageView, Purchase, Lead, CompleteRegistration, …) or a custom name.',
      default: "{event.event = '$pageview' ? 'PageView' : event.event}",
      required: true,
    },
    {
      key: 'action_source',
      type: 'choice',
      label: 'Action source',
      choices: ['website', 'app', 'email', 'phone_call', 'chat', 'physical_store', 'system_generated', 'business_messaging', 'other'].map((v) => ({ value: v, label: v })),
      default: 'website',
      required: true,
    },
    { key: 'event_source_url', type: 'string', label: 'Event source URL', description: 'Required by Meta for website events.', default: '{event.properties.$current_url}', required: false },
    { key: 'email', type: 'string', label: 'Email (hashed before sending)', default: '{person.properties.email}', required: false },
    { key: 'phone', type: 'string', label: 'Phone, with country code (hashed before sending)', default: '{person.properties.phone}', required: false },
    { key: 'first_name', type: 'string', label: 'First name (hashed before sending)', default: '{person.properties.first_name}', required: false },
    { key: 'last_name', type: 'string', label: 'Last name (hashed before sending)', default: '{person.properties.last_name}', required: false },
    { key: 'external_id', type: 'string', label: 'External ID (hashed before sending)', default: '{person.id}', required: false },
    { key: 'client_ip_address', type: 'string', label: 'Client IP address', default: '{event.properties.$ip}', required: false },
    { key: 'client_user_agent', type: 'string', label: 'Client user agent', description: 'Required by Meta for website events.', default: '{event.properties.$raw_user_agent}', required: false },
    { key: 'fbc', type: 'string', label: 'Click ID (fbc)', description: 'The _fbc cookie, fb.1.<time>.<fbclid>.', default: '{person.properties.fbc}', required: false },
    { key: 'fbp', type: 'string', label: 'Browser ID (fbp)', description: 'The _fbp cookie.', default: '{person.properties.fbp}', required: false },
    {
      key: 'custom_data',
      type: 'dictionary',
      label: 'Custom data',
      description: 'value, currency, content_ids, order_id, …; empty values are left out.',
      default: { value: '{event.properties.revenue ?? event.properties.value}', currency: '{event.properties.currency}', order_id: '{event.properties.order_id}' },
      required: false,
    },
    { key: 'test_event_code', type: 'string', label: 'Test event code', description: 'From Events Manager → Test events; leave empty in production.', default: '', required: false },
  ],
  filters: {
    events: [
      { id: '$pageview', name: '$pageview', type: 'events' },
      { id: 'purchase', name: 'purchase', type: 'events' },
    ],
  },
};
