import type { TemplateFixture } from '../types.js';

const SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'twilio-auth-token-fedcba987654';
const URL = `https://api.twilio.com/2010-04-01/Accounts/${SID}/Messages.json`;
const HEADERS = {
  authorization: `Basic ${Buffer.from(`${SID}:${AUTH_TOKEN}`).toString('base64')}`,
  'content-type': 'application/x-www-form-urlencoded',
};

const signup = { event: 'signed_up', distinct_id: 'user-42', uuid: '0190a1b2-0000-7000-8000-000000000901' };
const person = { id: 'p-1', properties: { phone: '+447700900123', first_name: 'Max' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends the SMS as a form-encoded request',
    event: signup,
    person,
    inputs: { account_sid: SID, auth_token: AUTH_TOKEN, from_number: '+15017122661' },
    responses: [{ status: 201, body: { sid: 'SM123', status: 'queued' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: HEADERS,
          body: 'To=%2B447700900123&Body=Thanks%20for%20signing%20up%2C%20Max!&From=%2B15017122661',
        },
      ],
      logsMustNotContain: [AUTH_TOKEN],
    },
  },
  {
    name: 'uses the Messaging Service SID when set',
    event: signup,
    person,
    inputs: { account_sid: SID, auth_token: AUTH_TOKEN, from_number: '+15017122661', messaging_service_sid: 'MG123', message: 'Hi & welcome' },
    responses: [{ status: 201, body: { sid: 'SM124', status: 'accepted' } }],
    expect: { requests: [{ method: 'POST', url: URL, headers: HEADERS, body: 'To=%2B447700900123&Body=Hi%20%26%20welcome&MessagingServiceSid=MG123' }] },
  },
  {
    name: 'sends nothing to a person without a phone number',
    event: signup,
    person: { id: 'p-1', properties: {} },
    inputs: { account_sid: SID, auth_token: AUTH_TOKEN, from_number: '+15017122661' },
    expect: { requests: [] },
  },
  {
    name: 'fails clearly on Twilio’s error answer',
    event: signup,
    person: { id: 'p-1', properties: { phone: '12' } },
    inputs: { account_sid: SID, auth_token: AUTH_TOKEN, from_number: '+15017122661' },
    responses: [{ status: 400, body: { code: 21211, message: "The 'To' number 12 is not a valid phone number.", more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 } }],
    expect: {
      status: 'failed',
      error: 'Twilio API error (status 400): The',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [AUTH_TOKEN],
    },
  },
  {
    name: 'is skipped for events other than signed_up by default',
    event: { event: '$pageview', distinct_id: 'user-42' },
    person,
    inputs: { account_sid: SID, auth_token: AUTH_TOKEN, from_number: '+15017122661' },
    expect: { status: 'skipped', requests: [] },
  },
];
