import type { TemplateFixture } from '../types.js';

const URL = 'https://business-api.tiktok.com/open_api/v1.3/event/track/';
const settings = { accessToken: 'access-token', pixelId: 'pixel-id' };
const headers = { 'access-token': 'access-token', 'content-type': 'application/json' };

// The event and person PostHog's ad-destination tests start from.
const adPerson = (properties: Record<string, unknown> = {}) => ({
  id: 'person-id',
  properties: {
    email: 'example@posthog.com',
    ttclid: 'tiktok-id',
    gclid: 'google-id',
    sccid: 'snapchat-id',
    rdt_cid: 'reddit-id',
    msclkid: 'microsoft-id',
    phone: '+1234567890',
    external_id: '1234567890',
    first_name: 'Max',
    last_name: 'AI',
    ...properties,
  },
});
const adEvent = (event: string, properties: Record<string, unknown> = {}) => ({
  event,
  uuid: 'event-id',
  distinct_id: 'distinct-id',
  timestamp: '2025-01-01T00:00:00Z',
  properties,
});

// sha256 of example@posthog.com, max, ai, +1234567890 and person-id.
const hashedUser = {
  email: '3d4eee8538a4bbbe2ef7912f90ee494c1280f74dd7fd81232e58deb9cb9997e3',
  first_name: '9baf3a40312f39849f46dad1040f2f039f1cffa1238c41e9db675315cfad39b6',
  last_name: '32e83e92d45d71f69dcf9d214688f0375542108631b45d344e5df2eb91c11566',
  phone: '422ce82c6fc1724ac878042f7d055653ab5e983d186e616826a72d4384b68af8',
  external_id: 'b5400f5d931b20e0e905cc4a009a428ce3427b3110e3a2a1cfc7e6349beabc10',
  ttclid: 'tiktok-id',
};
const sent = (event: string, properties: Record<string, unknown>, page: Record<string, unknown> = {}, user: Record<string, unknown> = hashedUser) => ({
  event_source: 'web',
  event_source_id: 'pixel-id',
  data: [{ event, event_time: 1735689600, event_id: 'event-id', user, properties, page }],
});
const request = (body: unknown) => ({ method: 'POST', url: URL, headers, body });
const emptyOrder = { content_type: 'product', currency: 'USD', num_items: 0 };

const products = [
  {
    product_id: 'c6e74d89b70b4972b867eb62',
    sku: '18499-12',
    category: 'merch',
    name: 'Data warehouse t-shirt',
    brand: 'PostHog',
    variant: 'light',
    price: 30,
    quantity: 1,
    position: 3,
    url: 'https://posthog.com/merch?product=data-warehouse-t-shirt',
  },
  {
    product_id: '101c66c0b37f47bc9c75561f',
    sku: '94839-23',
    category: 'merch',
    name: 'Danger t-shirt',
    brand: 'PostHog',
    variant: 'blue',
    price: 30,
    quantity: 2,
    position: 3,
    url: 'https://posthog.com/merch?product=danger-t-shirt',
  },
];

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: works with single product event',
    posthog: true,
    event: adEvent('Product Viewed', {
      product_id: '1bdfef47c9724b58b6831933',
      sku: '43431-18',
      category: 'merch',
      name: 'Tactical black t-shirt',
      brand: 'PostHog',
      variant: 'dark',
      price: 30,
      quantity: 1,
      coupon: 'BLACKFRIDAY',
      currency: 'USD',
      position: 3,
      value: 30,
      url: 'https://posthog.com/merch?product=tactical-black-t-shirt',
      $current_url: 'https://posthog.com/merch?product=tactical-black-t-shirt',
    }),
    person: adPerson(),
    inputs: settings,
    responses: [{ status: 200, body: { status: 'OK' } }],
    expect: {
      requests: [
        request(
          sent(
            'ViewContent',
            {
              content_ids: ['43431-18'],
              contents: [{ price: 30, content_id: '43431-18', content_category: 'merch', content_name: 'Tactical black t-shirt', brand: 'PostHog' }],
              content_type: 'product',
              currency: 'USD',
              value: 30,
              num_items: 1,
            },
            { url: 'https://posthog.com/merch?product=tactical-black-t-shirt' },
          ),
        ),
      ],
      logsMustNotContain: ['access-token'],
    },
  },
  {
    name: 'PostHog: works with multi product event',
    posthog: true,
    event: adEvent('Order Completed', {
      checkout_id: 'e461659ed1714b9ebc3299ae',
      order_id: '3e94e72c0a7443e9b51155a3',
      affiliation: 'Shopify',
      total: 80,
      subtotal: 75,
      revenue: 90.0,
      shipping: 3,
      tax: 2,
      discount: 15,
      coupon: 'BLACKFRIDAY',
      currency: 'USD',
      products,
    }),
    person: adPerson(),
    inputs: settings,
    responses: [{ status: 200, body: { status: 'OK' } }],
    expect: {
      requests: [
        request(
          sent('CompletePayment', {
            content_ids: ['18499-12', '94839-23'],
            contents: [
              { price: 30, content_id: '18499-12', content_category: 'merch', content_name: 'Data warehouse t-shirt', brand: 'PostHog' },
              { price: 30, content_id: '94839-23', content_category: 'merch', content_name: 'Danger t-shirt', brand: 'PostHog' },
            ],
            content_type: 'product',
            currency: 'USD',
            value: 90,
            num_items: 3,
            order_id: '3e94e72c0a7443e9b51155a3',
          }),
        ),
      ],
    },
  },
  {
    name: 'PostHog: works with empty product properties',
    posthog: true,
    event: adEvent('Order Completed'),
    person: adPerson(),
    inputs: settings,
    responses: [{ status: 200, body: { status: 'OK' } }],
    expect: { requests: [request(sent('CompletePayment', emptyOrder))] },
  },
  {
    name: 'PostHog: handles error responses',
    posthog: true,
    event: adEvent('Order Completed'),
    person: adPerson(),
    inputs: settings,
    responses: [{ status: 400, body: { status: 'Something went wrong', message: 'Invalid event properties' } }],
    expect: {
      status: 'failed',
      error: "TikTok API error (status 400): {'status': 'Something went wrong', 'message': 'Invalid event properties'}",
      requests: [request(sent('CompletePayment', emptyOrder))],
      logsMustNotContain: ['access-token'],
    },
  },
  {
    name: 'PostHog: sends test event code if specified',
    posthog: true,
    event: adEvent('Order Completed'),
    person: adPerson(),
    inputs: { ...settings, testEventCode: 'test-event-code' },
    responses: [{ status: 200, body: { status: 'OK' } }],
    expect: { requests: [request({ ...sent('CompletePayment', emptyOrder), test_event_code: 'test-event-code' })] },
  },
  {
    name: 'PostHog: sensitive values are hashed',
    posthog: true,
    event: adEvent('Order Completed', {
      $ip: '123.123.123.123',
      $raw_user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
    }),
    person: adPerson(),
    inputs: settings,
    responses: [{ status: 200, body: { status: 'OK' } }],
    expect: {
      requests: [
        request(
          sent('CompletePayment', emptyOrder, {}, {
            ...hashedUser,
            ip: '123.123.123.123',
            user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
          }),
        ),
      ],
    },
  },
  {
    name: 'sends a page view with the page, and location fields normalized',
    event: adEvent('$pageview', { $current_url: 'https://shop.example.com/', $referrer: 'https://google.com/' }),
    person: { id: 'person-id', properties: { email: 'example@posthog.com', $geoip_city_name: 'San Francisco', $geoip_subdivision_1_code: 'CA', $geoip_country_code: 'US' } },
    inputs: settings,
    expect: {
      requests: [
        request(
          sent('Pageview', { content_type: 'product', currency: 'USD' }, { referrer: 'https://google.com/', url: 'https://shop.example.com/' }, {
            email: hashedUser.email,
            first_name: '',
            last_name: '',
            phone: '',
            external_id: hashedUser.external_id,
            city: 'sanfrancisco',
            state: 'ca',
            country: 'us',
          }),
        ),
      ],
    },
  },
  {
    name: 'fails on an error TikTok reports inside a 200 answer',
    event: adEvent('Order Completed'),
    person: adPerson(),
    inputs: settings,
    responses: [{ status: 200, body: { code: 40105, message: 'Access token is incorrect or has been revoked.', request_id: 'r2', data: {} } }],
    expect: {
      status: 'failed',
      error: 'TikTok API error (status 200): code 40105: Access token is incorrect or has been revoked. (request_id r2)',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: ['access-token'],
    },
  },
  {
    name: 'is skipped for events no mapping listens to',
    event: adEvent('purchase'),
    person: adPerson(),
    inputs: settings,
    expect: { status: 'skipped', requests: [] },
  },
];
