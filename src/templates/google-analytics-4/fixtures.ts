import type { TemplateFixture } from '../types.js';

const SECRET = 'test-api-secret';
const QUERY = `measurement_id=G-XXXXXXXXXX&api_secret=${SECRET}`;
const settings = { measurementId: 'G-XXXXXXXXXX', apiSecret: SECRET };

const pageview = {
  event: '$pageview',
  distinct_id: 'user-123',
  uuid: 'event-id',
  timestamp: '2025-01-01T00:00:00Z',
  properties: { $current_url: 'https://posthog.com/docs', $referrer: 'https://google.com', title: 'PostHog Docs' },
};
const person = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const body = {
  client_id: 'user-123',
  events: [{ name: 'page_view', params: { page_location: 'https://posthog.com/docs', page_referrer: 'https://google.com', page_title: 'PostHog Docs' } }],
};

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: sends a page_view event',
    posthog: true,
    event: pageview,
    person,
    inputs: settings,
    responses: [{ status: 204, body: {} }],
    expect: {
      requests: [{ method: 'POST', url: `https://www.google-analytics.com/mp/collect?${QUERY}`, headers: { 'content-type': 'application/json' }, body }],
      logsMustNotContain: [SECRET],
    },
  },
  {
    // PostHog runs this on its Custom event mapping, which is off by default; the Page view mapping
    // takes the same path.
    name: 'PostHog: skips when clientId is empty',
    posthog: true,
    event: { ...pageview, distinct_id: '', properties: {} },
    person: { id: 'person-id', properties: {} },
    inputs: settings,
    expect: { requests: [] },
  },
  {
    name: 'PostHog: handles error responses',
    posthog: true,
    event: { ...pageview, properties: {} },
    person,
    inputs: settings,
    responses: [{ status: 400, body: { error: 'Invalid measurement_id' } }],
    expect: {
      status: 'failed',
      error: "Google Analytics API error (status 400): {'error': 'Invalid measurement_id'}",
      requests: [{ method: 'POST', url: `https://www.google-analytics.com/mp/collect?${QUERY}`, body: { client_id: 'user-123', events: [{ name: 'page_view', params: {} }] } }],
      logsMustNotContain: [SECRET],
    },
  },
  {
    name: 'takes the GA client ID from the person when PostHog has it',
    event: pageview,
    person: { id: 'person-id', properties: { $ga_client_id: '1234567890.1735689600' } },
    inputs: settings,
    expect: { requests: [{ method: 'POST', url: `https://www.google-analytics.com/mp/collect?${QUERY}`, body: { ...body, client_id: '1234567890.1735689600' } }] },
  },
  {
    name: 'validates first when asked, then sends to the EU endpoint with user properties',
    event: pageview,
    person,
    inputs: { ...settings, region: 'eu', validate: true, userProperties: { plan: 'pro', empty: '' } },
    responses: [{ status: 200, body: { validationMessages: [] } }, { status: 204 }],
    expect: {
      requests: [
        { method: 'POST', url: `https://region1.google-analytics.com/debug/mp/collect?${QUERY}`, body: { ...body, user_properties: { plan: { value: 'pro' } } } },
        { method: 'POST', url: `https://region1.google-analytics.com/mp/collect?${QUERY}`, body: { ...body, user_properties: { plan: { value: 'pro' } } } },
      ],
      logsMustNotContain: [SECRET],
    },
  },
  {
    name: 'fails on the validation server’s messages although it answered 200',
    event: pageview,
    person,
    inputs: { ...settings, validate: true },
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
    name: 'fails clearly on a server error',
    event: pageview,
    person,
    inputs: settings,
    responses: [{ status: 500, body: 'Internal Server Error' }],
    expect: { status: 'failed', error: 'Google Analytics API error (status 500)', requests: [{ method: 'POST', url: `https://www.google-analytics.com/mp/collect?${QUERY}` }], logsMustNotContain: [SECRET] },
  },
  {
    name: 'is skipped for events other than $pageview by default (the Custom event mapping is off)',
    event: { event: 'purchase', distinct_id: 'user-42' },
    person,
    inputs: settings,
    expect: { status: 'skipped', requests: [] },
  },
];
