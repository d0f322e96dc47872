import type { TemplateFixture } from '../types.js';

const TOKEN = 'zd-secret-token';
// base64('agent@acme.com/token:zd-secret-token')
const BASIC = 'YWdlbnRAYWNtZS5jb20vdG9rZW46emQtc2VjcmV0LXRva2Vu';
const base = { subdomain: 'acme', admin_email: 'agent@acme.com', api_token: TOKEN };
const person = { id: 'p1', properties: { email: 'max@example.com', name: 'Max the Hedgehog', plan: 'pro' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'creates or updates the user with basic token auth',
    event: { event: '$identify', distinct_id: 'user-42' },
    person,
    inputs: { ...base, external_id: '{event.distinct_id}', user_fields: { plan: '{person.properties.plan}', seats: '{person.properties.seats}' } },
    responses: [{ status: 201, body: { user: { id: 9001 } } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://acme.zendesk.com/api/v2/users/create_or_update',
          headers: { authorization: `Basic ${BASIC}`, 'content-type': 'application/json' },
          body: { user: { email: 'max@example.com', name: 'Max the Hedgehog', external_id: 'user-42', user_fields: { plan: 'pro' } } },
        },
      ],
      logsMustNotContain: [TOKEN, BASIC],
    },
  },
  {
    name: 'uses the email as the name when the person has none',
    event: { event: '$set', distinct_id: 'user-42' },
    person: { id: 'p1', properties: { email: 'anon@example.com' } },
    inputs: base,
    responses: [{ status: 200, body: { user: { id: 9002 } } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://acme.zendesk.com/api/v2/users/create_or_update',
          body: { user: { email: 'anon@example.com', name: 'anon@example.com' } },
        },
      ],
    },
  },
  {
    name: 'fails clearly on a validation error',
    event: { event: '$identify', distinct_id: 'user-42' },
    person,
    inputs: base,
    responses: [
      {
        status: 422,
        body: { error: 'RecordInvalid', description: 'Record validation errors', details: { email: [{ description: 'Email is invalid', error: 'InvalidValue' }] } },
      },
    ],
    expect: {
      status: 'failed',
      error: 'Zendesk API error (status 422): RecordInvalid: Record validation errors',
      requests: [{ method: 'POST', url: 'https://acme.zendesk.com/api/v2/users/create_or_update' }],
      logsMustNotContain: [TOKEN, BASIC],
    },
  },
  {
    name: 'fails clearly on bad credentials',
    event: { event: '$identify', distinct_id: 'user-42' },
    person,
    inputs: base,
    responses: [{ status: 401, body: { error: "Couldn't authenticate you" } }],
    expect: {
      status: 'failed',
      error: 'Zendesk API error (status 401): Couldn', // the runtime shows the error as Error('…') with the quote escaped
      requests: [{ method: 'POST', url: 'https://acme.zendesk.com/api/v2/users/create_or_update' }],
      logsMustNotContain: [TOKEN, BASIC],
    },
  },
  {
    name: 'refuses a subdomain that is not a plain name, without a request',
    event: { event: '$identify', distinct_id: 'user-42' },
    person,
    inputs: { ...base, subdomain: 'evil.example.com/x?' },
    expect: { status: 'failed', error: 'the subdomain must be the part before .zendesk.com', requests: [] },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: { event: '$identify', distinct_id: 'user-42' },
    person: { id: 'p1', properties: { name: 'Max' } },
    inputs: base,
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than $identify and $set',
    event: { event: '$pageview', distinct_id: 'user-42' },
    person,
    inputs: base,
    expect: { status: 'skipped', requests: [] },
  },
];
