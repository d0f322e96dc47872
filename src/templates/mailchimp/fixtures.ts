import type { TemplateFixture } from '../types.js';

const MEMBER = 'https://us1.api.mailchimp.com/3.0/lists/a1b2c3/members/12d91149f17f7ac265e833ea05ef6249';
const phHeaders = { authorization: 'Bearer abcdef', 'content-type': 'application/json' };
const phInputs = {
  apiKey: 'abcdef',
  audienceId: 'a1b2c3',
  dataCenterId: 'us1',
  email: 'max@posthog.com',
  include_all_properties: false,
  doubleOptIn: false,
  properties: { FNAME: 'Max', LNAME: 'AI', COMPANY: 'PostHog' },
};
const person = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const at = (event: string, properties: Record<string, unknown> = { $current_url: 'https://example.com' }) => ({
  event,
  distinct_id: 'distinct-id',
  timestamp: '2024-01-01T00:00:00Z',
  properties,
});
const lookup = { method: 'GET', url: MEMBER, headers: phHeaders };
const put = (body: Record<string, unknown>, url = MEMBER, headers: Record<string, string> = phHeaders) => ({ method: 'PUT', url, headers, body });
const phMember = (overrides: Record<string, unknown> = {}) => ({
  email_address: 'max@posthog.com',
  status_if_new: 'subscribed',
  merge_fields: { FNAME: 'Max', LNAME: 'AI', COMPANY: 'PostHog' },
  ...overrides,
});

const KEY = '0123456789abcdef0123456789abcdef-us21';

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: looks the member up by the hash of its email, then adds or updates it',
    posthog: true,
    event: at('$identify'),
    person,
    inputs: phInputs,
    expect: { requests: [lookup, put(phMember())], logsMustNotContain: ['abcdef'] },
  },
  {
    name: 'PostHog: leaves event properties out when include_all_properties is off',
    posthog: true,
    event: at('$set', { PHONE: '+1415000000' }),
    person,
    inputs: { ...phInputs, include_all_properties: false },
    expect: { requests: [lookup, put(phMember())] },
  },
  {
    name: 'PostHog: adds event properties as merge fields when include_all_properties is on',
    posthog: true,
    event: at('$set', { PHONE: '+1415000000' }),
    person,
    inputs: { ...phInputs, include_all_properties: true },
    expect: { requests: [lookup, put(phMember({ merge_fields: { FNAME: 'Max', LNAME: 'AI', COMPANY: 'PostHog', PHONE: '+1415000000' } }))] },
  },
  {
    name: 'PostHog: new members are subscribed without double opt-in',
    posthog: true,
    event: at('$identify'),
    person,
    inputs: { ...phInputs, doubleOptIn: false },
    responses: [{ status: 404, body: { title: 'Resource Not Found' } }],
    expect: { requests: [lookup, put(phMember({ status_if_new: 'subscribed' }))] },
  },
  {
    name: 'PostHog: new members are pending with double opt-in',
    posthog: true,
    event: at('$identify'),
    person,
    inputs: { ...phInputs, doubleOptIn: true },
    responses: [{ status: 404, body: { title: 'Resource Not Found' } }],
    expect: { requests: [lookup, put(phMember({ status_if_new: 'pending' }))] },
  },
  {
    name: 'PostHog: skips when the email is empty',
    posthog: true,
    event: at('$identify'),
    // An empty required input is refused when saved, so the emptiness comes from the person.
    person: { id: 'person-id', properties: { email: '' } },
    inputs: { ...phInputs, email: '{person.properties.email}' },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'reads the datacenter from the API key when no data center ID is set, with the default merge fields',
    event: at('$identify'),
    person: { id: 'p1', properties: { email: 'Max@Example.com', firstname: 'Max' } },
    inputs: { apiKey: KEY, audienceId: 'list9' },
    responses: [{ status: 200, body: { status: 'subscribed' } }],
    expect: {
      requests: [
        // Mailchimp hashes the lower-cased email; the address itself is sent as given.
        { method: 'GET', url: 'https://us21.api.mailchimp.com/3.0/lists/list9/members/27f10ba42a2d1737f88318bdcfca0e62', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' } },
        put(
          { email_address: 'Max@Example.com', status_if_new: 'subscribed', merge_fields: { FNAME: 'Max' } },
          'https://us21.api.mailchimp.com/3.0/lists/list9/members/27f10ba42a2d1737f88318bdcfca0e62',
          { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        ),
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'fails before any request without a data center ID or an API key that ends with one',
    event: at('$identify'),
    person,
    inputs: { apiKey: 'no-datacenter-suffix-', audienceId: 'list9' },
    expect: { status: 'failed', error: 'Mailchimp: set the data center ID', requests: [] },
  },
  {
    name: 'fails when the lookup is refused, without writing',
    event: at('$identify'),
    person,
    inputs: phInputs,
    responses: [{ status: 401, body: { title: 'API Key Invalid', detail: 'Your API key may be invalid, or you have attempted to access the wrong datacenter.' } }],
    expect: {
      status: 'failed',
      error: 'Mailchimp API error (status 401): API Key Invalid: Your API key may be invalid',
      requests: [lookup],
      logsMustNotContain: ['abcdef'],
    },
  },
  {
    name: 'fails with the status of the write when the write fails',
    event: at('$identify'),
    person,
    inputs: phInputs,
    responses: [
      { status: 404, body: { title: 'Resource Not Found' } },
      { status: 400, body: { title: 'Member Exists', detail: 'max@posthog.com looks fake or invalid, please enter a real email address.' } },
    ],
    expect: {
      status: 'failed',
      error: 'Mailchimp API error (status 400): Member Exists: max@posthog.com looks fake',
      requests: [lookup, { method: 'PUT', url: MEMBER }],
    },
  },
  {
    name: 'is skipped for events other than $identify and $set',
    event: at('$pageview'),
    person,
    inputs: phInputs,
    expect: { status: 'skipped', requests: [] },
  },
];
