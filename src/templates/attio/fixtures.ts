import type { TemplateFixture } from '../types.js';

const KEY = 'attio-secret-access-token';
const URL = 'https://api.attio.com/v2/objects/people/records?matching_attribute=email_addresses';
const person = { id: 'p1', properties: { email: 'max@example.com', name: 'Max Hedgehog', job_title: 'Mascot' } };

/** The event and person PostHog's template tests run with ($identify, so our default filter passes). */
const phEvent = { event: '$identify', distinct_id: 'distinct-id', uuid: 'event-id', timestamp: '2024-01-01T00:00:00Z', properties: { $current_url: 'https://example.com' } };
const phPerson = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const phInputs = { apiKey: 'apikey12345', email: 'max@posthog.com', personAttributes: { name: 'Max', job_title: 'Mascot' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: upserts the person record',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 200, body: { ok: true } }],
    expect: {
      requests: [
        {
          method: 'PUT',
          url: URL,
          headers: { authorization: 'Bearer apikey12345', 'content-type': 'application/json' },
          body: { data: { values: { email_addresses: [{ email_address: 'max@posthog.com' }], name: 'Max', job_title: 'Mascot' } } },
        },
      ],
    },
  },
  {
    name: 'PostHog: omits person attributes with empty values',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: { ...phInputs, personAttributes: { name: 'Max', job_title: '' } },
    expect: { requests: [{ method: 'PUT', url: URL, body: { data: { values: { email_addresses: [{ email_address: 'max@posthog.com' }], name: 'Max' } } } }] },
  },
  {
    name: 'PostHog: errors on a non-2xx response',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 400, body: { error: 'bad request' } }],
    expect: { status: 'failed', error: 'Attio API error (status 400): {"error":"bad request"}', requests: [{ method: 'PUT', url: URL }], logsMustNotContain: ['apikey12345'] },
  },
  {
    name: 'asserts the person record by email with the default attributes',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { apiKey: KEY },
    responses: [{ status: 200, body: { data: { id: { record_id: 'bf07' } } } }],
    expect: {
      requests: [
        {
          method: 'PUT',
          url: URL,
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: { data: { values: { email_addresses: [{ email_address: 'max@example.com' }], name: 'Max Hedgehog', job_title: 'Mascot' } } },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'sends only the email when nothing else is known',
    event: { event: '$set', distinct_id: 'u1' },
    person: { id: 'p1', properties: { email: 'anon@example.com' } },
    inputs: { apiKey: KEY },
    expect: { requests: [{ method: 'PUT', url: URL, body: { data: { values: { email_addresses: [{ email_address: 'anon@example.com' }] } } } }] },
  },
  {
    name: 'fails clearly on a validation error',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { apiKey: KEY },
    responses: [{ status: 400, body: { status_code: 400, type: 'invalid_request_error', code: 'validation_type', message: 'Attribute job_title not found' } }],
    expect: { status: 'failed', error: 'Attio API error (status 400): Attribute job_title not found', requests: [{ method: 'PUT', url: URL }], logsMustNotContain: [KEY] },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: { event: '$identify', distinct_id: 'u1' },
    person: { id: 'p1', properties: { name: 'Max' } },
    inputs: { apiKey: KEY },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than $identify and $set',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person,
    inputs: { apiKey: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
