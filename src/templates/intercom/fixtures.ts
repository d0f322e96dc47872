import type { TemplateFixture } from '../types.js';

const TOKEN = 'dG9rOmludGVyY29tLXNlY3JldA==';
const headers = {
  authorization: `Bearer ${TOKEN}`,
  'content-type': 'application/json',
  accept: 'application/json',
  'intercom-version': '2.14',
};
const person = { id: 'p1', properties: { email: 'Max@Example.com', name: 'Max the Hedgehog', plan: 'pro' } };
const searchBody = { query: { field: 'email', operator: '=', value: 'max@example.com' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'creates a contact when the search finds none',
    event: { event: '$identify', distinct_id: 'user-42' },
    person,
    inputs: { access_token: TOKEN, custom_attributes: { plan: '{person.properties.plan}', seats: '{person.properties.seats}' } },
    responses: [
      { status: 200, body: { type: 'list', data: [], total_count: 0 } },
      { status: 200, body: { type: 'contact', id: '65f0' } },
    ],
    expect: {
      requests: [
        { method: 'POST', url: 'https://api.intercom.io/contacts/search', headers, body: searchBody },
        {
          method: 'POST',
          url: 'https://api.intercom.io/contacts',
          headers,
          body: { email: 'max@example.com', name: 'Max the Hedgehog', custom_attributes: { plan: 'pro' }, role: 'user', external_id: 'user-42' },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'updates the contact found, in the EU region, keeping its external_id',
    event: { event: '$set', distinct_id: 'user-42' },
    person,
    inputs: { access_token: TOKEN, host: 'api.eu.intercom.io' },
    responses: [
      { status: 200, body: { type: 'list', data: [{ type: 'contact', id: '65f0', external_id: 'legacy-7' }], total_count: 1 } },
      { status: 200, body: { type: 'contact', id: '65f0' } },
    ],
    expect: {
      requests: [
        { method: 'POST', url: 'https://api.eu.intercom.io/contacts/search', headers, body: searchBody },
        { method: 'PUT', url: 'https://api.eu.intercom.io/contacts/65f0', headers, body: { email: 'max@example.com', name: 'Max the Hedgehog' } },
      ],
    },
  },
  {
    name: 'fails clearly when Intercom rejects the token',
    event: { event: '$identify', distinct_id: 'user-42' },
    person,
    inputs: { access_token: TOKEN },
    responses: [{ status: 401, body: { type: 'error.list', request_id: 'r1', errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }] } }],
    expect: {
      status: 'failed',
      error: 'Intercom API error (status 401): Access Token Invalid',
      requests: [{ method: 'POST', url: 'https://api.intercom.io/contacts/search' }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: { event: '$identify', distinct_id: 'user-42' },
    person: { id: 'p1', properties: { name: 'Anonymous' } },
    inputs: { access_token: TOKEN },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than $identify and $set',
    event: { event: '$pageview', distinct_id: 'user-42' },
    person,
    inputs: { access_token: TOKEN },
    expect: { status: 'skipped', requests: [] },
  },
];
