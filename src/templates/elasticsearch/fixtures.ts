import type { TemplateFixture } from '../types.js';

const API_KEY = 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==';
const PASSWORD = 'os-admin-pass-77';
const BASE = 'https://search.example.com:9200';
const event = { event: 'signup', distinct_id: 'u3', uuid: '0190a1b2-0000-7000-8000-0000000000d1', timestamp: '2026-01-02T03:04:05.000Z', properties: { plan: 'team' } };
const person = { id: 'p3', properties: { email: 'ana@example.com' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'indexes the default document by event uuid with an API key',
    event,
    person,
    inputs: { url: `${BASE}/`, api_key: API_KEY },
    responses: [{ status: 201, body: { _index: 'sluice-events', _id: event.uuid, result: 'created' } }],
    expect: {
      requests: [
        {
          method: 'PUT',
          url: `${BASE}/sluice-events/_doc/0190a1b2-0000-7000-8000-0000000000d1`,
          headers: { 'content-type': 'application/json', authorization: `ApiKey ${API_KEY}` },
          body: { '@timestamp': '2026-01-02T03:04:05.000Z', event: 'signup', distinct_id: 'u3', properties: { plan: 'team' }, person: { email: 'ana@example.com' } },
        },
      ],
      logsMustNotContain: [API_KEY],
    },
  },
  {
    name: 'indexes into an OpenSearch index named from the event with Basic auth',
    event,
    person,
    inputs: { url: 'https://opensearch.example.com', index: 'events-{event.event}', auth_type: 'basic', username: 'admin', password: PASSWORD, document: { name: '{event.event}' } },
    responses: [{ status: 200, body: { result: 'updated' } }],
    expect: {
      requests: [
        {
          method: 'PUT',
          url: 'https://opensearch.example.com/events-signup/_doc/0190a1b2-0000-7000-8000-0000000000d1',
          headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}` },
          body: { name: 'signup' },
        },
      ],
      logsMustNotContain: [PASSWORD],
    },
  },
  {
    name: 'fails with the error type and reason Elasticsearch returns',
    event,
    inputs: { url: BASE, api_key: API_KEY },
    responses: [
      {
        status: 403,
        body: { error: { root_cause: [], type: 'security_exception', reason: 'action [indices:data/write/index] is unauthorized for API key id [VuaCfGcB]' }, status: 403 },
      },
    ],
    expect: {
      status: 'failed',
      error: 'Elasticsearch error (status 403): security_exception: action [indices:data/write/index] is unauthorized',
      requests: [{ method: 'PUT', url: `${BASE}/sluice-events/_doc/0190a1b2-0000-7000-8000-0000000000d1` }],
      logsMustNotContain: [API_KEY],
    },
  },
  {
    name: 'refuses an index name with a path in it, without a request',
    event,
    inputs: { url: BASE, index: '_all/../x', auth_type: 'none' },
    expect: { status: 'failed', error: 'the index name must be lowercase', requests: [] },
  },
  {
    name: 'is skipped for $feature_flag_called by default',
    event: { event: '$feature_flag_called', distinct_id: 'u3' },
    inputs: { url: BASE, api_key: API_KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
