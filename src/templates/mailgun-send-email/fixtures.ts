import type { TemplateFixture } from '../types.js';

const KEY = 'key-secret-mailgun';
const BASIC = `Basic ${Buffer.from(`api:${KEY}`).toString('base64')}`;
const person = { id: 'p1', properties: { email: 'max+hog@example.com', name: 'Max' } };
const template = {
  to: '{person.properties.email}',
  from: 'Hedgehog HQ <hello@mg.example.org>',
  subject: 'Welcome & hi, {person.properties.name}',
  text: 'Hi {person.properties.name}',
  html: '',
};

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends a form-encoded message to the EU host by default',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person,
    inputs: { domain_name: 'mg.example.org', api_key: KEY, template },
    responses: [{ status: 200, body: { id: '<20260101.1@mg.example.org>', message: 'Queued. Thank you.' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.eu.mailgun.net/v3/mg.example.org/messages',
          headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
          body:
            'from=Hedgehog%20HQ%20%3Chello%40mg.example.org%3E&to=max%2Bhog%40example.com&subject=Welcome%20%26%20hi%2C%20Max&text=Hi%20Max',
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'uses the US host and sends an HTML body when chosen',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person: { id: 'p1', properties: { email: 'max@example.com', name: 'Max' } },
    inputs: { domain_name: 'mg.example.org', api_key: KEY, host: 'api.mailgun.net', template: { ...template, subject: 'Hi', text: '', html: '<b>Hi</b>' } },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.mailgun.net/v3/mg.example.org/messages',
          body: 'from=Hedgehog%20HQ%20%3Chello%40mg.example.org%3E&to=max%40example.com&subject=Hi&html=%3Cb%3EHi%3C%2Fb%3E',
        },
      ],
    },
  },
  {
    name: 'fails clearly with the message Mailgun returns',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person,
    inputs: { domain_name: 'mg.example.org', api_key: KEY, template },
    responses: [{ status: 400, body: { message: "'from' parameter is not a valid address. please check documentation" } }],
    expect: {
      status: 'failed',
      error: "Mailgun API error (status 400): 'from' parameter is not a valid address.",
      requests: [{ method: 'POST', url: 'https://api.eu.mailgun.net/v3/mg.example.org/messages' }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person: { id: 'p1', properties: { name: 'Max' } },
    inputs: { domain_name: 'mg.example.org', api_key: KEY, template },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than signed_up',
    event: { event: '$pageview', distinct_id: 'u1' },
    person,
    inputs: { domain_name: 'mg.example.org', api_key: KEY, template },
    expect: { status: 'skipped', requests: [] },
  },
];
