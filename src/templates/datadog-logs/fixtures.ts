import type { TemplateFixture } from '../types.js';

const KEY = 'dd-api-key-0123456789abcdef';
const event = { event: 'signed_up', distinct_id: 'user-9', uuid: '0190a1b2-0000-7000-8000-000000000f01', timestamp: '2026-01-02T03:04:05.000Z', properties: { $host: 'app.example.com', plan: 'free' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends the event as one log entry to the US1 intake',
    event,
    inputs: { api_key: KEY },
    responses: [{ status: 202, body: {} }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://http-intake.logs.datadoghq.com/api/v2/logs',
          headers: { 'dd-api-key': KEY, 'content-type': 'application/json' },
          body: [
            {
              ddsource: 'posthog',
              service: 'posthog',
              message: 'signed_up by user-9',
              ddtags: 'event:signed_up',
              hostname: 'app.example.com',
              event: 'signed_up',
              distinct_id: 'user-9',
              uuid: '0190a1b2-0000-7000-8000-000000000f01',
              timestamp: '2026-01-02T03:04:05.000Z',
              properties: { $host: 'app.example.com', plan: 'free' },
            },
          ],
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'uses the EU intake and leaves empty fields out',
    event: { ...event, properties: {} },
    inputs: { api_key: KEY, site: 'datadoghq.eu', tags: '', attributes: { plan: '{event.properties.plan}' } },
    expect: {
      requests: [{ method: 'POST', url: 'https://http-intake.logs.datadoghq.eu/api/v2/logs', body: [{ ddsource: 'posthog', service: 'posthog', message: 'signed_up by user-9' }] }],
    },
  },
  {
    name: 'fails clearly on an HTTP error',
    event,
    inputs: { api_key: KEY },
    responses: [{ status: 403, body: { errors: ['Forbidden'] } }],
    expect: { status: 'failed', error: 'Datadog error (status 403)', requests: [{ method: 'POST', url: 'https://http-intake.logs.datadoghq.com/api/v2/logs' }], logsMustNotContain: [KEY] },
  },
];
