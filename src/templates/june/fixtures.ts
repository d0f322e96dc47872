import type { TemplateFixture } from '../types.js';

const KEY = 'june-write-key-77aa01';

// PostHog's test inputs and its test harness's default event and person.
const PH_KEY = 'abcdef123456';
const phInputs = { apiKey: PH_KEY, include_all_properties: false, properties: { name: 'Max AI', email: 'max@posthog.com' } };
const phEvent = { uuid: 'event-id', event: 'event-name', distinct_id: 'distinct-id', timestamp: '2024-01-01T00:00:00Z', properties: { $current_url: 'https://example.com' } };
const phPerson = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const phHeaders = { authorization: `Basic ${PH_KEY}`, 'content-type': 'application/json' };
const emptyContext = { app: {}, campaign: {}, device: {}, os: {}, referrer: {}, screen: {} };
const traits = { name: 'Max AI', email: 'max@posthog.com' };

const endpointCases: [string, string][] = [
  ['$identify', 'identify'],
  ['$set', 'identify'],
  ['$pageview', 'page'],
  ['$screen', 'page'],
  ['purchase', 'track'],
];

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: maps the full event onto the June context',
    posthog: true,
    event: {
      event: '$pageview',
      uuid: '151234234',
      distinct_id: 'abc123',
      timestamp: '2024-10-24T23:03:50.941Z',
      properties: {
        $is_identified: true,
        $app_build: '1.0.0',
        $app_version: '2.0',
        $app_name: 'PostHog',
        utm_campaign: 'test1',
        utm_content: 'test2',
        utm_medium: 'test3',
        utm_source: 'test4',
        utm_term: 'test5',
        $device_id: 'test6',
        $device_manufacturer: 'test7',
        $device_model: 'test8',
        $os_name: 'test9',
        $os_version: 'test10',
        $device_type: 'test11',
        $ip: 'test12',
        $browser_language: 'test13',
        $os: 'test14',
        $referrer: 'test15',
        $screen_height: 'test16',
        $screen_width: 'test17',
        $geoip_time_zone: 'test18',
        $raw_user_agent: 'test19',
        $current_url: 'https://hedgebox.net/faq?billing',
        $pathname: '/faq',
        title: 'Hedgebox',
      },
    },
    person: phPerson,
    inputs: phInputs,
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.june.so/sdk/page',
          headers: phHeaders,
          body: {
            properties: { url: 'https://hedgebox.net/faq?billing', path: '/faq', title: 'Hedgebox', referrer: 'test15', search: '?billing' },
            traits,
            timestamp: '2024-10-24T23:03:50.941Z',
            context: {
              app: { build: '1.0.0', version: '2.0', name: 'PostHog' },
              campaign: { name: 'test1', content: 'test2', medium: 'test3', source: 'test4', term: 'test5' },
              device: { id: 'test6', manufacturer: 'test7', model: 'test8', name: 'test9', version: 'test10', type: 'test11' },
              os: { name: 'test14', version: 'test10' },
              referrer: { url: 'test15' },
              screen: { height: 'test16', width: 'test17' },
              ip: 'test12',
              locale: 'test13',
              timezone: 'test18',
              userAgent: 'test19',
            },
            messageId: '151234234',
            userId: 'abc123',
          },
        },
      ],
      logsMustNotContain: [PH_KEY],
    },
  },
  ...endpointCases.map(
    ([eventName, endpoint]): TemplateFixture => ({
      name: `PostHog: sends ${eventName} to the ${endpoint} endpoint`,
      posthog: true,
      event: { ...phEvent, event: eventName },
      person: phPerson,
      inputs: phInputs,
      expect: { requests: [{ method: 'POST', url: `https://api.june.so/sdk/${endpoint}`, headers: phHeaders }] },
    }),
  ),
  {
    name: 'PostHog: sets event on track calls',
    posthog: true,
    event: { ...phEvent, event: 'purchase' },
    person: phPerson,
    inputs: phInputs,
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.june.so/sdk/track',
          headers: phHeaders,
          body: {
            properties: { url: 'https://example.com' },
            traits,
            timestamp: '2024-01-01T00:00:00Z',
            context: emptyContext,
            messageId: 'event-id',
            event: 'purchase',
            anonymousId: 'distinct-id',
          },
        },
      ],
    },
  },
  {
    name: 'PostHog: does not set event on page calls',
    posthog: true,
    event: { ...phEvent, event: '$pageview' },
    person: phPerson,
    inputs: phInputs,
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.june.so/sdk/page',
          body: { properties: { url: 'https://example.com' }, traits, timestamp: '2024-01-01T00:00:00Z', context: emptyContext, messageId: 'event-id', anonymousId: 'distinct-id' },
        },
      ],
    },
  },
  {
    name: 'PostHog: keys an identified user by userId, with the anonymous id beside it',
    posthog: true,
    event: { ...phEvent, properties: { $is_identified: true, $anon_distinct_id: 'anon-1' } },
    person: phPerson,
    inputs: phInputs,
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.june.so/sdk/track',
          body: {
            properties: {},
            traits,
            timestamp: '2024-01-01T00:00:00Z',
            context: emptyContext,
            messageId: 'event-id',
            event: 'event-name',
            userId: 'distinct-id',
            anonymousId: 'anon-1',
          },
        },
      ],
    },
  },
  {
    name: 'PostHog: keys an anonymous user by anonymousId only',
    posthog: true,
    event: { ...phEvent, properties: { $is_identified: false, $anon_distinct_id: 'anon-1' } },
    person: phPerson,
    inputs: phInputs,
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.june.so/sdk/track',
          body: { properties: {}, traits, timestamp: '2024-01-01T00:00:00Z', context: emptyContext, messageId: 'event-id', event: 'event-name', anonymousId: 'distinct-id' },
        },
      ],
    },
  },
  {
    name: 'PostHog: pulls the query string into properties.search',
    posthog: true,
    event: { ...phEvent, properties: { $current_url: 'https://hedgebox.net/faq?billing' } },
    person: phPerson,
    inputs: phInputs,
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.june.so/sdk/track',
          body: {
            properties: { url: 'https://hedgebox.net/faq?billing', search: '?billing' },
            traits,
            timestamp: '2024-01-01T00:00:00Z',
            context: emptyContext,
            messageId: 'event-id',
            event: 'event-name',
            anonymousId: 'distinct-id',
          },
        },
      ],
    },
  },
  {
    name: 'PostHog: fails on a 401 answer',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 401, body: { error: 'nope' } }],
    expect: { status: 'failed', error: 'June API error (status 401)', requests: [{ method: 'POST', url: 'https://api.june.so/sdk/track' }], logsMustNotContain: [PH_KEY] },
  },
  {
    name: 'sends $identify with the default trait mapping, leaving out empty traits',
    event: {
      event: '$identify',
      distinct_id: 'user-3',
      uuid: '0190a1b2-0000-7000-8000-00000000ju01',
      timestamp: '2026-01-02T03:04:05.000Z',
      properties: { $is_identified: true, $anon_distinct_id: 'anon-3', $ip: '203.0.113.9', $os: 'Linux', $current_url: 'https://app.example/settings' },
    },
    person: { id: 'p3', properties: { email: 'kai@example.com', name: 'Kai', company: 'Acme' } },
    inputs: { apiKey: KEY },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.june.so/sdk/identify',
          headers: { authorization: `Basic ${KEY}`, 'content-type': 'application/json' },
          body: {
            properties: { url: 'https://app.example/settings' },
            traits: { email: 'kai@example.com', name: 'Kai' },
            timestamp: '2026-01-02T03:04:05.000Z',
            context: { ...emptyContext, os: { name: 'Linux' }, ip: '203.0.113.9' },
            messageId: '0190a1b2-0000-7000-8000-00000000ju01',
            userId: 'user-3',
            anonymousId: 'anon-3',
          },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'adds all non-$ person properties as traits on identify, on top of the mapping',
    event: { event: '$set', distinct_id: 'anon-4', uuid: '0190a1b2-0000-7000-8000-00000000ju02', timestamp: '2026-01-02T03:04:05.000Z' },
    person: { id: 'p4', properties: { email: 'old@example.com', plan: 'free', $initial_os: 'iOS' } },
    inputs: { apiKey: KEY, include_all_properties: true, properties: { email: 'new@example.com', phone: '' } },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.june.so/sdk/identify',
          body: {
            properties: {},
            traits: { email: 'old@example.com', plan: 'free' },
            timestamp: '2026-01-02T03:04:05.000Z',
            context: emptyContext,
            messageId: '0190a1b2-0000-7000-8000-00000000ju02',
            anonymousId: 'anon-4',
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly with the message June returns',
    event: { event: '$identify', distinct_id: 'user-3' },
    inputs: { apiKey: KEY },
    responses: [{ status: 401, body: { message: 'Unauthorized' } }],
    expect: { status: 'failed', error: 'June API error (status 401): Unauthorized', requests: [{ method: 'POST', url: 'https://api.june.so/sdk/identify' }], logsMustNotContain: [KEY] },
  },
];
