import type { TemplateFixture } from '../types.js';

const KEY = 'key-secret-mailgun';
const BASIC = `Basic ${Buffer.from(`api:${KEY}`).toString('base64')}`;
const BOUNDARY = '---011000010111000001101001';
const CONTENT_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;
const person = { id: 'p1', properties: { email: 'max+hog@example.com', name: 'Max' } };
const template = {
  to: '{person.properties.email}',
  from: 'Hedgehog HQ <hello@mg.example.org>',
  subject: 'Welcome & hi, {person.properties.name}',
  text: 'Hi {person.properties.name}',
  html: '',
};

/** The multipart body Mailgun gets: one part per non-empty field, in this order. */
function multipart(fields: [string, string][]): string {
  const separator = `--${BOUNDARY}\r\n`;
  return separator + fields.map(([name, value]) => `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n${separator}`).join('');
}

// PostHog's test inputs. Its tests run the code without filters; here the event is signed_up so that the
// default filter lets it through (the request does not depend on the event).
const phInputs = {
  domain_name: 'DOMAIN_NAME',
  api_key: 'API_KEY',
  host: 'api.mailgun.net',
  template: { to: 'example@posthog.com', from: 'noreply@posthog.com', subject: 'TEST SUBJECT', html: '<h1>Test</h1>', text: 'Test' },
};
const phEvent = { uuid: 'event-id', event: 'signed_up', distinct_id: 'distinct-id', timestamp: '2024-01-01T00:00:00Z', properties: { $current_url: 'https://example.com' } };
const phPerson = { id: 'person-id', properties: { email: 'example@posthog.com' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: sends the email as multipart form data',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.mailgun.net/v3/DOMAIN_NAME/messages',
          headers: { authorization: 'Basic YXBpOkFQSV9LRVk=', 'content-type': CONTENT_TYPE },
          body:
            '-----011000010111000001101001\r\nContent-Disposition: form-data; name="from"\r\n\r\nnoreply@posthog.com\r\n' +
            '-----011000010111000001101001\r\nContent-Disposition: form-data; name="to"\r\n\r\nexample@posthog.com\r\n' +
            '-----011000010111000001101001\r\nContent-Disposition: form-data; name="subject"\r\n\r\nTEST SUBJECT\r\n' +
            '-----011000010111000001101001\r\nContent-Disposition: form-data; name="text"\r\n\r\nTest\r\n' +
            '-----011000010111000001101001\r\nContent-Disposition: form-data; name="html"\r\n\r\n<h1>Test</h1>\r\n' +
            '-----011000010111000001101001\r\n',
        },
      ],
      logsMustNotContain: ['API_KEY'],
    },
  },
  {
    name: 'PostHog: sends nothing without a recipient',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: { ...phInputs, template: { to: '' } },
    expect: { requests: [] },
  },
  {
    name: 'sends to the EU host by default, leaving out empty fields',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person,
    inputs: { domain_name: 'mg.example.org', api_key: KEY, template },
    responses: [{ status: 200, body: { id: '<20260101.1@mg.example.org>', message: 'Queued. Thank you.' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.eu.mailgun.net/v3/mg.example.org/messages',
          headers: { authorization: BASIC, 'content-type': CONTENT_TYPE },
          body: multipart([
            ['from', 'Hedgehog HQ <hello@mg.example.org>'],
            ['to', 'max+hog@example.com'],
            ['subject', 'Welcome & hi, Max'],
            ['text', 'Hi Max'],
          ]),
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
          body: multipart([
            ['from', 'Hedgehog HQ <hello@mg.example.org>'],
            ['to', 'max@example.com'],
            ['subject', 'Hi'],
            ['html', '<b>Hi</b>'],
          ]),
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
