import type { TemplateFixture } from '../types.js';

const SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'twilio-auth-token-fedcba987654';
const URL = `https://api.twilio.com/2010-04-01/Accounts/${SID}/Messages.json`;
const HEADERS = {
  authorization: `Basic ${Buffer.from(`${SID}:${AUTH_TOKEN}`).toString('base64')}`,
  'content-type': 'application/x-www-form-urlencoded',
};
const account = { account_sid: SID, auth_token: AUTH_TOKEN };

const signup = { event: 'signed_up', distinct_id: 'user-42', uuid: '0190a1b2-0000-7000-8000-000000000901' };
const person = { id: 'p-1', properties: { phone: '+447700900123', first_name: 'Max' } };

// PostHog's test inputs and its harness's default person. Its test event is 'event-name', which the
// default filter (signed_up) would skip here, so the event is signed_up and the default message names it.
const phInputs = { twilio_account: { account_sid: 'sid_12345', auth_token: 'auth_12345' }, from_number: '+1234567891' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: sends the SMS with the default recipient and message',
    posthog: true,
    event: { uuid: 'event-id', event: 'signed_up', distinct_id: 'distinct-id', timestamp: '2025-01-01T00:00:00Z', properties: { $current_url: 'https://example.com' } },
    person: { id: 'person-id', properties: { phone: '+1234567893' } },
    inputs: phInputs,
    responses: [{ status: 200, body: { message: 'Hello, world!' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.twilio.com/2010-04-01/Accounts/sid_12345/Messages.json',
          headers: { authorization: 'Basic c2lkXzEyMzQ1OmF1dGhfMTIzNDU=', 'content-type': 'application/x-www-form-urlencoded' },
          body: 'To=%2B1234567893&From=%2B1234567891&Body=PostHog%20event%20signed_up%20was%20triggered',
        },
      ],
      logsMustNotContain: ['auth_12345'],
    },
  },
  {
    name: 'sends a custom message from the From number',
    event: signup,
    person,
    inputs: { twilio_account: account, from_number: '+15017122661', message: 'Thanks for signing up, {person.properties.first_name}!' },
    responses: [{ status: 201, body: { sid: 'SM123', status: 'queued' } }],
    expect: {
      requests: [{ method: 'POST', url: URL, headers: HEADERS, body: 'To=%2B447700900123&From=%2B15017122661&Body=Thanks%20for%20signing%20up%2C%20Max!' }],
      logsMustNotContain: [AUTH_TOKEN],
    },
  },
  {
    name: 'takes the SID and token from plain inputs when there is no account object',
    event: signup,
    person,
    inputs: { account_sid: SID, auth_token: AUTH_TOKEN, from_number: '+15017122661', debug: true },
    responses: [{ status: 201, body: { sid: 'SM125', status: 'queued' } }],
    expect: {
      requests: [{ method: 'POST', url: URL, headers: HEADERS, body: 'To=%2B447700900123&From=%2B15017122661&Body=PostHog%20event%20signed_up%20was%20triggered' }],
      logsMustNotContain: [AUTH_TOKEN, HEADERS.authorization],
    },
  },
  {
    name: 'uses the Messaging Service SID when set',
    event: signup,
    person,
    inputs: { twilio_account: account, from_number: '+15017122661', messaging_service_sid: 'MG123', message: 'Hi & welcome' },
    responses: [{ status: 201, body: { sid: 'SM124', status: 'accepted' } }],
    expect: { requests: [{ method: 'POST', url: URL, headers: HEADERS, body: 'To=%2B447700900123&MessagingServiceSid=MG123&Body=Hi%20%26%20welcome' }] },
  },
  {
    name: 'sends nothing to a person without a phone number',
    event: signup,
    person: { id: 'p-1', properties: {} },
    inputs: { twilio_account: account, from_number: '+15017122661' },
    expect: { requests: [] },
  },
  {
    name: 'fails without a request when there are no credentials',
    event: signup,
    person,
    inputs: { from_number: '+15017122661' },
    expect: { status: 'failed', error: 'Twilio: set the Twilio account', requests: [] },
  },
  {
    name: 'fails clearly on Twilio’s error answer',
    event: signup,
    person: { id: 'p-1', properties: { phone: '12' } },
    inputs: { twilio_account: account, from_number: '+15017122661' },
    responses: [{ status: 400, body: { code: 21211, message: "The 'To' number 12 is not a valid phone number.", more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 } }],
    expect: {
      status: 'failed',
      error: "Twilio API error (status 400): The 'To' number 12 is not a valid phone number. (code 21211",
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [AUTH_TOKEN],
    },
  },
  {
    name: 'is skipped for events other than signed_up by default',
    event: { event: '$pageview', distinct_id: 'user-42' },
    person,
    inputs: { twilio_account: account, from_number: '+15017122661' },
    expect: { status: 'skipped', requests: [] },
  },
];
