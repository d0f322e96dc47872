import type { TemplateFixture } from '../types.js';

const KEY = 'R0UT1NGK3Ysluice0000000000000042';
const PH_KEY = 'abcdef0123456789abcdef0123456789';
const US = 'https://events.pagerduty.com/v2/enqueue';
const EU = 'https://events.eu.pagerduty.com/v2/enqueue';
const UUID = '0190a1b2-0000-7000-8000-000000000006';
const exception = {
  event: '$exception',
  distinct_id: 'u1',
  uuid: UUID,
  timestamp: '2026-01-02T03:04:05.000Z',
  properties: {
    $exception_message: 'TypeError: x is undefined',
    $exception_fingerprint: 'fp-123',
    $current_url: 'https://app.example.com/checkout',
  },
};
const person = { id: 'p1', properties: { email: 'max@example.com' } };
const headers = { 'content-type': 'application/json' };
const accepted = { status: 'success', message: 'Event processed', dedup_key: 'posthog-alert-1' };

// The inputs PostHog's own tests use.
const phInputs = {
  routing_key: PH_KEY,
  event_action: 'trigger',
  dedup_key: 'posthog-alert-1',
  summary: 'Log alert Checkout errors is firing',
  source: 'My project',
  severity: 'critical',
  component: 'logs alert',
  event_class: 'firing',
  custom_details: { threshold: 100 },
  links: [{ href: 'https://example.com/alert', text: 'View alert' }],
};
const phBody = {
  routing_key: PH_KEY,
  event_action: 'trigger',
  dedup_key: 'posthog-alert-1',
  payload: {
    summary: 'Log alert Checkout errors is firing',
    source: 'My project',
    severity: 'critical',
    component: 'logs alert',
    class: 'firing',
    custom_details: { threshold: 100 },
  },
  client: 'PostHog',
  links: [{ href: 'https://example.com/alert', text: 'View alert' }],
};

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: sends a trigger as an Events API v2 event',
    posthog: true,
    event: exception,
    person,
    inputs: phInputs,
    responses: [{ status: 202, body: accepted }],
    expect: { requests: [{ method: 'POST', url: US, headers, body: phBody }], logsMustNotContain: [PH_KEY] },
  },
  {
    name: 'PostHog: leaves empty optional fields out of a trigger',
    posthog: true,
    event: exception,
    person,
    inputs: { ...phInputs, dedup_key: '', component: '', event_class: '', custom_details: {}, links: [] },
    responses: [{ status: 202, body: accepted }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: US,
          headers,
          body: {
            routing_key: PH_KEY,
            event_action: 'trigger',
            payload: { summary: 'Log alert Checkout errors is firing', source: 'My project', severity: 'critical' },
            client: 'PostHog',
          },
        },
      ],
    },
  },
  ...['resolve', 'acknowledge'].map(
    (action): TemplateFixture => ({
      name: `PostHog: sends only the key fields to ${action}`,
      posthog: true,
      event: exception,
      person,
      inputs: { ...phInputs, event_action: action },
      responses: [{ status: 202, body: accepted }],
      expect: { requests: [{ method: 'POST', url: US, headers, body: { routing_key: PH_KEY, event_action: action, dedup_key: 'posthog-alert-1' } }] },
    }),
  ),
  ...['resolve', 'acknowledge'].map(
    (action): TemplateFixture => ({
      name: `PostHog: needs a dedup key to ${action}, and sends nothing without one`,
      posthog: true,
      event: exception,
      person,
      inputs: { ...phInputs, event_action: action, dedup_key: '' },
      expect: { status: 'failed', error: `PagerDuty: a dedup key is needed to ${action} an incident`, requests: [] },
    }),
  ),
  ...([
    ['the event property when it is set', { source: 'checkout-api' }, 'checkout-api'],
    ['the project name when the event property is missing', {}, 'Test project'],
  ] as const).map(
    ([what, properties, expected]): TemplateFixture => {
      const { source: _omitted, ...withoutSource } = phInputs;
      return {
        name: `PostHog: takes the source from ${what}`,
        posthog: true,
        event: { ...exception, properties },
        person,
        inputs: withoutSource,
        responses: [{ status: 202, body: accepted }],
        expect: { requests: [{ method: 'POST', url: US, headers, body: { ...phBody, payload: { ...phBody.payload, source: expected } } }] },
      };
    },
  ),
  ...([
    ['us', US],
    ['eu', EU],
  ] as const).map(
    ([region, url]): TemplateFixture => ({
      name: `PostHog: posts to the ${region} endpoint`,
      posthog: true,
      event: exception,
      person,
      inputs: { ...phInputs, region },
      responses: [{ status: 202, body: accepted }],
      expect: { requests: [{ method: 'POST', url, headers, body: phBody }] },
    }),
  ),
  {
    name: 'PostHog: cuts the summary to 1024 characters',
    posthog: true,
    event: exception,
    person,
    inputs: { ...phInputs, summary: 'x'.repeat(1100) },
    responses: [{ status: 202, body: accepted }],
    expect: { requests: [{ method: 'POST', url: US, headers, body: { ...phBody, payload: { ...phBody.payload, summary: 'x'.repeat(1024) } } }] },
  },
  ...[400, 302].map(
    (status): TemplateFixture => ({
      name: `PostHog: fails when PagerDuty answers ${status}`,
      posthog: true,
      event: exception,
      person,
      inputs: phInputs,
      responses: [{ status, body: { status: 'invalid event', message: 'Event object is invalid' } }],
      expect: { status: 'failed', error: `PagerDuty API error (status ${status}): Event object is invalid`, requests: [{ method: 'POST', url: US }], logsMustNotContain: [PH_KEY] },
    }),
  ),
  {
    name: 'triggers with the defaults: the event and person as details and a link to the event',
    event: exception,
    person,
    inputs: { routing_key: KEY, dedup_key: '{event.properties.$exception_fingerprint}' },
    responses: [{ status: 202, body: accepted }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: US,
          headers,
          body: {
            routing_key: KEY,
            event_action: 'trigger',
            dedup_key: 'fp-123',
            payload: {
              summary: '$exception by max@example.com',
              source: 'Test project',
              severity: 'error',
              custom_details: {
                event: {
                  uuid: UUID,
                  event: '$exception',
                  name: '$exception',
                  distinct_id: 'u1',
                  properties: exception.properties,
                  timestamp: '2026-01-02T03:04:05.000Z',
                  elements_chain: '',
                  url: `http://localhost:8040/projects/1/events/${UUID}`,
                },
                person: {
                  id: 'p1',
                  uuid: 'p1',
                  name: 'max@example.com',
                  properties: { email: 'max@example.com' },
                  url: 'http://localhost:8040/projects/1/persons/p1',
                },
              },
            },
            client: 'PostHog',
            links: [{ href: `http://localhost:8040/projects/1/events/${UUID}`, text: 'View event in PostHog' }],
          },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'sends a group and timestamp, and turns links given as a dictionary into a list',
    event: exception,
    person: null,
    inputs: {
      routing_key: KEY,
      region: 'eu',
      group: 'web',
      timestamp: '{event.timestamp}',
      custom_details: null,
      links: { 'Event in Sluice': '{event.url}', Empty: '' },
    },
    responses: [{ status: 202, body: accepted }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: EU,
          headers,
          body: {
            routing_key: KEY,
            event_action: 'trigger',
            payload: { summary: '$exception by ', source: 'Test project', severity: 'error', timestamp: '2026-01-02T03:04:05.000Z', group: 'web' },
            client: 'PostHog',
            links: [{ href: `http://localhost:8040/projects/1/events/${UUID}`, text: 'Event in Sluice' }],
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly on an invalid event (400 with errors)',
    event: exception,
    person,
    inputs: { routing_key: KEY },
    responses: [{ status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors: ["'routing_key' is invalid"] } }],
    expect: {
      status: 'failed',
      error: "PagerDuty API error (status 400): Event object is invalid: ",
      requests: [{ method: 'POST', url: US }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'fails clearly when rate-limited (429)',
    event: exception,
    person,
    inputs: { routing_key: KEY },
    responses: [{ status: 429, body: 'Too Many Requests' }],
    expect: { status: 'failed', error: 'PagerDuty API error (status 429): Too Many Requests', requests: [{ method: 'POST', url: US }] },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { ...exception, event: '$pageview' },
    person,
    inputs: { routing_key: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
