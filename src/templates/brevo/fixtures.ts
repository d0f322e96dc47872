import type { TemplateFixture } from '../types.js';

const KEY = 'xkeysib-secret-brevo-key';
const person = { id: 'p1', properties: { email: 'max@example.com', first_name: 'Max', last_name: 'Hedgehog' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'creates or updates the contact with attributes and lists',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY, list_ids: '2, 7' },
    responses: [{ status: 201, body: { id: 42 } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.brevo.com/v3/contacts',
          headers: { 'api-key': KEY, accept: 'application/json', 'content-type': 'application/json' },
          body: { email: 'max@example.com', updateEnabled: true, attributes: { FIRSTNAME: 'Max', LASTNAME: 'Hedgehog' }, listIds: [2, 7] },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'succeeds on 204 (an existing contact updated)',
    event: { event: '$set', distinct_id: 'u1' },
    person: { id: 'p1', properties: { email: 'max@example.com' } },
    inputs: { api_key: KEY },
    responses: [{ status: 204 }],
    expect: {
      requests: [{ method: 'POST', url: 'https://api.brevo.com/v3/contacts', body: { email: 'max@example.com', updateEnabled: true } }],
    },
  },
  {
    name: 'fails clearly with the code and message Brevo returns',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY },
    responses: [{ status: 401, body: { code: 'unauthorized', message: 'Key not found' } }],
    expect: {
      status: 'failed',
      error: 'Brevo API error (status 401): unauthorized: Key not found',
      requests: [{ method: 'POST', url: 'https://api.brevo.com/v3/contacts' }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: { event: '$identify', distinct_id: 'u1' },
    person: { id: 'p1', properties: {} },
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
