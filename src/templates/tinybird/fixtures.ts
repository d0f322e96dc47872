import type { TemplateFixture } from '../types.js';

const TOKEN = 'p.tinybird-append-token';
const URL = 'https://api.tinybird.co/v0/events?name=posthog_events';
const event = { event: 'clicked', distinct_id: 'user-2', uuid: '0190a1b2-0000-7000-8000-000000000e01', timestamp: '2026-01-02T03:04:05.000Z', properties: { button: 'buy' } };
const row = { timestamp: '2026-01-02T03:04:05.000Z', uuid: '0190a1b2-0000-7000-8000-000000000e01', event: 'clicked', distinct_id: 'user-2', properties: { button: 'buy' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'appends the row as one NDJSON line',
    event,
    inputs: { token: TOKEN },
    responses: [{ status: 202, body: { successful_rows: 1, quarantined_rows: 0 } }],
    expect: {
      requests: [{ method: 'POST', url: URL, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' }, body: row }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'waits for the write on a regional host when asked',
    event,
    inputs: { host: 'https://api.us-east.tinybird.co/', datasource: 'web events', token: TOKEN, wait: true },
    responses: [{ status: 200, body: { successful_rows: 1, quarantined_rows: 0 } }],
    expect: { requests: [{ method: 'POST', url: 'https://api.us-east.tinybird.co/v0/events?name=web%20events&wait=true', body: row }] },
  },
  {
    name: 'fails when the row is quarantined',
    event,
    inputs: { token: TOKEN },
    responses: [{ status: 202, body: { successful_rows: 0, quarantined_rows: 1 } }],
    expect: { status: 'failed', error: 'Tinybird quarantined the row', requests: [{ method: 'POST', url: URL }] },
  },
  {
    name: 'fails clearly on an HTTP error',
    event,
    inputs: { token: TOKEN },
    responses: [{ status: 403, body: { error: 'Invalid token' } }],
    expect: { status: 'failed', error: 'Tinybird error (status 403): Invalid token', requests: [{ method: 'POST', url: URL }], logsMustNotContain: [TOKEN] },
  },
];
