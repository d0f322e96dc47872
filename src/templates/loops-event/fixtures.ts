import type { TemplateFixture } from '../types.js';

const KEY = 'loops-secret-event-key';
const uuid = '0190a1b2-0000-7000-8000-00000000000a';
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'idempotency-key': uuid };
const person = { id: 'p1', properties: { email: 'max@example.com' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends the event with an idempotency key',
    event: { event: 'signed_up', distinct_id: 'user-42', uuid, properties: { $current_url: 'https://example.com/welcome', plan: { name: 'pro' } } },
    person,
    inputs: { api_key: KEY, event_properties: { url: '{event.properties.$current_url}', plan: '{event.properties.plan}', none: '{event.properties.none}' } },
    responses: [{ status: 200, body: { success: true } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://app.loops.so/api/v1/events/send',
          headers,
          body: { eventName: 'signed_up', email: 'max@example.com', eventProperties: { url: 'https://example.com/welcome', plan: '{"name":"pro"}' } },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'treats 409 (already sent with this key) as done',
    event: { event: 'signed_up', distinct_id: 'user-42', uuid },
    person,
    inputs: { api_key: KEY, user_id: '{event.distinct_id}' },
    responses: [{ status: 409, body: { success: false, message: 'Idempotency key already used' } }],
    expect: {
      requests: [{ method: 'POST', url: 'https://app.loops.so/api/v1/events/send', headers, body: { eventName: 'signed_up', email: 'max@example.com', userId: 'user-42' } }],
    },
  },
  {
    name: 'fails clearly when Loops answers success: false',
    event: { event: 'signed_up', distinct_id: 'user-42', uuid },
    person,
    inputs: { api_key: KEY },
    responses: [{ status: 400, body: { success: false, message: 'eventName is required' } }],
    expect: {
      status: 'failed',
      error: 'Loops API error (status 400): eventName is required',
      requests: [{ method: 'POST', url: 'https://app.loops.so/api/v1/events/send' }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'skips an event without email or user id, with a log line and no request',
    event: { event: 'signed_up', distinct_id: 'user-42' },
    person: { id: 'p1', properties: {} },
    inputs: { api_key: KEY },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: "is skipped for PostHog's internal $ events by default",
    event: { event: '$groupidentify', distinct_id: 'user-42' },
    person,
    inputs: { api_key: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
