import type { TemplateFixture } from '../types.js';

const KEY = 'xkeysib-secret-brevo-key';
const URL = 'https://api.brevo.com/v3/contacts';
const person = { id: 'p1', properties: { email: 'max@example.com', firstname: 'Max', lastname: 'Hedgehog' } };

/** The event and person PostHog's template tests run with ($identify, so our default filter passes). */
const phEvent = { event: '$identify', distinct_id: 'distinct-id', uuid: 'event-id', timestamp: '2024-01-01T00:00:00Z', properties: { $current_url: 'https://example.com' } };
const phPerson = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const phInputs = { apiKey: 'apikey12345', email: 'max@posthog.com', attributes: { EMAIL: 'max@posthog.com', FIRSTNAME: 'Max' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: creates the contact',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 201, body: { id: 42 } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { 'api-key': 'apikey12345', 'content-type': 'application/json' },
          body: { email: 'max@posthog.com', updateEnabled: true, attributes: { EMAIL: 'max@posthog.com', FIRSTNAME: 'Max' } },
        },
      ],
      logsMustNotContain: ['apikey12345'],
    },
  },
  {
    name: 'PostHog: skips the request when the email is empty',
    posthog: true,
    event: phEvent,
    person: { id: 'person-id', properties: {} },
    // Sluice rejects a literal '' for a required input, so the email is a template that comes out empty.
    inputs: { ...phInputs, email: '{person.properties.email}' },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'PostHog: omits attributes with empty values',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: { ...phInputs, attributes: { FIRSTNAME: 'Max', LASTNAME: '' } },
    expect: { requests: [{ method: 'POST', url: URL, body: { email: 'max@posthog.com', updateEnabled: true, attributes: { FIRSTNAME: 'Max' } } }] },
  },
  {
    name: 'PostHog: errors on a non-2xx response',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 400, body: { code: 'invalid_parameter' } }],
    expect: { status: 'failed', error: 'Brevo API error (status 400): invalid_parameter', requests: [{ method: 'POST', url: URL }], logsMustNotContain: ['apikey12345'] },
  },
  {
    name: 'creates or updates the contact with the default attributes and lists',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { apiKey: KEY, list_ids: '2, 7' },
    responses: [{ status: 201, body: { id: 42 } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { 'api-key': KEY, 'content-type': 'application/json' },
          body: { email: 'max@example.com', updateEnabled: true, attributes: { EMAIL: 'max@example.com', FIRSTNAME: 'Max', LASTNAME: 'Hedgehog' }, listIds: [2, 7] },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'succeeds on 204 (an existing contact updated)',
    event: { event: '$set', distinct_id: 'u1' },
    person: { id: 'p1', properties: { email: 'max@example.com' } },
    inputs: { apiKey: KEY },
    responses: [{ status: 204 }],
    expect: {
      requests: [{ method: 'POST', url: URL, body: { email: 'max@example.com', updateEnabled: true, attributes: { EMAIL: 'max@example.com' } } }],
    },
  },
  {
    name: 'fails clearly with the code and message Brevo returns',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { apiKey: KEY },
    responses: [{ status: 401, body: { code: 'unauthorized', message: 'Key not found' } }],
    expect: {
      status: 'failed',
      error: 'Brevo API error (status 401): unauthorized: Key not found',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'is skipped for events other than $identify and $set',
    event: { event: '$pageview', distinct_id: 'u1' },
    person,
    inputs: { apiKey: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
