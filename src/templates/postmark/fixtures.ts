import type { TemplateFixture } from '../types.js';

const TOKEN = 'postmark-secret-server-token';
const person = { id: 'p1', properties: { email: 'max@example.com', name: 'Max' } };
const template = {
  to: '{person.properties.email}',
  from: 'Hedgehog HQ <hello@example.org>',
  subject: 'Welcome, {person.properties.name}',
  html: '<p>Hi {person.properties.name}</p>',
  text: 'Hi {person.properties.name}',
};
const headers = { accept: 'application/json', 'content-type': 'application/json', 'x-postmark-server-token': TOKEN };

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends the email with both bodies on the default stream',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person,
    inputs: { server_token: TOKEN, template },
    responses: [{ status: 200, body: { To: 'max@example.com', MessageID: 'b7bc2f4a', ErrorCode: 0, Message: 'OK' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.postmarkapp.com/email',
          headers,
          body: {
            From: 'Hedgehog HQ <hello@example.org>',
            To: 'max@example.com',
            Subject: 'Welcome, Max',
            MessageStream: 'outbound',
            HtmlBody: '<p>Hi Max</p>',
            TextBody: 'Hi Max',
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'uses the configured stream and tag and leaves out an empty body',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person,
    inputs: { server_token: TOKEN, template: { ...template, html: '' }, message_stream: 'welcome', tag: 'onboarding' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.postmarkapp.com/email',
          body: { From: 'Hedgehog HQ <hello@example.org>', To: 'max@example.com', Subject: 'Welcome, Max', MessageStream: 'welcome', TextBody: 'Hi Max', Tag: 'onboarding' },
        },
      ],
    },
  },
  {
    name: 'fails clearly with the message and code Postmark returns',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person,
    inputs: { server_token: TOKEN, template },
    responses: [{ status: 422, body: { ErrorCode: 400, Message: 'The From address is not a confirmed Sender Signature.' } }],
    expect: {
      status: 'failed',
      error: 'Postmark API error (status 422): The From address is not a confirmed Sender Signature. (code 400)',
      requests: [{ method: 'POST', url: 'https://api.postmarkapp.com/email' }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person: { id: 'p1', properties: { name: 'Max' } },
    inputs: { server_token: TOKEN, template },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than signed_up',
    event: { event: '$pageview', distinct_id: 'u1' },
    person,
    inputs: { server_token: TOKEN, template },
    expect: { status: 'skipped', requests: [] },
  },
];
