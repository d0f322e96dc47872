import type { TemplateFixture } from '../types.js';

const TOKEN = 'sluiceIncidentToken-7f3c2a9b';
const CONFIG = '01HZSLUICE0ALERTSOURCE00001';
const URL = `https://api.incident.io/v2/alert_events/http/${CONFIG}`;
const UUID = '0190a1b2-0000-7000-8000-000000000106';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const exception = {
  event: '$exception',
  distinct_id: 'u1',
  uuid: UUID,
  properties: { $exception_message: 'RangeError: bad offset', $exception_fingerprint: 'fp-77', $current_url: 'https://app.example.com/cart' },
};
const person = { id: 'p1', properties: { email: 'eve@example.com' } };
const base = { alert_source_config_id: CONFIG, token: TOKEN };
const accepted = { status: 'success', message: 'Event accepted for processing', deduplication_key: 'fp-77' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'fires an alert deduplicated by the exception fingerprint',
    event: exception,
    person,
    inputs: base,
    responses: [{ status: 202, body: accepted }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: {
            title: 'RangeError: bad offset',
            status: 'firing',
            deduplication_key: 'fp-77',
            description: '$exception by eve@example.com on https://app.example.com/cart',
            source_url: `http://localhost:8040/projects/1/events/${UUID}`,
            metadata: { event: '$exception', distinct_id: 'u1', person_url: 'http://localhost:8040/projects/1/persons/p1' },
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'resolves an alert with only a title and a key',
    event: exception,
    person,
    inputs: { ...base, status: 'resolved', description: '', source_url: '', metadata: {} },
    responses: [{ status: 202, body: accepted }],
    expect: {
      requests: [{ method: 'POST', url: URL, headers, body: { title: 'RangeError: bad offset', status: 'resolved', deduplication_key: 'fp-77' } }],
    },
  },
  {
    name: 'fails clearly with the validation messages',
    event: exception,
    person,
    inputs: base,
    responses: [
      {
        status: 422,
        body: {
          type: 'validation_error',
          status: 422,
          request_id: 'a1b2c3',
          errors: [{ code: 'invalid_value', message: 'status must be one of firing, resolved', source: { field: 'status' } }],
        },
      },
    ],
    expect: {
      status: 'failed',
      error: 'incident.io API error (status 422): status must be one of firing, resolved (validation_error)',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails clearly when the token is rejected',
    event: exception,
    person,
    inputs: base,
    responses: [
      { status: 401, body: { type: 'authentication_error', status: 401, request_id: 'd4e5', errors: [{ code: 'authentication_error', message: 'Invalid token' }] } },
    ],
    expect: {
      status: 'failed',
      error: 'incident.io API error (status 401): Invalid token (authentication_error)',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'refuses a config id that would change the URL path',
    event: exception,
    person,
    inputs: { ...base, alert_source_config_id: '../../v1/incidents' },
    expect: { status: 'failed', error: 'incident.io: the alert source config id must be', requests: [] },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { ...exception, event: '$pageview' },
    person,
    inputs: base,
    expect: { status: 'skipped', requests: [] },
  },
];
