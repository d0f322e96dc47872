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
      createdAt: '2026-01-01T00:00:00.000Z',
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

/** PostHog's test fills in the session id and creation time it expects; here they come from the event and the clock. */
const PH_KEY = 'NnBd7B55ZXC6o0Kh20pE';
const PH_SESSION = '4d4454b4-31bb-4b13-8167-4ec76a0f49b6';
const PH_NOW = '2024-09-06T09:04:28.324Z';

function phBody(messageId: string, eventProperties: { propertyName: string; propertyType: string }[]) {
  return [
    {
      apiKey: PH_KEY,
      env: 'dev',
      appName: 'PostHog',
      sessionId: PH_SESSION,
      createdAt: PH_NOW,
      avoFunction: false,
      eventId: null,
      eventHash: null,
      appVersion: '1.0.0',
      libVersion: '1.0.0',
      libPlatform: 'node',
      trackingId: '',
      samplingRate: 1,
      type: 'event',
      eventName: 'sign up',
      messageId,
      eventProperties,
    },
  ];
}

const TYPE_CASES: [string, unknown, string][] = [
  ['null', null, 'null'],
  ['a string', 'Bob', 'string'],
  ['an integer', 99, 'int'],
  ['a float', 1.4, 'float'],
  ['a boolean', true, 'boolean'],
  ['an object', { name: 'Bob' }, 'object'],
  ['an array', [1, 2, 3], 'list'],
];

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: sends the event schema',
    posthog: true,
    now: PH_NOW,
    event: {
      event: 'sign up',
      uuid: '0191c693-d93b-7516-b1e3-64ec33c96464',
      distinct_id: '66e614bd-d9f2-491e-9e2c-eeab3090f72f',
      properties: {
        $session_id: PH_SESSION,
        distinct_id: '66e614bd-d9f2-491e-9e2c-eeab3090f72f',
        token: 'phc_ex7Mnvi4DqeB6xSQoXU1UVPzAmUIpicMFKELQXGGTYQO',
        bob: { name: 'bob' },
        age: 99,
        name: 'bob',
        items: ['apple', 'stick'],
        job: true,
        noop: null,
        test: 1.4,
      },
    },
    person: { id: 'person-id', properties: { email: 'max@posthog.com', name: 'Max', company: 'PostHog' } },
    inputs: { apiKey: PH_KEY, environment: 'dev', appName: 'PostHog' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.avo.app/inspector/posthog/v1/track',
          headers: { env: 'dev', 'api-key': PH_KEY, 'content-type': 'application/json', accept: 'application/json' },
          body: phBody('0191c693-d93b-7516-b1e3-64ec33c96464', [
            { propertyName: 'distinct_id', propertyType: 'string' },
            { propertyName: 'token', propertyType: 'string' },
            { propertyName: 'bob', propertyType: 'object' },
            { propertyName: 'age', propertyType: 'int' },
            { propertyName: 'name', propertyType: 'string' },
            { propertyName: 'items', propertyType: 'list' },
            { propertyName: 'job', propertyType: 'boolean' },
            { propertyName: 'noop', propertyType: 'null' },
            { propertyName: 'test', propertyType: 'float' },
          ]),
        },
      ],
      logsMustNotContain: [PH_KEY],
    },
  },
  ...TYPE_CASES.map(([what, value, type]): TemplateFixture => ({
    name: `PostHog: maps ${what} to the Avo type ${type}`,
    posthog: true,
    now: PH_NOW,
    event: { event: 'sign up', uuid: 'event-id', properties: { $session_id: PH_SESSION, test: value } },
    inputs: { apiKey: PH_KEY, environment: 'dev', appName: 'PostHog' },
    expect: {
      requests: [{ method: 'POST', url: 'https://api.avo.app/inspector/posthog/v1/track', body: phBody('event-id', [{ propertyName: 'test', propertyType: type }]) }],
    },
  })),
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
