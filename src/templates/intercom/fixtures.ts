import type { TemplateFixture } from '../types.js';

const headers = (token: string) => ({
  'content-type': 'application/json',
  'intercom-version': '2.11',
  accept: 'application/json',
  authorization: `Bearer ${token}`,
});
const searchFor = (email: string, host = 'api.intercom.io', token = 'ACCESS_TOKEN') => ({
  method: 'POST',
  url: `https://${host}/contacts/search`,
  headers: headers(token),
  body: { query: { field: 'email', operator: '=', value: email } },
});
const phInputs = {
  oauth: { access_token: 'ACCESS_TOKEN', 'app.region': 'US' },
  email: 'max@posthog.com',
  include_all_properties: false,
  properties: { name: 'Max AI', phone: '+1234567890', last_seen_at: '1234567890' },
  customProperties: {},
};
const phContact = { email: 'max@posthog.com', custom_attributes: {}, name: 'Max AI', phone: '+1234567890', last_seen_at: '1234567890' };
const identify = { event: '$identify', distinct_id: 'distinct-id', timestamp: '2024-01-01T00:00:00Z' };
const person = { id: 'person-id', properties: { email: 'example@posthog.com' } };

const TOKEN = 'dG9rOmFjY2Vzcy1zZWNyZXQ=';

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: searches, then creates a contact that does not exist',
    posthog: true,
    event: identify,
    person,
    inputs: phInputs,
    responses: [
      { status: 200, body: { total_count: 0 } },
      { status: 200, body: { id: '1' } },
    ],
    expect: {
      requests: [
        searchFor('max@posthog.com'),
        { method: 'POST', url: 'https://api.intercom.io/contacts', headers: headers('ACCESS_TOKEN'), body: phContact },
      ],
      logsMustNotContain: ['ACCESS_TOKEN'],
    },
  },
  {
    name: 'PostHog: updates the contact when one already exists',
    posthog: true,
    event: identify,
    person,
    inputs: phInputs,
    responses: [{ status: 200, body: { total_count: 1, data: [{ id: '123' }] } }],
    expect: {
      requests: [
        searchFor('max@posthog.com'),
        { method: 'PUT', url: 'https://api.intercom.io/contacts/123', headers: headers('ACCESS_TOKEN'), body: phContact },
      ],
    },
  },
  {
    name: 'PostHog: sends person properties, but not $-prefixed ones, when include_all_properties is on',
    posthog: true,
    event: identify,
    person: { id: 'person-id', properties: { $geoip_country_name: 'United States', plan: 'pay-as-you-go' } },
    inputs: { ...phInputs, include_all_properties: true },
    responses: [{ status: 200, body: { total_count: 0 } }],
    expect: {
      requests: [
        searchFor('max@posthog.com'),
        { method: 'POST', url: 'https://api.intercom.io/contacts', body: { ...phContact, plan: 'pay-as-you-go' } },
      ],
    },
  },
  {
    name: 'PostHog: skips the request when the email is empty',
    posthog: true,
    event: identify,
    // An empty required input is refused when saved, so the emptiness comes from the person.
    person: { id: 'person-id', properties: { email: '' } },
    inputs: { ...phInputs, email: '{person.properties.email}' },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'PostHog: fails when the search fails',
    posthog: true,
    event: identify,
    person,
    inputs: phInputs,
    responses: [{ status: 400, body: { error: 'error' } }],
    expect: { status: 'failed', error: 'Intercom API error (status 400): {"error":"error"}', requests: [searchFor('max@posthog.com')] },
  },
  {
    name: 'PostHog: fails when the write fails',
    posthog: true,
    event: identify,
    person,
    inputs: phInputs,
    responses: [
      { status: 200, body: { total_count: 0 } },
      { status: 400, body: { error: 'error' } },
    ],
    expect: {
      status: 'failed',
      error: 'Intercom API error (status 400): {"error":"error"}',
      requests: [searchFor('max@posthog.com'), { method: 'POST', url: 'https://api.intercom.io/contacts' }],
    },
  },
  {
    name: 'PostHog: fails when the email matches more than one contact',
    posthog: true,
    event: identify,
    person,
    inputs: phInputs,
    responses: [{ status: 200, body: { total_count: 2, data: [{ id: '1' }, { id: '2' }] } }],
    expect: {
      status: 'failed',
      error: 'Intercom: 2 contacts have the email max@posthog.com',
      requests: [searchFor('max@posthog.com')],
    },
  },
  {
    name: 'uses the access token and EU host inputs, with the default attributes and custom attributes',
    event: { event: '$set', distinct_id: 'u1', timestamp: '2024-01-01T00:00:00Z' },
    person: { id: 'p1', properties: { email: 'max@example.com', first_name: 'Max', last_name: 'Hedgehog', plan: 'scale' } },
    inputs: { access_token: TOKEN, host: 'api.eu.intercom.io', customProperties: { plan: '{person.properties.plan}', seats: '{person.properties.seats}' } },
    responses: [{ status: 200, body: { total_count: 1, data: [{ id: 'c9' }] } }],
    expect: {
      requests: [
        searchFor('max@example.com', 'api.eu.intercom.io', TOKEN),
        {
          method: 'PUT',
          url: 'https://api.eu.intercom.io/contacts/c9',
          headers: headers(TOKEN),
          body: { email: 'max@example.com', custom_attributes: { plan: 'scale' }, name: 'Max Hedgehog', last_seen_at: 1704067200 },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: "takes the region from a PostHog connection (app.region 'Europe')",
    event: identify,
    person,
    inputs: { ...phInputs, oauth: { access_token: 'ACCESS_TOKEN', 'app.region': 'Europe' } },
    responses: [{ status: 200, body: { total_count: 0 } }],
    expect: {
      requests: [searchFor('max@posthog.com', 'api.eu.intercom.io'), { method: 'POST', url: 'https://api.eu.intercom.io/contacts' }],
    },
  },
  {
    name: 'reports the message of an Intercom error list',
    event: identify,
    person,
    inputs: phInputs,
    responses: [{ status: 401, body: { type: 'error.list', errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }] } }],
    expect: { status: 'failed', error: 'Intercom API error (status 401): Access Token Invalid', requests: [searchFor('max@posthog.com')], logsMustNotContain: ['ACCESS_TOKEN'] },
  },
  {
    name: 'fails before any request when no token is set',
    event: identify,
    person,
    inputs: { email: 'max@posthog.com' },
    expect: { status: 'failed', error: 'Intercom: no access token', requests: [] },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: identify,
    person: { id: 'p1', properties: { name: 'Max' } },
    inputs: { access_token: TOKEN },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than $identify and $set',
    event: { event: '$pageview', distinct_id: 'u1' },
    person,
    inputs: phInputs,
    expect: { status: 'skipped', requests: [] },
  },
];
