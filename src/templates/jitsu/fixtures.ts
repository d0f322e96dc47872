import type { TemplateFixture } from '../types.js';

const WRITE_KEY = 'jitsuKeyId:jitsu-secret-9f8e7d';
const HOST = 'https://acme.d.jitsu.com';

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends a custom event as an s2s track call with the write key header',
    event: {
      event: 'invoice_paid',
      distinct_id: 'user-7',
      uuid: '0190a1b2-0000-7000-8000-0000000000j1',
      timestamp: '2026-01-02T03:04:05.123Z',
      properties: { total: 120, $ip: '198.51.100.4', $raw_user_agent: 'curl/8.0' },
    },
    inputs: { host: HOST, write_key: WRITE_KEY },
    responses: [{ status: 200, body: { ok: true } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://acme.d.jitsu.com/api/s/s2s/track',
          headers: { 'content-type': 'application/json', 'x-write-key': WRITE_KEY },
          body: {
            type: 'track',
            messageId: '0190a1b2-0000-7000-8000-0000000000j1',
            timestamp: '2026-01-02T03:04:05.123Z',
            context: { ip: '198.51.100.4', userAgent: 'curl/8.0' },
            userId: 'user-7',
            properties: { total: 120, $ip: '198.51.100.4', $raw_user_agent: 'curl/8.0' },
            event: 'invoice_paid',
          },
        },
      ],
      logsMustNotContain: [WRITE_KEY],
    },
  },
  {
    name: 'sends $pageview as a page call and drops a trailing slash from the host',
    event: {
      event: '$pageview',
      distinct_id: 'user-7',
      uuid: '0190a1b2-0000-7000-8000-0000000000j2',
      timestamp: '2026-01-02T03:04:05.000Z',
      properties: { $current_url: 'https://shop.example/cart', $referrer: 'https://search.example/' },
    },
    inputs: { host: 'https://jitsu.internal.example/', write_key: WRITE_KEY, properties: { section: 'cart' } },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://jitsu.internal.example/api/s/s2s/page',
          body: {
            type: 'page',
            messageId: '0190a1b2-0000-7000-8000-0000000000j2',
            timestamp: '2026-01-02T03:04:05.000Z',
            context: { page: { url: 'https://shop.example/cart', referrer: 'https://search.example/' } },
            userId: 'user-7',
            properties: { section: 'cart' },
          },
        },
      ],
    },
  },
  {
    name: 'sends $identify as an identify call with person properties as traits',
    event: { event: '$identify', distinct_id: 'user-7', uuid: '0190a1b2-0000-7000-8000-0000000000j3', timestamp: '2026-01-02T03:04:05.000Z', properties: { $anon_distinct_id: 'anon-7' } },
    person: { id: 'p7', properties: { email: 'ada@example.com', plan: 'team' } },
    inputs: { host: HOST, write_key: WRITE_KEY },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://acme.d.jitsu.com/api/s/s2s/identify',
          body: {
            type: 'identify',
            messageId: '0190a1b2-0000-7000-8000-0000000000j3',
            timestamp: '2026-01-02T03:04:05.000Z',
            context: {},
            userId: 'user-7',
            anonymousId: 'anon-7',
            traits: { email: 'ada@example.com', plan: 'team' },
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly when Jitsu rejects the write key',
    event: { event: 'invoice_paid', distinct_id: 'user-7' },
    inputs: { host: HOST, write_key: WRITE_KEY },
    responses: [{ status: 401, body: { error: 'Invalid write key' } }],
    expect: { status: 'failed', error: 'Jitsu API error (status 401): Invalid write key', requests: [{ method: 'POST', url: 'https://acme.d.jitsu.com/api/s/s2s/track' }], logsMustNotContain: [WRITE_KEY] },
  },
  {
    name: 'is skipped for $feature_flag_called by default',
    event: { event: '$feature_flag_called', distinct_id: 'user-7' },
    inputs: { host: HOST, write_key: WRITE_KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
