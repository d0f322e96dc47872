import type { TemplateFixture } from '../types.js';

const INSTANCE = 'https://example.my.salesforce.com';
const URL = `${INSTANCE}/services/data/v61.0/sobjects/Contact`;
const headers = { authorization: 'Bearer oauth-1234', 'content-type': 'application/json' };
// PostHog's connected account {instance_url, access_token} is two inputs here.
const account = { oauth: 'oauth-1234', instance_url: INSTANCE };
const event = { event: '$identify', distinct_id: 'distinct-id', properties: { $current_url: 'https://example.com' } };
const person = { id: 'p1', properties: { email: 'example@posthog.com' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: creates the object with the given fields',
    posthog: true,
    event,
    person,
    inputs: { ...account, path: 'Contact', properties: { foo: 'bar' } },
    responses: [{ status: 201, body: { id: '003xx000004TmiQAAS', success: true, errors: [] } }],
    expect: { requests: [{ method: 'POST', url: URL, headers, body: { foo: 'bar' } }], logsMustNotContain: ['oauth-1234'] },
  },
  {
    name: 'PostHog: adds all event properties',
    posthog: true,
    event,
    person,
    inputs: { ...account, path: 'Contact', properties: { foo: 'bar' }, include_all_event_properties: true },
    expect: { requests: [{ method: 'POST', url: URL, headers, body: { $current_url: 'https://example.com', foo: 'bar' } }] },
  },
  {
    name: 'PostHog: adds all person properties',
    posthog: true,
    event,
    person,
    inputs: { ...account, path: 'Contact', properties: { foo: 'bar' }, include_all_person_properties: true },
    expect: { requests: [{ method: 'POST', url: URL, headers, body: { email: 'example@posthog.com', foo: 'bar' } }] },
  },
  {
    name: 'sends the default fields, with the elements chain among all event properties',
    event: { ...event, elements_chain: 'a:href="/signup"' },
    person,
    inputs: { ...account, instance_url: `${INSTANCE}/`, include_all_event_properties: true },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: { $elements_chain: 'a:href="/signup"', $current_url: 'https://example.com', email: 'example@posthog.com' },
        },
      ],
    },
  },
  {
    name: 'exchanges the refresh token for an access token first',
    event,
    person,
    inputs: { instance_url: INSTANCE, refresh_token: '5Aep861-refresh', client_id: '3MVG9-key', client_secret: 'sf-consumer-secret' },
    responses: [{ status: 200, body: { access_token: '00Dxx!fresh-token', instance_url: INSTANCE, token_type: 'Bearer' } }, { status: 201, body: { id: '003', success: true } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: `${INSTANCE}/services/oauth2/token`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=refresh_token&client_id=3MVG9-key&refresh_token=5Aep861-refresh&client_secret=sf-consumer-secret',
        },
        { method: 'POST', url: URL, headers: { authorization: 'Bearer 00Dxx!fresh-token', 'content-type': 'application/json' }, body: { email: 'example@posthog.com' } },
      ],
      logsMustNotContain: ['5Aep861-refresh', 'sf-consumer-secret', '00Dxx!fresh-token'],
    },
  },
  {
    name: 'fails with the error Salesforce gives',
    event,
    person,
    inputs: { ...account },
    responses: [{ status: 400, body: [{ message: 'Required fields are missing: [LastName]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] }] }],
    expect: {
      status: 'failed',
      error: 'Salesforce API error (status 400) creating Contact: REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: ['oauth-1234'],
    },
  },
  {
    name: 'fails before any request when a templated part of the path is empty',
    event,
    person,
    inputs: { ...account, path: 'Contact/{person.properties.salesforce_id}' },
    expect: { status: 'failed', error: 'has an empty part', requests: [] },
  },
  {
    name: 'fails when there is neither an access token nor a refresh token',
    event,
    person,
    inputs: { instance_url: INSTANCE },
    expect: { status: 'failed', error: 'Salesforce: set an access token', requests: [] },
  },
  {
    name: 'is skipped for events other than $identify',
    event: { event: '$pageview', distinct_id: 'distinct-id' },
    person,
    inputs: { ...account },
    expect: { status: 'skipped', requests: [] },
  },
];
