import type { TemplateFixture } from '../types.js';

const TOKEN = 'xaat-axiom-token-0001';
const URL = 'https://api.axiom.co/v1/datasets/web-events/ingest';
const event = { event: '$pageview', distinct_id: 'user-1', uuid: '0190a1b2-0000-7000-8000-000000000d01', timestamp: '2026-01-02T03:04:05.000Z', properties: { $current_url: 'https://example.com/' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'ingests the event as a one-element array with _time',
    event,
    inputs: { dataset: 'web-events', api_token: TOKEN },
    responses: [{ status: 200, body: { ingested: 1, failed: 0, failures: [], processedBytes: 120 } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: [{ _time: '2026-01-02T03:04:05.000Z', uuid: '0190a1b2-0000-7000-8000-000000000d01', event: '$pageview', distinct_id: 'user-1', properties: { $current_url: 'https://example.com/' } }],
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails when Axiom counts the event as failed',
    event,
    inputs: { dataset: 'web-events', api_token: TOKEN },
    responses: [{ status: 200, body: { ingested: 0, failed: 1, failures: [{ timestamp: '2026-01-02T03:04:05Z', error: 'field limit exceeded' }] } }],
    expect: { status: 'failed', error: 'Axiom refused the event: field limit exceeded', requests: [{ method: 'POST', url: URL }] },
  },
  {
    name: 'fails clearly on an HTTP error',
    event,
    inputs: { dataset: 'web-events', api_token: TOKEN },
    responses: [{ status: 403, body: { code: 403, message: 'forbidden' } }],
    expect: { status: 'failed', error: 'Axiom error (status 403): forbidden', requests: [{ method: 'POST', url: URL }], logsMustNotContain: [TOKEN] },
  },
  {
    name: 'refuses a plain-http URL',
    event,
    inputs: { url: 'http://api.axiom.co', dataset: 'web-events', api_token: TOKEN },
    expect: { status: 'failed', error: 'must be an https address', requests: [] },
  },
];
