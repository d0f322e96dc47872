import type { TemplateFixture } from '../types.js';

const PASSWORD = 'ch-secret-pw-4f9a21';
const BASE = 'https://abc.eu-west-1.aws.clickhouse.cloud:8443';
const QUERY = 'query=INSERT%20INTO%20analytics.events%20FORMAT%20JSONEachRow&date_time_input_format=best_effort';
const event = {
  event: 'purchase',
  distinct_id: 'u9',
  uuid: '0190a1b2-0000-7000-8000-0000000000c1',
  timestamp: '2026-01-02T03:04:05.000Z',
  properties: { amount: 12.5, currency: 'EUR' },
};

export const fixtures: TemplateFixture[] = [
  {
    name: 'inserts the default row as one JSONEachRow line with credentials in headers',
    event,
    inputs: { url: `${BASE}/`, password: PASSWORD, table: 'analytics.events' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: `${BASE}/?${QUERY}`,
          headers: { 'content-type': 'application/x-ndjson', 'x-clickhouse-user': 'default', 'x-clickhouse-key': PASSWORD },
          body: '{"uuid":"0190a1b2-0000-7000-8000-0000000000c1","event":"purchase","distinct_id":"u9","timestamp":"2026-01-02T03:04:05.000Z","properties":{"amount":12.5,"currency":"EUR"}}\n',
        },
      ],
      logsMustNotContain: [PASSWORD],
    },
  },
  {
    name: 'inserts a custom row asynchronously, ignoring unknown keys',
    event,
    inputs: { url: 'http://clickhouse:8123', username: 'sluice', password: PASSWORD, table: 'purchases', skip_unknown_fields: true, async_insert: true, row: { id: '{event.uuid}', amount: '{event.properties.amount}' } },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'http://clickhouse:8123/?query=INSERT%20INTO%20purchases%20FORMAT%20JSONEachRow&date_time_input_format=best_effort&input_format_skip_unknown_fields=1&async_insert=1&wait_for_async_insert=1',
          headers: { 'content-type': 'application/x-ndjson', 'x-clickhouse-user': 'sluice', 'x-clickhouse-key': PASSWORD },
          body: { id: '0190a1b2-0000-7000-8000-0000000000c1', amount: 12.5 },
        },
      ],
    },
  },
  {
    name: 'fails with the ClickHouse exception text when the table is missing',
    event,
    inputs: { url: BASE, password: PASSWORD, table: 'analytics.events' },
    responses: [{ status: 404, body: 'Code: 60. DB::Exception: Table analytics.events does not exist. (UNKNOWN_TABLE) (version 24.8.1.1)\n' }],
    expect: {
      status: 'failed',
      error: 'ClickHouse error (status 404): Code: 60. DB::Exception: Table analytics.events does not exist. (UNKNOWN_TABLE)',
      requests: [{ method: 'POST', url: `${BASE}/?${QUERY}` }],
      logsMustNotContain: [PASSWORD],
    },
  },
  {
    name: 'refuses a table name that would inject SQL, without a request',
    event,
    inputs: { url: BASE, table: 'events; DROP TABLE users' },
    expect: { status: 'failed', error: 'the table must be a plain name', requests: [] },
  },
  {
    name: 'is skipped for $feature_flag_called by default',
    event: { event: '$feature_flag_called', distinct_id: 'u9' },
    inputs: { url: BASE },
    expect: { status: 'skipped', requests: [] },
  },
];
