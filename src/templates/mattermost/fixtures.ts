import type { TemplateFixture } from '../types.js';

const HOOK = 'https://chat.example.com/hooks/sluicemattermosthook7x3k9q';
const UUID = '0190a1b2-0000-7000-8000-000000000101';
const event = {
  event: '$pageview',
  distinct_id: 'u1',
  uuid: UUID,
  properties: { $current_url: 'https://example.com/pricing' },
};
const person = { id: 'p1', properties: { email: 'ada@example.com' } };
const headers = { 'content-type': 'application/json' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'posts the default markdown text to the hook',
    event,
    person,
    inputs: { webhook_url: HOOK },
    responses: [{ status: 200, body: 'ok' }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: HOOK,
          headers,
          body: { text: `**ada@example.com** triggered event: '$pageview' ([view event](http://localhost:8040/projects/1/events/${UUID}))` },
        },
      ],
      logsMustNotContain: ['sluicemattermosthook7x3k9q'],
    },
  },
  {
    name: 'sends attachments, a channel and poster overrides to a self-hosted http server',
    event,
    person,
    inputs: {
      webhook_url: 'http://mattermost.internal:8065/hooks/abc123',
      text: '',
      attachments: [{ fallback: '{event.event}', title: '{event.event}', text: 'on {event.properties.$current_url}', color: '#1d74f5' }],
      channel: 'growth',
      username: 'Sluice',
      icon_url: 'https://example.com/sluice.png',
    },
    responses: [{ status: 200, body: 'ok' }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'http://mattermost.internal:8065/hooks/abc123',
          headers,
          body: {
            text: '',
            attachments: [{ fallback: '$pageview', title: '$pageview', text: 'on https://example.com/pricing', color: '#1d74f5' }],
            channel: 'growth',
            username: 'Sluice',
            icon_url: 'https://example.com/sluice.png',
          },
        },
      ],
    },
  },
  {
    name: 'cuts text longer than 16383 characters',
    event,
    person,
    inputs: { webhook_url: HOOK, text: 'y'.repeat(17000) },
    expect: { requests: [{ method: 'POST', url: HOOK, headers, body: { text: `${'y'.repeat(16382)}…` } }] },
  },
  {
    name: 'fails clearly when the server rejects the hook',
    event,
    person,
    inputs: { webhook_url: HOOK },
    responses: [
      {
        status: 400,
        body: {
          id: 'web.incoming_webhook.disabled.app_error',
          message: 'Incoming webhooks have been disabled by the system admin.',
          detailed_error: '',
          request_id: 'k3x9rq1hxjn5mm8u',
          status_code: 400,
        },
      },
    ],
    expect: {
      status: 'failed',
      error: 'Mattermost API error (status 400): Incoming webhooks have been disabled by the system admin. (web.incoming_webhook.disabled.app_error)',
      requests: [{ method: 'POST', url: HOOK }],
      logsMustNotContain: ['sluicemattermosthook7x3k9q'],
    },
  },
  {
    name: 'fails before sending when there is nothing to send',
    event,
    person,
    inputs: { webhook_url: HOOK, text: '', attachments: [] },
    expect: { status: 'failed', error: 'Mattermost: nothing to send', requests: [] },
  },
  {
    name: 'refuses a URL that is not an incoming webhook',
    event,
    person,
    inputs: { webhook_url: 'https://chat.example.com/api/v4/posts' },
    expect: { status: 'failed', error: 'Mattermost: the webhook URL must look like', requests: [] },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { ...event, event: '$autocapture' },
    person,
    inputs: { webhook_url: HOOK },
    expect: { status: 'skipped', requests: [] },
  },
];
