import type { TemplateFixture } from '../types.js';

const KEY = 'sk_clearbit_secret_key';
const URL = 'https://person-stream.clearbit.com/v2/combined/find?email=example@posthog.com';
const FOUND = {
  person: { id: '1234', name: { fullName: 'Max the Hedgehog', givenName: 'Max', familyName: 'the Hedgehog' }, email: 'max@posthog.com' },
  company: { id: '1234', name: 'PostHog', legalName: 'PostHog Inc.', domain: 'posthog.com' },
};

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: looks the person up by email',
    posthog: true,
    event: { event: '$pageview', distinct_id: 'distinct-id' },
    person: { id: 'p1', properties: {} },
    inputs: { api_key: 'API_KEY', email: 'example@posthog.com' },
    responses: [{ status: 200, body: FOUND }],
    expect: { requests: [{ method: 'GET', url: URL, headers: { authorization: 'Bearer API_KEY' } }] },
  },
  {
    // An empty email is refused when saved: it comes empty from its template here.
    name: 'PostHog: does not look up when the email is empty',
    posthog: true,
    event: { event: '$pageview', distinct_id: 'distinct-id' },
    person: { id: 'p1', properties: {} },
    inputs: { api_key: 'API_KEY', email: '{person.properties.email}' },
    expect: { requests: [] },
  },
  {
    name: 'PostHog: does not look up a person already enriched',
    posthog: true,
    event: { event: '$pageview', distinct_id: 'distinct-id' },
    person: { id: 'p1', properties: { clearbit_enriched: true } },
    inputs: { api_key: 'API_KEY', email: 'example@posthog.com' },
    expect: { requests: [] },
  },
  {
    name: 'PostHog: captures nothing when Clearbit returns no person',
    posthog: true,
    event: { event: '$pageview', distinct_id: 'distinct-id' },
    person: { id: 'p1', properties: {} },
    inputs: { api_key: 'API_KEY', email: 'example@posthog.com' },
    responses: [{ status: 200, body: {} }],
    expect: { requests: [{ method: 'GET', url: URL }] },
  },
  {
    name: 'reads the email from the person by default and encodes a +',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person: { id: 'p1', properties: { email: 'max+news@posthog.com' } },
    inputs: { api_key: KEY },
    responses: [{ status: 200, body: FOUND }],
    expect: {
      requests: [
        {
          method: 'GET',
          url: 'https://person-stream.clearbit.com/v2/combined/find?email=max%2Bnews@posthog.com',
          headers: { authorization: `Bearer ${KEY}` },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'does not look up on $set events (the enrichment itself is one)',
    event: { event: '$set', distinct_id: 'u1' },
    person: { id: 'p1', properties: { email: 'example@posthog.com' } },
    inputs: { api_key: KEY },
    expect: { requests: [] },
  },
  {
    name: 'a 404 (nobody known with this email) is not an error',
    event: { event: '$identify', distinct_id: 'u1' },
    person: { id: 'p1', properties: { email: 'example@posthog.com' } },
    inputs: { api_key: KEY },
    responses: [{ status: 404, body: { error: { type: 'unknown_record', message: 'Unknown email address' } } }],
    expect: { requests: [{ method: 'GET', url: URL }], logsMustNotContain: [KEY] },
  },
  {
    name: 'fails clearly when Clearbit rejects the key',
    event: { event: '$identify', distinct_id: 'u1' },
    person: { id: 'p1', properties: { email: 'example@posthog.com' } },
    inputs: { api_key: KEY },
    responses: [{ status: 401, body: { error: { type: 'auth_required', message: 'API key is invalid' } } }],
    expect: {
      status: 'failed',
      error: 'Clearbit API error (status 401): API key is invalid',
      requests: [{ method: 'GET', url: URL }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'looks up a personless event when the email comes from the event',
    event: { event: 'signed_up', distinct_id: 'u1', properties: { email: 'example@posthog.com' } },
    person: null,
    inputs: { api_key: KEY, email: '{event.properties.email}' },
    responses: [{ status: 202, body: {} }],
    expect: { requests: [{ method: 'GET', url: URL }], logsMustNotContain: [KEY] },
  },
];
