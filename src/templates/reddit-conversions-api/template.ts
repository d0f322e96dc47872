import type { InputSchemaItem, Mapping } from '../../destinations/model.js';
import type { TemplateDefinition } from '../types.js';

/**
 * Reddit Conversions API v2.0 (`POST ads-api.reddit.com/api/v2.0/conversions/events/{accountId}`), with
 * PostHog's input keys: the destination holds the ad account, the conversion access token and the user
 * parameters (`userProperties`: email and IP SHA-256 hashed by the defaults); one mapping per e-commerce
 * event sets the event type, the click ID and the event metadata. A type Reddit does not list is sent
 * as a Custom event under its own name. Empty values are left out.
 */

const STANDARD_TYPES = 'PageVisit, Search, AddToCart, AddToWishlist, Purchase, ViewContent, Lead, SignUp';

function mapping(name: string, eventId: string, eventType: string): Mapping {
  const schema: InputSchemaItem[] = [
    { key: 'eventType', type: 'string', label: 'Event type', description: `${STANDARD_TYPES}; any other name is sent as a custom event.`, default: eventType, required: true },
    {
      key: 'rdt_cid',
      type: 'string',
      label: 'Reddit click ID (rdt_cid)',
      description: 'Left out when empty.',
      default: '{person.properties.rdt_cid ?? person.properties.$initial_rdt_cid}',
      secret: false,
      required: false,
    },
    {
      key: 'eventProperties',
      type: 'dictionary',
      label: 'Event metadata',
      description: 'Reddit event metadata (conversion_id, products, value, currency, item_count, …). Empty values are left out.',
      default: {
        conversion_id: '{event.uuid}',
        products:
          "{event.properties.products ? arrayMap(product -> ({'id': product.product_id, 'category': product.category, 'name': product.name}), event.properties.products) : event.properties.product_id ? [{'id': event.properties.product_id, 'category': event.properties.category, 'name': event.properties.name}] : null}",
        value: '{toFloat(event.properties.value ?? event.properties.revenue ?? event.properties.price)}',
        currency: '{event.properties.currency}',
      },
      secret: false,
      required: false,
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
  id: 'template-reddit-conversions-api',
  name: 'Reddit Conversions API',
  description:
    'Send conversion events to Reddit Ads through the Conversions API: page views and the e-commerce events (search, product viewed and added, order, lead, sign-up), with email and IP hashed.',
  category: ['Advertisement'],
  status: 'beta',
  icon_url: '/static/icons/reddit-conversions-api.svg',
  hog: `if (empty(inputs.accountId) or empty(inputs.conversionsAccessToken)) {
  throw Error('Reddit: set both the ad account ID and the conversion access token')
}

let STANDARD := ['PageVisit', 'Search', 'AddToCart', 'AddToWishlist', 'Purchase', 'ViewContent', 'Lead', 'SignUp', 'Custom']

fun withoutEmpty(values) {
  let kept := {}
  for (let key, value in values ?? {}) {
    if (notEmpty(value)) {
      kept[key] := value
    }
  }
  return kept
}

let eventType := {'tracking_type': inputs.eventType}
if (not has(STANDARD, inputs.eventType)) {
  eventType := {'tracking_type': 'Custom', 'custom_event_name': inputs.eventType}
}

let conversion := {
  'event_at': event.timestamp,
  'event_type': eventType,
  'user': withoutEmpty(inputs.userProperties),
  'event_metadata': withoutEmpty(inputs.eventProperties)
}
if (notEmpty(inputs.rdt_cid)) {
  conversion.click_id := inputs.rdt_cid
}

let res := fetch(f'https://ads-api.reddit.com/api/v2.0/conversions/events/{inputs.accountId}', {
  'method': 'POST',
  'headers': {
    'Content-Type': 'application/json',
    'Authorization': f'Bearer {inputs.conversionsAccessToken}',
    'User-Agent': 'sluice:template-reddit-conversions-api:1.0 (self-hosted Sluice)'
  },
  'body': {'test_mode': false, 'events': [conversion]}
})

if (res.status >= 400) {
  let message := typeof(res.body) = 'object' ? (res.body.error.message ?? res.body.message) : null
  throw Error(f'Reddit API error (status {res.status}): {message ?? res.body}')
}
`,
  inputs_schema: [
    {
      key: 'accountId',
      type: 'string',
      label: 'Reddit Ads account ID',
      description: 'The ad account the conversions belong to, with or without its t2_ prefix.',
      default: '',
      secret: false,
      required: true,
    },
    {
      key: 'conversionsAccessToken',
      type: 'string',
      label: 'Conversion access token',
      description: 'Events Manager → Conversions API → Generate access token.',
      default: '',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'userProperties',
      type: 'dictionary',
      label: 'User parameters',
      description:
        'Reddit user parameters (email, external_id, ip_address, user_agent, screen_dimensions, uuid, …). Reddit expects email, external_id and ip_address as lower-case SHA-256 hex: the defaults hash them. Empty values are left out.',
      default: {
        email: '{sha256Hex(lower(person.properties.email))}',
        screen_dimensions: "{{'width': person.properties.$screen_width, 'height': person.properties.$screen_height}}",
        user_agent: '{person.properties.$raw_user_agent}',
        ip_address: '{sha256Hex(event.properties.$ip)}',
      },
      secret: false,
      required: false,
    },
  ],
  mappings: [
    mapping('Page Visit', '$pageview', 'PageVisit'),
    mapping('Search', 'Products Searched', 'Search'),
    mapping('Product Added', 'Product Added', 'AddToCart'),
    mapping('Product Added to Wishlist', 'Product Added to Wishlist', 'AddToWishlist'),
    mapping('Order Completed', 'Order Completed', 'Purchase'),
    mapping('Product Viewed', 'Product Viewed', 'ViewContent'),
    mapping('Lead Generated', 'Lead Generated', 'Lead'),
    mapping('Signed Up', 'Signed Up', 'SignUp'),
  ],
  renamed_inputs: { access_token: 'conversionsAccessToken' },
};
