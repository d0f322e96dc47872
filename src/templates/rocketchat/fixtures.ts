import type { TemplateFixture } from '../types.js';

const HOOK = 'https://rocket.example.com/hooks/6575a1f2c9e3b40001aa2b3c/sluiceRocketToken9Zq4';
const UUID = '0190a1b2-0000-7000-8000-000000000102';
const event = {
  event: '$pageview',
  distinct_id: 'u1',
  uuid: UUID,
  properties: { $current_url: 'https://example.com/docs' },
};
const person = { id: 'p1', properties: { email: 'lin@example.com' } };
const headers = { 'content-type': 'application/json' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'posts the default text to the integration',
    event,
    person,
    inputs: { webhook_url: HOOK },
    responses: [{ status: 200, body: { success: true } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: HOOK,
          headers,
          body: { text: `*lin@example.com* triggered event: '$pageview' (http://localhost:8040/projects/1/events/${UUID})` },
        },
      ],
      logsMustNotContain: ['sluiceRocketToken9Zq4'],
    },
  },
  {
    name: 'sends attachments, a channel, an alias, an emoji and an avatar',
    event,
    person,
    inputs: {
      webhook_url: HOOK,
      text: 'New visit',
      attachments: [{ title: '{event.event}', title_link: '{event.url}', text: '{event.properties.$current_url}', color: '#764FA5' }],
      channel: '#growth',
      alias: 'Sluice',
      emoji: ':chart_with_upwards_trend:',
      avatar: 'https://example.com/sluice.png',
    },
    responses: [{ status: 200, body: { success: true } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: HOOK,
          headers,
          body: {
            text: 'New visit',
            attachments: [
              {
                title: '$pageview',
                title_link: `http://localhost:8040/projects/1/events/${UUID}`,
                text: 'https://example.com/docs',
                color: '#764FA5',
              },
            ],
            channel: '#growth',
            alias: 'Sluice',
            emoji: ':chart_with_upwards_trend:',
            avatar: 'https://example.com/sluice.png',
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly when the integration is rejected',
    event,
    person,
    inputs: { webhook_url: HOOK },
    responses: [{ status: 400, body: { success: false, error: 'Invalid integration id or token provided.' } }],
    expect: {
      status: 'failed',
      error: 'Rocket.Chat API error (status 400): Invalid integration id or token provided.',
      requests: [{ method: 'POST', url: HOOK }],
      logsMustNotContain: ['sluiceRocketToken9Zq4'],
    },
  },
  {
    name: 'fails when the server answers 200 with success false',
    event,
    person,
    inputs: { webhook_url: HOOK },
    responses: [{ status: 200, body: { success: false, error: 'error-invalid-channel' } }],
    expect: {
      status: 'failed',
      error: 'Rocket.Chat API error (status 200): error-invalid-channel',
      requests: [{ method: 'POST', url: HOOK }],
    },
  },
  {
    name: 'fails before sending when there is nothing to send',
    event,
    person,
    inputs: { webhook_url: HOOK, text: '', attachments: [] },
    expect: { status: 'failed', error: 'Rocket.Chat: nothing to send', requests: [] },
  },
  {
    name: 'refuses a URL without the integration id and token',
    event,
    person,
    inputs: { webhook_url: 'https://rocket.example.com/hooks/onlyone' },
    expect: { status: 'failed', error: 'Rocket.Chat: the webhook URL must look like', requests: [] },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { ...event, event: '$identify' },
    person,
    inputs: { webhook_url: HOOK },
    expect: { status: 'skipped', requests: [] },
  },
];
