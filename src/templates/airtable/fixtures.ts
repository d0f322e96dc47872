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

export const fixtures: TemplateFixture[] = [
  {
    name: 'creates a record with the default fields, leaving out nulls',
    event: signup,
    person: { id: 'p-1', properties: {} },
    inputs: { access_token: TOKEN, base_id: 'appBase123', table_name: 'Sign ups' },
    responses: [{ status: 200, body: { id: 'rec123', createdTime: '2026-01-02T03:04:06.000Z', fields: {} } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: {
            fields: { Event: 'signed_up', 'Distinct ID': 'user-42', Timestamp: '2026-01-02T03:04:05.000Z', URL: 'https://example.com/signup' },
            typecast: false,
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'sends custom fields with typecast',
    event: signup,
    person: { id: 'p-1', properties: { email: 'max@example.com', plan: 'pro' } },
    inputs: { access_token: TOKEN, base_id: 'appBase123', table_name: 'tblXYZ', typecast: true, fields: { Email: '{person.properties.email}', Plan: '{person.properties.plan}' } },
    expect: {
      requests: [{ method: 'POST', url: 'https://api.airtable.com/v0/appBase123/tblXYZ', body: { fields: { Email: 'max@example.com', Plan: 'pro' }, typecast: true } }],
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
