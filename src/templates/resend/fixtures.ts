import type { TemplateFixture } from '../types.js';

const KEY = 're_secret_resend_key';
const person = { id: 'p1', properties: { email: 'max@example.com', name: 'Max' } };
const template = {
  to: '{person.properties.email}',
  from: 'Hedgehog HQ <hello@example.org>',
  subject: 'Welcome, {person.properties.name}',
  html: '<p>Hi {person.properties.name}</p>',
  text: '',
};

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends the email to the person',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY, template },
    responses: [{ status: 200, body: { id: '49a3999c-0ce1-4ea6-ab68-afcd6dc2e794' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.resend.com/emails',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: { from: 'Hedgehog HQ <hello@example.org>', to: ['max@example.com'], subject: 'Welcome, Max', html: '<p>Hi Max</p>' },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'sends to several recipients with a text body and a reply-to',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY, template: { ...template, to: 'a@example.com, b@example.com', html: '', text: 'Plain' }, reply_to: 'team@example.org' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.resend.com/emails',
          body: { from: 'Hedgehog HQ <hello@example.org>', to: ['a@example.com', 'b@example.com'], subject: 'Welcome, Max', text: 'Plain', reply_to: 'team@example.org' },
        },
      ],
    },
  },
  {
    name: 'fails clearly with the error Resend returns',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY, template },
    responses: [{ status: 422, body: { statusCode: 422, name: 'validation_error', message: 'The example.org domain is not verified.' } }],
    expect: {
      status: 'failed',
      error: 'Resend API error (status 422): validation_error: The example.org domain is not verified.',
      requests: [{ method: 'POST', url: 'https://api.resend.com/emails' }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person: { id: 'p1', properties: { name: 'Max' } },
    inputs: { api_key: KEY, template },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than signed_up',
    event: { event: '$pageview', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY, template },
    expect: { status: 'skipped', requests: [] },
  },
];
