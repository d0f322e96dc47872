import type { TemplateFixture } from '../types.js';

const KEY = 'cio-secret-key';
// base64('site123:cio-secret-key')
const BASIC = 'c2l0ZTEyMzpjaW8tc2VjcmV0LWtleQ==';
const headers = { authorization: `Basic ${BASIC}`, 'content-type': 'application/json' };
const base = { site_id: 'site123', api_key: KEY };
const person = { id: 'p1', properties: { email: 'max@example.com', first_name: 'Max' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'identifies, then tracks a custom event (2 requests)',
    event: { event: 'purchase', distinct_id: 'user 42', timestamp: '2026-01-02T03:04:05.000Z', properties: { price: 23.5, plan: 'pro' } },
    person,
    inputs: base,
    expect: {
      requests: [
        {
          method: 'PUT',
          url: 'https://track.customer.io/api/v1/customers/user%2042',
          headers,
          body: { email: 'max@example.com', first_name: 'Max' },
        },
        {
          method: 'POST',
          url: 'https://track.customer.io/api/v1/customers/user%2042/events',
          headers,
          body: { name: 'purchase', data: { price: 23.5, plan: 'pro' }, timestamp: 1767323045 },
        },
      ],
      logsMustNotContain: [KEY, BASIC],
    },
  },
  {
    name: 'only identifies on $identify, in the EU region',
    event: { event: '$identify', distinct_id: 'user-42' },
    person,
    inputs: { ...base, region: 'EU' },
    expect: {
      requests: [
        { method: 'PUT', url: 'https://track-eu.customer.io/api/v1/customers/user-42', headers, body: { email: 'max@example.com', first_name: 'Max' } },
      ],
    },
  },
  {
    name: 'tracks only when the action is "track"',
    event: { event: '$pageview', distinct_id: 'user-42', timestamp: '2026-01-02T03:04:05.000Z', properties: { $current_url: 'https://example.com/' } },
    person,
    inputs: { ...base, action: 'track' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://track.customer.io/api/v1/customers/user-42/events',
          headers,
          body: { name: '$pageview', data: { $current_url: 'https://example.com/' }, timestamp: 1767323045 },
        },
      ],
    },
  },
  {
    name: 'fails clearly when the credentials are wrong, before tracking',
    event: { event: 'purchase', distinct_id: 'user-42' },
    person,
    inputs: base,
    responses: [{ status: 401, body: { meta: { error: 'Unauthorized request' } } }],
    expect: {
      status: 'failed',
      error: 'Customer.io API error (status 401) on identify: Unauthorized request',
      requests: [{ method: 'PUT', url: 'https://track.customer.io/api/v1/customers/user-42' }],
      logsMustNotContain: [KEY, BASIC],
    },
  },
  {
    name: 'fails clearly when the event is rejected',
    event: { event: 'purchase', distinct_id: 'user-42' },
    person,
    inputs: base,
    responses: [{ status: 200, body: {} }, { status: 400, body: { meta: { error: 'event name is required' } } }],
    expect: {
      status: 'failed',
      error: 'Customer.io API error (status 400) on track: event name is required',
      requests: [
        { method: 'PUT', url: 'https://track.customer.io/api/v1/customers/user-42' },
        { method: 'POST', url: 'https://track.customer.io/api/v1/customers/user-42/events' },
      ],
    },
  },
  {
    name: 'skips an event without an identifier, with a log line and no request',
    event: { event: 'purchase', distinct_id: 'user-42' },
    person,
    inputs: { ...base, identifier: '{person.properties.customer_id}' },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: "is skipped for PostHog's internal $ events by default",
    event: { event: '$autocapture', distinct_id: 'user-42' },
    person,
    inputs: base,
    expect: { status: 'skipped', requests: [] },
  },
];
