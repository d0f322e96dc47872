import type { InputSchemaItem, Mapping } from '../../destinations/model.js';
import type { TemplateDefinition } from '../types.js';

/**
 * Snapchat Conversions API v3 (`POST tr.snapchat.com/v3/{pixelId}/events`, or `/events/validate` in
 * test mode; the token goes in the `access_token` query parameter, as Snap documents it), with
 * PostHog's input keys: the destination holds the pixel, token and customer information (`userData`,
 * hashed by its templates); one mapping per e-commerce event sets the event type and custom data.
 * Snap matches a conversion on an email, a phone, or an IP address with a user agent: an event with
 * none of them is skipped with a log line. The token is `oauth.access_token` (or `oauth` as a plain token).
 */

function mapping(name: string, eventId: string, eventType: string, multiProduct = false): Mapping {
  const schema: InputSchemaItem[] = [
    { key: 'eventType', type: 'string', label: 'Event type', description: 'A Snap standard event (PAGE_VIEW, VIEW_CONTENT, ADD_CART, PURCHASE, …) or a custom one.', default: eventType, required: true },
    { key: 'eventId', type: 'string', label: 'Event ID', description: 'Deduplicates with a pixel event that carries the same ID.', default: '{event.uuid}', secret: false, required: true },
    { key: 'eventTime', type: 'string', label: 'Event time', description: 'Unix time of the event, in seconds.', default: '{floor(toUnixTimestamp(event.timestamp))}', secret: false, required: true },
    { key: 'eventSourceUrl', type: 'string', label: 'Event source URL', description: 'The page the event happened on.', default: '{event.properties.$current_url}', secret: false, required: true },
    {
      key: 'actionSource',
      type: 'choice',
      label: 'Action source',
      description: 'Where the conversion happened.',
      choices: [
        { value: 'WEB', label: 'Website' },
        { value: 'MOBILE_APP', label: 'Mobile app' },
        { value: 'OFFLINE', label: 'Offline' },
      ],
      default: 'WEB',
      secret: false,
      required: true,
    },
    {
      key: 'customData',
      type: 'dictionary',
      label: 'Custom data',
      description: 'Snap custom data (value, currency, content_ids, contents, num_items, order_id, …). Empty values are left out.',
      default: {
        value: '{toFloat(event.properties.price ?? event.properties.value ?? event.properties.revenue)}',
        currency: '{event.properties.currency}',
        content_ids: multiProduct ? '{arrayMap(x -> x.sku, event.properties.products ?? [])}' : '{event.properties.sku}',
        content_category: multiProduct ? '{arrayMap(x -> x.category, event.properties.products ?? [])}' : '{event.properties.category}',
        search_string: '{event.properties.search_string ?? event.properties.query}',
        contents: multiProduct
          ? "{arrayMap(x -> ({'item_price': x.price, 'id': x.sku, 'quantity': x.quantity, 'delivery_category': 'normal'}), event.properties.products ?? [])}"
          : "{(not empty(event.properties.price) and not empty(event.properties.sku) and not empty(event.properties.quantity) ? [{'item_price': event.properties.price, 'id': event.properties.sku, 'quantity': event.properties.quantity, 'delivery_category': 'normal'}] : [])}",
        num_items: multiProduct ? '{arrayReduce((acc, curr) -> acc + curr.quantity, event.properties.products ?? [], 0)}' : '{event.properties.quantity}',
        order_id: '{event.properties.orderId ?? event.properties.transactionId ?? event.properties.transaction_id}',
        event_id: '{event.uuid}',
      },
      secret: false,
      required: true,
    },
  ];
  return {
    name,
    filters: { events: [{ id: eventId, name: eventId, type: 'events' }] },
    inputs_schema: schema,
    inputs: Object.fromEntries(schema.map((item) => [item.key, { value: item.default }])),
  };
}

export const template: TemplateDefinition = {
  id: 'template-snapchat-ads',
  name: 'Snapchat Ads Conversions',
  description:
    'Send conversion events to Snapchat Ads through the Conversions API: page views and the e-commerce events, with customer information hashed. Events Snap cannot match are skipped with a log line.',
  category: ['Advertisement'],
  status: 'beta',
  icon_url: '/static/icons/snapchat-ads.svg',
  hog: `let token := typeof(inputs.oauth) = 'string' ? inputs.oauth : inputs.oauth.access_token
if (empty(inputs.pixelId) or empty(token)) {
  throw Error('Snapchat: set both the pixel ID and the access token (oauth.access_token)')
}

fun withoutEmpty(values) {
  let kept := {}
  for (let key, value in values ?? {}) {
    if (notEmpty(value)) {
      kept[key] := value
    }
  }
  return kept
}
let userData := withoutEmpty(inputs.userData)

if (empty(userData.em) and empty(userData.ph) and (empty(userData.client_ip_address) or empty(userData.client_user_agent))) {
  print(f'Snapchat: event {event.uuid} has no email, phone, or IP address with user agent to match it by: skipped')
  return
}

let conversion := {
  'event_name': inputs.eventType,
  'event_id': inputs.eventId,
  'action_source': inputs.actionSource,
  'event_time': inputs.eventTime,
  'event_source_url': inputs.eventSourceUrl,
  'user_data': userData,
  'custom_data': withoutEmpty(inputs.customData)
}

let path := inputs.testEventMode ? 'events/validate' : 'events'
let res := fetch(f'https://tr.snapchat.com/v3/{inputs.pixelId}/{path}?access_token={encodeURLComponent(token)}', {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json'},
  'body': {'data': [conversion]}
})

if (res.status >= 400) {
  let reason := typeof(res.body) = 'object' ? res.body.reason : null
  throw Error(f'Snapchat API error (status {res.status}): {reason ?? res.body}')
}
`,
  inputs_schema: [
    {
      key: 'oauth',
      type: 'integration',
      integration: 'snapchat',
      label: 'Snapchat credentials',
      description: 'An object with access_token (a Conversions API token from Ads Manager → Business settings), or the plain token.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'pixelId',
      type: 'string',
      label: 'Pixel ID',
      description: 'Use the pixel your website already sends browser events to, so Snap can deduplicate them.',
      secret: false,
      required: true,
    },
    {
      key: 'userData',
      type: 'dictionary',
      label: 'Customer information',
      description:
        'Snap user data (em, ph, fn, ln, ct, st, country, zp, external_id, sc_click_id, client_ip_address, client_user_agent). Personal values must be normalized and SHA-256 hashed: the defaults do it. Empty values are left out.',
      default: {
        em: '{sha256Hex(lower(person.properties.email))}',
        ph: "{not empty(person.properties.phone) ? sha256Hex(replaceAll(person.properties.phone, '+', '')) : null}",
        sc_click_id: '{person.properties.sccid ?? person.properties.$initial_sccid}',
        client_user_agent: '{event.properties.$raw_user_agent}',
        fn: '{sha256Hex(lower(person.properties.first_name))}',
        ln: '{sha256Hex(lower(person.properties.last_name))}',
        ct: "{not empty(person.properties.$geoip_city_name) ? sha256Hex(replaceAll(lower(person.properties.$geoip_city_name), ' ', '')) : null}",
        st: '{sha256Hex(lower(person.properties.$geoip_subdivision_1_code))}',
        country: '{sha256Hex(lower(person.properties.$geoip_country_code))}',
        zp: "{not empty (person.properties.$geoip_postal_code) ? sha256Hex(replaceAll(lower(person.properties.$geoip_postal_code), ' ', '')) : null}",
        client_ip_address: '{event.properties.$ip}',
        external_id: '{sha256Hex(person.id)}',
      },
      secret: false,
      required: true,
    },
    {
      key: 'testEventMode',
      type: 'boolean',
      label: 'Test event mode',
      description: 'Send to the validation endpoint only (nothing is recorded). Turn off for real traffic.',
      default: false,
      secret: false,
      required: false,
    },
  ],
  mappings: [
    mapping('Page viewed', '$pageview', 'PAGE_VIEW'),
    mapping('Order Completed', 'Order Completed', 'PURCHASE', true),
    mapping('Checkout Started', 'Checkout Started', 'START_CHECKOUT', true),
    mapping('Product Added', 'Product Added', 'ADD_CART'),
    mapping('Payment Info Entered', 'Payment Info Entered', 'ADD_BILLING'),
    mapping('Promotion Clicked', 'Promotion Clicked', 'AD_CLICK'),
    mapping('Promotion Viewed', 'Promotion Viewed', 'AD_VIEW'),
    mapping('Product Added to Wishlist', 'Product Added to Wishlist', 'ADD_TO_WISHLIST'),
    mapping('Product Viewed', 'Product Viewed', 'VIEW_CONTENT'),
    mapping('Product List Viewed', 'Product List Viewed', 'VIEW_CONTENT'),
    mapping('Products Searched', 'Products Searched', 'SEARCH'),
  ],
  renamed_inputs: { access_token: 'oauth' },
};
