import type { TemplateFixture } from '../types.js';

const KEY = 'witn-api-key';
const URL = 'https://api.thewitn.com/v1/events';
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const base = {
  api_key: KEY,
  api_base_url: 'https://api.thewitn.com',
  key: 'support:ticket:1001',
  action: 'csat_received',
  customer_key: 'acme',
  agent_key: '',
  idempotency_key: 'event-id',
  timestamp: '2024-01-01T00:00:00Z',
  properties: { value: 0, attribution: 0.8, settles_at: '' },
};
const event = { event: 'csat_received', distinct_id: 'u1' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: sends an event to witn',
    posthog: true,
    event,
    inputs: base,
    responses: [{ status: 202, body: {} }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: {
            key: 'support:ticket:1001',
            action: 'csat_received',
            customer_key: 'acme',
            timestamp: '2024-01-01T00:00:00Z',
            idempotency_key: 'event-id',
            properties: { value: 0, attribution: 0.8 },
          },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'PostHog: includes the agent key when configured',
    posthog: true,
    event,
    inputs: { ...base, agent_key: 'support', properties: {} },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: {
            key: 'support:ticket:1001',
            action: 'csat_received',
            customer_key: 'acme',
            agent_key: 'support',
            timestamp: '2024-01-01T00:00:00Z',
            idempotency_key: 'event-id',
          },
        },
      ],
    },
  },
  {
    name: 'PostHog: throws an error if the witn API request fails',
    posthog: true,
    event,
    inputs: base,
    responses: [{ status: 400, body: { error: { code: 'VALIDATION_ERROR', message: 'Invalid request' } } }],
    expect: {
      status: 'failed',
      error: 'witn API error (status 400): {"error":{"code":"VALIDATION_ERROR","message":"Invalid request"}}',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'the defaults read the event; a trailing slash on the base URL is ignored',
    event: { event: 'ticket_resolved', distinct_id: 'u1', uuid: '0190a1b2-0000-7000-8000-000000000401', timestamp: '2026-02-01T12:00:00.000Z', properties: { key: 'ticket-000042', value: 12.5 } },
    person: { id: 'p1', properties: { email: 'buyer@acme.example' } },
    inputs: { api_key: KEY, api_base_url: 'https://witn.internal.example/' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://witn.internal.example/v1/events',
          headers,
          body: {
            key: 'ticket-000042',
            action: 'ticket_resolved',
            customer_key: 'buyer@acme.example',
            timestamp: '2026-02-01T12:00:00.000Z',
            idempotency_key: '0190a1b2-0000-7000-8000-000000000401',
            properties: { value: 12.5 },
          },
        },
      ],
    },
  },
  {
    name: 'skips an event without a key, with a log line and no request',
    event: { event: 'ticket_resolved', distinct_id: 'u1', properties: {} },
    person: { id: 'p1', properties: { email: 'buyer@acme.example' } },
    inputs: { api_key: KEY },
    expect: { status: 'succeeded', requests: [] },
  },
];
