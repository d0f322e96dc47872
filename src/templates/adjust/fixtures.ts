import type { TemplateFixture } from '../types.js';

const APP_TOKEN = 'test-app-token';
const URL = 'https://s2s.adjust.com/event';
const headers = { 'content-type': 'application/x-www-form-urlencoded' };
const order = { event: 'Order Completed', distinct_id: 'user-1', timestamp: '2025-01-01T00:00:00Z', properties: {} };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: sends a basic event with device identifiers',
    posthog: true,
    event: order,
    inputs: { appToken: APP_TOKEN, environment: 'production', deviceIdentifiers: { idfa: 'D2CADB5F-410F-4963-AC0C-2A78534BDF1E' }, eventToken: 'abc123' },
    responses: [{ status: 200, body: { status: 'OK' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: 's2s=1&app_token=test-app-token&event_token=abc123&environment=production&idfa=D2CADB5F-410F-4963-AC0C-2A78534BDF1E&created_at_unix=1735689600',
        },
      ],
      logsMustNotContain: [APP_TOKEN],
    },
  },
  {
    name: 'PostHog: includes revenue and currency',
    posthog: true,
    event: { ...order, properties: { revenue: 29.99, currency: 'USD' } },
    inputs: { appToken: APP_TOKEN, environment: 'production', deviceIdentifiers: { gps_adid: '38400000-8cf0-11bd-b23e-10b96e40000d' }, eventToken: 'rev123' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: 's2s=1&app_token=test-app-token&event_token=rev123&environment=production&gps_adid=38400000-8cf0-11bd-b23e-10b96e40000d&revenue=29.99&currency=USD&created_at_unix=1735689600',
        },
      ],
    },
  },
  {
    name: 'PostHog: includes callback and partner params',
    posthog: true,
    event: order,
    inputs: {
      appToken: APP_TOKEN,
      environment: 'sandbox',
      deviceIdentifiers: { idfa: 'test-idfa' },
      eventToken: 'evt456',
      callbackParams: { order_id: '12345', user_type: 'premium' },
      partnerParams: { campaign: 'summer_sale' },
    },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: 's2s=1&app_token=test-app-token&event_token=evt456&environment=sandbox&idfa=test-idfa&callback_params=%7B%22order_id%22%3A%2212345%22%2C%22user_type%22%3A%22premium%22%7D&partner_params=%7B%22campaign%22%3A%22summer_sale%22%7D&created_at_unix=1735689600',
        },
      ],
    },
  },
  {
    name: 'PostHog: forwards ip address and user agent',
    posthog: true,
    event: { ...order, properties: { $ip: '123.123.123.123', $raw_user_agent: 'MyApp/1.0 (iPhone; iOS 17.0)' } },
    inputs: { appToken: APP_TOKEN, environment: 'production', deviceIdentifiers: { idfa: 'test-idfa' }, eventToken: 'evt789' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: 's2s=1&app_token=test-app-token&event_token=evt789&environment=production&idfa=test-idfa&ip_address=123.123.123.123&user_agent=MyApp%2F1.0%20(iPhone%3B%20iOS%2017.0)&created_at_unix=1735689600',
        },
      ],
    },
  },
  {
    name: 'PostHog: sends multiple device identifiers',
    posthog: true,
    event: { ...order, event: 'Application Installed' },
    inputs: {
      appToken: APP_TOKEN,
      environment: 'sandbox',
      deviceIdentifiers: { idfa: 'D2CADB5F-410F-4963-AC0C-2A78534BDF1E', idfv: 'A1B2C3D4-E5F6-7890-ABCD-EF1234567890' },
      eventToken: 'install1',
    },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: 's2s=1&app_token=test-app-token&event_token=install1&environment=sandbox&idfa=D2CADB5F-410F-4963-AC0C-2A78534BDF1E&idfv=A1B2C3D4-E5F6-7890-ABCD-EF1234567890&created_at_unix=1735689600',
        },
      ],
    },
  },
  {
    name: 'PostHog: fails on an error response',
    posthog: true,
    event: order,
    inputs: { appToken: APP_TOKEN, environment: 'production', deviceIdentifiers: { idfa: 'test-idfa' }, eventToken: 'evt123' },
    responses: [{ status: 400, body: { error: 'Bad Request: invalid event token' } }],
    expect: {
      status: 'failed',
      error: 'Adjust S2S error (status 400): Bad Request: invalid event token',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [APP_TOKEN],
    },
  },
  {
    name: 'PostHog: fails without any device identifier, before any request',
    posthog: true,
    event: order,
    inputs: { appToken: APP_TOKEN, environment: 'production', deviceIdentifiers: { idfa: '{person.properties.$device_idfa}' }, eventToken: 'evt123' },
    expect: { status: 'failed', error: 'Adjust: the event has no device identifier', requests: [] },
  },
  {
    name: 'fails when the event token expression gives nothing for this event',
    event: order,
    inputs: { appToken: APP_TOKEN, deviceIdentifiers: { idfa: 'test-idfa' }, eventToken: "{event.event = 'Signed Up' ? 'abc' : ''}" },
    expect: { status: 'failed', error: 'Adjust: no event token for Order Completed', requests: [] },
  },
  {
    name: 'default device identifiers: the PostHog device id as idfv; the timestamp in whole seconds',
    event: { ...order, timestamp: '2025-01-01T00:00:00.750Z', properties: { $device_id: 'dev-1' } },
    person: { id: 'p1', properties: {} },
    inputs: { appToken: APP_TOKEN, eventToken: 'abc123' },
    expect: {
      requests: [{ method: 'POST', url: URL, headers, body: 's2s=1&app_token=test-app-token&event_token=abc123&environment=production&idfv=dev-1&created_at_unix=1735689600' }],
    },
  },
  {
    name: 'is skipped for events outside the mobile events',
    event: { ...order, event: '$pageview' },
    inputs: { appToken: APP_TOKEN, eventToken: 'abc123' },
    expect: { status: 'skipped', requests: [] },
  },
];
