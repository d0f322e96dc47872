import type { InputSchemaItem, Mapping } from '../../destinations/model.js';
import type { TemplateDefinition } from '../types.js';

/**
 * TikTok Events API 2.0 (`POST /open_api/v1.3/event/track/`, `event_source: web`), with PostHog's
 * input keys: the destination holds the pixel, token and customer information (`userProperties`,
 * hashed by its templates); one mapping per e-commerce event sets the event name, its properties and
 * page. A currency TikTok does not support is sent as USD with `value_usd` as the value. TikTok
 * reports most errors inside a 200 answer (`code` ≠ 0): both are failures.
 */

function mapping(name: string, eventId: string, eventName: string, multiProduct = false): Mapping {
  const schema: InputSchemaItem[] = [
    { key: 'eventName', type: 'string', label: 'Event name', description: 'A TikTok standard event (ViewContent, AddToCart, CompletePayment, …) or a custom name.', default: eventName, secret: false, required: true },
    { key: 'eventId', type: 'string', label: 'Event ID', description: 'Deduplicates with a pixel event that carries the same ID.', default: '{event.uuid}', secret: false, required: true },
    { key: 'eventTimestamp', type: 'string', label: 'Event time', description: 'Unix time of the event, in seconds.', default: '{toUnixTimestamp(event.timestamp)}', secret: false, required: true },
    {
      key: 'propertyProperties',
      type: 'dictionary',
      label: 'Event properties',
      description: 'TikTok properties (content_ids, contents, content_type, currency, value, num_items, order_id, …). Add value_usd for currencies TikTok does not take. Empty values are left out.',
      default: {
        content_ids: multiProduct ? '{arrayMap(x -> x.sku, event.properties.products ?? [])}' : '{not empty(event.properties.sku) ? [event.properties.sku] : []}',
        contents: multiProduct
          ? "{arrayMap(x -> ({'price': x.price, 'content_id': x.sku, 'content_category': x.category, 'content_name': x.name, 'brand': x.brand}), event.properties.products ?? [])}"
          : "{(not empty(event.properties.sku) and not empty(event.properties.price) and not empty(event.properties.category) and not empty(event.properties.name) and not empty(event.properties.brand) ? [{'price': event.properties.price, 'content_id': event.properties.sku, 'content_category': event.properties.category, 'content_name': event.properties.name, 'brand': event.properties.brand}] : [])}",
        content_type: 'product',
        currency: "{event.properties.currency ?? 'USD'}",
        value: '{toFloat(event.properties.value ?? event.properties.revenue ?? event.properties.price)}',
        num_items: multiProduct ? '{arrayReduce((acc, curr) -> acc + curr.quantity, event.properties.products ?? [], 0)}' : '{event.properties.quantity}',
        search_string: '{event.properties.query}',
        description: '',
        order_id: '{event.properties.order_id}',
        shop_id: '{event.properties.shop_id}',
      },
      secret: false,
      required: true,
    },
    {
      key: 'pageProperties',
      type: 'dictionary',
      label: 'Page',
      description: 'url and referrer of the page; empty values are left out.',
      default: { referrer: '{event.properties.$referrer}', url: '{event.properties.$current_url}' },
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
  id: 'template-tiktok-ads',
  name: 'TikTok Ads Conversions',
  description:
    'Send web conversion events to TikTok through the Events API: page views and the e-commerce events (product viewed, added, checkout, order, search, sign-up, …), with customer information hashed.',
  category: ['Advertisement'],
  status: 'beta',
  icon_url: '/static/icons/tiktok-ads.svg',
  hog: `if (empty(inputs.pixelId) or empty(inputs.accessToken)) {
  throw Error('TikTok: set both the pixel ID and the Events API access token')
}

// The currencies TikTok's Events API accepts; any other is sent as USD, with value_usd as the value.
let CURRENCIES := ['AED', 'ARS', 'AUD', 'BDT', 'BHD', 'BIF', 'BOB', 'BRL', 'CAD', 'CHF', 'CLP', 'CNY', 'COP', 'CRC', 'CZK',
  'DKK', 'DZD', 'EGP', 'EUR', 'GBP', 'GTQ', 'HKD', 'HNL', 'HUF', 'IDR', 'ILS', 'INR', 'ISK', 'JPY', 'KES', 'KHR', 'KRW',
  'KWD', 'KZT', 'MAD', 'MOP', 'MXN', 'MYR', 'NGN', 'NIO', 'NOK', 'NZD', 'OMR', 'PEN', 'PHP', 'PKR', 'PLN', 'PYG', 'QAR',
  'RON', 'RUB', 'SAR', 'SEK', 'SGD', 'THB', 'TRY', 'TWD', 'UAH', 'USD', 'VES', 'VND', 'ZAR']

let given := inputs.propertyProperties ?? {}
let currency := upper(given.currency ?? 'USD')
let amount := given.value
if (not has(CURRENCIES, currency)) {
  currency := 'USD'
  amount := given.value_usd
}

let properties := {}
for (let key, value in given) {
  if (notEmpty(value) and key != 'value_usd') {
    if (key = 'currency') {
      properties.currency := currency
    } else if (key = 'value') {
      properties.value := amount
    } else {
      properties[key] := value
    }
  }
}

// An empty text is kept in user: it tells TikTok the field is known to be blank.
let user := {}
for (let key, value in inputs.userProperties ?? {}) {
  if (notEmpty(value) or value = '') {
    user[key] := value
  }
}
let page := {}
for (let key, value in inputs.pageProperties ?? {}) {
  if (notEmpty(value)) {
    page[key] := value
  }
}

let payload := {
  'event_source': 'web',
  'event_source_id': inputs.pixelId,
  'data': [{
    'event': inputs.eventName,
    'event_time': inputs.eventTimestamp,
    'event_id': inputs.eventId,
    'user': user,
    'properties': properties,
    'page': page
  }]
}
if (notEmpty(inputs.testEventCode)) {
  payload.test_event_code := inputs.testEventCode
}

let res := fetch('https://business-api.tiktok.com/open_api/v1.3/event/track/', {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json', 'Access-Token': inputs.accessToken},
  'body': payload
})

if (res.status >= 400) {
  throw Error(f'TikTok API error (status {res.status}): {res.body}')
}
if (typeof(res.body) = 'object' and res.body.code != null and res.body.code != 0) {
  throw Error(f'TikTok API error (status {res.status}): code {res.body.code}: {res.body.message} (request_id {res.body.request_id})')
}
`,
  inputs_schema: [
    {
      key: 'accessToken',
      type: 'string',
      label: 'Events API access token',
      description: 'Events Manager → your pixel → Settings → Events API → Generate access token.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'pixelId',
      type: 'string',
      label: 'Pixel code',
      description: 'Use the pixel your website already sends browser events to, so TikTok can deduplicate them.',
      secret: false,
      required: true,
    },
    {
      key: 'userProperties',
      type: 'dictionary',
      label: 'Customer information',
      description:
        'TikTok user parameters (email, phone, external_id, ttclid, ip, user_agent, …). Email, phone and external_id must be SHA-256 hashed: the defaults do it. Null values are left out.',
      default: {
        email: "{not empty(person.properties.email) ? sha256Hex(lower(person.properties.email)) : ''}",
        first_name: "{not empty(person.properties.first_name) ? sha256Hex(lower(person.properties.first_name)) : ''}",
        last_name: "{not empty(person.properties.last_name) ? sha256Hex(lower(person.properties.last_name)) : ''}",
        phone: "{not empty(person.properties.phone) ? sha256Hex(person.properties.phone) : ''}",
        external_id: "{not empty(person.id) ? sha256Hex(person.id) : ''}",
        city: "{not empty(person.properties.$geoip_city_name) ? replaceAll(lower(person.properties.$geoip_city_name), ' ', '') : null}",
        state: '{lower(person.properties.$geoip_subdivision_1_code)}',
        country: '{lower(person.properties.$geoip_country_code)}',
        zip_code: "{not empty (person.properties.$geoip_postal_code) ? sha256Hex(replaceAll(lower(person.properties.$geoip_postal_code), ' ', '')) : null}",
        ttclid: '{person.properties.ttclid ?? person.properties.$initial_ttclid}',
        ip: '{event.properties.$ip}',
        user_agent: '{event.properties.$raw_user_agent}',
      },
      secret: false,
      required: true,
    },
    {
      key: 'testEventCode',
      type: 'string',
      label: 'Test event code',
      description: 'From Events Manager → Test events, to see events there. Leave empty in production.',
      default: '',
      secret: false,
      required: false,
    },
  ],
  mappings: [
    mapping('Page Viewed', '$pageview', 'Pageview'),
    mapping('Payment Info Entered', 'Payment Info Entered', 'AddPaymentInfo'),
    mapping('Product Added', 'Product Added', 'AddToCart'),
    mapping('Product Added to Wishlist', 'Product Added to Wishlist', 'AddToWishlist'),
    mapping('Product Clicked', 'Product Clicked', 'ClickButton'),
    mapping('Order Placed', 'Order Placed', 'PlaceAnOrder', true),
    mapping('Signed Up', 'Signed Up', 'CompleteRegistration'),
    mapping('Checkout Started', 'Checkout Started', 'InitiateCheckout', true),
    mapping('Order Completed', 'Order Completed', 'CompletePayment', true),
    mapping('Products Searched', 'Products Searched', 'Search'),
    mapping('Product Viewed', 'Product Viewed', 'ViewContent'),
  ],
  renamed_inputs: {
    pixel_code: 'pixelId',
    access_token: 'accessToken',
    test_event_code: 'testEventCode',
  },
};
