import type { TemplateFixture } from '../types.js';

const TOKEN = 'rs-write-key-2kq9v7';
const HEADERS = { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${TOKEN}:`).toString('base64')}` };
// sentAt is the time of the run: fixtures run at 2026-01-01T00:00:00Z.
const SENT_AT = '2026-01-01T00:00:00Z';
const emptyContext = { app: { name: 'PostHogPlugin' }, os: {}, page: {}, screen: {}, library: {} };

// PostHog's test inputs and its harness's default event.
const PH_TOKEN = 'asjdkfasdkjfaskfkjfhdsf';
const PH_ID = 'a08ff8e1-a5ee-49cc-99e9-564e455c33f0';
const phInputs = { host: 'https://hosted.rudderlabs.com', token: PH_TOKEN, identifier: PH_ID };
const phPageview = {
  uuid: '96a04bdc-6021-4120-a3e3-f1988f59ba5f',
  timestamp: '2024-08-29T13:40:22.713Z',
  distinct_id: '85bcd2e4-d10d-4a99-9dc8-43789b7226a1',
  event: '$pageview',
  properties: { $current_url: 'https://example.com', $browser: 'Chrome' },
};
const phPerson = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const phMappingCases: [string, string, Record<string, unknown>][] = [
  ['$identify', 'identify', {}],
  ['$set', 'identify', {}],
  ['$pageview', 'page', {}],
  ['$create_alias', 'alias', { previousId: 'distinct-id' }],
  ['$autocapture', 'track', {}],
  ['custom', 'track', { event: 'custom' }],
];

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: sends a page view as a page message',
    posthog: true,
    event: phPageview,
    person: phPerson,
    inputs: phInputs,
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://hosted.rudderlabs.com/v1/batch',
          headers: { 'content-type': 'application/json', authorization: 'Basic YXNqZGtmYXNka2pmYXNrZmtqZmhkc2Y6' },
          body: {
            batch: [
              {
                context: { app: { name: 'PostHogPlugin' }, os: {}, page: { url: 'https://example.com' }, screen: {}, library: {}, browser: 'Chrome' },
                channel: 's2s',
                messageId: '96a04bdc-6021-4120-a3e3-f1988f59ba5f',
                originalTimestamp: '2024-08-29T13:40:22.713Z',
                userId: PH_ID,
                type: 'page',
                properties: { url: 'https://example.com' },
              },
            ],
            sentAt: SENT_AT,
          },
        },
      ],
      logsMustNotContain: [PH_TOKEN],
    },
  },
  {
    name: 'PostHog: accepts a host that already ends in /v1/batch',
    posthog: true,
    event: phPageview,
    person: phPerson,
    inputs: { ...phInputs, host: 'https://hosted.rudderlabs.com/v1/batch' },
    expect: { requests: [{ method: 'POST', url: 'https://hosted.rudderlabs.com/v1/batch' }] },
  },
  ...phMappingCases.map(
    ([eventName, type, extra]): TemplateFixture => ({
      name: `PostHog: maps ${eventName} to a ${type} message`,
      posthog: true,
      event: { uuid: 'event-id', event: eventName, distinct_id: 'distinct-id', timestamp: '2024-01-01T00:00:00Z', properties: { url: 'https://example.com', $browser: 'Chrome' } },
      person: phPerson,
      inputs: phInputs,
      expect: {
        requests: [
          {
            method: 'POST',
            url: 'https://hosted.rudderlabs.com/v1/batch',
            body: {
              batch: [
                {
                  context: { ...emptyContext, browser: 'Chrome' },
                  channel: 's2s',
                  type,
                  properties: { url: 'https://example.com' },
                  messageId: 'event-id',
                  originalTimestamp: '2024-01-01T00:00:00Z',
                  userId: PH_ID,
                  ...extra,
                },
              ],
              sentAt: SENT_AT,
            },
          },
        ],
      },
    }),
  ),
  {
    name: 'sends a custom event as a track message in a batch of one',
    event: {
      event: 'plan_upgraded',
      distinct_id: 'user-9',
      uuid: '0190a1b2-0000-7000-8000-0000000000r1',
      timestamp: '2026-01-02T03:04:05.123Z',
      properties: { plan: 'scale', seats: 12, coupon: null, $os: 'Mac OS X', $browser: 'Firefox', $lib: 'web', $lib_version: '1.200.0', $ip: '192.0.2.10', $device_id: 'dev-9' },
    },
    person: { id: 'person-uuid-9', properties: {} },
    inputs: { token: TOKEN },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://hosted.rudderlabs.com/v1/batch',
          headers: HEADERS,
          body: {
            batch: [
              {
                context: { ...emptyContext, os: { name: 'Mac OS X' }, library: { name: 'web', version: '1.200.0' }, browser: 'Firefox' },
                channel: 's2s',
                type: 'track',
                properties: { plan: 'scale', seats: 12 },
                messageId: '0190a1b2-0000-7000-8000-0000000000r1',
                originalTimestamp: '2026-01-02T03:04:05.123Z',
                userId: 'person-uuid-9',
                anonymousId: 'dev-9',
                event: 'plan_upgraded',
              },
            ],
            sentAt: SENT_AT,
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'sends $pageview as a page message to a self-hosted data plane',
    event: {
      event: '$pageview',
      distinct_id: 'user-9',
      uuid: '0190a1b2-0000-7000-8000-0000000000r2',
      timestamp: '2026-01-02T03:04:05.000Z',
      properties: { name: 'Docs', $current_url: 'https://example.com/docs', $host: 'example.com', $pathname: '/docs', $screen_width: 1440, $screen_height: 900 },
    },
    inputs: { token: TOKEN, host: 'https://rudder.internal.example/', identifier: 'user-9' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://rudder.internal.example/v1/batch',
          body: {
            batch: [
              {
                context: { ...emptyContext, page: { host: 'example.com', url: 'https://example.com/docs' }, screen: { height: 900, width: 1440 } },
                channel: 's2s',
                type: 'page',
                properties: { host: 'example.com', url: 'https://example.com/docs', path: '/docs', name: 'Docs' },
                messageId: '0190a1b2-0000-7000-8000-0000000000r2',
                originalTimestamp: '2026-01-02T03:04:05.000Z',
                userId: 'user-9',
                name: 'Docs',
              },
            ],
            sentAt: SENT_AT,
          },
        },
      ],
    },
  },
  {
    name: 'sends $identify as an identify message with the $set traits',
    event: { event: '$identify', distinct_id: 'user-9', uuid: '0190a1b2-0000-7000-8000-0000000000r3', timestamp: '2026-01-02T03:04:05.000Z', properties: { $set: { email: 'lin@example.com' }, $anon_distinct_id: 'anon-9' } },
    inputs: { token: TOKEN, identifier: 'user-9' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://hosted.rudderlabs.com/v1/batch',
          body: {
            batch: [
              {
                context: { ...emptyContext, trait: { email: 'lin@example.com' } },
                channel: 's2s',
                type: 'identify',
                properties: {},
                messageId: '0190a1b2-0000-7000-8000-0000000000r3',
                originalTimestamp: '2026-01-02T03:04:05.000Z',
                userId: 'user-9',
                anonymousId: 'anon-9',
                traits: { email: 'lin@example.com' },
              },
            ],
            sentAt: SENT_AT,
          },
        },
      ],
    },
  },
  {
    name: 'sends $create_alias as an alias message from the old distinct id',
    event: { event: '$create_alias', distinct_id: 'anon-9', uuid: '0190a1b2-0000-7000-8000-0000000000r4', timestamp: '2026-01-02T03:04:05.000Z', properties: { alias: 'user-9' } },
    inputs: { token: TOKEN, identifier: 'anon-9' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://hosted.rudderlabs.com/v1/batch',
          body: {
            batch: [
              {
                context: emptyContext,
                channel: 's2s',
                type: 'alias',
                properties: { alias: 'user-9' },
                messageId: '0190a1b2-0000-7000-8000-0000000000r4',
                originalTimestamp: '2026-01-02T03:04:05.000Z',
                userId: 'user-9',
                previousId: 'anon-9',
              },
            ],
            sentAt: SENT_AT,
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly when RudderStack rejects the write key',
    event: { event: 'plan_upgraded', distinct_id: 'user-9' },
    inputs: { token: TOKEN, identifier: 'user-9' },
    responses: [{ status: 401, body: 'Invalid Authorization Header' }],
    expect: { status: 'failed', error: 'RudderStack API error (status 401)', requests: [{ method: 'POST', url: 'https://hosted.rudderlabs.com/v1/batch' }], logsMustNotContain: [TOKEN] },
  },
  {
    name: 'is skipped for $feature_flag_called by default',
    event: { event: '$feature_flag_called', distinct_id: 'user-9' },
    inputs: { token: TOKEN },
    expect: { status: 'skipped', requests: [] },
  },
];
