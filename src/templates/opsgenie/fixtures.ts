import type { TemplateFixture } from '../types.js';

const KEY = 'eb243592-faa2-4ba2-a551-sluiceGenie01';
const UUID = '0190a1b2-0000-7000-8000-000000000007';
const exception = {
  event: '$exception',
  distinct_id: 'u1',
  uuid: UUID,
  properties: {
    $exception_message: 'TypeError: x is undefined',
    $exception_fingerprint: 'fp-123',
    $current_url: 'https://app.example.com/checkout',
  },
};
const person = { id: 'p1', properties: { email: 'max@example.com' } };
const headers = { authorization: `GenieKey ${KEY}`, 'content-type': 'application/json' };
const accepted = { result: 'Request will be processed', took: 0.302, requestId: '43a29c5c-3dbf-4fa4-9c26-f4f71023e120' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'creates an alert with the GenieKey header, deduplicated by the exception fingerprint',
    event: exception,
    person,
    inputs: { api_key: KEY },
    responses: [{ status: 202, body: accepted }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.opsgenie.com/v2/alerts',
          headers,
          body: {
            message: 'TypeError: x is undefined',
            priority: 'P3',
            source: 'Sluice',
            alias: 'fp-123',
            description: `$exception by max@example.com on https://app.example.com/checkout\nhttp://localhost:8040/projects/1/events/${UUID}`,
            tags: ['sluice', '$exception'],
            details: { distinct_id: 'u1', person: 'max@example.com', person_url: 'http://localhost:8040/projects/1/persons/p1' },
          },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'uses the EU endpoint, cuts a long message, sends responders and stringifies detail values',
    event: { ...exception, properties: { ...exception.properties, $exception_message: 'E'.repeat(200), retries: 3 } },
    person,
    inputs: {
      api_key: KEY,
      region: 'eu',
      priority: 'P1',
      entity: 'checkout',
      description: '',
      tags: [],
      responders: [{ type: 'team', name: 'Web' }],
      details: { retries: '{event.properties.retries}', flags: { beta: true } },
    },
    responses: [{ status: 202, body: accepted }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.eu.opsgenie.com/v2/alerts',
          headers,
          body: {
            message: `${'E'.repeat(129)}…`,
            priority: 'P1',
            source: 'Sluice',
            alias: 'fp-123',
            entity: 'checkout',
            responders: [{ type: 'team', name: 'Web' }],
            details: { retries: '3', flags: '{"beta":true}' },
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly on an unprocessable request (422 with errors)',
    event: exception,
    person,
    inputs: { api_key: KEY },
    responses: [{ status: 422, body: { message: 'Request body is not processable. Please check the errors.', errors: { priority: 'should be one of [P1, P2, P3, P4, P5]' }, took: 0.01, requestId: 'r1' } }],
    expect: {
      status: 'failed',
      error: 'Opsgenie API error (status 422): Request body is not processable. Please check the errors. {"priority":"should be one of [P1, P2, P3, P4, P5]"}',
      requests: [{ method: 'POST', url: 'https://api.opsgenie.com/v2/alerts' }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'fails clearly on a wrong key (401)',
    event: exception,
    person,
    inputs: { api_key: KEY },
    responses: [{ status: 401, body: { message: 'Could not authenticate', took: 0, requestId: 'r2' } }],
    expect: { status: 'failed', error: 'Opsgenie API error (status 401): Could not authenticate', requests: [{ method: 'POST', url: 'https://api.opsgenie.com/v2/alerts' }], logsMustNotContain: [KEY] },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { ...exception, event: '$pageview' },
    person,
    inputs: { api_key: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
