import type { TemplateFixture } from '../types.js';

const TOKEN = 'patAirtableToken.0123456789abcdef';
const URL = 'https://api.airtable.com/v0/appBase123/Sign%20ups';

const signup = {
  event: 'signed_up',
  distinct_id: 'user-42',
  uuid: '0190a1b2-0000-7000-8000-000000000801',
  timestamp: '2026-01-02T03:04:05.000Z',
  properties: { $current_url: 'https://example.com/signup' },
};

/** PostHog's template tests use their own event name; ours must pass the default filter. */
const phEvent = { event: 'signed_up', distinct_id: 'distinct-id', uuid: 'event-id', timestamp: '2024-01-01T00:00:00Z', properties: { $current_url: 'https://example.com' } };
const phPerson = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const phInputs = { access_token: 'test_token', base_id: 'test_base_id', table_name: 'test_table', fields: { Name: 'John Doe', Email: 'john@example.com' }, debug: false };
const PH_URL = 'https://api.airtable.com/v0/test_base_id/test_table';

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: creates the record',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 200, body: { id: 'rec123' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: PH_URL,
          headers: { authorization: 'Bearer test_token', 'content-type': 'application/json' },
          body: { fields: { Name: 'John Doe', Email: 'john@example.com' }, typecast: true },
        },
      ],
    },
  },
  {
    name: 'PostHog: logs the request and response when debug is on',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: { ...phInputs, debug: true },
    responses: [{ status: 200, body: { id: 'rec123' } }],
    expect: { requests: [{ method: 'POST', url: PH_URL, body: { fields: { Name: 'John Doe', Email: 'john@example.com' }, typecast: true } }], logsMustNotContain: ['test_token'] },
  },
  {
    name: 'PostHog: errors on a non-2xx response',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 422, body: { error: 'INVALID_REQUEST' } }],
    expect: { status: 'failed', error: 'Airtable API error (status 422): INVALID_REQUEST', requests: [{ method: 'POST', url: PH_URL }] },
  },
  {
    name: 'creates a record with the default fields',
    event: signup,
    person: { id: 'p-1', properties: { email: 'max@example.com' } },
    inputs: { access_token: TOKEN, base_id: 'appBase123', table_name: 'Sign ups' },
    responses: [{ status: 200, body: { id: 'rec123', createdTime: '2026-01-02T03:04:06.000Z', fields: {} } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: { fields: { Timestamp: '2026-01-02T03:04:05.000Z', 'Person Name': 'max@example.com' }, typecast: true },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'sends custom fields, leaving out nulls, with typecast off',
    event: signup,
    person: { id: 'p-1', properties: { email: 'max@example.com', plan: 'pro' } },
    inputs: { access_token: TOKEN, base_id: 'appBase123', table_name: 'tblXYZ', typecast: false, fields: { Email: '{person.properties.email}', Plan: '{person.properties.plan}', Company: '{person.properties.company}' } },
    expect: {
      requests: [{ method: 'POST', url: 'https://api.airtable.com/v0/appBase123/tblXYZ', body: { fields: { Email: 'max@example.com', Plan: 'pro' }, typecast: false } }],
    },
  },
  {
    name: 'fails clearly on an invalid field value',
    event: signup,
    inputs: { access_token: TOKEN, base_id: 'appBase123', table_name: 'Sign ups' },
    responses: [{ status: 422, body: { error: { type: 'INVALID_VALUE_FOR_COLUMN', message: 'Field "Timestamp" cannot accept the provided value' } } }],
    expect: {
      status: 'failed',
      error: 'Airtable API error (status 422): INVALID_VALUE_FOR_COLUMN: Field "Timestamp" cannot accept the provided value',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails clearly on an unknown base or table',
    event: signup,
    inputs: { access_token: TOKEN, base_id: 'appBase123', table_name: 'Sign ups' },
    responses: [{ status: 404, body: { error: 'NOT_FOUND' } }],
    expect: { status: 'failed', error: 'Airtable API error (status 404): NOT_FOUND', requests: [{ method: 'POST', url: URL }], logsMustNotContain: [TOKEN] },
  },
  {
    name: 'is skipped for events other than signed_up by default',
    event: { event: '$pageview', distinct_id: 'user-42' },
    inputs: { access_token: TOKEN, base_id: 'appBase123', table_name: 'Sign ups' },
    expect: { status: 'skipped', requests: [] },
  },
];
