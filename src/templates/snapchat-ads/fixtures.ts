import type { TemplateFixture } from '../types.js';

const URL = 'https://tr.snapchat.com/v3/pixel-id/events?access_token=access-token';
const settings = { oauth: { access_token: 'access-token' }, pixelId: 'pixel-id' };

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

// sha256 of example@posthog.com, 1234567890, max, ai and person-id.
const hashedUser = {
  em: '3d4eee8538a4bbbe2ef7912f90ee494c1280f74dd7fd81232e58deb9cb9997e3',
  ph: 'c775e7b757ede630cd0aa1113bd102661ab38829ca52a6422ab782862f268646',
  sc_click_id: 'snapchat-id',
  fn: '9baf3a40312f39849f46dad1040f2f039f1cffa1238c41e9db675315cfad39b6',
  ln: '32e83e92d45d71f69dcf9d214688f0375542108631b45d344e5df2eb91c11566',
  external_id: 'b5400f5d931b20e0e905cc4a009a428ce3427b3110e3a2a1cfc7e6349beabc10',
};
const sent = (eventName: string, url: string | null, customData: Record<string, unknown>, userData: Record<string, unknown> = hashedUser) => ({
  data: [
    {
      event_name: eventName,
      event_id: 'event-id',
      action_source: 'WEB',
      event_time: 1735689600,
      event_source_url: url,
      user_data: userData,
      custom_data: customData,
    },
  ],
});
const request = (body: unknown, url = URL) => ({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body });
const emptyOrder = { num_items: 0, event_id: 'event-id' };

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
      currency: 'usd',
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
          sent('VIEW_CONTENT', 'https://posthog.com/merch?product=tactical-black-t-shirt', {
            value: 30,
            currency: 'usd',
            content_ids: '43431-18',
            content_category: 'merch',
            contents: [{ item_price: 30, id: '43431-18', quantity: 1, delivery_category: 'normal' }],
            num_items: 1,
            event_id: 'event-id',
          }),
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
      products: [
        { product_id: 'c6e74d89b70b4972b867eb62', sku: '18499-12', category: 'merch', name: 'Data warehouse t-shirt', brand: 'PostHog', variant: 'light', price: 30, quantity: 1, position: 3 },
        { product_id: '101c66c0b37f47bc9c75561f', sku: '94839-23', category: 'merch', name: 'Danger t-shirt', brand: 'PostHog', variant: 'blue', price: 30, quantity: 2, position: 3 },
      ],
    }),
    person: adPerson(),
    inputs: settings,
    responses: [{ status: 200, body: { status: 'OK' } }],
    expect: {
      requests: [
        request(
          sent('PURCHASE', null, {
            value: 90,
            currency: 'USD',
            content_ids: ['18499-12', '94839-23'],
            content_category: ['merch', 'merch'],
            contents: [
              { item_price: 30, id: '18499-12', quantity: 1, delivery_category: 'normal' },
              { item_price: 30, id: '94839-23', quantity: 2, delivery_category: 'normal' },
            ],
            num_items: 3,
            event_id: 'event-id',
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
    expect: { requests: [request(sent('PURCHASE', null, emptyOrder))] },
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
      error: "Snapchat API error (status 400): {'status': 'Something went wrong', 'message': 'Invalid event properties'}",
      requests: [request(sent('PURCHASE', null, emptyOrder))],
      logsMustNotContain: ['access-token'],
    },
  },
  {
    name: 'PostHog: test event mode working',
    posthog: true,
    event: adEvent('Order Completed'),
    person: adPerson(),
    inputs: { ...settings, testEventMode: true },
    responses: [{ status: 200, body: { status: 'OK' } }],
    expect: { requests: [request(sent('PURCHASE', null, emptyOrder), 'https://tr.snapchat.com/v3/pixel-id/events/validate?access_token=access-token')] },
  },
  {
    name: 'PostHog: sensitive values are hashed',
    posthog: true,
    event: adEvent('Order Completed', {
      $ip: '123.123.123.123',
      $raw_user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
    }),
    person: adPerson({ $geoip_city_name: 'San Francisco', $geoip_subdivision_1_code: 'CA', $geoip_country_code: 'US', $geoip_postal_code: '94101' }),
    inputs: settings,
    responses: [{ status: 200, body: { status: 'OK' } }],
    expect: {
      requests: [
        request(
          sent('PURCHASE', null, emptyOrder, {
            ...hashedUser,
            client_user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
            ct: '1a6bd4d9d79dc0a79b53795c70d3349fa9e38968a3fbefbfe8783efb1d2b6aac',
            st: '6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126',
            country: '79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621',
            zp: '3d3425336a5d645d5e09199eabe0b9d5af817bbd35671a5cd42974483cd8c772',
            client_ip_address: '123.123.123.123',
          }),
        ),
      ],
    },
  },
  {
    name: 'takes a plain token and URL-encodes it',
    event: adEvent('$pageview', { $current_url: 'https://shop.example.com/' }),
    person: adPerson(),
    inputs: { oauth: 'snap+token/1', pixelId: 'pixel-id' },
    expect: {
      requests: [request(sent('PAGE_VIEW', 'https://shop.example.com/', { event_id: 'event-id' }), 'https://tr.snapchat.com/v3/pixel-id/events?access_token=snap%2Btoken%2F1')],
      logsMustNotContain: ['snap+token/1'],
    },
  },
  {
    name: 'skips an event with neither email, phone nor IP address and user agent',
    event: adEvent('Order Completed', { $raw_user_agent: 'Mozilla/5.0' }),
    person: { id: 'p-8', properties: {} },
    inputs: settings,
    expect: { requests: [] },
  },
  {
    name: 'fails clearly on Snapchat’s error answer',
    event: adEvent('Order Completed'),
    person: adPerson(),
    inputs: settings,
    responses: [{ status: 400, body: { status: 'FAILED', reason: 'invalid pixel id' } }],
    expect: { status: 'failed', error: 'Snapchat API error (status 400): invalid pixel id', requests: [{ method: 'POST', url: URL }], logsMustNotContain: ['access-token'] },
  },
  {
    name: 'is skipped for events no mapping listens to',
    event: adEvent('signed_in'),
    person: adPerson(),
    inputs: settings,
    expect: { status: 'skipped', requests: [] },
  },
];
