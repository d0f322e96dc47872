import type { TemplateFixture } from '../types.js';

const INSTANCE = 'https://example.my.salesforce.com';
const URL = `${INSTANCE}/services/data/v61.0/sobjects/Lead/Email/example@posthog.com`;
const headers = { authorization: 'Bearer oauth-1234', 'content-type': 'application/json' };
// PostHog's connected account {instance_url, access_token} is two inputs here.
const account = { oauth: 'oauth-1234', instance_url: INSTANCE };
const event = { event: '$identify', distinct_id: 'distinct-id', properties: { $current_url: 'https://example.com' } };
const person = { id: 'p1', properties: { email: 'example@posthog.com' } };
const path = 'Lead/Email/example@posthog.com';

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: updates the record with the given fields',
    posthog: true,
    event,
    person,
    inputs: { ...account, path, properties: { foo: 'bar' } },
    expect: { requests: [{ method: 'PATCH', url: URL, headers, body: { foo: 'bar' } }], logsMustNotContain: ['oauth-1234'] },
  },
  {
    name: 'PostHog: adds all event properties',
    posthog: true,
    event,
    person,
    inputs: { ...account, path, properties: { foo: 'bar' }, include_all_event_properties: true },
    expect: { requests: [{ method: 'PATCH', url: URL, headers, body: { $current_url: 'https://example.com', foo: 'bar' } }] },
  },
  {
    name: 'PostHog: adds all person properties',
    posthog: true,
    event,
    person,
    inputs: { ...account, path, properties: { foo: 'bar' }, include_all_person_properties: true },
    expect: { requests: [{ method: 'PATCH', url: URL, headers, body: { email: 'example@posthog.com', foo: 'bar' } }] },
  },
  {
    name: 'upserts by email with the default path and fields',
    event: { ...event, properties: { $browser: 'Firefox' } },
    person,
    inputs: { ...account },
    responses: [{ status: 201, body: { id: '00Q', success: true, created: true } }],
    expect: { requests: [{ method: 'PATCH', url: URL, headers, body: { email: 'example@posthog.com', browser: 'Firefox' } }] },
  },
  {
    name: 'fails before any request when the path names no record',
    event,
    person,
    inputs: { ...account, path: 'Lead' },
    expect: { status: 'failed', error: 'names no record', requests: [] },
  },
  {
    name: 'fails before any request when the person has no email for the path',
    event,
    person: { id: 'p1', properties: {} },
    inputs: { ...account },
    expect: { status: 'failed', error: 'has an empty part', requests: [] },
  },
  {
    name: 'fails with the error Salesforce gives',
    event,
    person,
    inputs: { ...account },
    responses: [{ status: 401, body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }] }],
    expect: {
      status: 'failed',
      error: 'Salesforce API error (status 401) updating Lead/Email/example@posthog.com: INVALID_SESSION_ID: Session expired or invalid',
      requests: [{ method: 'PATCH', url: URL }],
      logsMustNotContain: ['oauth-1234'],
    },
  },
];
