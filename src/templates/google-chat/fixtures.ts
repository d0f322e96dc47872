import type { TemplateFixture } from '../types.js';

const HOOK = 'https://chat.googleapis.com/v1/spaces/AAAAsluice01/messages?key=AIzaSyFakeSluiceKey&token=sluiceChatToken-8pQ2';
const UUID = '0190a1b2-0000-7000-8000-000000000103';
const event = {
  event: '$pageview',
  distinct_id: 'u1',
  uuid: UUID,
  properties: { $current_url: 'https://example.com/blog' },
};
const person = { id: 'p1', properties: { email: 'sam@example.com' } };
const headers = { 'content-type': 'application/json; charset=UTF-8' };
const created = { name: 'spaces/AAAAsluice01/messages/abc.abc', text: 'x' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'posts the default text to the space',
    event,
    person,
    inputs: { webhook_url: HOOK },
    responses: [{ status: 200, body: created }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: HOOK,
          headers,
          body: { text: `*sam@example.com* triggered event: '$pageview' <http://localhost:8040/projects/1/events/${UUID}|View event>` },
        },
      ],
      logsMustNotContain: ['sluiceChatToken-8pQ2'],
    },
  },
  {
    name: 'sends cards only and threads by the person id',
    event,
    person,
    inputs: {
      webhook_url: HOOK,
      text: '',
      cards: [{ cardId: 'event', card: { header: { title: '{event.event}', subtitle: '{person.name}' } } }],
      thread_key: 'person {person.id}',
    },
    responses: [{ status: 200, body: created }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: `${HOOK}&threadKey=person%20p1&messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD`,
          headers,
          body: { cardsV2: [{ cardId: 'event', card: { header: { title: '$pageview', subtitle: 'sam@example.com' } } }] },
        },
      ],
    },
  },
  {
    name: 'cuts text longer than 4096 characters',
    event,
    person,
    inputs: { webhook_url: HOOK, text: 'z'.repeat(5000) },
    expect: { requests: [{ method: 'POST', url: HOOK, headers, body: { text: `${'z'.repeat(4095)}…` } }] },
  },
  {
    name: 'fails clearly with Google’s error message',
    event,
    person,
    inputs: { webhook_url: HOOK },
    responses: [
      { status: 403, body: { error: { code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED' } } },
    ],
    expect: {
      status: 'failed',
      error: 'Google Chat API error (status 403): The caller does not have permission (PERMISSION_DENIED)',
      requests: [{ method: 'POST', url: HOOK }],
      logsMustNotContain: ['sluiceChatToken-8pQ2'],
    },
  },
  {
    name: 'fails before sending when there is nothing to send',
    event,
    person,
    inputs: { webhook_url: HOOK, text: '', cards: [] },
    expect: { status: 'failed', error: 'Google Chat: nothing to send', requests: [] },
  },
  {
    name: 'refuses a URL that is not a Google Chat webhook',
    event,
    person,
    inputs: { webhook_url: 'https://example.com/v1/spaces/x/messages' },
    expect: { status: 'failed', error: 'Google Chat: the webhook URL must start with', requests: [] },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { ...event, event: '$pageleave' },
    person,
    inputs: { webhook_url: HOOK },
    expect: { status: 'skipped', requests: [] },
  },
];
