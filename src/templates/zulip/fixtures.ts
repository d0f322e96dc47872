import type { TemplateFixture } from '../types.js';

const EMAIL = 'sluice-bot@acme.zulipchat.com';
const KEY = 'sluiceZulipKey0123456789abcdef';
const URL = 'https://acme.zulipchat.com/api/v1/messages';
const UUID = '0190a1b2-0000-7000-8000-000000000104';
const headers = {
  authorization: `Basic ${Buffer.from(`${EMAIL}:${KEY}`).toString('base64')}`,
  'content-type': 'application/x-www-form-urlencoded',
};
const event = { event: '$pageview', distinct_id: 'u1', uuid: UUID, properties: { $current_url: 'https://example.com/' } };
const person = { id: 'p1', properties: { email: 'kim@example.com' } };
const base = { site_url: 'https://acme.zulipchat.com/', bot_email: EMAIL, api_key: KEY };
const content = `**kim@example.com** triggered event: '$pageview' ([view event](http://localhost:8040/projects/1/events/${UUID}))`;
const form = (fields: Record<string, string>): string =>
  Object.entries(fields)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends a channel message under the event topic with the bot’s Basic auth',
    event,
    person,
    inputs: { ...base, to: 'product analytics' },
    responses: [{ status: 200, body: { result: 'success', msg: '', id: 4242 } }],
    expect: {
      requests: [
        { method: 'POST', url: URL, headers, body: form({ type: 'stream', to: 'product analytics', topic: '$pageview', content }) },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'sends a direct message to a list of emails',
    event,
    person,
    inputs: { ...base, recipient_type: 'direct', to: 'ops@example.com, kim@example.com ,', content: 'New visit by {person.name}' },
    responses: [{ status: 200, body: { result: 'success', msg: '', id: 4243 } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: form({ type: 'direct', to: '["ops@example.com","kim@example.com"]', content: 'New visit by kim@example.com' }),
        },
      ],
    },
  },
  {
    name: 'cuts a topic longer than 60 characters',
    event,
    person,
    inputs: { ...base, to: 'web', topic: 't'.repeat(80), content: 'hi' },
    expect: {
      requests: [{ method: 'POST', url: URL, headers, body: form({ type: 'stream', to: 'web', topic: `${'t'.repeat(59)}…`, content: 'hi' }) }],
    },
  },
  {
    name: 'fails clearly when the channel does not exist',
    event,
    person,
    inputs: { ...base, to: 'nope' },
    responses: [{ status: 400, body: { result: 'error', msg: "Channel 'nope' does not exist", code: 'STREAM_DOES_NOT_EXIST', stream: 'nope' } }],
    expect: {
      status: 'failed',
      error: "Zulip API error (status 400): Channel 'nope' does not exist (STREAM_DOES_NOT_EXIST)",
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'fails clearly when the API key is wrong',
    event,
    person,
    inputs: { ...base, to: 'web' },
    responses: [{ status: 401, body: { result: 'error', msg: 'Invalid API key', code: 'INVALID_API_KEY' } }],
    expect: { status: 'failed', error: 'Zulip API error (status 401): Invalid API key (INVALID_API_KEY)', requests: [{ method: 'POST', url: URL }] },
  },
  {
    name: 'refuses a direct message without recipients',
    event,
    person,
    inputs: { ...base, recipient_type: 'direct', to: ' , ' },
    expect: { status: 'failed', error: 'Zulip: a direct message needs at least one recipient', requests: [] },
  },
  {
    name: 'refuses a site URL with a path',
    event,
    person,
    inputs: { ...base, site_url: 'https://acme.zulipchat.com/api/v1', to: 'web' },
    expect: { status: 'failed', error: 'Zulip: the site URL must look like', requests: [] },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { ...event, event: '$pageleave' },
    person,
    inputs: { ...base, to: 'web' },
    expect: { status: 'skipped', requests: [] },
  },
];
