import type { TemplateFixture } from '../types.js';

const HOOK = 'https://discord.com/api/webhooks/1234567890/sluiceDiscordToken-abcdef';
const PH_HOOK = 'https://discord.com/api/webhooks/00000000000000000/xxxxxxxxxxxxxx';
const event = {
  event: '$pageview',
  distinct_id: 'u1',
  uuid: '0190a1b2-0000-7000-8000-000000000003',
  timestamp: '2026-01-02T03:04:05.000Z',
  properties: { $current_url: 'https://example.com/signup' },
};
const person = { id: 'p1', properties: { email: 'max@example.com' } };
const headers = { 'content-type': 'application/json' };
const phInputs = { webhookUrl: PH_HOOK, content: 'Alert <@123456789> triggered' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: posts the message with no mention pinging',
    posthog: true,
    event,
    person,
    inputs: phInputs,
    responses: [{ status: 204 }],
    expect: { requests: [{ method: 'POST', url: PH_HOOK, headers, body: { content: 'Alert <@123456789> triggered', allowed_mentions: { parse: [] } } }] },
  },
  ...([
    ['none', []],
    ['roles_users', ['roles', 'users']],
    ['everyone', ['everyone', 'roles', 'users']],
  ] as const).map(
    ([choice, parse]): TemplateFixture => ({
      name: `PostHog: maps allowedMentions ${choice} to the mentions that ping`,
      posthog: true,
      event,
      person,
      inputs: { ...phInputs, allowedMentions: choice },
      responses: [{ status: 204 }],
      expect: { requests: [{ method: 'POST', url: PH_HOOK, headers, body: { content: 'Alert <@123456789> triggered', allowed_mentions: { parse } } }] },
    }),
  ),
  ...['https://webhook.site/def', 'https://webhook.site/def#https://discord.com/api/webhooks/abc'].map(
    (webhookUrl): TemplateFixture => ({
      name: `PostHog: refuses the URL ${webhookUrl}, without a request`,
      posthog: true,
      event,
      person,
      inputs: { ...phInputs, webhookUrl },
      expect: { status: 'failed', error: 'Discord: the webhook URL must look like', requests: [] },
    }),
  ),
  {
    name: 'PostHog: fails on a non-2xx answer',
    posthog: true,
    event,
    person,
    inputs: phInputs,
    responses: [{ status: 429, body: { message: 'rate limited' } }],
    expect: { status: 'failed', error: 'Discord API error (status 429): rate limited', requests: [{ method: 'POST', url: PH_HOOK }] },
  },
  {
    name: 'posts the default content',
    event,
    person,
    inputs: { webhookUrl: HOOK },
    responses: [{ status: 204 }],
    expect: {
      requests: [{ method: 'POST', url: HOOK, headers, body: { content: "**max@example.com** triggered event: '$pageview'", allowed_mentions: { parse: [] } } }],
      logsMustNotContain: ['sluiceDiscordToken-abcdef'],
    },
  },
  {
    name: 'sends templated embeds, a username and an avatar',
    event,
    person,
    inputs: {
      webhookUrl: HOOK,
      content: '',
      embeds: [
        {
          title: '{event.event}',
          url: '{event.url}',
          description: '{person.name} on {event.properties.$current_url}',
          timestamp: '{event.timestamp}',
          color: 16027660,
        },
      ],
      username: 'Sluice',
      avatar_url: 'https://example.com/sluice.png',
    },
    responses: [{ status: 204 }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: HOOK,
          headers,
          body: {
            content: '',
            allowed_mentions: { parse: [] },
            embeds: [
              {
                title: '$pageview',
                url: 'http://localhost:8040/projects/1/events/0190a1b2-0000-7000-8000-000000000003',
                description: 'max@example.com on https://example.com/signup',
                timestamp: '2026-01-02T03:04:05.000Z',
                color: 16027660,
              },
            ],
            username: 'Sluice',
            avatar_url: 'https://example.com/sluice.png',
          },
        },
      ],
    },
  },
  {
    name: 'cuts content to Discord’s 2000-character limit',
    event,
    person,
    inputs: { webhookUrl: HOOK, content: 'x'.repeat(2100) },
    responses: [{ status: 204 }],
    expect: {
      requests: [{ method: 'POST', url: HOOK, headers, body: { content: `${'x'.repeat(1999)}…`, allowed_mentions: { parse: [] } } }],
    },
  },
  {
    name: 'fails clearly when the webhook was deleted (404 Unknown Webhook)',
    event,
    person,
    inputs: { webhookUrl: HOOK },
    responses: [{ status: 404, body: { message: 'Unknown Webhook', code: 10015 } }],
    expect: {
      status: 'failed',
      error: 'Discord API error (status 404): Unknown Webhook (code 10015)',
      requests: [{ method: 'POST', url: HOOK }],
      logsMustNotContain: ['sluiceDiscordToken-abcdef'],
    },
  },
  {
    name: 'fails before sending when there is nothing to send',
    event,
    person,
    inputs: { webhookUrl: HOOK, content: '', embeds: [] },
    expect: { status: 'failed', error: 'Discord: nothing to send', requests: [] },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { ...event, event: '$pageleave' },
    person,
    inputs: { webhookUrl: HOOK },
    expect: { status: 'skipped', requests: [] },
  },
];
