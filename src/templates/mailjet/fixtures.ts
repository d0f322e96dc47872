import type { TemplateFixture } from '../types.js';

const KEY = 'mj-public-key';
const SECRET = 'mj-secret-key-value';
const BASIC = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;
const person = { id: 'p1', properties: { email: 'max@example.com', name: 'Max' } };
const template = {
  to: '{person.properties.email}',
  from: 'Hedgehog HQ <hello@example.org>',
  subject: 'Welcome, {person.properties.name}',
  text: 'Hi {person.properties.name}',
  html: '<p>Hi {person.properties.name}</p>',
};
const URL = 'https://api.mailjet.com/v3.1/send';

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends one message with the sender split into address and name',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY, secret_key: SECRET, template },
    responses: [{ status: 200, body: { Messages: [{ Status: 'success', To: [{ Email: 'max@example.com', MessageID: 1152921500000000 }] }] } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: BASIC, 'content-type': 'application/json' },
          body: {
            Messages: [
              {
                From: { Email: 'hello@example.org', Name: 'Hedgehog HQ' },
                To: [{ Email: 'max@example.com' }],
                Subject: 'Welcome, Max',
                TextPart: 'Hi Max',
                HTMLPart: '<p>Hi Max</p>',
              },
            ],
          },
        },
      ],
      logsMustNotContain: [SECRET],
    },
  },
  {
    name: 'takes a bare sender address and several recipients',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY, secret_key: SECRET, template: { ...template, from: 'hello@example.org', to: 'a@example.com, Bea <b@example.com>', html: '' } },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          body: {
            Messages: [
              {
                From: { Email: 'hello@example.org' },
                To: [{ Email: 'a@example.com' }, { Email: 'b@example.com', Name: 'Bea' }],
                Subject: 'Welcome, Max',
                TextPart: 'Hi Max',
              },
            ],
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly with the per-message errors Mailjet returns',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY, secret_key: SECRET, template },
    responses: [
      {
        status: 400,
        body: {
          Messages: [
            {
              Status: 'error',
              Errors: [{ ErrorIdentifier: 'e1', ErrorCode: 'mj-0013', StatusCode: 400, ErrorMessage: 'The sender is not validated.', ErrorRelatedTo: ['From.Email'] }],
            },
          ],
        },
      },
    ],
    expect: {
      status: 'failed',
      error: 'Mailjet API error (status 400): The sender is not validated.',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [SECRET],
    },
  },
  {
    name: 'fails clearly on a rejected key',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY, secret_key: SECRET, template },
    responses: [{ status: 401, body: { ErrorIdentifier: 'e2', StatusCode: 401, ErrorMessage: 'API key authentication/authorization failure.' } }],
    expect: {
      status: 'failed',
      error: 'Mailjet API error (status 401): API key authentication/authorization failure.',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [SECRET],
    },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person: { id: 'p1', properties: { name: 'Max' } },
    inputs: { api_key: KEY, secret_key: SECRET, template },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than signed_up',
    event: { event: '$pageview', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY, secret_key: SECRET, template },
    expect: { status: 'skipped', requests: [] },
  },
];
