import type { TemplateFixture } from '../types.js';

const TOKEN = 'ya29.a0-secret-access-token';
const URL = 'https://bigquery.googleapis.com/bigquery/v2/projects/acme-analytics/datasets/posthog/tables/events/insertAll';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const target = { access_token: TOKEN, project_id: 'acme-analytics', dataset_id: 'posthog', table_id: 'events' };
const purchase = {
  event: 'purchase',
  distinct_id: 'user-9',
  uuid: '0190a1b2-0000-7000-8000-000000000301',
  timestamp: '2026-01-05T10:00:00.000Z',
  properties: { amount: 42.5, currency: 'EUR' },
};

export const fixtures: TemplateFixture[] = [
  {
    name: 'streams the default row with the event uuid as insertId',
    event: purchase,
    person: { id: 'person-9', properties: { email: 'x@example.com' } },
    inputs: target,
    responses: [{ status: 200, body: { kind: 'bigquery#tableDataInsertAllResponse' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: {
            kind: 'bigquery#tableDataInsertAllRequest',
            skipInvalidRows: false,
            ignoreUnknownValues: false,
            rows: [
              {
                insertId: '0190a1b2-0000-7000-8000-000000000301',
                json: {
                  uuid: '0190a1b2-0000-7000-8000-000000000301',
                  event: 'purchase',
                  distinct_id: 'user-9',
                  timestamp: '2026-01-05T10:00:00.000Z',
                  properties: '{"amount":42.5,"currency":"EUR"}',
                  person_id: 'person-9',
                },
              },
            ],
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'a custom row: null values are left out, unknown columns ignored on request',
    event: purchase,
    person: null,
    inputs: {
      ...target,
      ignore_unknown_values: true,
      row: { id: '{event.uuid}', amount: '{event.properties.amount}', person: '{person.id}', tags: ['a', 'b'] },
    },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: {
            kind: 'bigquery#tableDataInsertAllRequest',
            skipInvalidRows: false,
            ignoreUnknownValues: true,
            rows: [{ insertId: '0190a1b2-0000-7000-8000-000000000301', json: { id: '0190a1b2-0000-7000-8000-000000000301', amount: 42.5, tags: ['a', 'b'] } }],
          },
        },
      ],
    },
  },
  {
    name: 'fails when BigQuery rejects the row inside a 200 answer (insertErrors)',
    event: purchase,
    inputs: target,
    responses: [
      {
        status: 200,
        body: {
          kind: 'bigquery#tableDataInsertAllResponse',
          insertErrors: [{ index: 0, errors: [{ reason: 'invalid', location: 'person_id', debugInfo: '', message: 'no such field: person_id.' }] }],
        },
      },
    ],
    expect: {
      status: 'failed',
      error: 'BigQuery rejected the row: person_id: invalid: no such field: person_id.',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails clearly on an expired token',
    event: purchase,
    inputs: target,
    responses: [
      {
        status: 401,
        body: { error: { code: 401, message: 'Request had invalid authentication credentials. Expected OAuth 2 access token.', status: 'UNAUTHENTICATED' } },
      },
    ],
    expect: {
      status: 'failed',
      error: 'BigQuery insertAll error (status 401): Request had invalid authentication credentials.',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'is skipped for $feature_flag_called by default',
    event: { event: '$feature_flag_called', distinct_id: 'user-9' },
    inputs: target,
    expect: { status: 'skipped', requests: [] },
  },
];
