import type { TemplateFixture } from '../types.js';

const TOKEN = '7012345678:AAsluiceTelegramSecretToken';
const URL = `https://api.telegram.org/bot${TOKEN}/sendMessage`;
const event = { event: '$pageview', distinct_id: 'u1', uuid: '0190a1b2-0000-7000-8000-000000000004' };
const person = { id: 'p1', properties: { email: 'max@example.com' } };
const headers = { 'content-type': 'application/json' };
const sent = { ok: true, result: { message_id: 42, chat: { id: -1001234567890, type: 'supergroup' }, date: 1767225600 } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends the default plain-text message with the token in the URL only',
    event,
    person,
    inputs: { bot_token: TOKEN, chat_id: '-1001234567890' },
    responses: [{ status: 200, body: sent }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: {
            chat_id: '-1001234567890',
            text: "max@example.com triggered event: '$pageview'\nhttp://localhost:8040/projects/1/events/0190a1b2-0000-7000-8000-000000000004",
            disable_notification: false,
            link_preview_options: { is_disabled: true },
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'sends HTML silently to a forum topic',
    event,
    person,
    inputs: {
      bot_token: TOKEN,
      chat_id: '@sluice_alerts',
      text: '<b>{event.event}</b> by {person.name}',
      parse_mode: 'HTML',
      message_thread_id: '17',
      disable_notification: true,
      disable_link_preview: false,
    },
    responses: [{ status: 200, body: sent }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: {
            chat_id: '@sluice_alerts',
            text: '<b>$pageview</b> by max@example.com',
            parse_mode: 'HTML',
            message_thread_id: 17,
            disable_notification: true,
            link_preview_options: { is_disabled: false },
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly when the chat is not found, without logging the token',
    event,
    person,
    inputs: { bot_token: TOKEN, chat_id: '12345' },
    responses: [{ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } }],
    expect: {
      status: 'failed',
      error: 'Telegram API error (status 400): Bad Request: chat not found',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [TOKEN, 'AAsluiceTelegramSecretToken'],
    },
  },
  {
    name: 'fails clearly on a wrong token (401 Unauthorized)',
    event,
    person,
    inputs: { bot_token: TOKEN, chat_id: '12345' },
    responses: [{ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } }],
    expect: {
      status: 'failed',
      error: 'Telegram API error (status 401): Unauthorized',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { ...event, event: 'purchase' },
    person,
    inputs: { bot_token: TOKEN, chat_id: '12345' },
    expect: { status: 'skipped', requests: [] },
  },
];
