import type { TemplateFixture } from '../types.js';

const KEY = 'freshsales-secret-key';
const person = { id: 'p1', properties: { email: 'Max@Example.com', first_name: 'Max', last_name: 'Hedgehog', title: 'Mascot' } };
const URL = 'https://acme.myfreshworks.com/crm/sales/api/contacts/upsert';

export const fixtures: TemplateFixture[] = [
  {
    name: 'upserts the contact by email',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { domain: 'acme.myfreshworks.com', api_key: KEY, properties: { first_name: '{person.properties.first_name}', last_name: '{person.properties.last_name}', job_title: '{person.properties.title}' } },
    responses: [{ status: 200, body: { contact: { id: 5001, email: 'max@example.com' } } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: `Token token=${KEY}`, 'content-type': 'application/json' },
          body: { unique_identifier: { emails: 'max@example.com' }, contact: { first_name: 'Max', last_name: 'Hedgehog', job_title: 'Mascot' } },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'accepts a bare bundle name or a pasted URL as the domain and leaves out empty fields',
    event: { event: '$set', distinct_id: 'u1' },
    person: { id: 'p1', properties: { email: 'anon@example.com' } },
    inputs: { domain: 'acme', api_key: KEY },
    expect: {
      requests: [{ method: 'POST', url: URL, body: { unique_identifier: { emails: 'anon@example.com' }, contact: {} } }],
    },
  },
  {
    name: 'uses the host of a pasted URL',
    event: { event: '$set', distinct_id: 'u1' },
    person: { id: 'p1', properties: { email: 'anon@example.com' } },
    inputs: { domain: 'https://acme.myfreshworks.com/', api_key: KEY },
    expect: { requests: [{ method: 'POST', url: URL }] },
  },
  {
    name: 'fails clearly with the messages Freshsales returns',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { domain: 'acme', api_key: KEY },
    responses: [{ status: 400, body: { errors: { code: 400, message: ['Job title is too long'] } } }],
    expect: {
      status: 'failed',
      error: 'Freshsales API error (status 400): Job title is too long',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: { event: '$identify', distinct_id: 'u1' },
    person: { id: 'p1', properties: { first_name: 'Max' } },
    inputs: { domain: 'acme', api_key: KEY },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than $identify and $set',
    event: { event: '$pageview', distinct_id: 'u1' },
    person,
    inputs: { domain: 'acme', api_key: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
