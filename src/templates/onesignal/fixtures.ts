import type { TemplateFixture } from '../types.js';

const KEY = 'os_v2_app_abcdefghijklmnopqrstuvwxyz234567';
const APP = '5eb5a37e-b458-11e3-ac11-000c2940e62c';
const URL = `https://api.onesignal.com/apps/${APP}/custom_events`;
const USAGE = 'PostHog | Partner Integration';

const purchase = {
  event: 'purchase_completed',
  distinct_id: 'user-42',
  timestamp: '2026-01-02T03:04:05.000Z',
  properties: { plan: 'team', amount: 49 },
};

// PostHog's test inputs and its harness's default event and person.
const phInputs = { appId: 'APP_ID', apiKey: 'API_KEY', externalId: 'user-1', eventName: 'purchase', eventTimestamp: '2024-01-01T00:00:00Z', eventProperties: { revenue: 50 } };
const phEvent = { uuid: 'event-id', event: 'event-name', distinct_id: 'distinct-id', timestamp: '2024-01-01T00:00:00Z', properties: { $current_url: 'https://example.com' } };
const phPerson = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const PH_URL = 'https://api.onesignal.com/apps/APP_ID/custom_events';

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: sends the custom event',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 202, body: {} }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: PH_URL,
          headers: { authorization: 'Key API_KEY', 'content-type': 'application/json', 'onesignal-usage': USAGE },
          body: { events: [{ external_id: 'user-1', name: 'purchase', properties: { revenue: 50 }, timestamp: '2024-01-01T00:00:00Z' }] },
        },
      ],
      logsMustNotContain: ['API_KEY'],
    },
  },
  {
    name: 'PostHog: falls back to the event properties when none are configured',
    posthog: true,
    event: { ...phEvent, properties: { plan: 'paid' } },
    person: phPerson,
    inputs: { ...phInputs, eventProperties: {} },
    expect: {
      requests: [{ method: 'POST', url: PH_URL, body: { events: [{ external_id: 'user-1', name: 'purchase', properties: { plan: 'paid' }, timestamp: '2024-01-01T00:00:00Z' }] } }],
    },
  },
  {
    name: 'PostHog: fails on a non-2xx answer',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 400, body: { errors: ['bad app id'] } }],
    expect: { status: 'failed', error: 'OneSignal API error (status 400): bad app id', requests: [{ method: 'POST', url: PH_URL }] },
  },
  {
    name: 'sends the event with all its properties for the person id by default',
    event: purchase,
    person: { id: 'person-42', properties: {} },
    inputs: { appId: APP, apiKey: KEY },
    responses: [{ status: 202, body: {} }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: `Key ${KEY}`, 'content-type': 'application/json', 'onesignal-usage': USAGE },
          body: { events: [{ name: 'purchase_completed', external_id: 'person-42', timestamp: '2026-01-02T03:04:05.000Z', properties: { plan: 'team', amount: 49 } }] },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'sends only the chosen properties under a custom name',
    event: purchase,
    person: { id: 'person-42', properties: {} },
    inputs: { appId: APP, apiKey: KEY, eventName: 'upgraded', eventProperties: { plan: '{event.properties.plan}' } },
    responses: [{ status: 202, body: {} }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          body: { events: [{ name: 'upgraded', external_id: 'person-42', timestamp: '2026-01-02T03:04:05.000Z', properties: { plan: 'team' } }] },
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
