import type { TemplateFixture } from '../types.js';

const HOOK = 'https://hooks.zapier.com/hooks/catch/1234567/sluiceZap9/';
const UUID = '0190a1b2-0000-7000-8000-000000000008';
const event = { event: '$pageview', distinct_id: 'u1', uuid: UUID, timestamp: '2026-01-02T03:04:05.000Z', properties: { $current_url: 'https://example.com/' } };
const person = { id: 'p1', properties: { email: 'max@example.com', plan: 'pro' } };
const headers = { 'content-type': 'application/json' };
const ok = { attempt: '0190a1b2-aaaa', id: '0190a1b2-bbbb', request_id: '0190a1b2-cccc', status: 'success' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'posts the default event and person body to the catch hook',
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
            event: {
              uuid: UUID,
              event: '$pageview',
              distinct_id: 'u1',
              timestamp: '2026-01-02T03:04:05.000Z',
              url: `http://localhost:8040/projects/1/events/${UUID}`,
              properties: { $current_url: 'https://example.com/' },
            },
            person: { id: 'p1', name: 'max@example.com', url: 'http://localhost:8040/projects/1/persons/p1', properties: { email: 'max@example.com', plan: 'pro' } },
          },
        },
      ],
      logsMustNotContain: ['sluiceZap9'],
    },
  },
  {
    name: 'accepts the hook as a path, as PostHog stores it, and a custom body',
    event,
    person,
    inputs: { hook: 'hooks/catch/1234567/sluiceZap9/', body: { email: '{person.properties.email}', plan: '{person.properties.plan}' } },
    responses: [{ status: 200, body: ok }],
    expect: { requests: [{ method: 'POST', url: HOOK, headers, body: { email: 'max@example.com', plan: 'pro' } }] },
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
    name: 'refuses a URL that is not a catch hook, without a request',
    event,
    person,
    inputs: { hook: 'https://example.com/hooks/catch/1/2/' },
    expect: { status: 'failed', error: 'Zapier: the hook must be a catch hook URL', requests: [] },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { ...event, event: '$identify' },
    person,
    inputs: { hook: HOOK },
    expect: { status: 'skipped', requests: [] },
  },
];
