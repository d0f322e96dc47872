import type { TemplateFixture } from '../types.js';

const TOKEN = 'xoxb-1111-2222-sluiceTestToken';
const event = {
  event: '$pageview',
  distinct_id: 'u1',
  uuid: '0190a1b2-0000-7000-8000-000000000001',
  timestamp: '2026-01-02T03:04:05.000Z',
  properties: { $current_url: 'https://example.com/pricing' },
};
const person = { id: 'p1', properties: { email: 'max@example.com' } };
const endpoint = 'https://slack.com/api/chat.postMessage';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json; charset=utf-8' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'posts the default text and blocks with the bot token',
    event,
    person,
    inputs: { slack_token: TOKEN, channel: 'C0123456789' },
    responses: [{ status: 200, body: { ok: true, channel: 'C0123456789', ts: '1767323045.000100' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: endpoint,
          headers,
          body: {
            channel: 'C0123456789',
            text: "*max@example.com* triggered event: '$pageview'",
            blocks: [
              { type: 'section', text: { type: 'mrkdwn', text: "*max@example.com* triggered event: '$pageview'" } },
              {
                type: 'actions',
                elements: [
                  { type: 'button', text: { type: 'plain_text', text: 'View Person' }, url: 'http://localhost:8040/projects/1/persons/p1' },
                  {
                    type: 'button',
                    text: { type: 'plain_text', text: 'View Event' },
                    url: 'http://localhost:8040/projects/1/events/0190a1b2-0000-7000-8000-000000000001',
                  },
                ],
              },
            ],
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'sends text only, with a custom bot name and icon, when blocks are emptied',
    event,
    person,
    inputs: {
      slack_token: TOKEN,
      channel: '#growth',
      text: '{person.name} viewed {event.properties.$current_url}',
      blocks: null,
      username: 'Sluice',
      icon_emoji: ':hedgehog:',
    },
    responses: [{ status: 200, body: { ok: true } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: endpoint,
          headers,
          body: { channel: '#growth', text: 'max@example.com viewed https://example.com/pricing', username: 'Sluice', icon_emoji: ':hedgehog:' },
        },
      ],
    },
  },
  {
    name: 'fails clearly when Slack answers 200 with ok: false',
    event,
    person,
    inputs: { slack_token: TOKEN, channel: '#private', blocks: null },
    responses: [{ status: 200, body: { ok: false, error: 'not_in_channel' } }],
    expect: {
      status: 'failed',
      error: 'Slack API error (status 200): not_in_channel (is the bot invited to #private?)',
      requests: [{ method: 'POST', url: endpoint, headers }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails clearly on a revoked token',
    event,
    person,
    inputs: { slack_token: TOKEN, channel: '#alerts', blocks: null },
    responses: [{ status: 200, body: { ok: false, error: 'token_revoked' } }],
    expect: {
      status: 'failed',
      error: 'Slack API error (status 200): token_revoked (check the bot token)',
      requests: [{ method: 'POST', url: endpoint }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails clearly when Slack rate-limits with 429',
    event,
    person,
    inputs: { slack_token: TOKEN, channel: '#alerts', blocks: null },
    responses: [{ status: 429, body: { ok: false, error: 'ratelimited' } }],
    expect: { status: 'failed', error: 'Slack API error (status 429)', requests: [{ method: 'POST', url: endpoint }] },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { ...event, event: '$autocapture' },
    person,
    inputs: { slack_token: TOKEN, channel: '#alerts' },
    expect: { status: 'skipped', requests: [] },
  },
];
