import type { TemplateFixture } from '../types.js';

const KEY = 'june-write-key-77aa01';

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends $identify of an identified user as an identify call with the mapped traits',
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
            messageId: '0190a1b2-0000-7000-8000-00000000ju01',
            timestamp: '2026-01-02T03:04:05.000Z',
            context: { os: { name: 'Linux' }, screen: {}, device: {}, ip: '203.0.113.9' },
            properties: { url: 'https://app.example/settings' },
            traits: { email: 'kai@example.com', name: 'Kai' },
            userId: 'user-3',
            anonymousId: 'anon-3',
          },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'adds all person properties as traits when asked, the mapping overriding them',
    event: { event: '$set', distinct_id: 'anon-4', uuid: '0190a1b2-0000-7000-8000-00000000ju02', timestamp: '2026-01-02T03:04:05.000Z' },
    person: { id: 'p4', properties: { email: 'old@example.com', plan: 'free', $initial_os: 'iOS' } },
    inputs: { apiKey: KEY, include_all_properties: true, properties: { email: 'new@example.com', phone: '' } },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.june.so/sdk/identify',
          body: {
            messageId: '0190a1b2-0000-7000-8000-00000000ju02',
            timestamp: '2026-01-02T03:04:05.000Z',
            context: { os: {}, screen: {}, device: {} },
            properties: {},
            traits: { email: 'new@example.com', plan: 'free' },
            anonymousId: 'anon-4',
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly when June rejects the key',
    event: { event: '$identify', distinct_id: 'user-3' },
    inputs: { apiKey: KEY },
    responses: [{ status: 401, body: { message: 'Unauthorized' } }],
    expect: { status: 'failed', error: 'June API error (status 401): Unauthorized', requests: [{ method: 'POST', url: 'https://api.june.so/sdk/identify' }], logsMustNotContain: [KEY] },
  },
  {
    name: 'is skipped for events other than $identify and $set by default',
    event: { event: '$pageview', distinct_id: 'user-3' },
    inputs: { apiKey: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
