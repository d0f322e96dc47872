import type { TemplateFixture } from '../types.js';

const KEY = 're_secret_resend_key';
const URL = 'https://api.resend.com/emails';
const person = { id: 'p1', properties: { email: 'max@example.com', name: 'Max' } };
const inputs = {
  api_key: KEY,
  to: '{person.properties.email}',
  from: 'Hedgehog HQ <hello@example.org>',
  subject: 'Welcome, {person.properties.name}',
  text: '',
  html: '<p>Hi {person.properties.name}</p>',
};

// PostHog's test inputs. Its tests run the code without filters; here the event is signed_up so that the
// default filter lets it through (the request does not depend on the event).
const phInputs = {
  api_key: 're_test_key',
  from: 'Alerts <alerts@example.com>',
  to: 'one@example.com, two@example.com,',
  subject: 'New issue: TypeError',
  text: 'Cannot read properties of undefined',
  html: '',
  reply_to: '',
};
const phEvent = { uuid: 'event-id', event: 'signed_up', distinct_id: 'distinct-id', timestamp: '2024-01-01T00:00:00Z', properties: { $current_url: 'https://example.com' } };
const phPerson = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const phBody = { from: 'Alerts <alerts@example.com>', to: ['one@example.com', 'two@example.com'], subject: 'New issue: TypeError', text: 'Cannot read properties of undefined' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: sends the email to every listed recipient',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 200, body: { id: 'email-id' } }],
    expect: {
      requests: [{ method: 'POST', url: URL, headers: { authorization: 'Bearer re_test_key', 'content-type': 'application/json' }, body: phBody }],
      logsMustNotContain: ['re_test_key'],
    },
  },
  {
    name: 'PostHog: includes the optional HTML body and reply-to address',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: { ...phInputs, html: '<p>Hello</p>', reply_to: 'team@example.com' },
    expect: { requests: [{ method: 'POST', url: URL, body: { ...phBody, html: '<p>Hello</p>', reply_to: 'team@example.com' } }] },
  },
  {
    // PostHog fails here; Sluice skips with a log line, as it does for every missing recipient. No request either way.
    name: 'PostHog: sends nothing when there is no recipient',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: { ...phInputs, to: ' , ' },
    expect: { requests: [] },
  },
  {
    name: 'PostHog: fails without a request when there is no body',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: { ...phInputs, text: '', html: '' },
    expect: { status: 'failed', error: 'neither a text nor an HTML body', requests: [] },
  },
  {
    name: 'PostHog: fails when Resend rejects the email',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 403, body: { message: 'The domain is not verified' } }],
    expect: { status: 'failed', error: 'Resend API error (status 403): The domain is not verified', requests: [{ method: 'POST', url: URL }], logsMustNotContain: ['re_test_key'] },
  },
  {
    name: 'sends the email to the person',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person,
    inputs,
    responses: [{ status: 200, body: { id: '49a3999c-0ce1-4ea6-ab68-afcd6dc2e794' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: { from: 'Hedgehog HQ <hello@example.org>', to: ['max@example.com'], subject: 'Welcome, Max', html: '<p>Hi Max</p>' },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'sends the default subject and text body',
    event: { event: 'signed_up', distinct_id: 'u1', uuid: '0190a1b2-0000-7000-8000-0000000000e1' },
    person,
    inputs: { api_key: KEY, to: 'a@example.com', from: 'hello@example.org' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          body: {
            from: 'hello@example.org',
            to: ['a@example.com'],
            subject: 'signed_up',
            text: 'signed_up by max@example.com\n\nhttp://localhost:8040/projects/1/events/0190a1b2-0000-7000-8000-0000000000e1',
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly with the error Resend returns',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person,
    inputs,
    responses: [{ status: 422, body: { statusCode: 422, name: 'validation_error', message: 'The example.org domain is not verified.' } }],
    expect: {
      status: 'failed',
      error: 'Resend API error (status 422): validation_error: The example.org domain is not verified.',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person: { id: 'p1', properties: { name: 'Max' } },
    inputs,
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than signed_up',
    event: { event: '$pageview', distinct_id: 'u1' },
    person,
    inputs,
    expect: { status: 'skipped', requests: [] },
  },
];
