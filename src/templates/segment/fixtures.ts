import type { TemplateFixture } from '../types.js';

const WRITE_KEY = 'seg-write-key-a1b2c3d4';
const AUTH = `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`;
const HEADERS = { 'content-type': 'application/json', authorization: AUTH };

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends a custom event as a track call',
    event: {
      event: 'purchase',
      distinct_id: 'user-42',
      uuid: '0190a1b2-0000-7000-8000-0000000000c1',
      timestamp: '2026-01-02T03:04:05.123Z',
      properties: { amount: 49, $ip: '203.0.113.7', $raw_user_agent: 'Mozilla/5.0' },
    },
    inputs: { write_key: WRITE_KEY },
    responses: [{ status: 200, body: { success: true } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.segment.io/v1/track',
          headers: HEADERS,
          body: {
            messageId: '0190a1b2-0000-7000-8000-0000000000c1',
            timestamp: '2026-01-02T03:04:05.123Z',
            context: { library: { name: 'sluice', version: '1' }, ip: '203.0.113.7', userAgent: 'Mozilla/5.0' },
            userId: 'user-42',
            properties: { amount: 49, $ip: '203.0.113.7', $raw_user_agent: 'Mozilla/5.0' },
            event: 'purchase',
          },
        },
      ],
      logsMustNotContain: [WRITE_KEY],
    },
  },
  {
    name: 'sends $pageview as a page call to the EU endpoint',
    event: {
      event: '$pageview',
      distinct_id: 'user-42',
      uuid: '0190a1b2-0000-7000-8000-0000000000c2',
      timestamp: '2026-01-02T03:04:05.000Z',
      properties: { $current_url: 'https://example.com/pricing', title: 'Pricing', $anon_distinct_id: 'anon-1' },
    },
    inputs: { write_key: WRITE_KEY, region: 'eu', properties: { path: '/pricing' } },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://events.eu1.segmentapis.com/v1/page',
          headers: HEADERS,
          body: {
            messageId: '0190a1b2-0000-7000-8000-0000000000c2',
            timestamp: '2026-01-02T03:04:05.000Z',
            context: { library: { name: 'sluice', version: '1' }, page: { url: 'https://example.com/pricing', referrer: null } },
            userId: 'user-42',
            anonymousId: 'anon-1',
            properties: { path: '/pricing' },
            name: 'Pricing',
          },
        },
      ],
    },
  },
  {
    name: 'sends $identify as an identify call with the person properties as traits',
    event: { event: '$identify', distinct_id: 'user-42', uuid: '0190a1b2-0000-7000-8000-0000000000c3', timestamp: '2026-01-02T03:04:05.000Z' },
    person: { id: 'p1', properties: { email: 'max@example.com' } },
    inputs: { write_key: WRITE_KEY },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.segment.io/v1/identify',
          body: {
            messageId: '0190a1b2-0000-7000-8000-0000000000c3',
            timestamp: '2026-01-02T03:04:05.000Z',
            context: { library: { name: 'sluice', version: '1' } },
            userId: 'user-42',
            traits: { email: 'max@example.com' },
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly when Segment rejects the write key',
    event: { event: 'purchase', distinct_id: 'user-42' },
    inputs: { write_key: WRITE_KEY },
    responses: [{ status: 401, body: { success: false, message: 'Invalid write key' } }],
    expect: { status: 'failed', error: 'Segment API error (status 401): Invalid write key', requests: [{ method: 'POST', url: 'https://api.segment.io/v1/track' }], logsMustNotContain: [WRITE_KEY] },
  },
  {
    name: 'is skipped for $feature_flag_called by default',
    event: { event: '$feature_flag_called', distinct_id: 'user-42' },
    inputs: { write_key: WRITE_KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
