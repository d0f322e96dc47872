import type { TemplateDefinition } from '../types.js';

/**
 * Pinterest Conversions API (`POST https://api.pinterest.com/v5/ad_accounts/{ad_account_id}/events`,
 * `?test=true` in test mode) with a conversion token as bearer. Input keys follow PostHog's template of
 * the same id. Matching fields (em, ph, fn, ln, ct, st, zp, country, external_id, hashed_maids, ge, db)
 * are lists of SHA-256 hashes: each value is trimmed and lower-cased (phone and city lose punctuation,
 * zip its spaces) and hashed, unless it already is a digest. Pinterest answers 200 even when it
 * rejects the event, so the per-event status of the answer is checked too.
 */
export const template: TemplateDefinition = {
  id: 'template-pinterest-ads',
  name: 'Pinterest Ads Conversions',
  description: 'Send conversion events to Pinterest Ads through the Conversions API, with customer information hashed.',
  category: ['Advertisement'],
  status: 'beta',
  icon_url: '/static/icons/pinterest-ads.svg',
  hog: `let HASHED := ['em', 'ph', 'fn', 'ln', 'ct', 'st', 'zp', 'country', 'external_id', 'hashed_maids', 'ge', 'db']
let STRIPPED := {'ph': ['+', '-', ' ', '(', ')', '.'], 'ct': [' ', '.', ',', '-', '\\''], 'zp': [' ']}

fun normalized(key, value) {
  let text := lower(trim(toString(value)))
  for (let symbol in STRIPPED[key] ?? []) {
    text := replaceAll(text, symbol, '')
  }
  return text
}

fun hashes(key, value) {
  let out := []
  for (let item in (typeof(value) = 'array' ? value : [value])) {
    let text := empty(item) ? '' : normalized(key, item)
    if (notEmpty(text)) {
      out := arrayPushBack(out, text =~ '^[a-f0-9]{64}$' ? text : sha256Hex(text))
    }
  }
  return out
}

// One product line: id and price as strings, quantity as an integer, empty fields left out.
fun cleanContent(item) {
  let cleaned := {}
  for (let key, value in item) {
    if (not empty(value)) {
      cleaned[key] := (key = 'id' or key = 'item_price') ? toString(value) : key = 'quantity' ? toInt(value) : value
    }
  }
  return cleaned
}

// Pinterest wants money and ids as strings and counts as integers.
fun customValue(key, value) {
  if (key = 'value' or key = 'predicted_ltv') {
    return toString(value)
  }
  if (key = 'num_items') {
    return toInt(value)
  }
  if (key = 'content_ids') {
    return arrayMap(id -> toString(id), arrayFilter(id -> notEmpty(id), typeof(value) = 'array' ? value : [value]))
  }
  if (key = 'contents') {
    return arrayFilter(item -> notEmpty(item), arrayMap(item -> cleanContent(item), value ?? []))
  }
  return value
}

if (empty(inputs.adAccountId) or empty(inputs.conversionToken)) {
  throw Error('Pinterest: the ad account ID and the conversion token are required')
}

let userData := {}
for (let key, value in inputs.userData ?? {}) {
  if (has(HASHED, key)) {
    let list := hashes(key, value)
    if (notEmpty(list)) {
      userData[key] := list
    }
  } else if (not empty(value)) {
    userData[key] := toString(value)
  }
}
if (empty(userData.em) and empty(userData.hashed_maids) and (empty(userData.client_ip_address) or empty(userData.client_user_agent))) {
  print('Skipped: Pinterest needs an email, a mobile ad ID, or both an IP address and a user agent')
  return
}

let conversion := {
  'event_name': inputs.eventName,
  'action_source': inputs.actionSource,
  'event_time': toInt(inputs.eventTime),
  'event_id': toString(inputs.eventId),
  'user_data': userData
}
if (notEmpty(inputs.eventSourceUrl)) {
  conversion.event_source_url := inputs.eventSourceUrl
}
let customData := {}
for (let key, value in inputs.customData ?? {}) {
  let cleaned := empty(value) ? null : customValue(key, value)
  if (not empty(cleaned)) {
    customData[key] := cleaned
  }
}
if (notEmpty(customData)) {
  conversion.custom_data := customData
}

let url := f'https://api.pinterest.com/v5/ad_accounts/{inputs.adAccountId}/events'
let res := fetch(inputs.testMode ? f'{url}?test=true' : url, {
  'method': 'POST',
  'headers': {'Authorization': f'Bearer {inputs.conversionToken}', 'Content-Type': 'application/json'},
  'body': {'data': [conversion]}
})

if (res.status < 200 or res.status >= 300) {
  throw Error(f'Pinterest API error (status {res.status}): {res.body.message ?? res.body}')
}
let outcome := typeof(res.body) = 'object' and notEmpty(res.body.events) ? res.body.events[1] : null
if (outcome.status = 'failed') {
  throw Error(f'Pinterest rejected the event: {outcome.error_message}')
}
if (notEmpty(outcome.warning_message)) {
  print(f'Pinterest accepted the event with a warning: {outcome.warning_message}')
}
`,
  inputs_schema: [
    { key: 'adAccountId', type: 'string', label: 'Ad account ID', required: true },
    { key: 'conversionToken', type: 'string', label: 'Conversion token', description: 'Ads Manager → Conversions → Conversion access token.', secret: true, templating: false, required: true },
    {
      key: 'actionSource',
      type: 'choice',
      label: 'Action source',
      choices: [
        { value: 'web', label: 'Web' },
        { value: 'app_android', label: 'Android app' },
        { value: 'app_ios', label: 'iOS app' },
        { value: 'offline', label: 'Offline' },
      ],
      default: 'web',
      required: true,
    },
    {
      key: 'eventName',
      type: 'string',
      label: 'Event name',
      description: 'checkout, add_to_cart, page_visit, signup, lead, search, view_category, … or custom.',
      default: "{event.event = '$pageview' ? 'page_visit' : event.event = 'Order Completed' ? 'checkout' : event.event = 'Product Added' ? 'add_to_cart' : event.event = 'Products Searched' ? 'search' : event.event = 'Signed Up' ? 'signup' : 'custom'}",
      required: true,
    },
    { key: 'eventId', type: 'string', label: 'Event ID', description: 'Use the same ID in the Pinterest tag so the two deduplicate.', default: '{event.uuid}', required: true },
    { key: 'eventTime', type: 'string', label: 'Event time', description: 'Unix time of the event (seconds).', default: '{toInt(toUnixTimestamp(event.timestamp))}', required: true },
    { key: 'eventSourceUrl', type: 'string', label: 'Event source URL', default: '{event.properties.$current_url}', required: false },
    {
      key: 'userData',
      type: 'dictionary',
      label: 'User data',
      description: 'Raw values: em, ph, fn, ln, ct, st, zp, country, external_id, hashed_maids, ge and db are normalized and hashed before sending. Empty values are left out.',
      default: {
        em: '{person.properties.email}',
        ph: '{person.properties.phone}',
        fn: '{person.properties.first_name}',
        ln: '{person.properties.last_name}',
        ct: '{person.properties.$geoip_city_name}',
        st: '{person.properties.$geoip_subdivision_1_code}',
        zp: '{person.properties.$geoip_postal_code}',
        country: '{person.properties.$geoip_country_code}',
        external_id: '{person.id}',
        client_ip_address: '{event.properties.$ip}',
        client_user_agent: '{event.properties.$raw_user_agent}',
        click_id: '{person.properties.epik ?? person.properties.$initial_epik}',
      },
      required: true,
    },
    {
      key: 'customData',
      type: 'dictionary',
      label: 'Custom data',
      description: 'value, currency, content_ids, order_id, num_items, …; empty values are left out.',
      default: {
        currency: '{event.properties.currency}',
        value: '{event.properties.value ?? event.properties.revenue ?? event.properties.price}',
        order_id: '{event.properties.order_id ?? event.properties.orderId ?? event.properties.transaction_id}',
      },
      required: false,
    },
    { key: 'testMode', type: 'boolean', label: 'Test mode', description: 'Pinterest validates and shows test events without recording them.', default: false, required: false },
  ],
  filters: {
    events: [
      { id: '$pageview', name: '$pageview', type: 'events' },
      { id: 'Order Completed', name: 'Order Completed', type: 'events' },
      { id: 'Product Added', name: 'Product Added', type: 'events' },
      { id: 'Products Searched', name: 'Products Searched', type: 'events' },
      { id: 'Signed Up', name: 'Signed Up', type: 'events' },
    ],
  },
};
