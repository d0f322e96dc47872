import type { TemplateFixture } from '../types.js';

const URL = 'https://api.hubapi.com/crm/v3/objects/contacts/batch/upsert';
const TOKEN = 'pat-na1-secret-token';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const person = { id: 'p1', properties: { email: 'max@example.com', firstname: 'Max', lastname: 'Hedgehog' } };

const phInputs = { oauth: { access_token: 'TOKEN' }, email: 'example@posthog.com', properties: { company: 'PostHog' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: upserts the contact by email in one batch request',
    posthog: true,
    event: { event: '$identify', distinct_id: 'distinct-id' },
    person: { id: 'person-id', properties: { email: 'example@posthog.com' } },
    inputs: phInputs,
    responses: [{ status: 200, body: { status: 'COMPLETE', results: [{ id: '101' }] } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: 'Bearer TOKEN', 'content-type': 'application/json' },
          body: {
            inputs: [{ properties: { company: 'PostHog', email: 'example@posthog.com' }, id: 'example@posthog.com', idProperty: 'email' }],
          },
        },
      ],
      logsMustNotContain: ['TOKEN'],
    },
  },
  {
    name: 'PostHog: skips when the email input is empty',
    posthog: true,
    event: { event: '$identify', distinct_id: 'distinct-id' },
    // An empty required input is refused when saved, so the emptiness comes from the person.
    person: { id: 'person-id', properties: { email: '' } },
    inputs: { ...phInputs, email: '{person.properties.email}' },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'PostHog: skips when the email input is null',
    posthog: true,
    event: { event: '$identify', distinct_id: 'distinct-id' },
    person: { id: 'person-id', properties: {} },
    inputs: { ...phInputs, email: '{person.properties.email}' },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'maps the default properties from the person, leaving out empty ones, with the access token input',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { access_token: TOKEN },
    responses: [{ status: 200, body: { status: 'COMPLETE', results: [{ id: '101' }] } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: {
            inputs: [
              { properties: { email: 'max@example.com', firstname: 'Max', lastname: 'Hedgehog' }, id: 'max@example.com', idProperty: 'email' },
            ],
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'sends nested property values as JSON text',
    event: { event: '$identify', distinct_id: 'u1' },
    person: { id: 'p1', properties: { email: 'max@example.com', tags: ['a', 'b'] } },
    inputs: { access_token: TOKEN, properties: { company: 'PostHog', tags: '{person.properties.tags}' } },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          body: {
            inputs: [{ properties: { email: 'max@example.com', company: 'PostHog', tags: '["a","b"]' }, id: 'max@example.com', idProperty: 'email' }],
          },
        },
      ],
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
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails when the batch reports its one input as failed (207)',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { access_token: TOKEN },
    responses: [{ status: 207, body: { status: 'COMPLETE', results: [], errors: [{ status: 'error', message: 'Property values were not valid' }] } }],
    expect: {
      status: 'failed',
      error: 'HubSpot API error (status 207): Property values were not valid',
      requests: [{ method: 'POST', url: URL }],
    },
  },
  {
    name: 'fails before any request when no token is set',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: {},
    expect: { status: 'failed', error: 'HubSpot: no access token', requests: [] },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: { event: '$identify', distinct_id: 'u1' },
    person: { id: 'p1', properties: { firstname: 'Max' } },
    inputs: { access_token: TOKEN },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than $identify',
    event: { event: '$pageview', distinct_id: 'u1' },
    person,
    inputs: { access_token: TOKEN },
    expect: { status: 'skipped', requests: [] },
  },
];
