import type { InputSchemaItem, Mapping } from '../../destinations/model.js';
import type { TemplateDefinition } from '../types.js';

/**
 * Pinterest Conversions API (`POST https://api.pinterest.com/v5/ad_accounts/{adAccountId}/events`,
 * `?test=true` in test mode) with a conversion token as bearer, and PostHog's input keys: the
 * destination holds the account, token and customer information (`userData`, raw values); one mapping
 * per e-commerce event sets `eventName` and `customData`. Matching fields (em, ph, fn, ln, ct, st, zp,
 * country, external_id, hashed_maids, ge, db) are sent as lists of SHA-256 hashes: each value is trimmed
 * and lower-cased (the phone loses + - ( ) . and spaces, city and zip their spaces) and hashed, unless
 * it already is a digest. Pinterest answers 200 even when it rejects the event, so the per-event status
 * of the answer is checked too.
 */

const EVENT_NAMES = [
  'add_payment_info', 'add_to_cart', 'add_to_wishlist', 'app_install', 'app_open', 'checkout', 'contact', 'custom',
  'customize_product', 'find_location', 'initiate_checkout', 'lead', 'page_visit', 'schedule', 'search', 'signup',
  'start_trial', 'submit_application', 'subscribe', 'view_category', 'view_content', 'watch_video',
];

function mapping(name: string, eventId: string, eventName: string, customData: Record<string, string>): Mapping {
  const schema: InputSchemaItem[] = [
    {
      key: 'eventName',
      type: 'choice',
      label: 'Event name',
      description: 'The Pinterest conversion event; "custom" for anything Pinterest does not list.',
      choices: EVENT_NAMES.map((value) => ({ value, label: value.replace(/_/g, ' ') })),
      default: eventName,
      secret: false,
      required: true,
    },
    {
      key: 'customData',
      type: 'dictionary',
      label: 'Custom data',
      description: 'value, currency, content_ids, contents, num_items, order_id, … (any key Pinterest takes). Empty values are left out.',
      default: customData,
      secret: false,
      required: false,
    },
  ];
  return {
    name,
    filters: { events: [{ id: eventId, name: eventId, type: 'events' }] },
    inputs_schema: schema,
    inputs: { eventName: { value: eventName }, customData: { value: customData } },
  };
}

const currency = '{event.properties.currency}';
const value = '{event.properties.value ?? event.properties.revenue ?? event.properties.price}';
const singleContentIds =
  '{not empty(event.properties.sku) ? [event.properties.sku] : (not empty(event.properties.product_id) ? [event.properties.product_id] : [])}';
const singleContents =
  "{not empty(event.properties.sku) or not empty(event.properties.product_id) ? [{'id': event.properties.sku ?? event.properties.product_id, 'item_price': event.properties.price, 'quantity': event.properties.quantity, 'item_name': event.properties.name, 'item_brand': event.properties.brand, 'item_category': event.properties.category}] : []}";
const multiContentIds =
  '{arrayMap(x -> x.sku ?? x.product_id, arrayFilter(x -> not empty(x.sku) or not empty(x.product_id), event.properties.products ?? []))}';
const multiContents =
  "{arrayMap(x -> ({'id': x.sku ?? x.product_id, 'item_price': x.price, 'quantity': x.quantity, 'item_name': x.name, 'item_brand': x.brand, 'item_category': x.category}), arrayFilter(x -> not empty(x.sku) or not empty(x.product_id), event.properties.products ?? []))}";
const multiNumItems =
  '{not empty(event.properties.products) ? arrayReduce((acc, curr) -> acc + toInt(curr.quantity ?? 1), event.properties.products, 0) : null}';

const singleProduct = {
  currency,
  value,
  content_ids: singleContentIds,
  contents: singleContents,
  num_items: '{event.properties.quantity}',
  content_name: '{event.properties.name}',
  content_brand: '{event.properties.brand}',
  content_category: '{event.properties.category}',
};
const multiProduct = { currency, value, content_ids: multiContentIds, contents: multiContents, num_items: multiNumItems };

export const template: TemplateDefinition = {
  id: 'template-pinterest-ads',
  name: 'Pinterest Ads Conversions',
  description:
    'Send conversion events to Pinterest Ads through the Conversions API: page views and the e-commerce events, with customer information hashed. Events Pinterest cannot match are skipped with a log line.',
  category: ['Advertisement'],
  status: 'beta',
  icon_url: '/static/icons/pinterest-ads.svg',
  hog: `let HASHED := ['em', 'ph', 'fn', 'ln', 'ct', 'st', 'zp', 'country', 'external_id', 'hashed_maids', 'ge', 'db']
let STRIPPED := {'ph': ['+', '-', ' ', '(', ')', '.'], 'ct': [' '], 'zp': [' ']}

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

if (res.status >= 400) {
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
        click_id: '{person.properties.epik ?? person.properties.$epik}',
      },
      required: true,
    },
    { key: 'testMode', type: 'boolean', label: 'Test mode', description: 'Pinterest validates and shows test events without recording them.', default: false, required: false },
  ],
  mappings: [
    mapping('Page viewed', '$pageview', 'page_visit', {}),
    mapping('Product viewed', 'Product Viewed', 'view_content', singleProduct),
    mapping('Product list viewed', 'Product List Viewed', 'view_category', { content_category: '{event.properties.category}', content_ids: multiContentIds }),
    mapping('Products searched', 'Products Searched', 'search', { search_string: '{event.properties.query ?? event.properties.search_string}' }),
    mapping('Product added', 'Product Added', 'add_to_cart', singleProduct),
    mapping('Product added to wishlist', 'Product Added to Wishlist', 'add_to_wishlist', singleProduct),
    mapping('Checkout started', 'Checkout Started', 'initiate_checkout', multiProduct),
    mapping('Payment info entered', 'Payment Info Entered', 'add_payment_info', multiProduct),
    mapping('Order completed', 'Order Completed', 'checkout', {
      ...multiProduct,
      order_id: '{event.properties.order_id ?? event.properties.orderId ?? event.properties.transaction_id}',
    }),
    mapping('Signed up', 'Signed Up', 'signup', {}),
    mapping('Lead generated', 'Lead Generated', 'lead', { currency, value }),
  ],
};
