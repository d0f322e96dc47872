import type { TemplateFixture } from '../types.js';

const HOOK = 'https://hook.eu2.make.com/sluicemakehook0123456789abcdef';
const UUID = '0190a1b2-0000-7000-8000-000000000009';
const event = { event: '$pageview', distinct_id: 'u1', uuid: UUID, timestamp: '2026-01-02T03:04:05.000Z', properties: { $current_url: 'https://example.com/' } };
const person = { id: 'p1', properties: { email: 'max@example.com' } };
const headers = { 'content-type': 'application/json' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'posts the default body to the scenario webhook',
    event,
    person,
    inputs: { webhookUrl: HOOK },
    responses: [{ status: 200, body: 'Accepted' }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: HOOK,
          headers,
          body: {
            data: {
              eventUuid: UUID,
              event: '$pageview',
              distinctId: 'u1',
              timestamp: '2026-01-02T03:04:05.000Z',
              url: `http://localhost:8040/projects/1/events/${UUID}`,
              properties: { $current_url: 'https://example.com/' },
              person: { id: 'p1', name: 'max@example.com', properties: { email: 'max@example.com' } },
              projectId: 1,
            },
          },
        },
      ],
      logsMustNotContain: ['sluicemakehook0123456789abcdef'],
    },
  },
  {
    name: 'logs the response in debug mode, without the URL',
    event,
    person,
    inputs: { webhookUrl: HOOK, body: { e: '{event.event}' }, debug: true },
    responses: [{ status: 200, body: 'Accepted' }],
    expect: { requests: [{ method: 'POST', url: HOOK, headers, body: { e: '$pageview' } }], logsMustNotContain: ['sluicemakehook0123456789abcdef'] },
  },
  {
    name: 'fails clearly when no scenario listens (400)',
    event,
    person,
    inputs: { webhookUrl: HOOK },
    responses: [{ status: 400, body: 'There is no scenario listening for this webhook.' }],
    expect: {
      status: 'failed',
      error: 'Make API error (status 400): There is no scenario listening for this webhook.',
      requests: [{ method: 'POST', url: HOOK }],
      logsMustNotContain: ['sluicemakehook0123456789abcdef'],
    },
  },
  {
    name: 'refuses a URL that is not a Make webhook, without a request',
    event,
    person,
    inputs: { webhookUrl: 'https://hook.example.com/abc' },
    expect: { status: 'failed', error: 'Make: the webhook URL must look like', requests: [] },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { ...event, event: '$identify' },
    person,
    inputs: { webhookUrl: HOOK },
    expect: { status: 'skipped', requests: [] },
  },
];
