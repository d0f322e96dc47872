import type { TemplateFixture } from '../types.js';

const TOKEN = 'xoxb-1111-2222-sluiceTestToken';
const UUID = '0190a1b2-0000-7000-8000-000000000001';
const event = {
  event: '$pageview',
  distinct_id: 'u1',
  uuid: UUID,
  timestamp: '2026-01-02T03:04:05.000Z',
  properties: { $current_url: 'https://example.com/pricing' },
};
const person = { id: 'p1', properties: { email: 'max@example.com' } };
const endpoint = 'https://slack.com/api/chat.postMessage';
const phHeaders = { authorization: 'Bearer xoxb-1234', 'content-type': 'application/json' };
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const ok = { status: 200, body: { ok: true, channel: 'C0123456789', ts: '1767323045.000100' } };

// The inputs PostHog's own tests use.
const phInputs = { slack_workspace: { access_token: 'xoxb-1234' }, icon_emoji: ':hedgehog:', username: 'PostHog', channel: 'channel', blocks: [], text: 'hello' };
const phBody = { channel: 'channel', icon_emoji: ':hedgehog:', username: 'PostHog', blocks: [], text: 'hello' };
const THREAD_TS = '{event.properties.thread_ts ?? event.properties.ts}';

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: posts a message with the workspace token',
    posthog: true,
    event,
    person,
    inputs: phInputs,
    responses: [{ status: 200, body: { ok: true } }],
    expect: { requests: [{ method: 'POST', url: endpoint, headers: phHeaders, body: phBody }], logsMustNotContain: ['xoxb-1234'] },
  },
  {
    name: 'PostHog: replies under a top-level message given by the event',
    posthog: true,
    event: { ...event, properties: { channel: 'C0ALERTS', ts: '1700000000.000100', thread_ts: null } },
    person,
    inputs: { ...phInputs, thread_ts: THREAD_TS },
    responses: [{ status: 200, body: { ok: true } }],
    expect: { requests: [{ method: 'POST', url: endpoint, headers: phHeaders, body: { ...phBody, thread_ts: '1700000000.000100' } }] },
  },
  {
    name: 'PostHog: replies in the same thread as a thread reply',
    posthog: true,
    event: { ...event, properties: { channel: 'C0ALERTS', ts: '1700000000.000100', thread_ts: '1699999999.000000' } },
    person,
    inputs: { ...phInputs, thread_ts: THREAD_TS },
    responses: [{ status: 200, body: { ok: true } }],
    expect: { requests: [{ method: 'POST', url: endpoint, headers: phHeaders, body: { ...phBody, thread_ts: '1699999999.000000' } }] },
  },
  ...([
    ['the input is empty', ''],
    ['the expression resolves to nothing', THREAD_TS],
  ] as const).map(
    ([why, threadTs]): TemplateFixture => ({
      name: `PostHog: leaves thread_ts out when ${why}`,
      posthog: true,
      event,
      person,
      inputs: { ...phInputs, thread_ts: threadTs },
      responses: [{ status: 200, body: { ok: true } }],
      expect: { requests: [{ method: 'POST', url: endpoint, headers: phHeaders, body: phBody }] },
    }),
  ),
  {
    name: 'PostHog: fails on a non-200 status',
    posthog: true,
    event,
    person,
    inputs: phInputs,
    responses: [{ status: 400, body: { ok: true } }],
    expect: { status: 'failed', error: 'Slack API error (status 400)', requests: [{ method: 'POST', url: endpoint, headers: phHeaders, body: phBody }] },
  },
  {
    name: 'PostHog: fails on ok: false',
    posthog: true,
    event,
    person,
    inputs: phInputs,
    responses: [{ status: 200, body: { ok: false } }],
    expect: { status: 'failed', error: 'Slack API error (status 200): unknown_error', requests: [{ method: 'POST', url: endpoint, headers: phHeaders, body: phBody }] },
  },
  {
    name: 'posts the default text and blocks with a bot token typed in Sluice',
    event,
    person,
    inputs: { slack_token: TOKEN, channel: 'C0123456789' },
    responses: [ok],
    expect: {
      requests: [
        {
          method: 'POST',
          url: endpoint,
          headers,
          body: {
            channel: 'C0123456789',
            icon_emoji: ':hedgehog:',
            username: 'PostHog',
            text: "*max@example.com* triggered event: '$pageview'",
            blocks: [
              { type: 'section', text: { type: 'mrkdwn', text: "*max@example.com* triggered event: '$pageview'" } },
              {
                type: 'actions',
                elements: [
                  { type: 'button', text: { type: 'plain_text', text: 'View Person in PostHog' }, url: 'http://localhost:8040/projects/1/persons/p1' },
                  { type: 'button', text: { type: 'plain_text', text: 'Message source' }, url: 'http://localhost:8040/projects/1/destinations/destination-id' },
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
    name: 'fails clearly when the bot is not in the channel',
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
    name: 'fails before sending when no token is set',
    event,
    person,
    inputs: { channel: '#alerts' },
    expect: { status: 'failed', error: 'Slack: set a bot token', requests: [] },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { ...event, event: '$autocapture' },
    person,
    inputs: { slack_token: TOKEN, channel: '#alerts' },
    expect: { status: 'skipped', requests: [] },
  },
];
