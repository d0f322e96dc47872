import type { TemplateFixture } from '../types.js';

const KEY = 'loops-secret-api-key';
const headers = { 'content-type': 'application/json', authorization: `Bearer ${KEY}` };
const person = { id: 'p1', properties: { email: 'max@example.com', firstname: 'Max', plan: 'pro' } };
const URL = 'https://app.loops.so/api/v1/contacts/update';

// PostHog's test inputs. Its tests run the code without filters; here the event is $identify so that the
// default filters let it through (the request does not depend on the event name).
const PH_KEY = '1cac089e00a708680bdb1ed9f082d5bf';
const PH_PERSON_ID = 'c44562aa-c649-426a-a9d4-093fef0c2a4a';
const phInputs = { apiKey: PH_KEY, email: 'max@posthog.com', include_all_properties: false, properties: { firstName: 'Max', lastName: 'AI' } };
const phEvent = { uuid: 'event-id', event: '$identify', distinct_id: 'distinct-id', timestamp: '2024-01-01T00:00:00Z', properties: { $current_url: 'https://example.com' } };
const phHeaders = { 'content-type': 'application/json', authorization: `Bearer ${PH_KEY}` };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: updates the contact',
    posthog: true,
    event: phEvent,
    person: { id: PH_PERSON_ID, properties: { name: 'Max', company: 'PostHog' } },
    inputs: phInputs,
    expect: {
      requests: [{ method: 'POST', url: URL, headers: phHeaders, body: { email: 'max@posthog.com', userId: PH_PERSON_ID, firstName: 'Max', lastName: 'AI' } }],
      logsMustNotContain: [PH_KEY],
    },
  },
  {
    name: 'PostHog: includes all person properties when asked',
    posthog: true,
    event: phEvent,
    person: { id: PH_PERSON_ID, properties: { company: 'PostHog' } },
    inputs: { ...phInputs, include_all_properties: true },
    expect: {
      requests: [
        { method: 'POST', url: URL, headers: phHeaders, body: { email: 'max@posthog.com', userId: PH_PERSON_ID, company: 'PostHog', firstName: 'Max', lastName: 'AI' } },
      ],
    },
  },
  {
    // A required input cannot be saved empty here, so the email is a template that renders empty.
    name: 'PostHog: skips the request when the email is empty',
    posthog: true,
    event: phEvent,
    person: { id: 'person-id', properties: {} },
    inputs: { ...phInputs, email: '{person.properties.email}' },
    expect: { requests: [] },
  },
  {
    name: 'updates (or creates) the contact with the default mapping',
    event: { event: '$identify', distinct_id: 'user-42' },
    person,
    inputs: { apiKey: KEY },
    responses: [{ status: 200, body: { success: true, id: 'cll6b3i8901a9jx0oyktl2m4u' } }],
    expect: {
      requests: [{ method: 'POST', url: URL, headers, body: { email: 'max@example.com', userId: 'p1', firstName: 'Max' } }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'fails clearly when Loops answers success: false',
    event: { event: '$set', distinct_id: 'user-42' },
    person,
    inputs: { apiKey: KEY },
    responses: [{ status: 200, body: { success: false, message: 'Invalid contact property: plan' } }],
    expect: {
      status: 'failed',
      error: 'Loops API error (status 200): Invalid contact property: plan',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'succeeds on a 200 whose body has no success field',
    event: { event: '$set', distinct_id: 'user-42' },
    person,
    inputs: { apiKey: KEY },
    responses: [{ status: 200, body: { id: 'cll6b3i8901a9jx0oyktl2m4u' } }],
    expect: { requests: [{ method: 'POST', url: URL }] },
  },
  {
    name: 'fails clearly on an invalid key',
    event: { event: '$identify', distinct_id: 'user-42' },
    person,
    inputs: { apiKey: KEY },
    responses: [{ status: 401, body: { success: false, message: 'Invalid API key' } }],
    expect: { status: 'failed', error: 'Loops API error (status 401): Invalid API key', requests: [{ method: 'POST', url: URL }], logsMustNotContain: [KEY] },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: { event: '$identify', distinct_id: 'user-42' },
    person: { id: 'p1', properties: { firstname: 'Max' } },
    inputs: { apiKey: KEY },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than $identify and $set',
    event: { event: 'signed_up', distinct_id: 'user-42' },
    person,
    inputs: { apiKey: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
