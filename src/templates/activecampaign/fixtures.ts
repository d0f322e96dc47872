import type { TemplateFixture } from '../types.js';

const KEY = 'ac0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123';
const URL = 'https://acme.api-us1.com/api/3/contact/sync';

const identify = { event: '$identify', distinct_id: 'user-42', properties: {} };
const person = { id: 'p-1', properties: { email: 'max@example.com', firstName: 'Max', lastName: 'Hedge', company: 'Acme' } };
const synced = { contact: { id: '113', email: 'max@example.com' } };

/** The event and person PostHog's template tests run with. */
const phEvent = { event: '$identify', distinct_id: 'distinct-id', uuid: 'event-id', timestamp: '2024-01-01T00:00:00Z', properties: { $current_url: 'https://example.com' } };
const phPerson = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const phInputs = { accountName: 'posthog', apiKey: 'API_KEY', email: 'max@posthog.com', firstName: 'max', attributes: { '1': 'PostHog', '2': 'posthog.com' } };
const PH_URL = 'https://posthog.api-us1.com/api/3/contact/sync';

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: syncs the contact',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 200, body: { contact: { id: '1' } } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: PH_URL,
          headers: { 'api-token': 'API_KEY', 'content-type': 'application/json' },
          body: { contact: { email: 'max@posthog.com', fieldValues: [{ field: '1', value: 'PostHog' }, { field: '2', value: 'posthog.com' }], firstName: 'max' } },
        },
      ],
    },
  },
  {
    name: 'PostHog: skips the request when the email is empty',
    posthog: true,
    event: phEvent,
    person: { id: 'person-id', properties: {} },
    // Sluice rejects a literal '' for a required input, so the email is a template that comes out empty.
    inputs: { ...phInputs, email: '{person.properties.email}' },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'PostHog: drops custom fields with empty values',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: { ...phInputs, attributes: { '1': 'PostHog', '2': '', '3': null } },
    expect: {
      requests: [{ method: 'POST', url: PH_URL, body: { contact: { email: 'max@posthog.com', fieldValues: [{ field: '1', value: 'PostHog' }], firstName: 'max' } } }],
    },
  },
  {
    name: 'PostHog: errors on a non-2xx response',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 400, body: { message: 'nope' } }],
    expect: { status: 'failed', error: 'ActiveCampaign API error (status 400): nope', requests: [{ method: 'POST', url: PH_URL }], logsMustNotContain: ['API_KEY'] },
  },
  {
    name: 'syncs the contact with names and the default custom fields',
    event: identify,
    person,
    inputs: { accountName: 'acme', apiKey: KEY },
    responses: [{ status: 201, body: synced }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { 'api-token': KEY, 'content-type': 'application/json' },
          body: { contact: { email: 'max@example.com', firstName: 'Max', lastName: 'Hedge', fieldValues: [{ field: '1', value: 'Acme' }] } },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'takes the full account API URL in place of the name',
    event: { event: '$set', distinct_id: 'user-42' },
    person: { id: 'p-1', properties: { email: 'max@example.com' } },
    inputs: { accountName: 'https://acme.api-us1.com/api/3/', apiKey: KEY },
    responses: [{ status: 200, body: synced }],
    expect: { requests: [{ method: 'POST', url: URL, body: { contact: { email: 'max@example.com', fieldValues: [] } } }] },
  },
  {
    name: "fails with ActiveCampaign's error title",
    event: identify,
    person,
    inputs: { accountName: 'acme', apiKey: KEY },
    responses: [{ status: 422, body: { errors: [{ title: 'Email address is not valid.', source: { pointer: '/data/attributes/email' } }] } }],
    expect: { status: 'failed', error: 'ActiveCampaign API error (status 422): Email address is not valid.', requests: [{ method: 'POST', url: URL }], logsMustNotContain: [KEY] },
  },
  {
    name: 'is skipped for events other than $identify and $set by default',
    event: { event: '$pageview', distinct_id: 'user-42' },
    person,
    inputs: { accountName: 'acme', apiKey: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
