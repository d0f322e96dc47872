import type { TemplateFixture } from '../types.js';

const KEY = 'os_v2_app_abcdefghijklmnopqrstuvwxyz234567';
const APP = '5eb5a37e-b458-11e3-ac11-000c2940e62c';
const URL = `https://api.onesignal.com/apps/${APP}/custom_events`;

const purchase = {
  event: 'purchase_completed',
  distinct_id: 'user-42',
  timestamp: '2026-01-02T03:04:05.000Z',
  properties: { plan: 'team', amount: 49 },
};

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends the event with all its properties by default',
    event: purchase,
    inputs: { appId: APP, apiKey: KEY },
    responses: [{ status: 202, body: {} }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: `Key ${KEY}`, 'content-type': 'application/json' },
          body: { events: [{ name: 'purchase_completed', external_id: 'user-42', timestamp: '2026-01-02T03:04:05.000Z', properties: { plan: 'team', amount: 49 } }] },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'sends only the chosen properties under a custom name',
    event: purchase,
    inputs: { appId: APP, apiKey: KEY, eventName: 'upgraded', eventProperties: { plan: '{event.properties.plan}' } },
    responses: [{ status: 202, body: {} }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          body: { events: [{ name: 'upgraded', external_id: 'user-42', timestamp: '2026-01-02T03:04:05.000Z', properties: { plan: 'team' } }] },
        },
      ],
    },
  },
  {
    name: 'makes no request when the external id renders empty',
    event: purchase,
    inputs: { appId: APP, apiKey: KEY, externalId: '{event.properties.onesignal_id}' },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: "fails with OneSignal's first error",
    event: purchase,
    inputs: { appId: APP, apiKey: KEY },
    responses: [{ status: 403, body: { errors: ['Access denied. Please include an Authorization header with a valid API key.'] } }],
    expect: {
      status: 'failed',
      error: 'OneSignal API error (status 403): Access denied. Please include an Authorization header with a valid API key.',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'is skipped for feature flag calls by default',
    event: { event: '$feature_flag_called', distinct_id: 'user-42' },
    inputs: { appId: APP, apiKey: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
