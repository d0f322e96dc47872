import type { TemplateFixture } from '../types.js';

const HOOK = 'https://hooks.slack.com/services/T00000000/B00000000/sluiceWebhookSecret42';
const event = {
  event: '$pageview',
  distinct_id: 'u1',
  uuid: '0190a1b2-0000-7000-8000-000000000002',
  properties: { $current_url: 'https://example.com/' },
};
const person = { id: 'p1', properties: { email: 'max@example.com' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'posts the default text and blocks to the webhook',
    event,
    person,
    inputs: { webhook_url: HOOK },
    responses: [{ status: 200, body: 'ok' }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: HOOK,
          headers: { 'content-type': 'application/json' },
          body: {
            text: "*max@example.com* triggered event: '$pageview'",
            blocks: [
              { type: 'section', text: { type: 'mrkdwn', text: "*max@example.com* triggered event: '$pageview'" } },
              {
                type: 'context',
                elements: [
                  {
                    type: 'mrkdwn',
                    text: '<http://localhost:8040/projects/1/persons/p1|View person> · <http://localhost:8040/projects/1/events/0190a1b2-0000-7000-8000-000000000002|View event>',
                  },
                ],
              },
            ],
          },
        },
      ],
      logsMustNotContain: ['sluiceWebhookSecret42'],
    },
  },
  {
    name: 'sends the text alone when blocks are emptied',
    event,
    person,
    inputs: { webhook_url: HOOK, text: 'New visit on {event.properties.$current_url}', blocks: [] },
    responses: [{ status: 200, body: 'ok' }],
    expect: {
      requests: [{ method: 'POST', url: HOOK, headers: { 'content-type': 'application/json' }, body: { text: 'New visit on https://example.com/' } }],
    },
  },
  {
    name: 'fails clearly when the channel is archived (410 channel_is_archived)',
    event,
    person,
    inputs: { webhook_url: HOOK },
    responses: [{ status: 410, body: 'channel_is_archived' }],
    expect: {
      status: 'failed',
      error: 'Slack API error (status 410): channel_is_archived',
      requests: [{ method: 'POST', url: HOOK }],
      logsMustNotContain: ['sluiceWebhookSecret42'],
    },
  },
  {
    name: 'refuses a URL that is not a Slack webhook, without a request',
    event,
    person,
    inputs: { webhook_url: 'https://example.com/hook' },
    expect: { status: 'failed', error: 'must start with https://hooks.slack.com/', requests: [] },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { ...event, event: '$identify' },
    person,
    inputs: { webhook_url: HOOK },
    expect: { status: 'skipped', requests: [] },
  },
];
