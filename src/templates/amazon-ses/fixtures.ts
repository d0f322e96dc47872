import { ACCESS_KEY_ID, SECRET, sha256Hex, sigV4Authorization } from '../s3/fixtures.js';
import type { TemplateFixture } from '../types.js';

const NOW = '2026-03-04T05:06:07.000Z';
const credentials = { aws_access_key_id: ACCESS_KEY_ID, aws_secret_access_key: SECRET };
const signup = { event: 'signed_up', distinct_id: 'user-7' };
const person = { id: 'p7', properties: { email: 'ada@example.com', first_name: 'Ada' } };
const email = {
  to: '{person.properties.email}',
  from: 'Acme <hello@acme.example>',
  subject: 'Welcome, {person.properties.first_name}!',
  text: 'Hi {person.properties.first_name}, thanks for signing up.',
  html: '',
};

/** The exact JSON SES receives: the signature covers its hash. */
const BODY = JSON.stringify({
  FromEmailAddress: 'Acme <hello@acme.example>',
  Destination: { ToAddresses: ['ada@example.com'] },
  Content: {
    Simple: {
      Subject: { Data: 'Welcome, Ada!', Charset: 'UTF-8' },
      Body: { Text: { Data: 'Hi Ada, thanks for signing up.', Charset: 'UTF-8' } },
    },
  },
  ReplyToAddresses: ['support@acme.example'],
  ConfigurationSetName: 'transactional',
});

const host = 'email.eu-central-1.amazonaws.com';
const path = '/v2/email/outbound-emails';

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends the email with an exact SigV4 signature',
    event: signup,
    person,
    now: NOW,
    inputs: { ...credentials, aws_region: 'eu-central-1', email, reply_to: 'support@acme.example', configuration_set: 'transactional' },
    responses: [{ status: 200, body: { MessageId: '0100018e-aaaa-bbbb-cccc-000000000000-000000' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: `https://${host}${path}`,
          headers: {
            'content-type': 'application/json',
            'x-amz-date': '20260304T050607Z',
            authorization: sigV4Authorization({
              method: 'POST',
              host,
              path,
              headers: { 'content-type': 'application/json' },
              payloadHash: sha256Hex(BODY),
              region: 'eu-central-1',
              service: 'ses',
              now: NOW,
            }),
          },
          body: BODY,
        },
      ],
      logsMustNotContain: [SECRET],
    },
  },
  {
    name: 'sends an HTML and text body without the optional fields',
    event: signup,
    person,
    now: NOW,
    inputs: { ...credentials, email: { ...email, html: '<p>Hi {person.properties.first_name}</p>' } },
    responses: [{ status: 200, body: { MessageId: 'm-2' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://email.us-east-1.amazonaws.com/v2/email/outbound-emails',
          body: {
            FromEmailAddress: 'Acme <hello@acme.example>',
            Destination: { ToAddresses: ['ada@example.com'] },
            Content: {
              Simple: {
                Subject: { Data: 'Welcome, Ada!', Charset: 'UTF-8' },
                Body: { Text: { Data: 'Hi Ada, thanks for signing up.', Charset: 'UTF-8' }, Html: { Data: '<p>Hi Ada</p>', Charset: 'UTF-8' } },
              },
            },
          },
        },
      ],
      logsMustNotContain: [SECRET],
    },
  },
  {
    name: 'fails with the SES error type and message',
    event: signup,
    person,
    inputs: { ...credentials, email },
    responses: [
      {
        status: 400,
        headers: { 'x-amzn-errortype': 'MessageRejected:http://internal.amazon.com/coral/com.amazonaws.sesv2/' },
        body: { message: 'Email address is not verified. The following identities failed the check in region US-EAST-1: hello@acme.example' },
      },
    ],
    expect: {
      status: 'failed',
      error: 'Amazon SES error (status 400): MessageRejected: Email address is not verified.',
      requests: [{ method: 'POST', url: 'https://email.us-east-1.amazonaws.com/v2/email/outbound-emails' }],
      logsMustNotContain: [SECRET],
    },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: signup,
    person: { id: 'p8', properties: { first_name: 'Bo' } },
    inputs: { ...credentials, email },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'fails when the email has no body',
    event: signup,
    person,
    inputs: { ...credentials, email: { ...email, text: '' } },
    expect: { status: 'failed', error: 'Amazon SES: the email has neither a text nor an HTML body', requests: [] },
  },
  {
    name: 'is skipped for events other than signed_up',
    event: { event: '$pageview', distinct_id: 'user-7' },
    person,
    inputs: { ...credentials, email },
    expect: { status: 'skipped', requests: [] },
  },
];
