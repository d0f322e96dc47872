import type { TemplateFixture } from '../types.js';

const KEY = 'rk-test-write-key';
const URL = 'https://api.retain.so/sources/posthog';
const headers = { authorization: `Basic ${KEY}`, 'content-type': 'application/json' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: forwards a custom event with the person attached',
    posthog: true,
    event: { uuid: 'event-uuid-1', event: 'report exported', distinct_id: 'user-123', timestamp: '2024-01-01T00:00:00Z', properties: { format: 'csv' } },
    person: { properties: { email: 'user@example.com', name: 'Example User' } },
    inputs: { writeKey: KEY },
    responses: [{ status: 201, body: { success: true, result: 'tracked' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: {
            event: { uuid: 'event-uuid-1', event: 'report exported', distinct_id: 'user-123', properties: { format: 'csv' }, timestamp: '2024-01-01T00:00:00Z' },
            person: { properties: { email: 'user@example.com', name: 'Example User' } },
          },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  ...['$identify', '$set', '$groupidentify'].map(
    (name): TemplateFixture => ({
      name: `PostHog: forwards ${name} identity events`,
      posthog: true,
      event: { uuid: 'event-uuid-2', event: name, distinct_id: 'user-123', timestamp: '2024-01-01T00:00:00Z', properties: { $set: { email: 'user@example.com' } } },
      person: { properties: { email: 'user@example.com' } },
      inputs: { writeKey: KEY },
      expect: {
        requests: [
          {
            method: 'POST',
            url: URL,
            headers,
            body: {
              event: { uuid: 'event-uuid-2', event: name, distinct_id: 'user-123', properties: { $set: { email: 'user@example.com' } }, timestamp: '2024-01-01T00:00:00Z' },
              person: { properties: { email: 'user@example.com' } },
            },
          },
        ],
      },
    }),
  ),
  ...['$pageview', '$pageleave', '$autocapture', '$feature_flag_called', '$exception'].map(
    (name): TemplateFixture => ({
      name: `PostHog: skips PostHog internal event ${name} without making a request`,
      posthog: true,
      event: { event: name, distinct_id: 'user-123', properties: {} },
      inputs: { writeKey: KEY },
      expect: { status: 'succeeded', requests: [] },
    }),
  ),
  {
    name: 'PostHog: throws when Retain responds with an error status',
    posthog: true,
    event: { event: 'report exported', distinct_id: 'user-123', properties: {} },
    inputs: { writeKey: KEY },
    responses: [{ status: 401, body: { message: 'Invalid write key' } }],
    expect: { status: 'failed', error: 'Retain API error (status 401): Invalid write key', requests: [{ method: 'POST', url: URL }], logsMustNotContain: [KEY] },
  },
  {
    name: 'a personless event is sent with null person properties',
    event: { uuid: 'event-uuid-3', event: 'report exported', distinct_id: 'anon-1', timestamp: '2024-01-01T00:00:00Z', properties: {} },
    person: null,
    inputs: { writeKey: KEY },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: { event: { uuid: 'event-uuid-3', event: 'report exported', distinct_id: 'anon-1', properties: {}, timestamp: '2024-01-01T00:00:00Z' }, person: { properties: null } },
        },
      ],
    },
  },
];
