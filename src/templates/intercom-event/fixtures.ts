import type { TemplateFixture } from '../types.js';

const headers = (token: string) => ({
  'content-type': 'application/json',
  'intercom-version': '2.11',
  accept: 'application/json',
  authorization: `Bearer ${token}`,
});
const searchFor = (email: string, host = 'api.intercom.io', token = 'ACCESS_TOKEN') => ({
  method: 'POST',
  url: `https://${host}/contacts/search`,
  headers: headers(token),
  body: { query: { field: 'email', operator: '=', value: email } },
});
const phInputs = {
  oauth: { access_token: 'ACCESS_TOKEN', 'app.region': 'US' },
  email: 'max@posthog.com',
  eventName: 'purchase',
  eventTime: '1234567890',
  include_all_properties: false,
  properties: { revenue: '50', currency: 'USD' },
};
const ONE = { status: 200, body: { total_count: 1, data: [{ id: '123' }] } };
const pageview = (properties: Record<string, unknown> = { $current_url: 'https://example.com' }) => ({
  event: '$pageview',
  distinct_id: 'distinct-id',
  timestamp: '2024-01-01T00:00:00Z',
  properties,
});
const person = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const TOKEN = 'dG9rOmV2ZW50cy1zZWNyZXQ=';

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: searches for the contact, then sends the event',
    posthog: true,
    event: pageview(),
    person,
    inputs: phInputs,
    responses: [ONE, { status: 200, body: { ok: true } }],
    expect: {
      requests: [
        searchFor('max@posthog.com'),
        {
          method: 'POST',
          url: 'https://api.intercom.io/events',
          headers: headers('ACCESS_TOKEN'),
          body: { event_name: 'purchase', created_at: '1234567890', email: 'max@posthog.com', metadata: { revenue: '50', currency: 'USD' } },
        },
      ],
      logsMustNotContain: ['ACCESS_TOKEN'],
    },
  },
  {
    name: 'PostHog: sends event properties, but not $-prefixed ones, when include_all_properties is on',
    posthog: true,
    event: pageview({ plan: 'paid', $lib: 'web' }),
    person,
    inputs: { ...phInputs, include_all_properties: true },
    responses: [ONE],
    expect: {
      requests: [
        searchFor('max@posthog.com'),
        {
          method: 'POST',
          url: 'https://api.intercom.io/events',
          body: {
            event_name: 'purchase',
            created_at: '1234567890',
            email: 'max@posthog.com',
            metadata: { plan: 'paid', revenue: '50', currency: 'USD' },
          },
        },
      ],
    },
  },
  {
    name: 'PostHog: skips the request when the email is empty',
    posthog: true,
    event: pageview(),
    // An empty required input is refused when saved, so the emptiness comes from the person.
    person: { id: 'person-id', properties: { email: '' } },
    inputs: { ...phInputs, email: '{person.properties.email}' },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'PostHog: fails when no contact matches',
    posthog: true,
    event: pageview(),
    person,
    inputs: phInputs,
    responses: [{ status: 200, body: { total_count: 0, data: [] } }],
    expect: { status: 'failed', error: 'Intercom: 0 contacts have the email max@posthog.com', requests: [searchFor('max@posthog.com')] },
  },
  {
    name: 'PostHog: fails when several contacts match',
    posthog: true,
    event: pageview(),
    person,
    inputs: phInputs,
    responses: [{ status: 200, body: { total_count: 2, data: [{ id: '1' }, { id: '2' }] } }],
    expect: { status: 'failed', error: 'Intercom: 2 contacts have the email max@posthog.com', requests: [searchFor('max@posthog.com')] },
  },
  {
    name: 'PostHog: fails when sending the event fails',
    posthog: true,
    event: pageview(),
    person,
    inputs: phInputs,
    responses: [ONE, { status: 400, body: { error: 'error' } }],
    expect: {
      status: 'failed',
      error: 'Intercom API error (status 400): {"error":"error"}',
      requests: [searchFor('max@posthog.com'), { method: 'POST', url: 'https://api.intercom.io/events' }],
    },
  },
  {
    name: 'uses the access token and AU host inputs, with the default time and metadata',
    event: pageview({ price: 42, currency: 'EUR', $current_url: 'https://example.com/checkout' }),
    person: { id: 'p1', properties: { email: 'max@example.com' } },
    inputs: { access_token: TOKEN, host: 'api.au.intercom.io' },
    responses: [ONE],
    expect: {
      requests: [
        searchFor('max@example.com', 'api.au.intercom.io', TOKEN),
        {
          method: 'POST',
          url: 'https://api.au.intercom.io/events',
          headers: headers(TOKEN),
          body: { event_name: '$pageview', created_at: 1704067200, email: 'max@example.com', metadata: { revenue: 42, currency: 'EUR' } },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails when the search is refused, with the message of the Intercom error list',
    event: pageview(),
    person,
    inputs: phInputs,
    responses: [{ status: 401, body: { type: 'error.list', errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }] } }],
    expect: { status: 'failed', error: 'Intercom API error (status 401): Access Token Invalid', requests: [searchFor('max@posthog.com')] },
  },
  {
    name: 'fails before any request when no token is set',
    event: pageview(),
    person,
    inputs: {},
    expect: { status: 'failed', error: 'Intercom: no access token', requests: [] },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: pageview(),
    person: { id: 'p1', properties: {} },
    inputs: { access_token: TOKEN },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than $pageview (the default filter)',
    event: { event: 'purchase', distinct_id: 'u1' },
    person,
    inputs: phInputs,
    expect: { status: 'skipped', requests: [] },
  },
];
