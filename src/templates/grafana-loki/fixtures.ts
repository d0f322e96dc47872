import type { TemplateFixture } from '../types.js';

const TOKEN = 'glc_loki-token-abc';
const URL = 'https://logs-prod-012.grafana.net/loki/api/v1/push';
const event = { event: '$pageview', distinct_id: 'user-4', uuid: '0190a1b2-0000-7000-8000-000000000f11', timestamp: '2026-01-02T03:04:05.678Z', properties: { path: '/' } };
const line = JSON.stringify({ uuid: '0190a1b2-0000-7000-8000-000000000f11', event: '$pageview', distinct_id: 'user-4', properties: { path: '/' } });

export const fixtures: TemplateFixture[] = [
  {
    name: 'pushes the event as a JSON line with a nanosecond timestamp and basic auth',
    event,
    inputs: { url: 'https://logs-prod-012.grafana.net/', username: '123456', password: TOKEN },
    responses: [{ status: 204 }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`123456:${TOKEN}`).toString('base64')}` },
          body: { streams: [{ stream: { source: 'posthog', event: '$pageview' }, values: [['1767323045678000000', line]] }] },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'sends a plain string line to a multi-tenant Loki',
    event,
    inputs: { url: 'http://loki:3100', tenant_id: 'team-a', line: '{event.event} {event.distinct_id}', labels: { app: 'web', empty: '' } },
    responses: [{ status: 204 }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'http://loki:3100/loki/api/v1/push',
          headers: { 'content-type': 'application/json', 'x-scope-orgid': 'team-a' },
          body: { streams: [{ stream: { app: 'web' }, values: [['1767323045678000000', '$pageview user-4']] }] },
        },
      ],
    },
  },
  {
    name: 'fails clearly on Loki’s plain-text error',
    event,
    inputs: { url: 'http://loki:3100' },
    responses: [{ status: 400, body: 'entry too far behind\n' }],
    expect: { status: 'failed', error: 'Loki error (status 400): entry too far behind', requests: [{ method: 'POST', url: 'http://loki:3100/loki/api/v1/push' }] },
  },
  {
    name: 'refuses a stream without labels',
    event,
    inputs: { url: 'http://loki:3100', labels: { source: '' } },
    expect: { status: 'failed', error: 'at least one non-empty label', requests: [] },
  },
];
