import type { TemplateFixture } from '../types.js';

const TOKEN = 'access-token';
const URL = 'https://graph.facebook.com/v25.0/pixel-id/events';
const settings = { accessToken: TOKEN, pixelId: 'pixel-id' };

// The event and person PostHog's ad-destination tests start from.
const EVENT_MS = Date.parse('2025-01-01T00:00:00Z');
const DAY_MS = 86_400_000;
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

// sha256 of example@posthog.com, max and ai.
const hashedUser = {
  em: '3d4eee8538a4bbbe2ef7912f90ee494c1280f74dd7fd81232e58deb9cb9997e3',
  fn: '9baf3a40312f39849f46dad1040f2f039f1cffa1238c41e9db675315cfad39b6',
  ln: '32e83e92d45d71f69dcf9d214688f0375542108631b45d344e5df2eb91c11566',
};
const sent = (eventName: string, userData: Record<string, unknown>, customData: Record<string, unknown>) => ({
  data: [{ event_name: eventName, event_id: 'event-id', event_time: 1735689600, action_source: 'website', user_data: userData, custom_data: customData }],
  access_token: TOKEN,
});
const request = (body: unknown) => ({ method: 'POST', url: URL, headers: { 'content-type': 'application/json' }, body });

/** A page view for a person with these extra properties: the fbc/fbp click and browser id cases. */
function pageView(name: string, eventProperties: Record<string, unknown>, personProperties: Record<string, unknown>, userData: Record<string, unknown>): TemplateFixture {
  return {
    name: `PostHog: ${name}`,
    posthog: true,
    event: adEvent('$pageview', eventProperties),
    person: adPerson(personProperties),
    inputs: settings,
    expect: { requests: [request(sent('PageView', { ...hashedUser, ...userData }, {}))], logsMustNotContain: [TOKEN] },
  };
}

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: builds a single-product ViewContent payload',
    posthog: true,
    event: adEvent('Product Viewed', { sku: '43431-18', category: 'merch', name: 'Tactical black t-shirt', price: 30, quantity: 1, currency: 'usd', value: 30 }),
    person: adPerson(),
    inputs: settings,
    responses: [{ status: 200, body: { events_received: 1 } }],
    expect: {
      requests: [
        request(
          sent('ViewContent', hashedUser, {
            currency: 'usd',
            value: 30,
            content_type: 'product',
            content_ids: ['43431-18'],
            contents: [{ id: '43431-18', quantity: 1, item_price: 30 }],
            content_name: 'Tactical black t-shirt',
            content_category: 'merch',
          }),
        ),
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'PostHog: omits value and contents for a Product Viewed without a quantity',
    posthog: true,
    event: adEvent('Product Viewed', { sku: '43431-18', name: 'Tactical black t-shirt', category: 'merch' }),
    person: adPerson(),
    inputs: settings,
    expect: {
      requests: [
        request(
          sent('ViewContent', hashedUser, {
            currency: 'USD',
            content_type: 'product',
            content_ids: ['43431-18'],
            content_name: 'Tactical black t-shirt',
            content_category: 'merch',
          }),
        ),
      ],
    },
  },
  {
    name: 'PostHog: builds a multi-product Purchase payload',
    posthog: true,
    event: adEvent('Order Completed', {
      order_id: '3e94e72c0a7443e9b51155a3',
      revenue: 90.0,
      currency: 'USD',
      products: [
        { sku: '18499-12', price: 30, quantity: 1 },
        { sku: '94839-23', price: 30, quantity: 2 },
      ],
    }),
    person: adPerson(),
    inputs: settings,
    responses: [{ status: 200, body: { events_received: 1 } }],
    expect: {
      requests: [
        request(
          sent('Purchase', hashedUser, {
            currency: 'USD',
            value: 90,
            content_type: 'product',
            content_ids: ['18499-12', '94839-23'],
            contents: [
              { id: '18499-12', quantity: 1, item_price: 30 },
              { id: '94839-23', quantity: 2, item_price: 30 },
            ],
            num_items: 3,
            order_id: '3e94e72c0a7443e9b51155a3',
          }),
        ),
      ],
    },
  },
  pageView('sends a PageView with an empty custom_data', {}, {}, {}),
  pageView('fbc: sends the $fbc PostHog stamped when it saw the click', {}, { $fbc: `fb.1.${EVENT_MS - 89 * DAY_MS}.AbC_123-x` }, { fbc: `fb.1.${EVENT_MS - 89 * DAY_MS}.AbC_123-x` }),
  pageView('fbc: drops a click Meta would reject as older than 90 days', {}, { $fbc: `fb.1.${EVENT_MS - 91 * DAY_MS}.AbC_123-x` }, {}),
  pageView('fbc: prefers the fbc the site stores itself', {}, { fbc: `fb.1.${EVENT_MS}.site-owned`, $fbc: `fb.1.${EVENT_MS}.AbC_123-x` }, { fbc: `fb.1.${EVENT_MS}.site-owned` }),
  pageView('fbc: stamps an fbclid on this event with the event time', { fbclid: 'AbC_123-x' }, {}, { fbc: `fb.1.${EVENT_MS}.AbC_123-x` }),
  pageView('fbc: sends nothing for an fbclid of unknown age', {}, { fbclid: 'AbC_123-x' }, {}),
  pageView('fbc: does not redate a stale click the event still carries', { fbclid: 'AbC_123-x' }, { $fbc: `fb.1.${EVENT_MS - 91 * DAY_MS}.AbC_123-x` }, {}),
  pageView("fbc: keeps the appendix Meta's parameter builder adds", {}, { fbc: `fb.1.${EVENT_MS}.AbC_123-x.Bg` }, { fbc: `fb.1.${EVENT_MS}.AbC_123-x.Bg` }),
  pageView("fbc: keeps the parameter builder's longer appendix", {}, { fbc: `fb.1.${EVENT_MS}.AbC_123-x.AQYAAQAA` }, { fbc: `fb.1.${EVENT_MS}.AbC_123-x.AQYAAQAA` }),
  pageView('fbc: drops a click stamped after the conversion', {}, { $fbc: `fb.1.${EVENT_MS + DAY_MS}.AbC_123-x` }, {}),
  pageView('fbc: keeps a click stamped a moment after the event by a drifting clock', {}, { $fbc: `fb.1.${EVENT_MS + 1000}.AbC_123-x` }, { fbc: `fb.1.${EVENT_MS + 1000}.AbC_123-x` }),
  pageView('fbc: sends the event when a person holds a non-string fbc', {}, { fbc: 1735689600000 }, {}),
  pageView('fbp: sends the $fbp the SDK read from the pixel cookie', {}, { $fbp: 'fb.1.1735689600000.1098115397' }, { fbp: 'fb.1.1735689600000.1098115397' }),
  pageView('fbp: prefers the fbp the site stores itself', {}, { fbp: 'fb.1.1735689600000.site-owned', $fbp: 'fb.1.1735689600000.1098115397' }, { fbp: 'fb.1.1735689600000.site-owned' }),
  pageView('fbp: sends nothing when the person holds no fbp', {}, {}, {}),
  {
    name: 'PostHog: surfaces error responses',
    posthog: true,
    event: adEvent('Order Completed'),
    person: adPerson(),
    inputs: settings,
    responses: [{ status: 400, body: { error: { message: 'Invalid parameter' } } }],
    expect: {
      status: 'failed',
      error: 'Meta API error (status 400): Invalid parameter',
      requests: [request(sent('Purchase', hashedUser, { currency: 'USD', content_type: 'product', num_items: 0 }))],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'adds the page URL and the test event code, and sends a JSON array typed in a user data value as an array',
    event: adEvent('Lead Generated', { $current_url: 'https://shop.example.com/contact', $raw_user_agent: 'Mozilla/5.0', revenue: '12.5' }),
    person: adPerson(),
    inputs: {
      ...settings,
      testEventCode: 'TEST123',
      userData: { em: `["${hashedUser.em}", "${hashedUser.fn}"]`, external_id: '{sha256Hex(person.id)}', client_user_agent: '{event.properties.$raw_user_agent}', fbp: '' },
    },
    expect: {
      requests: [
        request({
          data: [
            {
              event_name: 'Lead',
              event_id: 'event-id',
              event_time: 1735689600,
              action_source: 'website',
              event_source_url: 'https://shop.example.com/contact',
              user_data: {
                em: [hashedUser.em, hashedUser.fn],
                external_id: 'b5400f5d931b20e0e905cc4a009a428ce3427b3110e3a2a1cfc7e6349beabc10',
                client_user_agent: 'Mozilla/5.0',
              },
              custom_data: { currency: 'USD', value: 12.5 },
            },
          ],
          access_token: TOKEN,
          test_event_code: 'TEST123',
        }),
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails with Meta’s error type and code',
    event: adEvent('Signed Up'),
    person: adPerson(),
    inputs: settings,
    responses: [{ status: 400, body: { error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190, fbtrace_id: 'A1b2C3' } } }],
    expect: {
      status: 'failed',
      error: 'Meta API error (status 400): Invalid OAuth access token - Cannot parse access token (type OAuthException, code 190, fbtrace_id A1b2C3)',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'is skipped for events no mapping listens to',
    event: adEvent('signed_up'),
    person: adPerson(),
    inputs: settings,
    expect: { status: 'skipped', requests: [] },
  },
];
