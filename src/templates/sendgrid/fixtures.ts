import type { TemplateFixture } from '../types.js';

const KEY = 'SG.secret-sendgrid-key';
const CONTACTS = 'https://api.sendgrid.com/v3/marketing/contacts';
const FIELDS = 'https://api.sendgrid.com/v3/marketing/field_definitions';
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const person = { id: 'p1', properties: { email: 'max@example.com', first_name: 'Max', last_name: 'Hedgehog', country: 'DE', plan: 'pro' } };
const definitions = { status: 200, body: { custom_fields: [{ id: 'e1_T', name: 'plan', field_type: 'Text' }, { id: 'e2_N', name: 'seats', field_type: 'Number' }] } };

// PostHog's test inputs. Its tests run the code without filters; here the event is $identify so that the
// default filter lets it through (the requests do not depend on the event).
const phInputs = { api_key: 'API_KEY', email: 'example@posthog.com', properties: { last_name: 'example' } };
const phEvent = { uuid: 'event-id', event: '$identify', distinct_id: 'distinct-id', timestamp: '2024-01-01T00:00:00Z', properties: { $current_url: 'https://example.com' } };
const phPerson = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const phHeaders = { authorization: 'Bearer API_KEY', 'content-type': 'application/json' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: upserts the contact',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    expect: {
      requests: [{ method: 'PUT', url: CONTACTS, headers: phHeaders, body: { contacts: [{ email: 'example@posthog.com', last_name: 'example' }] } }],
      logsMustNotContain: ['API_KEY'],
    },
  },
  {
    name: 'PostHog: leaves out empty properties',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: { ...phInputs, properties: { last_name: 'included', first_name: '', other: null } },
    expect: { requests: [{ method: 'PUT', url: CONTACTS, body: { contacts: [{ email: 'example@posthog.com', last_name: 'included' }] } }] },
  },
  {
    name: 'PostHog: looks up custom fields by name and sends them by id',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: { ...phInputs, custom_fields: { custom_field: 'custom_value' } },
    responses: [
      { status: 200, body: { custom_fields: [{ id: 'id7', name: 'custom_field' }] } },
      { status: 200, body: { custom_fields: [{ id: 'id7', name: 'custom_field' }] } },
    ],
    expect: {
      requests: [
        { method: 'GET', url: FIELDS, headers: phHeaders },
        {
          method: 'PUT',
          url: CONTACTS,
          headers: phHeaders,
          body: { contacts: [{ email: 'example@posthog.com', last_name: 'example', custom_fields: { id7: 'custom_value' } }] },
        },
      ],
    },
  },
  {
    name: 'upserts the contact with custom fields into the given lists',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY, list_ids: 'list-a, list-b', custom_fields: { plan: '{person.properties.plan}', seats: '{person.properties.seats}', e3_T: 'kept by id' } },
    responses: [{ ...definitions, body: { custom_fields: [...definitions.body.custom_fields, { id: 'e3_T', name: 'source', field_type: 'Text' }] } }, { status: 202, body: { job_id: 'job-1' } }],
    expect: {
      requests: [
        { method: 'GET', url: FIELDS, headers },
        {
          method: 'PUT',
          url: CONTACTS,
          headers,
          body: {
            contacts: [{ email: 'max@example.com', first_name: 'Max', last_name: 'Hedgehog', country: 'DE', custom_fields: { e1_T: 'pro', e3_T: 'kept by id' } }],
            list_ids: ['list-a', 'list-b'],
          },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'makes one request without custom fields, and sends no list_ids when none are configured',
    event: { event: '$identify', distinct_id: 'u1' },
    person: { id: 'p1', properties: { email: 'anon@example.com' } },
    inputs: { api_key: KEY },
    responses: [{ status: 202, body: { job_id: 'job-2' } }],
    expect: { requests: [{ method: 'PUT', url: CONTACTS, body: { contacts: [{ email: 'anon@example.com' }] } }] },
  },
  {
    name: 'fails clearly when the custom field definitions cannot be read',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY, custom_fields: { plan: 'pro' } },
    responses: [{ status: 403, body: { errors: [{ field: null, message: 'access forbidden' }] } }],
    expect: { status: 'failed', error: 'SendGrid API error (status 403) while reading the custom field definitions', requests: [{ method: 'GET', url: FIELDS }], logsMustNotContain: [KEY] },
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
      requests: [{ method: 'PUT', url: CONTACTS }],
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
    name: 'is skipped for events other than $identify',
    event: { event: '$set', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
