import type { TemplateFixture } from '../types.js';

const TOKEN = 'phc_destinationProjectKey123';

// The event PostHog's own tests use.
const phEvent = {
  event: 'event-name',
  distinct_id: 'distinct-id',
  uuid: '0190a1b2-0000-7000-8000-0000000000d0',
  timestamp: '2024-01-01T00:00:00Z',
  properties: { $current_url: 'https://example.com' },
};

const event = {
  event: '$pageview',
  distinct_id: 'user-42',
  uuid: '0190a1b2-0000-7000-8000-0000000000d1',
  timestamp: '2026-01-02T03:04:05.123Z',
  properties: { $current_url: 'https://example.com/', $browser: 'Firefox' },
  elements_chain: 'a.nav:href="/pricing"nth-child="1"',
};

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: copies the event with all its properties and the overrides',
    posthog: true,
    event: phEvent,
    inputs: { host: 'https://us.i.posthog.com', token: 'TOKEN', include_all_properties: true, properties: { additional: 'value' } },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://us.i.posthog.com/e',
          headers: { 'content-type': 'application/json' },
          body: {
            token: 'TOKEN',
            elements_chain: '',
            event: 'event-name',
            timestamp: '2024-01-01T00:00:00Z',
            distinct_id: 'distinct-id',
            properties: { $current_url: 'https://example.com', additional: 'value' },
          },
        },
      ],
    },
  },
  {
    name: 'PostHog: sends only the overrides when all properties are not included',
    posthog: true,
    event: phEvent,
    inputs: { host: 'https://us.i.posthog.com', token: 'TOKEN', include_all_properties: false, properties: { additional: 'value' } },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://us.i.posthog.com/e',
          body: {
            token: 'TOKEN',
            elements_chain: '',
            event: 'event-name',
            timestamp: '2024-01-01T00:00:00Z',
            distinct_id: 'distinct-id',
            properties: { additional: 'value' },
          },
        },
      ],
    },
  },
  {
    name: 'passes the elements chain on, and drops a trailing slash from a self-hosted host',
    event,
    inputs: { token: TOKEN, host: 'https://posthog.internal.example.com/', properties: { replicated_from: 'sluice' } },
    responses: [{ status: 200, body: { status: 1 } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://posthog.internal.example.com/e',
          headers: { 'content-type': 'application/json' },
          body: {
            token: TOKEN,
            event: '$pageview',
            timestamp: '2026-01-02T03:04:05.123Z',
            distinct_id: 'user-42',
            elements_chain: 'a.nav:href="/pricing"nth-child="1"',
            properties: { $current_url: 'https://example.com/', $browser: 'Firefox', replicated_from: 'sluice' },
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly when the receiving instance refuses the event',
    event,
    inputs: { token: TOKEN },
    responses: [{ status: 401, body: { type: 'authentication_error', code: 'invalid_api_key', detail: 'Project API key invalid.', attr: null } }],
    expect: {
      status: 'failed',
      error: 'PostHog replicator: the receiving instance answered 401: Project API key invalid.',
      requests: [{ method: 'POST', url: 'https://us.i.posthog.com/e' }],
    },
  },
  {
    name: 'fails before sending when the host is only a slash',
    event,
    inputs: { token: TOKEN, host: '/' },
    expect: { status: 'failed', error: 'set the host of the receiving instance', requests: [] },
  },
  {
    name: 'is skipped for $feature_flag_called by default',
    event: { event: '$feature_flag_called', distinct_id: 'user-42' },
    inputs: { token: TOKEN },
    expect: { status: 'skipped', requests: [] },
  },
];
