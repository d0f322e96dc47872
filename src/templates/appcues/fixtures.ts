import type { TemplateFixture } from '../types.js';

const base = { accountId: '12345', apiKey: 'test_api_key', apiSecret: 'test_api_secret', region: 'US', userId: 'user-123', include_all_properties: false };
const AUTH = `Basic ${Buffer.from('test_api_key:test_api_secret').toString('base64')}`;
const headers = { authorization: AUTH, 'content-type': 'application/json' };
const EVENTS = 'https://api.appcues.com/v2/accounts/12345/users/user-123/events';
const PROFILE = 'https://api.appcues.com/v2/accounts/12345/users/user-123/profile';
const at = { distinct_id: 'user-123', timestamp: '2024-01-01T00:00:00Z' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: tracks an event',
    posthog: true,
    event: { event: 'Product Viewed', ...at, properties: { product_id: 'widget-123' } },
    inputs: { ...base, eventName: 'Product Viewed', attributes: { product_id: 'widget-123' } },
    expect: {
      requests: [
        { method: 'POST', url: EVENTS, headers, body: { name: 'Product Viewed', timestamp: '2024-01-01T00:00:00Z', attributes: { product_id: 'widget-123' } } },
      ],
      logsMustNotContain: ['test_api_secret'],
    },
  },
  {
    name: 'PostHog: adds the group ID',
    posthog: true,
    event: { event: 'Plan Upgraded', ...at },
    inputs: { ...base, eventName: 'Plan Upgraded', groupId: 'company-99', attributes: {} },
    expect: { requests: [{ method: 'POST', url: EVENTS, body: { name: 'Plan Upgraded', timestamp: '2024-01-01T00:00:00Z', group_id: 'company-99' } }] },
  },
  {
    name: 'PostHog: uses the EU endpoint',
    posthog: true,
    event: { event: 'Product Viewed', ...at },
    inputs: { ...base, region: 'EU', eventName: 'Product Viewed', attributes: {} },
    expect: { requests: [{ method: 'POST', url: 'https://api.eu.appcues.com/v2/accounts/12345/users/user-123/events' }] },
  },
  {
    name: 'PostHog: updates the profile on $identify',
    posthog: true,
    event: { event: '$identify', ...at },
    person: { id: 'p1', properties: { email: 'test@example.com', first_name: 'Jane' } },
    inputs: { ...base, profileProperties: { email: 'test@example.com', first_name: 'Jane' } },
    expect: { requests: [{ method: 'PATCH', url: PROFILE, headers, body: { email: 'test@example.com', first_name: 'Jane' } }] },
  },
  {
    name: 'PostHog: sends nothing when there are no profile properties',
    posthog: true,
    event: { event: '$identify', ...at },
    person: { id: 'p1', properties: {} },
    inputs: { ...base, profileProperties: {} },
    expect: { requests: [] },
  },
  {
    name: 'PostHog: sends nothing without a user ID',
    posthog: true,
    event: { event: 'Product Viewed', ...at },
    inputs: { ...base, userId: '{event.properties.appcues_id}', eventName: 'Product Viewed', attributes: {} },
    expect: { requests: [] },
  },
  {
    name: 'PostHog: includes all event properties but $ ones in the attributes',
    posthog: true,
    event: { event: 'Product Viewed', ...at, properties: { product_id: 'widget-123', $browser: 'Chrome' } },
    inputs: { ...base, include_all_properties: true, eventName: 'Product Viewed', attributes: { source: 'web' } },
    expect: {
      requests: [{ method: 'POST', url: EVENTS, body: { name: 'Product Viewed', timestamp: '2024-01-01T00:00:00Z', attributes: { product_id: 'widget-123', source: 'web' } } }],
    },
  },
  {
    name: 'PostHog: includes all person properties but $ ones in the profile',
    posthog: true,
    event: { event: '$identify', ...at },
    person: { id: 'p1', properties: { email: 'test@example.com', company: 'Acme', $initial_referrer: 'google' } },
    inputs: { ...base, include_all_properties: true, profileProperties: { plan: 'enterprise' } },
    expect: { requests: [{ method: 'PATCH', url: PROFILE, body: { email: 'test@example.com', company: 'Acme', plan: 'enterprise' } }] },
  },
  {
    name: 'PostHog: fails on an error answer to a track',
    posthog: true,
    event: { event: 'Product Viewed', ...at },
    inputs: { ...base, eventName: 'Product Viewed', attributes: {} },
    responses: [{ status: 401, body: { error: 'Unauthorized' } }],
    expect: { status: 'failed', error: 'Appcues API error (status 401): Unauthorized', requests: [{ method: 'POST', url: EVENTS }], logsMustNotContain: ['test_api_secret'] },
  },
  {
    name: 'PostHog: fails on an error answer to an identify',
    posthog: true,
    event: { event: '$identify', ...at },
    person: { id: 'p1', properties: { email: 'test@example.com' } },
    inputs: { ...base, profileProperties: { email: 'test@example.com' } },
    responses: [{ status: 401, body: { error: 'Unauthorized' } }],
    expect: { status: 'failed', error: 'Appcues API error (status 401): Unauthorized', requests: [{ method: 'PATCH', url: PROFILE }] },
  },
  {
    name: 'defaults: the distinct ID (encoded) as user, the event name, and the person’s email and names on $set',
    event: { event: '$set', distinct_id: 'jane@example.com', timestamp: '2024-01-01T00:00:00Z' },
    person: { id: 'p1', properties: { email: 'jane@example.com', first_name: 'Jane' } },
    inputs: { accountId: '12345', apiKey: 'test_api_key', apiSecret: 'test_api_secret' },
    expect: {
      requests: [
        { method: 'PATCH', url: 'https://api.appcues.com/v2/accounts/12345/users/jane%40example.com/profile', headers, body: { email: 'jane@example.com', first_name: 'Jane' } },
      ],
      logsMustNotContain: ['test_api_secret'],
    },
  },
  {
    name: 'is skipped for $groupidentify',
    event: { event: '$groupidentify', ...at },
    inputs: base,
    expect: { status: 'skipped', requests: [] },
  },
];
