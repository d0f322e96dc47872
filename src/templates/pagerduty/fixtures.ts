import type { TemplateFixture } from '../types.js';

const KEY = 'R0UT1NGK3Ysluice0000000000000042';
const UUID = '0190a1b2-0000-7000-8000-000000000006';
const exception = {
  event: '$exception',
  distinct_id: 'u1',
  uuid: UUID,
  timestamp: '2026-01-02T03:04:05.000Z',
  properties: {
    $exception_message: 'TypeError: x is undefined',
    $exception_fingerprint: 'fp-123',
    $host: 'app.example.com',
    $current_url: 'https://app.example.com/checkout',
  },
};
const person = { id: 'p1', properties: { email: 'max@example.com' } };
const headers = { 'content-type': 'application/json' };
const accepted = { status: 'success', message: 'Event processed', dedup_key: 'fp-123' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'triggers an alert deduplicated by the exception fingerprint',
    event: exception,
    person,
    inputs: { routing_key: KEY },
    responses: [{ status: 202, body: accepted }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://events.pagerduty.com/v2/enqueue',
          headers,
          body: {
            routing_key: KEY,
            event_action: 'trigger',
            dedup_key: 'fp-123',
            payload: {
              summary: 'TypeError: x is undefined (max@example.com)',
              source: 'app.example.com',
              severity: 'error',
              timestamp: '2026-01-02T03:04:05.000Z',
              class: '$exception',
              custom_details: { distinct_id: 'u1', url: 'https://app.example.com/checkout', properties: exception.properties },
            },
            client: 'Sluice',
            client_url: 'http://localhost:8040/projects/1/destinations/destination-id',
            links: [
              { href: `http://localhost:8040/projects/1/events/${UUID}`, text: 'Event in Sluice' },
              { href: 'http://localhost:8040/projects/1/persons/p1', text: 'Person in Sluice' },
            ],
          },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'uses the EU endpoint, the event uuid as dedup key and a chosen severity',
    event: { event: '$exception', distinct_id: 'u2', uuid: UUID, timestamp: '2026-01-02T03:04:05.000Z', properties: {} },
    person: null,
    inputs: { routing_key: KEY, region: 'eu', severity: 'critical', component: 'checkout', group: 'web', custom_details: null, links: {} },
    responses: [{ status: 202, body: accepted }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://events.eu.pagerduty.com/v2/enqueue',
          headers,
          body: {
            routing_key: KEY,
            event_action: 'trigger',
            dedup_key: UUID,
            payload: {
              summary: '$exception ()',
              source: 'Test project',
              severity: 'critical',
              timestamp: '2026-01-02T03:04:05.000Z',
              component: 'checkout',
              group: 'web',
              class: '$exception',
            },
            client: 'Sluice',
            client_url: 'http://localhost:8040/projects/1/destinations/destination-id',
          },
        },
      ],
    },
  },
  {
    name: 'resolves an alert with only the routing key, action and dedup key',
    event: exception,
    person,
    inputs: { routing_key: KEY, event_action: 'resolve' },
    responses: [{ status: 202, body: accepted }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://events.pagerduty.com/v2/enqueue',
          headers,
          body: { routing_key: KEY, event_action: 'resolve', dedup_key: 'fp-123' },
        },
      ],
    },
  },
  {
    name: 'fails clearly on an invalid event (400 with errors)',
    event: exception,
    person,
    inputs: { routing_key: KEY },
    responses: [{ status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors: ["'routing_key' is invalid"] } }],
    expect: {
      status: 'failed',
      error: 'PagerDuty API error (status 400): Event object is invalid: ',
      requests: [{ method: 'POST', url: 'https://events.pagerduty.com/v2/enqueue' }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'fails clearly when rate-limited (429)',
    event: exception,
    person,
    inputs: { routing_key: KEY },
    responses: [{ status: 429, body: 'Too Many Requests' }],
    expect: { status: 'failed', error: 'PagerDuty API error (status 429): Too Many Requests', requests: [{ method: 'POST', url: 'https://events.pagerduty.com/v2/enqueue' }] },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { ...exception, event: '$pageview' },
    person,
    inputs: { routing_key: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
