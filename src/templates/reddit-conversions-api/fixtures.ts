import { createHash } from 'node:crypto';
import type { TemplateFixture } from '../types.js';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const URL = 'https://ads-api.reddit.com/api/v2.0/conversions/events/pixel-id';
const settings = { accountId: 'pixel-id', conversionsAccessToken: 'access-token' };
// PostHog sends its own User-Agent; Sluice names itself instead.
const headers = { authorization: 'Bearer access-token', 'content-type': 'application/json', 'user-agent': 'sluice:template-reddit-conversions-api:1.0 (self-hosted Sluice)' };

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

const user = { email: '3d4eee8538a4bbbe2ef7912f90ee494c1280f74dd7fd81232e58deb9cb9997e3', screen_dimensions: { width: null, height: null } };
const sent = (trackingType: Record<string, unknown>, metadata: Record<string, unknown>, userParameters: Record<string, unknown> = user, clickId: string | null = 'reddit-id') => ({
  test_mode: false,
  events: [
    {
      event_at: '2025-01-01T00:00:00Z',
      event_type: trackingType,
      user: userParameters,
      event_metadata: metadata,
      ...(clickId === null ? {} : { click_id: clickId }),
    },
  ],
});
const request = (body: unknown) => ({ method: 'POST', url: URL, headers, body });

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
          sent(
            { tracking_type: 'ViewContent' },
            { conversion_id: 'event-id', products: [{ id: '1bdfef47c9724b58b6831933', category: 'merch', name: 'Tactical black t-shirt' }], value: 30, currency: 'usd' },
          ),
        ),
      ],
      logsMustNotContain: ['access-token'],
    },
  },
  {
    name: 'PostHog: hashes email and sends the IP under ip_address',
    posthog: true,
    event: adEvent('Order Completed', { $ip: '203.0.113.4' }),
    person: adPerson(),
    inputs: settings,
    expect: { requests: [request(sent({ tracking_type: 'Purchase' }, { conversion_id: 'event-id' }, { ...user, ip_address: sha('203.0.113.4') }))] },
  },
  {
    name: 'PostHog: works with empty product properties',
    posthog: true,
    event: adEvent('Order Completed'),
    person: adPerson(),
    inputs: settings,
    responses: [{ status: 200, body: { status: 'OK' } }],
    expect: { requests: [request(sent({ tracking_type: 'Purchase' }, { conversion_id: 'event-id' }))] },
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
      error: 'Reddit API error (status 400): Invalid event properties',
      requests: [request(sent({ tracking_type: 'Purchase' }, { conversion_id: 'event-id' }))],
      logsMustNotContain: ['access-token'],
    },
  },
  {
    name: 'sends a multi-product order with screen size and user agent, without a click ID',
    event: adEvent('Order Completed', {
      revenue: 90,
      currency: 'EUR',
      products: [
        { product_id: 'p-1', category: 'merch', name: 'Shirt' },
        { product_id: 'p-2', category: 'merch', name: 'Hat' },
      ],
    }),
    person: { id: 'person-id', properties: { email: ' Max@Example.com', $screen_width: 1440, $screen_height: 900, $raw_user_agent: 'Mozilla/5.0' } },
    inputs: settings,
    expect: {
      requests: [
        request(
          sent(
            { tracking_type: 'Purchase' },
            {
              conversion_id: 'event-id',
              products: [
                { id: 'p-1', category: 'merch', name: 'Shirt' },
                { id: 'p-2', category: 'merch', name: 'Hat' },
              ],
              value: 90,
              currency: 'EUR',
            },
            { email: sha(' max@example.com'), screen_dimensions: { width: 1440, height: 900 }, user_agent: 'Mozilla/5.0' },
            null,
          ),
        ),
      ],
    },
  },
  {
    name: 'fails with Reddit’s error message',
    event: adEvent('Signed Up'),
    person: adPerson(),
    inputs: settings,
    responses: [{ status: 401, body: { error: { code: 401, message: 'Unauthorized: invalid conversion access token' } } }],
    expect: {
      status: 'failed',
      error: 'Reddit API error (status 401): Unauthorized: invalid conversion access token',
      requests: [request(sent({ tracking_type: 'SignUp' }, { conversion_id: 'event-id' }))],
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
