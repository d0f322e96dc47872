import type { TemplateFixture } from '../types.js';

const KEY = 'loops-secret-api-key';
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const person = { id: 'p1', properties: { email: 'max@example.com', first_name: 'Max', plan: 'pro' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'updates (or creates) the contact',
    event: { event: '$identify', distinct_id: 'user-42' },
    person,
    inputs: { api_key: KEY, properties: { firstName: '{person.properties.first_name}', lastName: '{person.properties.last_name}', plan: '{person.properties.plan}' } },
    responses: [{ status: 200, body: { success: true, id: 'cll6b3i8901a9jx0oyktl2m4u' } }],
    expect: {
      requests: [
        {
          method: 'PUT',
          url: 'https://app.loops.so/api/v1/contacts/update',
          headers,
          body: { email: 'max@example.com', userId: 'user-42', firstName: 'Max', plan: 'pro' },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'fails clearly when Loops answers success: false',
    event: { event: '$set', distinct_id: 'user-42' },
    person,
    inputs: { api_key: KEY },
    responses: [{ status: 200, body: { success: false, message: 'Invalid contact property: plan' } }],
    expect: {
      status: 'failed',
      error: 'Loops API error (status 200): Invalid contact property: plan',
      requests: [{ method: 'PUT', url: 'https://app.loops.so/api/v1/contacts/update' }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'succeeds on a 200 whose body has no success field',
    event: { event: '$set', distinct_id: 'user-42' },
    person,
    inputs: { api_key: KEY },
    responses: [{ status: 200, body: { id: 'cll6b3i8901a9jx0oyktl2m4u' } }],
    expect: { requests: [{ method: 'PUT', url: 'https://app.loops.so/api/v1/contacts/update' }] },
  },
  {
    name: 'fails clearly on an invalid key',
    event: { event: '$identify', distinct_id: 'user-42' },
    person,
    inputs: { api_key: KEY },
    responses: [{ status: 401, body: { success: false, message: 'Invalid API key' } }],
    expect: {
      status: 'failed',
      error: 'Loops API error (status 401): Invalid API key',
      requests: [{ method: 'PUT', url: 'https://app.loops.so/api/v1/contacts/update' }],
    },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: { event: '$identify', distinct_id: 'user-42' },
    person: { id: 'p1', properties: { first_name: 'Max' } },
    inputs: { api_key: KEY },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than $identify and $set',
    event: { event: 'signed_up', distinct_id: 'user-42' },
    person,
    inputs: { api_key: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
