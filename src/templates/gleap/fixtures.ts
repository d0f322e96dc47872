import type { TemplateFixture } from '../types.js';

const KEY = 'gleap-api-key-5d4c3b2a';
const URL = 'https://api.gleap.io/admin/identify';

/** The event and person PostHog's template tests run with ($identify, so our default filter passes). */
const phEvent = { event: '$identify', distinct_id: 'distinct-id', uuid: 'event-id', timestamp: '2024-01-01T00:00:00Z', properties: { $current_url: 'https://example.com' } };
const PH_KEY = 'uB6Jymn60NN5EEIWgiUzZx13geVlEx26';
const PH_USER = 'edad9282-25d0-4cf1-af0e-415535ee1161';
const phInputs = { apiKey: PH_KEY, include_all_properties: false, userId: PH_USER, attributes: { name: 'example', email: 'example@posthog.com' } };
const phPaidPerson = { id: 'person-id', properties: { account_status: 'paid', email: 'example@posthog.com' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: identifies the user',
    posthog: true,
    event: phEvent,
    person: { id: 'person-id', properties: { email: 'example@posthog.com' } },
    inputs: phInputs,
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { 'api-token': PH_KEY, 'content-type': 'application/json', 'user-agent': 'Sluice' },
          body: { userId: PH_USER, name: 'example', email: 'example@posthog.com' },
        },
      ],
      logsMustNotContain: [PH_KEY],
    },
  },
  {
    name: 'PostHog: sends only the mapped attributes when include_all_properties is false',
    posthog: true,
    event: phEvent,
    person: phPaidPerson,
    inputs: phInputs,
    expect: { requests: [{ method: 'POST', url: URL, body: { userId: PH_USER, name: 'example', email: 'example@posthog.com' } }] },
  },
  {
    name: 'PostHog: sends the person properties when include_all_properties is true',
    posthog: true,
    event: phEvent,
    person: phPaidPerson,
    inputs: { ...phInputs, include_all_properties: true },
    expect: { requests: [{ method: 'POST', url: URL, body: { userId: PH_USER, email: 'example@posthog.com', account_status: 'paid', name: 'example' } }] },
  },
  {
    name: 'PostHog: skips the request when the user id is empty',
    posthog: true,
    event: phEvent,
    person: { id: 'person-id', properties: { email: 'example@posthog.com' } },
    // Sluice rejects a literal '' for a required input, so the user id is a template that comes out empty.
    inputs: { ...phInputs, userId: '{person.properties.gleap_id}' },
    expect: { requests: [] },
  },
  {
    name: 'PostHog: errors on a non-2xx response',
    posthog: true,
    event: phEvent,
    person: { id: 'person-id', properties: { email: 'example@posthog.com' } },
    inputs: phInputs,
    responses: [{ status: 400, body: { message: 'bad token' } }],
    expect: { status: 'failed', error: 'Gleap API error (status 400): bad token', requests: [{ method: 'POST', url: URL }], logsMustNotContain: [PH_KEY] },
  },
  {
    name: 'identifies the contact by person id with the default mapped fields',
    event: { event: '$identify', distinct_id: 'user-8' },
    person: { id: 'person-8', properties: { email: 'noor@example.com', name: 'Noor', plan: 'pro' } },
    inputs: { apiKey: KEY },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { 'api-token': KEY, 'content-type': 'application/json', 'user-agent': 'Sluice' },
          body: { userId: 'person-8', email: 'noor@example.com', name: 'Noor' },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'adds all person properties but PostHog’s own $ ones when asked',
    event: { event: '$set', distinct_id: 'user-8' },
    person: { id: 'person-8', properties: { email: 'noor@example.com', plan: 'pro', $browser: 'Safari' } },
    inputs: { apiKey: KEY, userId: 'user-8', include_all_properties: true, attributes: { email: '{person.properties.email}', value: 250 } },
    expect: { requests: [{ method: 'POST', url: URL, body: { email: 'noor@example.com', plan: 'pro', userId: 'user-8', value: 250 } }] },
  },
  {
    name: 'fails clearly when Gleap rejects the key',
    event: { event: '$identify', distinct_id: 'user-8' },
    person: { id: 'person-8', properties: {} },
    inputs: { apiKey: KEY },
    responses: [{ status: 401, body: { message: 'Invalid API token' } }],
    expect: { status: 'failed', error: 'Gleap API error (status 401): Invalid API token', requests: [{ method: 'POST', url: URL }], logsMustNotContain: [KEY] },
  },
  {
    name: 'is skipped for events other than $identify and $set by default',
    event: { event: 'purchase', distinct_id: 'user-8' },
    inputs: { apiKey: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
