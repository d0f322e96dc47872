import type { TemplateFixture } from '../types.js';

const URL = 'https://api.engage.so/posthog';
const PRIVATE = 'engage-private-key-123';

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: forwards the event in PostHog’s shape',
    posthog: true,
    event: { event: '$identify', distinct_id: 'distinct-id', uuid: 'event-id', timestamp: '2024-01-01T00:00:00Z', properties: { $current_url: 'https://example.com' } },
    inputs: { public_key: 'PUBLIC_KEY', private_key: 'PRIVATE_KEY' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: 'Basic UFVCTElDX0tFWTpQUklWQVRFX0tFWQ==', 'content-type': 'application/json' },
          body: {
            uuid: 'event-id',
            event: '$identify',
            distinct_id: 'distinct-id',
            properties: { $current_url: 'https://example.com' },
            timestamp: '2024-01-01T00:00:00Z',
            elements_chain: '',
            url: 'http://localhost:8040/projects/1/events/event-id',
          },
        },
      ],
      logsMustNotContain: ['PRIVATE_KEY'],
    },
  },
  {
    name: 'forwards a $set with its person properties',
    event: { event: '$set', distinct_id: 'u1', uuid: 'e2', timestamp: '2026-01-01T00:00:00.000Z', properties: { $set: { email: 'max@example.com', plan: 'pro' } } },
    inputs: { public_key: 'pk_live_1', private_key: PRIVATE },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: `Basic ${Buffer.from(`pk_live_1:${PRIVATE}`).toString('base64')}`, 'content-type': 'application/json' },
          body: {
            uuid: 'e2',
            event: '$set',
            distinct_id: 'u1',
            properties: { $set: { email: 'max@example.com', plan: 'pro' } },
            timestamp: '2026-01-01T00:00:00.000Z',
            elements_chain: '',
            url: 'http://localhost:8040/projects/1/events/e2',
          },
        },
      ],
      logsMustNotContain: [PRIVATE],
    },
  },
  {
    name: 'fails when Engage rejects the keys (PostHog’s template ignores the answer)',
    event: { event: '$identify', distinct_id: 'u1' },
    inputs: { public_key: 'pk_live_1', private_key: PRIVATE },
    responses: [{ status: 401, body: { error: 'Unauthorized' } }],
    expect: { status: 'failed', error: 'Engage.so API error (status 401): Unauthorized', requests: [{ method: 'POST', url: URL }], logsMustNotContain: [PRIVATE] },
  },
  {
    name: 'is skipped for other events',
    event: { event: '$pageview', distinct_id: 'u1' },
    inputs: { public_key: 'pk_live_1', private_key: PRIVATE },
    expect: { status: 'skipped', requests: [] },
  },
];
