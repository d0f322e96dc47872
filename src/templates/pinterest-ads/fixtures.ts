import { createHash } from 'node:crypto';
import type { TemplateFixture } from '../types.js';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const TOKEN = 'conversion-token';
const URL = 'https://api.pinterest.com/v5/ad_accounts/ad-account-id/events';
const settings = { adAccountId: 'ad-account-id', conversionToken: TOKEN };
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

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

const HASHED_EMAIL = '3d4eee8538a4bbbe2ef7912f90ee494c1280f74dd7fd81232e58deb9cb9997e3'; // example@posthog.com
const defaultUser = {
  em: [HASHED_EMAIL],
  ph: ['c775e7b757ede630cd0aa1113bd102661ab38829ca52a6422ab782862f268646'], // 1234567890
  fn: ['9baf3a40312f39849f46dad1040f2f039f1cffa1238c41e9db675315cfad39b6'], // max
  ln: ['32e83e92d45d71f69dcf9d214688f0375542108631b45d344e5df2eb91c11566'], // ai
  external_id: ['b5400f5d931b20e0e905cc4a009a428ce3427b3110e3a2a1cfc7e6349beabc10'], // person-id
};
const base = (eventName: string) => ({ event_name: eventName, action_source: 'web', event_time: 1735689600, event_id: 'event-id' });
const request = (event: Record<string, unknown>, url = URL) => ({ method: 'POST', url, headers, body: { data: [event] } });

const { em: _em, ...userWithoutEmail } = defaultUser;

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: sends a product event with content fields and hashed user data',
    posthog: true,
    event: adEvent('Product Viewed', {
      sku: '43431-18',
      name: 'Trail shoe 🥾 "Pro"',
      brand: 'Café Nørd',
      category: 'Footwear',
      price: 30.5,
      quantity: 2,
      currency: 'EUR',
      $current_url: 'https://example.com/shoes?epik=abc',
      $ip: '203.0.113.7',
      $raw_user_agent: 'Mozilla/5.0 (Macintosh)',
    }),
    person: adPerson({
      email: '  Example@PostHog.com ',
      phone: '+1 (234) 567-890',
      first_name: 'Zoë',
      $geoip_city_name: 'San Francisco',
      $geoip_country_code: 'US',
      epik: 'epik-click-id',
    }),
    inputs: settings,
    responses: [{ status: 200, body: { num_events_received: 1, num_events_processed: 1, events: [{ status: 'processed' }] } }],
    expect: {
      requests: [
        request({
          ...base('view_content'),
          user_data: {
            ...defaultUser,
            fn: ['2752b88686847fa5c86f47b94ce652b7b3f22a91c37617d451a4db9afa431450'],
            ct: ['1a6bd4d9d79dc0a79b53795c70d3349fa9e38968a3fbefbfe8783efb1d2b6aac'],
            country: ['79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621'],
            client_ip_address: '203.0.113.7',
            client_user_agent: 'Mozilla/5.0 (Macintosh)',
            click_id: 'epik-click-id',
          },
          event_source_url: 'https://example.com/shoes?epik=abc',
          custom_data: {
            currency: 'EUR',
            value: '30.5',
            content_ids: ['43431-18'],
            contents: [{ id: '43431-18', item_price: '30.5', quantity: 2, item_name: 'Trail shoe 🥾 "Pro"', item_brand: 'Café Nørd', item_category: 'Footwear' }],
            num_items: 2,
            content_name: 'Trail shoe 🥾 "Pro"',
            content_brand: 'Café Nørd',
            content_category: 'Footwear',
          },
        }),
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'PostHog: sends a multi product order in test mode, keeping a value of 0',
    posthog: true,
    event: adEvent('Order Completed', {
      order_id: 'order-1',
      value: 0,
      products: [{ sku: '18499-12', price: 30, quantity: 1 }, { product_id: 101, price: 15 }, { name: 'no id' }],
    }),
    person: adPerson(),
    inputs: { ...settings, testMode: true },
    expect: {
      requests: [
        request(
          {
            ...base('checkout'),
            user_data: defaultUser,
            custom_data: {
              value: '0',
              content_ids: ['18499-12', '101'],
              contents: [
                { id: '18499-12', item_price: '30', quantity: 1 },
                { id: '101', item_price: '15' },
              ],
              num_items: 3,
              order_id: 'order-1',
            },
          },
          `${URL}?test=true`,
        ),
      ],
    },
  },
  {
    name: 'PostHog: sends by IP and user agent for a person with no email',
    posthog: true,
    event: adEvent('Order Completed', { $ip: '203.0.113.7', $raw_user_agent: 'Mozilla/5.0' }),
    person: adPerson({ email: null }),
    inputs: settings,
    expect: {
      requests: [request({ ...base('checkout'), user_data: { ...userWithoutEmail, client_ip_address: '203.0.113.7', client_user_agent: 'Mozilla/5.0' } })],
    },
  },
  {
    name: 'PostHog: sends by IP and user agent for a person with an email list with a null in it',
    posthog: true,
    event: adEvent('Order Completed', { $ip: '203.0.113.7', $raw_user_agent: 'Mozilla/5.0' }),
    person: adPerson({ email: [null, ''] }),
    inputs: settings,
    expect: {
      requests: [request({ ...base('checkout'), user_data: { ...userWithoutEmail, client_ip_address: '203.0.113.7', client_user_agent: 'Mozilla/5.0' } })],
    },
  },
  {
    name: 'PostHog: does not hash a value twice',
    posthog: true,
    event: adEvent('$pageview'),
    person: adPerson({ email: HASHED_EMAIL.toUpperCase() }),
    inputs: settings,
    expect: { requests: [request({ ...base('page_visit'), user_data: defaultUser })] },
  },
  {
    name: 'PostHog: skips a person Pinterest cannot match',
    posthog: true,
    event: adEvent('Order Completed', { $raw_user_agent: 'Mozilla/5.0' }),
    person: adPerson({ email: null }),
    inputs: settings,
    expect: { requests: [] },
  },
  {
    name: 'PostHog: fails on an error status',
    posthog: true,
    event: adEvent('Order Completed'),
    person: adPerson(),
    inputs: settings,
    responses: [{ status: 401, body: { code: 2, message: 'Authentication failed.' } }],
    expect: {
      status: 'failed',
      error: 'Pinterest API error (status 401): Authentication failed.',
      requests: [request({ ...base('checkout'), user_data: defaultUser })],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'PostHog: fails on a rejected event in a 200 response',
    posthog: true,
    event: adEvent('Order Completed'),
    person: adPerson(),
    inputs: settings,
    responses: [{ status: 200, body: { num_events_received: 1, num_events_processed: 0, events: [{ status: 'failed', error_message: 'Invalid event_name: purchase.' }] } }],
    expect: {
      status: 'failed',
      error: 'Pinterest rejected the event: Invalid event_name: purchase.',
      requests: [{ method: 'POST', url: URL }],
    },
  },
  {
    name: 'normalizes matching fields: phone punctuation, city and zip spaces',
    event: adEvent('Signed Up'),
    person: { id: 'p-1', properties: { email: ' Pin@Example.COM ', phone: '+49 (30) 1234-567', $geoip_city_name: 'Frankfurt am Main', $geoip_postal_code: '60 311', $geoip_subdivision_1_code: 'HE' } },
    inputs: settings,
    responses: [{ status: 200, body: { events: [{ status: 'processed', warning_message: 'event_source_url is missing' }] } }],
    expect: {
      requests: [
        request({
          ...base('signup'),
          user_data: {
            em: [sha('pin@example.com')],
            ph: [sha('49301234567')],
            ct: [sha('frankfurtammain')],
            st: [sha('he')],
            zp: [sha('60311')],
            external_id: [sha('p-1')],
          },
        }),
      ],
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
