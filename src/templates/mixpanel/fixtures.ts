import type { TemplateFixture } from '../types.js';

const TOKEN = 'mp-token-5f1e0c2b9a';
const AUTH = `Basic ${Buffer.from(`${TOKEN}:`).toString('base64')}`;

const purchase = {
  event: 'purchase',
  distinct_id: 'user-42',
  uuid: '0190a1b2-0000-7000-8000-0000000000b1',
  timestamp: '2026-01-02T03:04:05.123Z',
  properties: { plan: 'pro', amount: 49, $ip: '203.0.113.7' },
};

export const fixtures: TemplateFixture[] = [
  {
    name: 'imports the event with time, distinct_id and $insert_id',
    event: purchase,
    inputs: { project_token: TOKEN },
    responses: [{ status: 200, body: { code: 200, num_records_imported: 1, status: 'OK' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.mixpanel.com/import?strict=1',
          headers: { 'content-type': 'application/json', authorization: AUTH },
          body: [
            {
              event: 'purchase',
              properties: {
                plan: 'pro',
                amount: 49,
                $ip: '203.0.113.7',
                time: 1767323045123,
                distinct_id: 'user-42',
                $insert_id: '0190a1b2-0000-7000-8000-0000000000b1',
                ip: '203.0.113.7',
              },
            },
          ],
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'uses the EU endpoint',
    event: { ...purchase, properties: {} },
    inputs: { project_token: TOKEN, region: 'eu', event_name: 'Purchase' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api-eu.mixpanel.com/import?strict=1',
          body: [{ event: 'Purchase', properties: { time: 1767323045123, distinct_id: 'user-42', $insert_id: '0190a1b2-0000-7000-8000-0000000000b1' } }],
        },
      ],
    },
  },
  {
    name: 'fails clearly with the first failed record when strict validation rejects the event',
    event: purchase,
    inputs: { project_token: TOKEN },
    responses: [
      {
        status: 400,
        body: {
          code: 400,
          error: 'some data points in the request failed validation',
          failed_records: [{ index: 0, $insert_id: '0190a1b2-0000-7000-8000-0000000000b1', field: 'properties.time', message: "'properties.time' is invalid: must be specified as seconds since epoch" }],
          num_records_imported: 0,
          status: 'Bad Request',
        },
      },
    ],
    expect: {
      status: 'failed',
      error: 'Mixpanel API error (status 400): some data points in the request failed validation: properties.time',
      requests: [{ method: 'POST', url: 'https://api.mixpanel.com/import?strict=1' }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails clearly on a bad token',
    event: purchase,
    inputs: { project_token: TOKEN },
    responses: [{ status: 401, body: { code: 401, error: 'Invalid credentials', status: 'Unauthorized' } }],
    expect: { status: 'failed', error: 'Mixpanel API error (status 401): Invalid credentials', requests: [{ method: 'POST', url: 'https://api.mixpanel.com/import?strict=1' }], logsMustNotContain: [TOKEN] },
  },
  {
    name: 'is skipped for $feature_flag_called by default',
    event: { event: '$feature_flag_called', distinct_id: 'user-42' },
    inputs: { project_token: TOKEN },
    expect: { status: 'skipped', requests: [] },
  },
];
