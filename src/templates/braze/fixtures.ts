import type { TemplateFixture } from '../types.js';

const KEY = 'braze-secret-rest-key';
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const person = { id: 'p1', properties: { email: 'max@example.com', first_name: 'Max' } };
const US = 'https://rest.iad-01.braze.com';

/** The event and person PostHog's template tests run with. */
const phEvent = { event: 'event-name', distinct_id: 'distinct-id', uuid: 'event-id', timestamp: '2024-01-01T00:00:00Z', properties: { $current_url: 'https://example.com' } };
const phPerson = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const phInputs = {
  brazeEndpoint: 'https://rest.fra-01.braze.eu',
  apiKey: 'my_secret_key',
  attributes: { email: '{person.properties.email}' },
  event: { name: '{event.event}', time: '{event.timestamp}', properties: '{event.properties}', external_id: '{event.distinct_id}' },
};

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: tracks the user',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 201, body: { message: 'success' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://rest.fra-01.braze.eu/users/track',
          headers: { authorization: 'Bearer my_secret_key', 'content-type': 'application/json' },
          body: {
            attributes: [{ email: 'example@posthog.com' }],
            events: [{ name: 'event-name', time: '2024-01-01T00:00:00Z', properties: { $current_url: 'https://example.com' }, external_id: 'distinct-id' }],
          },
        },
      ],
      logsMustNotContain: ['my_secret_key'],
    },
  },
  {
    name: 'PostHog: errors on a non-2xx response',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 401, body: { message: 'invalid api key' } }],
    expect: { status: 'failed', error: 'Braze API error (status 401): invalid api key', requests: [{ method: 'POST', url: 'https://rest.fra-01.braze.eu/users/track' }], logsMustNotContain: ['my_secret_key'] },
  },
  {
    name: 'tracks attributes and the event with the default mappings',
    event: {
      event: 'purchase_completed',
      distinct_id: 'user-42',
      timestamp: '2026-01-02T03:04:05.000Z',
      properties: { amount: 42, currency: 'EUR' },
    },
    person,
    inputs: { brazeEndpoint: US, apiKey: KEY },
    responses: [{ status: 201, body: { message: 'success', attributes_processed: 1, events_processed: 1 } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: `${US}/users/track`,
          headers,
          body: {
            attributes: [{ email: 'max@example.com' }],
            events: [{ external_id: 'user-42', name: 'purchase_completed', time: '2026-01-02T03:04:05.000Z', properties: { amount: 42, currency: 'EUR' } }],
          },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'sends custom attributes keyed by external id to the EU endpoint',
    event: { event: '$identify', distinct_id: 'user-42', timestamp: '2026-01-02T03:04:05.000Z' },
    person,
    inputs: {
      brazeEndpoint: 'https://rest.fra-02.braze.eu',
      apiKey: KEY,
      attributes: { external_id: '{event.distinct_id}', email: '{person.properties.email}', first_name: '{person.properties.first_name}' },
    },
    responses: [{ status: 201, body: { message: 'success', attributes_processed: 1 } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://rest.fra-02.braze.eu/users/track',
          headers,
          body: {
            attributes: [{ external_id: 'user-42', email: 'max@example.com', first_name: 'Max' }],
            events: [{ external_id: 'user-42', name: '$identify', time: '2026-01-02T03:04:05.000Z', properties: {} }],
          },
        },
      ],
    },
  },
  {
    name: 'succeeds but logs the non-fatal errors of a success response',
    event: { event: '$set', distinct_id: 'user-42' },
    person,
    inputs: { brazeEndpoint: US, apiKey: KEY },
    responses: [{ status: 201, body: { message: 'success', errors: [{ type: "'email' is not a valid email", input_array: 'attributes', index: 0 }] } }],
    expect: { requests: [{ method: 'POST', url: `${US}/users/track` }] },
  },
  {
    name: 'fails clearly when a 2xx does not say success',
    event: { event: 'purchase_completed', distinct_id: 'user-42' },
    person,
    inputs: { brazeEndpoint: US, apiKey: KEY },
    responses: [{ status: 201, body: { message: 'Valid data must be provided in the attributes, events, or purchases fields.' } }],
    expect: {
      status: 'failed',
      error: 'Braze API error (status 201): Valid data must be provided',
      requests: [{ method: 'POST', url: `${US}/users/track` }],
    },
  },
  {
    name: "is skipped for PostHog's internal $ events by default",
    event: { event: '$autocapture', distinct_id: 'user-42' },
    person,
    inputs: { brazeEndpoint: US, apiKey: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
