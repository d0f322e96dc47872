import type { TemplateFixture } from '../types.js';

const KEY = 'SG.secret-sendgrid-key';
const person = { id: 'p1', properties: { email: 'Max@Example.com', first_name: 'Max', last_name: 'Hedgehog', plan: 'pro' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'upserts the contact into the given lists',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY, list_ids: 'list-a, list-b', custom_fields: { e1_T: '{person.properties.plan}', e2_N: '{person.properties.seats}' } },
    responses: [{ status: 202, body: { job_id: 'job-1' } }],
    expect: {
      requests: [
        {
          method: 'PUT',
          url: 'https://api.sendgrid.com/v3/marketing/contacts',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: {
            contacts: [{ email: 'max@example.com', first_name: 'Max', last_name: 'Hedgehog', custom_fields: { e1_T: 'pro' } }],
            list_ids: ['list-a', 'list-b'],
          },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'sends no list_ids when none are configured',
    event: { event: '$set', distinct_id: 'u1' },
    person: { id: 'p1', properties: { email: 'anon@example.com' } },
    inputs: { api_key: KEY },
    responses: [{ status: 202, body: { job_id: 'job-2' } }],
    expect: {
      requests: [{ method: 'PUT', url: 'https://api.sendgrid.com/v3/marketing/contacts', body: { contacts: [{ email: 'anon@example.com' }] } }],
    },
  },
  {
    name: 'fails clearly with the field errors SendGrid returns',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY, list_ids: 'nope' },
    responses: [{ status: 400, body: { errors: [{ field: 'list_ids[0]', message: 'invalid list id' }] } }],
    expect: {
      status: 'failed',
      error: 'SendGrid API error (status 400): list_ids[0]: invalid list id',
      requests: [{ method: 'PUT', url: 'https://api.sendgrid.com/v3/marketing/contacts' }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: { event: '$identify', distinct_id: 'u1' },
    person: { id: 'p1', properties: { first_name: 'Max' } },
    inputs: { api_key: KEY },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than $identify and $set',
    event: { event: '$pageview', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
