import type { TemplateFixture } from '../types.js';

const TOKEN = 'intercom-event-secret-token';
const headers = {
  authorization: `Bearer ${TOKEN}`,
  'content-type': 'application/json',
  accept: 'application/json',
  'intercom-version': '2.14',
};
const person = { id: 'p1', properties: { email: 'max@example.com' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'submits the data event with a unix created_at',
    event: {
      event: 'placed-order',
      distinct_id: 'user-42',
      timestamp: '2026-01-02T03:04:05.000Z',
      properties: { $current_url: 'https://shop.example.com/checkout', order: { id: 7 } },
    },
    person,
    inputs: { access_token: TOKEN, metadata: { url: '{event.properties.$current_url}', order: '{event.properties.order}', missing: '{event.properties.nope}' } },
    responses: [{ status: 202 }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.intercom.io/events',
          headers,
          body: {
            event_name: 'placed-order',
            created_at: 1767323045,
            email: 'max@example.com',
            metadata: { url: 'https://shop.example.com/checkout', order: '{"id":7}' },
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'sends by user id in the AU region when configured',
    event: { event: 'invited-friend', distinct_id: 'user-42', timestamp: '2026-01-02T03:04:05.000Z' },
    person: { id: 'p1', properties: {} },
    inputs: { access_token: TOKEN, host: 'api.au.intercom.io', user_id: '{event.distinct_id}' },
    responses: [{ status: 202 }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.au.intercom.io/events',
          headers,
          body: { event_name: 'invited-friend', created_at: 1767323045, user_id: 'user-42' },
        },
      ],
    },
  },
  {
    name: 'fails clearly when the contact does not exist',
    event: { event: 'placed-order', distinct_id: 'user-42' },
    person,
    inputs: { access_token: TOKEN },
    responses: [{ status: 404, body: { type: 'error.list', errors: [{ code: 'not_found', message: 'User Not Found' }] } }],
    expect: {
      status: 'failed',
      error: 'Intercom API error (status 404): User Not Found',
      requests: [{ method: 'POST', url: 'https://api.intercom.io/events' }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'skips an event without email or user id, with a log line and no request',
    event: { event: 'placed-order', distinct_id: 'user-42' },
    person: { id: 'p1', properties: {} },
    inputs: { access_token: TOKEN },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: "is skipped for PostHog's internal $ events by default",
    event: { event: '$feature_flag_called', distinct_id: 'user-42' },
    person,
    inputs: { access_token: TOKEN },
    expect: { status: 'skipped', requests: [] },
  },
];
