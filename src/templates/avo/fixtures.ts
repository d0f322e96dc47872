import type { TemplateFixture } from '../types.js';

const KEY = 'avo-inspector-key-31f2';
const HEADERS = { env: 'dev', 'api-key': KEY, 'content-type': 'application/json', accept: 'application/json' };

function envelope(eventName: string, uuid: string, eventProperties: { propertyName: string; propertyType: string }[], env = 'dev', appName = 'PostHog') {
  return [
    {
      apiKey: KEY,
      env,
      appName,
      appVersion: '1.0.0',
      libVersion: '1.0.0',
      libPlatform: 'node',
      sessionId: 'sess-1',
      createdAt: '2026-01-01T00:00:00Z',
      messageId: uuid,
      trackingId: '',
      samplingRate: 1,
      type: 'event',
      avoFunction: false,
      eventId: null,
      eventHash: null,
      eventName,
      eventProperties,
    },
  ];
}

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends the property types of an event, never the values, leaving out $ properties',
    event: {
      event: 'checkout_started',
      distinct_id: 'user-2',
      uuid: '0190a1b2-0000-7000-8000-00000000av01',
      properties: { $session_id: 'sess-1', $browser: 'Chrome', cart_id: 'c-1', items: 3, total: 42.5, gift: false, tags: ['a'], meta: { x: 1 }, coupon: null },
    },
    inputs: { apiKey: KEY },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.avo.app/inspector/posthog/v1/track',
          headers: HEADERS,
          body: envelope('checkout_started', '0190a1b2-0000-7000-8000-00000000av01', [
            { propertyName: 'cart_id', propertyType: 'string' },
            { propertyName: 'items', propertyType: 'int' },
            { propertyName: 'total', propertyType: 'float' },
            { propertyName: 'gift', propertyType: 'boolean' },
            { propertyName: 'tags', propertyType: 'list' },
            { propertyName: 'meta', propertyType: 'object' },
            { propertyName: 'coupon', propertyType: 'null' },
          ]),
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'applies the include and exclude lists',
    event: { event: 'checkout_started', distinct_id: 'user-2', uuid: '0190a1b2-0000-7000-8000-00000000av02', properties: { $session_id: 'sess-1', cart_id: 'c-1', items: 3, total: 42.5 } },
    inputs: { apiKey: KEY, environment: 'prod', appName: 'Shop', includeProperties: 'cart_id, total,items', excludeProperties: ' total ' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.avo.app/inspector/posthog/v1/track',
          headers: { ...HEADERS, env: 'prod' },
          body: envelope('checkout_started', '0190a1b2-0000-7000-8000-00000000av02', [
            { propertyName: 'cart_id', propertyType: 'string' },
            { propertyName: 'items', propertyType: 'int' },
          ], 'prod', 'Shop'),
        },
      ],
    },
  },
  {
    name: 'fails clearly when Avo rejects the key',
    event: { event: 'checkout_started', distinct_id: 'user-2', properties: { $session_id: 'sess-1' } },
    inputs: { apiKey: KEY },
    responses: [{ status: 400, body: { message: 'Invalid API key' } }],
    expect: { status: 'failed', error: 'Avo Inspector error (status 400): Invalid API key', requests: [{ method: 'POST', url: 'https://api.avo.app/inspector/posthog/v1/track' }], logsMustNotContain: [KEY] },
  },
  {
    name: 'is skipped for PostHog system events other than $pageview by default',
    event: { event: '$autocapture', distinct_id: 'user-2' },
    inputs: { apiKey: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
