import type { TemplateFixture } from '../types.js';

const HOOK = 'https://hooks.zapier.com/hooks/catch/1234567/sluiceZap9/';
const UUID = '0190a1b2-0000-7000-8000-000000000008';
const event = { event: '$pageview', distinct_id: 'u1', uuid: UUID, timestamp: '2026-01-02T03:04:05.000Z', properties: { $current_url: 'https://example.com/' } };
const person = { id: 'p1', properties: { email: 'max@example.com', plan: 'pro' } };
const headers = { 'content-type': 'application/json' };
const ok = { attempt: '0190a1b2-aaaa', id: '0190a1b2-bbbb', request_id: '0190a1b2-cccc', status: 'success' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: posts the body to the hook path',
    posthog: true,
    event,
    person,
    inputs: { hook: 'hooks/1/2', body: { hello: 'world' }, debug: false },
    responses: [{ status: 200, body: { status: 'success' } }],
    expect: { requests: [{ method: 'POST', url: 'https://hooks.zapier.com/hooks/1/2', headers, body: { hello: 'world' } }] },
  },
  ...([
    ['a bare path', 'hooks/catch/123456/abcdef/'],
    ['a full url', 'https://hooks.zapier.com/hooks/catch/123456/abcdef/'],
    ['a leading slash', '/hooks/catch/123456/abcdef/'],
  ] as const).map(
    ([what, hook]): TemplateFixture => ({
      name: `PostHog: sends to the same hook given ${what}`,
      posthog: true,
      event,
      person,
      inputs: { hook, body: { hello: 'world' }, debug: false },
      responses: [{ status: 200, body: { status: 'success' } }],
      expect: { requests: [{ method: 'POST', url: 'https://hooks.zapier.com/hooks/catch/123456/abcdef/', headers, body: { hello: 'world' } }] },
    }),
  ),
  {
    name: 'PostHog: logs the response in debug mode, without the hook',
    posthog: true,
    event,
    person,
    inputs: { hook: 'hooks/1/2', body: { hello: 'world' }, debug: true },
    responses: [{ status: 200, body: 'ok' }],
    expect: { requests: [{ method: 'POST', url: 'https://hooks.zapier.com/hooks/1/2', headers, body: { hello: 'world' } }], logsMustNotContain: ['hooks/1/2'] },
  },
  {
    name: 'posts the default body to the catch hook',
    event,
    person,
    inputs: { hook: HOOK },
    responses: [{ status: 200, body: ok }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: HOOK,
          headers,
          body: {
            hook: {
              id: 'http://localhost:8040/projects/1/destinations/destination-id',
              event: {
                uuid: UUID,
                event: '$pageview',
                name: '$pageview',
                distinct_id: 'u1',
                properties: { $current_url: 'https://example.com/' },
                timestamp: '2026-01-02T03:04:05.000Z',
                elements_chain: '',
                url: `http://localhost:8040/projects/1/events/${UUID}`,
              },
              target: 'https://hooks.zapier.com',
            },
            data: {
              eventUuid: UUID,
              event: '$pageview',
              teamId: 1,
              distinctId: 'u1',
              properties: { $current_url: 'https://example.com/' },
              elementsChain: null,
              timestamp: '2026-01-02T03:04:05.000Z',
              person: { uuid: 'p1', properties: { email: 'max@example.com', plan: 'pro' } },
            },
          },
        },
      ],
      logsMustNotContain: ['sluiceZap9'],
    },
  },
  {
    name: 'fails clearly when Zapier refuses the request (410 Gone)',
    event,
    person,
    inputs: { hook: HOOK },
    responses: [{ status: 410, body: { status: 'error', message: 'This hook is no longer active.' } }],
    expect: {
      status: 'failed',
      error: 'Zapier API error (status 410): This hook is no longer active.',
      requests: [{ method: 'POST', url: HOOK }],
      logsMustNotContain: ['sluiceZap9'],
    },
  },
  {
    name: 'refuses a URL on another host, without a request',
    event,
    person,
    inputs: { hook: 'https://example.com/hooks/catch/1/2/' },
    expect: { status: 'failed', error: 'Zapier: the hook must be https://hooks.zapier.com/', requests: [] },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { ...event, event: '$identify' },
    person,
    inputs: { hook: HOOK },
    expect: { status: 'skipped', requests: [] },
  },
];
