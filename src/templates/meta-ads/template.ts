import type { InputSchemaItem, Mapping } from '../../destinations/model.js';
import type { TemplateDefinition } from '../types.js';

/**
 * Meta Conversions API (`POST graph.facebook.com/v25.0/{pixelId}/events`), with PostHog's input keys:
 * the destination holds the pixel, token and customer information (`userData`, hashed by its
 * templates); one mapping per e-commerce event sets `eventName` and `customData`. Empty values are
 * left out; a value typed as a JSON array (`'["sku-1"]'`) is sent as an array. The access token goes
 * in the body, not the URL.
 */

/** One mapping: the PostHog e-commerce event it listens to, Meta's event name and its custom data. */
function mapping(name: string, eventId: string, eventName: string, customData: Record<string, string>): Mapping {
  const schema: InputSchemaItem[] = [
    {
      key: 'eventName',
      type: 'string',
      label: 'Event name',
      description: 'A Meta standard event (PageView, ViewContent, AddToCart, Purchase, Lead, …) or a custom name.',
      default: eventName,
      secret: false,
      required: true,
    },
    {
      key: 'customData',
      type: 'dictionary',
      label: 'Custom data',
      description: 'Meta custom data parameters (value, currency, content_ids, contents, order_id, …). Empty values are left out.',
      default: customData,
      secret: false,
      required: true,
    },
  ];
  return {
    name,
    filters: { events: [{ id: eventId, name: eventId, type: 'events' }] },
    inputs_schema: schema,
    inputs: { eventName: { value: eventName }, customData: { value: customData } },
  };
}

const currency = "{event.properties.currency ?? 'USD'}";
const value =
  "{empty(event.properties.value) and empty(event.properties.revenue) and empty(event.properties.price) ? '' : toFloat(event.properties.value ?? event.properties.revenue ?? event.properties.price)}";
const singleContentIds =
  '{not empty(event.properties.sku) ? [event.properties.sku] : (not empty(event.properties.product_id) ? [event.properties.product_id] : [])}';
const singleContents =
  "{not empty(event.properties.quantity) and (not empty(event.properties.sku) or not empty(event.properties.product_id)) ? [{'id': event.properties.sku ?? event.properties.product_id, 'quantity': event.properties.quantity, 'item_price': event.properties.price}] : []}";
const multiContentIds = '{arrayMap(x -> x.sku ?? x.product_id, event.properties.products ?? [])}';
const multiContents =
  "{arrayMap(x -> ({'id': x.sku ?? x.product_id, 'quantity': x.quantity, 'item_price': x.price}), arrayFilter(x -> (not empty(x.sku) or not empty(x.product_id)) and not empty(x.quantity), event.properties.products ?? []))}";
const numItems = '{arrayReduce((acc, curr) -> acc + curr.quantity, event.properties.products ?? [], 0)}';

const singleProduct = {
  currency,
  value,
  content_type: 'product',
  content_ids: singleContentIds,
  contents: singleContents,
  content_name: '{event.properties.name}',
  content_category: '{event.properties.category}',
};
const multiProduct = { currency, value, content_type: 'product', content_ids: multiContentIds, contents: multiContents, num_items: numItems };

/**
 * The click ID (`fb.<subdomain>.<click ms>.<fbclid>[.<appendix>]`): the first well-formed one of the
 * site's own `fbc`, the `$fbc` PostHog records, or an `fbclid` on this very event (stamped with the
 * event time). Meta refuses clicks older than 90 days, so one outside [event − 90 days, event + 5
 * minutes of clock drift] is left out rather than sent (and a stale stored click is not re-dated).
 */
const fbc =
  "{arrayMap(c -> (toUnixTimestampMilli(event.timestamp) - toFloat(splitByString('.', c)[3]) < 7776000000 and toFloat(splitByString('.', c)[3]) - toUnixTimestampMilli(event.timestamp) < 300000) ? c : '', arrayFilter(c -> match(toString(c ?? ''), '^fb[.][0-9]+[.][0-9]+[.][A-Za-z0-9_-]+([.][A-Za-z0-9_-]+)?$'), [person.properties.fbc, person.properties.$fbc, not empty(event.properties.fbclid) ? concat('fb.1.', toString(toInt(toUnixTimestampMilli(event.timestamp))), '.', event.properties.fbclid) : null]))[1] ?? ''}";

export const template: TemplateDefinition = {
  id: 'template-meta-ads',
  name: 'Meta Ads Conversions',
  description:
    'Send conversion events to Meta (Facebook, Instagram) through the Conversions API: page views and the e-commerce events (product viewed, added, checkout, order, lead, sign-up), with customer information hashed.',
  category: ['Advertisement'],
  status: 'beta',
  icon_url: '/static/icons/meta-ads.svg',
  hog: `if (empty(inputs.pixelId) or empty(inputs.accessToken)) {
  throw Error('Meta: set both the pixel ID and the Conversions API access token')
}

// A dictionary value written as a JSON array ('["sku-1", "sku-2"]') goes out as that array.
fun decoded(value) {
  if (typeof(value) != 'string') {
    return value
  }
  let text := trim(value)
  if (startsWith(text, '[')) {
    try {
      return jsonParse(text)
    } catch (err) {
      return value
    }
  }
  return value
}

fun withoutEmpty(values) {
  let kept := {}
  for (let key, value in values ?? {}) {
    if (notEmpty(value)) {
      kept[key] := decoded(value)
    }
  }
  return kept
}

let serverEvent := {
  'event_name': inputs.eventName,
  'event_id': inputs.eventId,
  'event_time': inputs.eventTime,
  'action_source': inputs.actionSource,
  'user_data': withoutEmpty(inputs.userData),
  'custom_data': withoutEmpty(inputs.customData)
}
if (notEmpty(inputs.eventSourceUrl)) {
  serverEvent.event_source_url := inputs.eventSourceUrl
}

let payload := {'data': [serverEvent], 'access_token': inputs.accessToken}
if (notEmpty(inputs.testEventCode)) {
  payload.test_event_code := inputs.testEventCode
}

let res := fetch(f'https://graph.facebook.com/v25.0/{inputs.pixelId}/events', {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json'},
  'body': payload
})

if (res.status >= 400) {
  let problem := res.body.error
  if (typeof(problem) != 'object' or empty(problem.message)) {
    throw Error(f'Meta API error (status {res.status}): {res.body}')
  }
  let details := []
  for (let field in ['type', 'code', 'error_subcode', 'fbtrace_id']) {
    if (problem[field] != null) {
      details := arrayPushBack(details, f'{field} {problem[field]}')
    }
  }
  let suffix := empty(details) ? '' : concat(' (', arrayStringConcat(details, ', '), ')')
  throw Error(f'Meta API error (status {res.status}): {problem.message}{suffix}')
}
`,
  inputs_schema: [
    {
      key: 'accessToken',
      type: 'string',
      label: 'Conversions API access token',
      description: 'Events Manager → your dataset → Settings → Conversions API → Generate access token.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'pixelId',
      type: 'string',
      label: 'Pixel (dataset) ID',
      description: 'Use the pixel your website already sends browser events to, so Meta can deduplicate them.',
      secret: false,
      required: true,
    },
    {
      key: 'eventId',
      type: 'string',
      label: 'Event ID',
      description: 'Deduplicates with a browser event that carries the same ID.',
      default: '{event.uuid}',
      secret: false,
      required: true,
    },
    {
      key: 'eventSourceUrl',
      type: 'string',
      label: 'Event source URL',
      description: 'The page the event happened on; left out when empty.',
      default: '{event.properties.$current_url}',
      secret: false,
      required: false,
    },
    {
      key: 'eventTime',
      type: 'string',
      label: 'Event time',
      description: 'Unix time of the event, in seconds (UTC).',
      default: '{toInt(toUnixTimestamp(event.timestamp))}',
      secret: false,
      required: true,
    },
    {
      key: 'actionSource',
      type: 'choice',
      label: 'Action source',
      description: 'Where the conversion happened.',
      choices: [
        { value: 'email', label: 'Email' },
        { value: 'website', label: 'Website' },
        { value: 'app', label: 'Mobile app' },
        { value: 'phone_call', label: 'Phone call' },
        { value: 'chat', label: 'Chat or messaging' },
        { value: 'physical_store', label: 'Physical store' },
        { value: 'system_generated', label: 'System generated (e.g. a renewal)' },
        { value: 'business_messaging', label: 'Business messaging (click-to-message ads)' },
        { value: 'other', label: 'Other' },
      ],
      default: 'website',
      secret: false,
      required: true,
    },
    {
      key: 'userData',
      type: 'dictionary',
      label: 'Customer information',
      description:
        'Meta customer information parameters (em, ph, fn, ln, external_id, fbc, fbp, client_ip_address, client_user_agent, …). Personal values must be normalized and SHA-256 hashed: the defaults do it. Empty values are left out.',
      default: {
        em: '{sha256Hex(lower(person.properties.email))}',
        fn: '{sha256Hex(lower(person.properties.first_name))}',
        ln: '{sha256Hex(lower(person.properties.last_name))}',
        fbc,
        fbp: "{person.properties.fbp ?? person.properties.$fbp ?? ''}",
        client_user_agent: '{event.properties.$raw_user_agent}',
      },
      secret: false,
      required: true,
    },
    {
      key: 'testEventCode',
      type: 'string',
      label: 'Test event code',
      description: 'From Events Manager → Test events, to see events there instead of counting them. Leave empty in production.',
      default: '',
      secret: false,
      required: false,
    },
  ],
  mappings: [
    mapping('Page Viewed', '$pageview', 'PageView', {}),
    mapping('Product Viewed', 'Product Viewed', 'ViewContent', singleProduct),
    mapping('Products Searched', 'Products Searched', 'Search', {
      search_string: '{event.properties.query}',
      content_ids: singleContentIds,
      content_category: '{event.properties.category}',
    }),
    mapping('Product Added', 'Product Added', 'AddToCart', singleProduct),
    mapping('Checkout Started', 'Checkout Started', 'InitiateCheckout', multiProduct),
    mapping('Order Completed', 'Order Completed', 'Purchase', { ...multiProduct, order_id: '{event.properties.order_id}' }),
    mapping('Lead Generated', 'Lead Generated', 'Lead', { currency, value }),
    mapping('Signed Up', 'Signed Up', 'CompleteRegistration', { currency, value }),
  ],
  renamed_inputs: {
    pixel_id: 'pixelId',
    access_token: 'accessToken',
    action_source: 'actionSource',
    event_source_url: 'eventSourceUrl',
    test_event_code: 'testEventCode',
  },
};
