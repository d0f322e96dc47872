import type { TemplateDefinition } from '../types.js';

/**
 * Snapchat Conversions API v3 (`POST https://tr.snapchat.com/v3/{pixel_id}/events`, or `/events/validate`
 * in test mode). The access token travels as the `access_token` query parameter, as Snap documents it.
 * Input keys follow PostHog's template of the same id, so a PostHog configuration runs unchanged: its
 * user data arrives already hashed and is passed on; raw values are normalized and SHA-256 hashed here
 * (email trimmed and lower-cased, phone digits only, names lower-cased, external id trimmed).
 * The token comes from `access_token`, or from the `oauth` object (`{access_token}`) a PostHog export carries.
 */
export const template: TemplateDefinition = {
  id: 'template-snapchat-ads',
  name: 'Snapchat Ads Conversions',
  description: 'Send conversion events to Snapchat Ads through the Conversions API, with customer information hashed.',
  category: ['Advertisement'],
  status: 'beta',
  icon_url: '/static/icons/snapchat-ads.svg',
  hog: `let HASHED := ['em', 'ph', 'fn', 'ln', 'ct', 'st', 'zp', 'country', 'external_id', 'ge', 'db']

fun normalized(key, value) {
  let text := lower(trim(toString(value)))
  if (key = 'ph') {
    return arrayStringConcat(arrayFilter(c -> c in '0123456789', splitByString('', text)), '')
  }
  return text
}

// A value that already is a SHA-256 digest (a PostHog configuration hashes in its inputs) is kept.
fun hashed(key, value) {
  let text := normalized(key, value)
  if (empty(text)) {
    return null
  }
  return text =~ '^[a-f0-9]{64}$' ? text : sha256Hex(text)
}

let token := notEmpty(inputs.access_token) ? inputs.access_token : inputs.oauth.access_token
if (empty(token)) {
  throw Error('Snapchat: set the access token (access_token) of a Conversions API token')
}

let userData := {}
for (let key, value in inputs.userData ?? {}) {
  if (not empty(value)) {
    let sent := has(HASHED, key) ? hashed(key, value) : value
    if (sent != null) {
      userData[key] := sent
    }
  }
}
let customData := {}
for (let key, value in inputs.customData ?? {}) {
  if (not empty(value)) {
    customData[key] := value
  }
}

// Snap matches a conversion on an email, a phone, or an IP address with a user agent; without any, skip.
if (empty(userData.em) and empty(userData.ph) and (empty(userData.client_ip_address) or empty(userData.client_user_agent))) {
  print('Skipped: Snapchat needs an email, a phone, or both an IP address and a user agent')
  return
}

let conversion := {
  'event_name': inputs.eventType,
  'action_source': inputs.actionSource,
  'event_time': inputs.eventTime,
  'event_source_url': inputs.eventSourceUrl,
  'user_data': userData,
  'custom_data': customData
}

let path := inputs.testEventMode ? 'events/validate' : 'events'
let res := fetch(f'https://tr.snapchat.com/v3/{inputs.pixelId}/{path}?access_token={encodeURLComponent(token)}', {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json'},
  'body': {'data': [conversion]}
})

if (res.status < 200 or res.status >= 300) {
  throw Error(f'Snapchat API error (status {res.status}): {res.body.reason ?? res.body.message ?? res.body}')
}
`,
  inputs_schema: [
    { key: 'oauth', type: 'integration', integration: 'snapchat', label: 'Snapchat account (PostHog integration)', description: 'Kept for PostHog configurations: an object with access_token. Prefer the access token below.', secret: true, templating: false, required: false },
    { key: 'access_token', type: 'string', label: 'Conversions API token', description: 'Ads Manager → Business settings → Conversions API tokens.', secret: true, templating: false, required: false },
    { key: 'pixelId', type: 'string', label: 'Pixel ID', description: 'Use the pixel of your website so browser and server events deduplicate.', required: true },
    {
      key: 'userData',
      type: 'dictionary',
      label: 'User data',
      description: 'em, ph, fn, ln, external_id, … are normalized and SHA-256 hashed before sending (values already hashed pass as they are); empty values are left out.',
      default: {
        em: '{person.properties.email}',
        ph: '{person.properties.phone}',
        sc_click_id: '{person.properties.sccid ?? person.properties.$initial_sccid}',
        client_user_agent: '{event.properties.$raw_user_agent}',
        fn: '{person.properties.first_name}',
        ln: '{person.properties.last_name}',
        client_ip_address: '{event.properties.$ip}',
        external_id: '{person.id}',
      },
      required: true,
    },
    {
      key: 'eventType',
      type: 'string',
      label: 'Event type',
      description: 'PAGE_VIEW, PURCHASE, START_CHECKOUT, ADD_CART, SIGN_UP, … (Snap’s standard events) or a custom name.',
      default:
        "{event.event = '$pageview' ? 'PAGE_VIEW' : event.event = 'Order Completed' ? 'PURCHASE' : event.event = 'Checkout Started' ? 'START_CHECKOUT' : event.event = 'Product Added' ? 'ADD_CART' : event.event = 'Payment Info Entered' ? 'ADD_BILLING' : event.event = 'Promotion Clicked' ? 'AD_CLICK' : event.event = 'Promotion Viewed' ? 'AD_VIEW' : event.event = 'Product Added to Wishlist' ? 'ADD_TO_WISHLIST' : event.event = 'Product Viewed' ? 'VIEW_CONTENT' : event.event = 'Product List Viewed' ? 'VIEW_CONTENT' : event.event = 'Products Searched' ? 'SEARCH' : event.event}",
      required: true,
    },
    { key: 'eventId', type: 'string', label: 'Event ID', description: 'Kept for PostHog configurations; deduplication uses custom_data.event_id.', default: '{event.uuid}', required: true },
    { key: 'eventTime', type: 'string', label: 'Event time', description: 'Unix time of the event (milliseconds).', default: '{toUnixTimestampMilli(event.timestamp)}', required: true },
    { key: 'eventSourceUrl', type: 'string', label: 'Event source URL', default: '{event.properties.$current_url}', required: true },
    {
      key: 'actionSource',
      type: 'choice',
      label: 'Action source',
      choices: [
        { value: 'WEB', label: 'WEB: on your website' },
        { value: 'MOBILE_APP', label: 'MOBILE_APP: in your app' },
        { value: 'OFFLINE', label: 'OFFLINE: elsewhere' },
      ],
      default: 'WEB',
      required: true,
    },
    {
      key: 'customData',
      type: 'dictionary',
      label: 'Custom data',
      description: 'value, currency, content_ids, order_id, …; empty values are left out.',
      default: {
        value: '{event.properties.price ?? event.properties.value ?? event.properties.revenue}',
        currency: '{event.properties.currency}',
        content_ids: '{event.properties.item_ids}',
        content_category: '{event.properties.category}',
        search_string: '{event.properties.search_string ?? event.properties.query}',
        num_items: '{event.properties.number_items ?? event.properties.quantity}',
        order_id: '{event.properties.orderId ?? event.properties.transactionId ?? event.properties.transaction_id}',
        event_id: '{event.uuid}',
      },
      required: true,
    },
    { key: 'testEventMode', type: 'boolean', label: 'Test event mode', description: 'Validate only (`/events/validate`); turn off for real traffic.', default: false, required: false },
  ],
  filters: {
    events: [
      { id: '$pageview', name: '$pageview', type: 'events' },
      { id: 'Order Completed', name: 'Order Completed', type: 'events' },
      { id: 'Checkout Started', name: 'Checkout Started', type: 'events' },
      { id: 'Product Added', name: 'Product Added', type: 'events' },
      { id: 'Payment Info Entered', name: 'Payment Info Entered', type: 'events' },
      { id: 'Product Viewed', name: 'Product Viewed', type: 'events' },
      { id: 'Products Searched', name: 'Products Searched', type: 'events' },
    ],
  },
};
