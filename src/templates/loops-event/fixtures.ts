import type { TemplateFixture } from '../types.js';

const KEY = 'loops-secret-event-key';
const headers = { 'content-type': 'application/json', authorization: `Bearer ${KEY}` };
const person = { id: 'p1', properties: { email: 'max@example.com' } };
const URL = 'https://app.loops.so/api/v1/events/send';

// PostHog's test inputs. Its tests name the event 'pageview' and run without filters; here it is
// $pageview, the template's default filter, so eventName is '$pageview'.
const PH_KEY = '1cac089e00a708680bdb1ed9f082d5bf';
const PH_PERSON_ID = 'c44562aa-c649-426a-a9d4-093fef0c2a4a';
const phInputs = { apiKey: PH_KEY, email: 'max@posthog.com', include_all_properties: false, properties: { product: 'PostHog' } };
const phEvent = { uuid: 'event-id', event: '$pageview', distinct_id: 'distinct-id', timestamp: '2024-01-01T00:00:00Z', properties: { pathname: '/pricing' } };
const phHeaders = { 'content-type': 'application/json', authorization: `Bearer ${PH_KEY}` };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: sends the event',
    posthog: true,
    event: phEvent,
    person: { id: PH_PERSON_ID, properties: { name: 'Max', company: 'PostHog' } },
    inputs: phInputs,
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: phHeaders,
          body: { email: 'max@posthog.com', userId: PH_PERSON_ID, eventName: '$pageview', eventProperties: { product: 'PostHog' } },
        },
      ],
      logsMustNotContain: [PH_KEY],
    },
  },
  {
    name: 'PostHog: includes all event properties when asked',
    posthog: true,
    event: phEvent,
    person: { id: PH_PERSON_ID, properties: { company: 'PostHog' } },
    inputs: { ...phInputs, include_all_properties: true },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: phHeaders,
          body: { email: 'max@posthog.com', userId: PH_PERSON_ID, eventName: '$pageview', eventProperties: { product: 'PostHog', pathname: '/pricing' } },
        },
      ],
    },
  },
  {
    // A required input cannot be saved empty here, so the email is a template that renders empty.
    name: 'PostHog: skips the request when the email is empty',
    posthog: true,
    event: { ...phEvent, properties: { $current_url: 'https://example.com' } },
    person: { id: 'person-id', properties: {} },
    inputs: { ...phInputs, email: '{person.properties.email}' },
    expect: { requests: [] },
  },
  {
    name: 'sends a page view with the default mapping, leaving out empty values',
    event: { event: '$pageview', distinct_id: 'user-42', properties: { $current_url: 'https://example.com/pricing', $pathname: '/pricing', plan: 'pro' } },
    person,
    inputs: { apiKey: KEY },
    responses: [{ status: 200, body: { success: true } }],
    expect: {
      requests: [{ method: 'POST', url: URL, headers, body: { email: 'max@example.com', userId: 'p1', eventName: '$pageview', eventProperties: { pathname: '/pricing' } } }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'sends an empty eventProperties when nothing is mapped',
    event: { event: '$pageview', distinct_id: 'user-42' },
    person,
    inputs: { apiKey: KEY },
    expect: { requests: [{ method: 'POST', url: URL, headers, body: { email: 'max@example.com', userId: 'p1', eventName: '$pageview', eventProperties: {} } }] },
  },
  {
    name: 'fails clearly when Loops answers success: false',
    event: { event: '$pageview', distinct_id: 'user-42' },
    person,
    inputs: { apiKey: KEY },
    responses: [{ status: 400, body: { success: false, message: 'eventName is required' } }],
    expect: {
      status: 'failed',
      error: 'Loops API error (status 400): eventName is required',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: { event: '$pageview', distinct_id: 'user-42' },
    person: { id: 'p1', properties: {} },
    inputs: { apiKey: KEY },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than $pageview by default',
    event: { event: 'signed_up', distinct_id: 'user-42' },
    person,
    inputs: { apiKey: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
