import type { TemplateFixture } from '../types.js';

const HOOK = 'https://hook.eu2.make.com/sluicemakehook0123456789abcdef';
const PH_HOOK = 'https://hook.xxx.make.com/xxxxxxxxxxxxxxxxxxxxxxxxxxxx';
const UUID = '0190a1b2-0000-7000-8000-000000000009';
const event = { event: '$pageview', distinct_id: 'u1', uuid: UUID, timestamp: '2026-01-02T03:04:05.000Z', properties: { $current_url: 'https://example.com/' } };
const person = { id: 'p1', properties: { email: 'max@example.com' } };
const headers = { 'content-type': 'application/json' };
// The body PostHog's own tests send.
const phBody = {
  data: {
    eventUuid: 'uuid-xxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    event: '$pageview',
    teamId: 'teamId-xxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    distinctId: 'distinctId-xxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    properties: { uuid: 'person-uuid-xxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
  },
};

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: posts the body to the webhook',
    posthog: true,
    event,
    person,
    inputs: { webhookUrl: PH_HOOK, body: phBody },
    responses: [{ status: 200, body: 'Accepted' }],
    expect: { requests: [{ method: 'POST', url: PH_HOOK, headers, body: phBody }] },
  },
  ...['https://webhook.site/def', `https://webhook.site/def#${PH_HOOK}`].map(
    (webhookUrl): TemplateFixture => ({
      name: `PostHog: refuses ${webhookUrl}, without a request`,
      posthog: true,
      event,
      person,
      inputs: { webhookUrl, body: phBody },
      expect: { status: 'failed', error: 'Make: the webhook URL must look like', requests: [] },
    }),
  ),
  {
    name: 'PostHog: fails on a non-2xx answer',
    posthog: true,
    event,
    person,
    inputs: { webhookUrl: PH_HOOK, body: phBody },
    responses: [{ status: 410, body: 'Gone' }],
    expect: { status: 'failed', error: 'Make API error (status 410): Gone', requests: [{ method: 'POST', url: PH_HOOK }] },
  },
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
              teamId: 1,
              distinctId: 'u1',
              properties: { $current_url: 'https://example.com/' },
              elementsChain: null,
              timestamp: '2026-01-02T03:04:05.000Z',
              person: { uuid: 'p1', properties: { email: 'max@example.com' } },
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
