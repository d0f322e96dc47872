import type { TemplateFixture } from '../types.js';

const SECRET = 'ga4-api-secret-Zx81Qp';
const QUERY = `measurement_id=G-TEST123&api_secret=${SECRET}`;

const pageview = {
  event: '$pageview',
  distinct_id: 'user-42',
  uuid: '0190a1b2-0000-7000-8000-0000000000e1',
  timestamp: '2026-01-02T03:04:05.123Z',
  properties: { $current_url: 'https://example.com/pricing', title: 'Pricing' },
};

const body = {
  client_id: 'user-42',
  timestamp_micros: 1767323045123000,
  events: [{ name: 'page_view', params: { page_location: 'https://example.com/pricing', page_title: 'Pricing' } }],
};

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends $pageview as page_view',
    event: pageview,
    inputs: { measurement_id: 'G-TEST123', api_secret: SECRET },
    responses: [{ status: 204 }],
    expect: {
      requests: [{ method: 'POST', url: `https://www.google-analytics.com/mp/collect?${QUERY}`, headers: { 'content-type': 'application/json' }, body }],
      logsMustNotContain: [SECRET],
    },
  },
  {
    name: 'validates first when asked, then sends to the EU endpoint with user id and user properties',
    event: pageview,
    inputs: { measurement_id: 'G-TEST123', api_secret: SECRET, region: 'eu', validate: true, user_id: 'p-1', user_properties: { plan: 'pro', empty: '' } },
    responses: [{ status: 200, body: { validationMessages: [] } }, { status: 204 }],
    expect: {
      requests: [
        { method: 'POST', url: `https://region1.google-analytics.com/debug/mp/collect?${QUERY}`, body: { ...body, user_id: 'p-1', user_properties: { plan: { value: 'pro' } } } },
        { method: 'POST', url: `https://region1.google-analytics.com/mp/collect?${QUERY}`, body: { ...body, user_id: 'p-1', user_properties: { plan: { value: 'pro' } } } },
      ],
    },
  },
  {
    name: 'fails on the validation server’s messages although it answered 200',
    event: pageview,
    inputs: { measurement_id: 'G-TEST123', api_secret: SECRET, validate: true, params: { items: '{event.properties.title}' } },
    responses: [
      {
        status: 200,
        body: { validationMessages: [{ fieldPath: 'events', description: 'Event at index: [0] has invalid parameter [items].', validationCode: 'VALUE_INVALID' }] },
      },
    ],
    expect: {
      status: 'failed',
      error: 'Google Analytics API error (status 200): validation failed: Event at index: [0] has invalid parameter [items].',
      requests: [{ method: 'POST', url: `https://www.google-analytics.com/debug/mp/collect?${QUERY}` }],
      logsMustNotContain: [SECRET],
    },
  },
  {
    name: 'fails without a request on an event name GA would drop silently',
    event: pageview,
    inputs: { measurement_id: 'G-TEST123', api_secret: SECRET, event_name: 'Signed up!' },
    expect: { status: 'failed', error: 'event name "Signed up!" is invalid', requests: [] },
  },
  {
    name: 'fails clearly on a server error',
    event: pageview,
    inputs: { measurement_id: 'G-TEST123', api_secret: SECRET },
    responses: [{ status: 500, body: 'Internal Server Error' }],
    expect: { status: 'failed', error: 'Google Analytics API error (status 500)', requests: [{ method: 'POST', url: `https://www.google-analytics.com/mp/collect?${QUERY}` }], logsMustNotContain: [SECRET] },
  },
  {
    name: 'is skipped for events other than $pageview by default',
    event: { event: 'purchase', distinct_id: 'user-42' },
    inputs: { measurement_id: 'G-TEST123', api_secret: SECRET },
    expect: { status: 'skipped', requests: [] },
  },
];
