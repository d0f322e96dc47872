import type { TemplateFixture } from '../types.js';

const KEY = 'braze-secret-rest-key';
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const person = { id: 'p1', properties: { email: 'max@example.com', first_name: 'Max' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'tracks attributes and the event in one request, without $ properties',
    event: {
      event: 'purchase_completed',
      distinct_id: 'user-42',
      timestamp: '2026-01-02T03:04:05.000Z',
      properties: { amount: 42, currency: 'EUR', $browser: 'Firefox', $lib: 'web' },
    },
    person,
    inputs: { api_key: KEY },
    responses: [{ status: 201, body: { message: 'success', attributes_processed: 1, events_processed: 1 } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://rest.iad-01.braze.com/users/track',
          headers,
          body: {
            attributes: [{ external_id: 'user-42', email: 'max@example.com', first_name: 'Max' }],
            events: [{ external_id: 'user-42', name: 'purchase_completed', time: '2026-01-02T03:04:05.000Z', properties: { amount: 42, currency: 'EUR' } }],
          },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'sends attributes only on $identify, to the EU endpoint',
    event: { event: '$identify', distinct_id: 'user-42' },
    person,
    inputs: { api_key: KEY, endpoint: 'https://rest.fra-02.braze.eu' },
    responses: [{ status: 201, body: { message: 'success', attributes_processed: 1 } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://rest.fra-02.braze.eu/users/track',
          headers,
          body: { attributes: [{ external_id: 'user-42', email: 'max@example.com', first_name: 'Max' }] },
        },
      ],
    },
  },
  {
    name: 'succeeds but logs the non-fatal errors of a success response',
    event: { event: '$set', distinct_id: 'user-42' },
    person,
    inputs: { api_key: KEY },
    responses: [{ status: 201, body: { message: 'success', errors: [{ type: "'email' is not a valid email", input_array: 'attributes', index: 0 }] } }],
    expect: { requests: [{ method: 'POST', url: 'https://rest.iad-01.braze.com/users/track' }] },
  },
  {
    name: 'fails clearly on a fatal error',
    event: { event: 'purchase_completed', distinct_id: 'user-42' },
    person,
    inputs: { api_key: KEY },
    responses: [{ status: 401, body: { message: 'Invalid API key: [REDACTED]' } }],
    expect: {
      status: 'failed',
      error: 'Braze API error (status 401): Invalid API key',
      requests: [{ method: 'POST', url: 'https://rest.iad-01.braze.com/users/track' }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'fails clearly when a 2xx does not say success',
    event: { event: 'purchase_completed', distinct_id: 'user-42' },
    person,
    inputs: { api_key: KEY },
    responses: [{ status: 201, body: { message: 'Valid data must be provided in the attributes, events, or purchases fields.' } }],
    expect: {
      status: 'failed',
      error: 'Braze API error (status 201): Valid data must be provided',
      requests: [{ method: 'POST', url: 'https://rest.iad-01.braze.com/users/track' }],
    },
  },
  {
    name: 'skips a person without an external id, with a log line and no request',
    event: { event: 'purchase_completed', distinct_id: 'user-42' },
    person,
    inputs: { api_key: KEY, external_id: '{person.properties.braze_id}' },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: "is skipped for PostHog's internal $ events by default",
    event: { event: '$autocapture', distinct_id: 'user-42' },
    person,
    inputs: { api_key: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
