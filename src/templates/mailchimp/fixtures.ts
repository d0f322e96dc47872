import type { TemplateFixture } from '../types.js';

const KEY = 'mc-secret-key-us21';
// base64('sluice:mc-secret-key-us21')
const BASIC = 'c2x1aWNlOm1jLXNlY3JldC1rZXktdXMyMQ==';
// md5('max@example.com')
const HASH = '27f10ba42a2d1737f88318bdcfca0e62';
const person = { id: 'p1', properties: { email: ' Max@Example.com ', first_name: 'Max', last_name: 'Hedgehog' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'upserts the member at the lower-cased email hash on the key datacenter',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY, audience_id: 'a1b2c3' },
    responses: [{ status: 200, body: { id: HASH, status: 'subscribed' } }],
    expect: {
      requests: [
        {
          method: 'PUT',
          url: `https://us21.api.mailchimp.com/3.0/lists/a1b2c3/members/${HASH}`,
          headers: { authorization: `Basic ${BASIC}`, 'content-type': 'application/json' },
          body: { email_address: 'max@example.com', status_if_new: 'subscribed', merge_fields: { FNAME: 'Max', LNAME: 'Hedgehog' } },
        },
      ],
      logsMustNotContain: [KEY, BASIC],
    },
  },
  {
    name: 'uses pending for double opt-in and leaves out empty merge fields',
    event: { event: '$set', distinct_id: 'u1' },
    person: { id: 'p1', properties: { email: 'max@example.com' } },
    inputs: { api_key: KEY, audience_id: 'a1b2c3', status: 'pending' },
    expect: {
      requests: [
        {
          method: 'PUT',
          url: `https://us21.api.mailchimp.com/3.0/lists/a1b2c3/members/${HASH}`,
          body: { email_address: 'max@example.com', status_if_new: 'pending' },
        },
      ],
    },
  },
  {
    name: 'fails clearly with the problem detail Mailchimp returns',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY, audience_id: 'wrong' },
    responses: [{ status: 404, body: { type: 'https://mailchimp.com/developer/marketing/docs/errors/', title: 'Resource Not Found', status: 404, detail: 'The requested resource could not be found.' } }],
    expect: {
      status: 'failed',
      error: 'Mailchimp API error (status 404): Resource Not Found: The requested resource could not be found.',
      requests: [{ method: 'PUT', url: `https://us21.api.mailchimp.com/3.0/lists/wrong/members/${HASH}` }],
      logsMustNotContain: [KEY, BASIC],
    },
  },
  {
    name: 'fails without a request when the key has no datacenter, without echoing the key',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { api_key: 'keywithoutdc', audience_id: 'a1b2c3' },
    expect: { status: 'failed', error: 'the API key must end with its datacenter', requests: [], logsMustNotContain: ['keywithoutdc'] },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: { event: '$identify', distinct_id: 'u1' },
    person: { id: 'p1', properties: { first_name: 'Max' } },
    inputs: { api_key: KEY, audience_id: 'a1b2c3' },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than $identify and $set',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY, audience_id: 'a1b2c3' },
    expect: { status: 'skipped', requests: [] },
  },
];
