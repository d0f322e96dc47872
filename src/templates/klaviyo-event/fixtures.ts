import type { TemplateFixture } from '../types.js';

const KEY = 'pk_secret_klaviyo_events';
const headers = {
  authorization: `Klaviyo-API-Key ${KEY}`,
  revision: '2026-01-15',
  accept: 'application/vnd.api+json',
  'content-type': 'application/vnd.api+json',
};
const uuid = '0190a1b2-0000-7000-8000-000000000009';
const person = { id: 'p1', properties: { email: 'Max@Example.com' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'creates the event with metric, profile, value and unique id',
    event: { event: 'Placed Order', distinct_id: 'user-42', uuid, timestamp: '2026-01-02T03:04:05.000Z', properties: { revenue: '29.99', items: ['hat'] } },
    person,
    inputs: { api_key: KEY },
    responses: [{ status: 202 }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://a.klaviyo.com/api/events',
          headers,
          body: {
            data: {
              type: 'event',
              attributes: {
                properties: { revenue: '29.99', items: ['hat'] },
                time: '2026-01-02T03:04:05.000Z',
                unique_id: uuid,
                metric: { data: { type: 'metric', attributes: { name: 'Placed Order' } } },
                profile: { data: { type: 'profile', attributes: { email: 'max@example.com' } } },
                value: 29.99,
              },
            },
          },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'identifies the profile by phone and external id when configured',
    event: { event: 'signed_up', distinct_id: 'user-42', uuid, timestamp: '2026-01-02T03:04:05.000Z' },
    person: { id: 'p1', properties: { phone: '+15005550006' } },
    inputs: { api_key: KEY, external_id: '{event.distinct_id}' },
    responses: [{ status: 202 }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://a.klaviyo.com/api/events',
          headers,
          body: {
            data: {
              type: 'event',
              attributes: {
                properties: {},
                time: '2026-01-02T03:04:05.000Z',
                unique_id: uuid,
                metric: { data: { type: 'metric', attributes: { name: 'signed_up' } } },
                profile: { data: { type: 'profile', attributes: { phone_number: '+15005550006', external_id: 'user-42' } } },
              },
            },
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly when Klaviyo rejects the key',
    event: { event: 'signed_up', distinct_id: 'user-42' },
    person,
    inputs: { api_key: KEY },
    responses: [{ status: 401, body: { errors: [{ status: 401, code: 'not_authenticated', title: 'Authentication credentials were not provided.' }] } }],
    expect: {
      status: 'failed',
      error: 'Klaviyo API error (status 401): Authentication credentials were not provided.',
      requests: [{ method: 'POST', url: 'https://a.klaviyo.com/api/events' }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'skips a person without email or phone, with a log line and no request',
    event: { event: 'signed_up', distinct_id: 'user-42' },
    person: { id: 'p1', properties: {} },
    inputs: { api_key: KEY },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: "is skipped for PostHog's internal $ events by default",
    event: { event: '$pageleave', distinct_id: 'user-42' },
    person,
    inputs: { api_key: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
