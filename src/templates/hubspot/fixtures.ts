import type { TemplateFixture } from '../types.js';

const TOKEN = 'pat-na1-secret-token';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const person = { id: 'p1', properties: { email: 'Max@Example.com', firstname: 'Max', lastname: 'Hedgehog' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'creates the contact with its properties',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { access_token: TOKEN },
    responses: [{ status: 201, body: { id: '101', properties: {} } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.hubapi.com/crm/v3/objects/contacts',
          headers,
          body: { properties: { firstname: 'Max', lastname: 'Hedgehog', email: 'max@example.com' } },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'updates the contact by email when it already exists (409)',
    event: { event: '$set', distinct_id: 'u1' },
    person: { id: 'p1', properties: { email: 'max+1@example.com', first_name: 'Max', company: 'PostHog' } },
    inputs: { access_token: TOKEN },
    responses: [
      { status: 409, body: { status: 'error', message: 'Contact already exists. Existing ID: 101', category: 'CONFLICT' } },
      { status: 200, body: { id: '101', properties: {} } },
    ],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.hubapi.com/crm/v3/objects/contacts',
          headers,
          body: { properties: { firstname: 'Max', company: 'PostHog', email: 'max+1@example.com' } },
        },
        {
          method: 'PATCH',
          url: 'https://api.hubapi.com/crm/v3/objects/contacts/max%2B1%40example.com?idProperty=email',
          headers,
          body: { properties: { firstname: 'Max', company: 'PostHog', email: 'max+1@example.com' } },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails clearly when HubSpot rejects the token',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { access_token: TOKEN },
    responses: [{ status: 401, body: { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' } }],
    expect: {
      status: 'failed',
      error: 'HubSpot API error (status 401): Authentication credentials not found.',
      requests: [{ method: 'POST', url: 'https://api.hubapi.com/crm/v3/objects/contacts' }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails when the update after a 409 fails',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { access_token: TOKEN },
    responses: [
      { status: 409, body: { message: 'Contact already exists. Existing ID: 101' } },
      { status: 400, body: { message: 'Property values were not valid' } },
    ],
    expect: {
      status: 'failed',
      error: 'HubSpot API error (status 400): Property values were not valid',
      requests: [
        { method: 'POST', url: 'https://api.hubapi.com/crm/v3/objects/contacts' },
        { method: 'PATCH', url: 'https://api.hubapi.com/crm/v3/objects/contacts/max%40example.com?idProperty=email' },
      ],
    },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: { event: '$identify', distinct_id: 'u1' },
    person: { id: 'p1', properties: { firstname: 'Max' } },
    inputs: { access_token: TOKEN },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than $identify and $set',
    event: { event: '$pageview', distinct_id: 'u1' },
    person,
    inputs: { access_token: TOKEN },
    expect: { status: 'skipped', requests: [] },
  },
];
