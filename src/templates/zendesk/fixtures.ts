import type { TemplateFixture } from '../types.js';

const TOKEN = 'zd-secret-token';
// base64('agent@acme.com/token:zd-secret-token')
const BASIC = 'YWdlbnRAYWNtZS5jb20vdG9rZW46emQtc2VjcmV0LXRva2Vu';
const base = { subdomain: 'acme', admin_email: 'agent@acme.com', token: TOKEN };
const person = { id: 'p1', properties: { email: 'max@example.com', name: 'Max the Hedgehog', plan: 'pro' } };
const URL = 'https://acme.zendesk.com/api/v2/users/create_or_update';

// The inputs PostHog's own tests use.
const PH_TOKEN = 'Q0UlvCexisMu6Je5MHG72ev16Tz68Tw8PRRpb5SX';
const phInputs = {
  subdomain: 'zendeskhelp',
  admin_email: 'admin@zendesk.com',
  token: PH_TOKEN,
  email: 'max@posthog.com',
  name: 'Max',
  attributes: { phone: '0123456789', plan: 'starship-enterprise' },
};
const PH_URL = 'https://zendeskhelp.zendesk.com/api/v2/users/create_or_update';
const PH_BASIC = 'YWRtaW5AemVuZGVzay5jb20vdG9rZW46UTBVbHZDZXhpc011NkplNU1IRzcyZXYxNlR6NjhUdzhQUlJwYjVTWA==';

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: creates or updates the user',
    posthog: true,
    event: { event: '$identify', distinct_id: 'distinct-id' },
    inputs: phInputs,
    responses: [{ status: 200, body: { user: { id: 1 } } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: PH_URL,
          headers: { authorization: `Basic ${PH_BASIC}`, 'content-type': 'application/json' },
          body: { user: { email: 'max@posthog.com', name: 'Max', skip_verify_email: true, user_fields: { phone: '0123456789', plan: 'starship-enterprise' } } },
        },
      ],
      logsMustNotContain: [PH_TOKEN, PH_BASIC],
    },
  },
  ...['name', 'email'].map(
    (field): TemplateFixture => ({
      name: `PostHog: skips the request when the ${field} is empty`,
      posthog: true,
      event: { event: '$identify', distinct_id: 'distinct-id' },
      inputs: { ...phInputs, [field]: '{person.properties.missing}' },
      expect: { status: 'succeeded', requests: [] },
    }),
  ),
  {
    name: 'PostHog: keeps email and name out of the user fields',
    posthog: true,
    event: { event: '$identify', distinct_id: 'distinct-id' },
    inputs: { ...phInputs, attributes: { email: 'other@posthog.com', name: 'Other', plan: 'free' } },
    responses: [{ status: 200, body: { user: { id: 1 } } }],
    expect: {
      requests: [{ method: 'POST', url: PH_URL, body: { user: { email: 'max@posthog.com', name: 'Max', skip_verify_email: true, user_fields: { plan: 'free' } } } }],
    },
  },
  {
    name: 'creates or updates the user from the person, leaving empty fields out, with an external id',
    event: { event: '$identify', distinct_id: 'user-42' },
    person,
    inputs: { ...base, external_id: '{event.distinct_id}' },
    responses: [{ status: 201, body: { user: { id: 9001 } } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: `Basic ${BASIC}`, 'content-type': 'application/json' },
          body: { user: { email: 'max@example.com', name: 'Max the Hedgehog', skip_verify_email: true, user_fields: { plan: 'pro' }, external_id: 'user-42' } },
        },
      ],
      logsMustNotContain: [TOKEN, BASIC],
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
      requests: [{ method: 'POST', url: URL }],
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
      error: 'Zendesk API error (status 401): Couldn',
      requests: [{ method: 'POST', url: URL }],
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
