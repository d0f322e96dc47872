import type { TemplateFixture } from '../types.js';

const TOKEN = 'phc_destinationProjectKey123';

const event = {
  event: '$pageview',
  distinct_id: 'user-42',
  uuid: '0190a1b2-0000-7000-8000-0000000000d1',
  timestamp: '2026-01-02T03:04:05.123Z',
  properties: { $current_url: 'https://example.com/', $browser: 'Firefox' },
};

export const fixtures: TemplateFixture[] = [
  {
    name: 'captures a copy of the event on the other instance',
    event,
    inputs: { token: TOKEN, properties: { replicated_from: 'sluice' } },
    responses: [{ status: 200, body: { status: 'Ok' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://us.i.posthog.com/i/v0/e/',
          headers: { 'content-type': 'application/json' },
          body: {
            api_key: TOKEN,
            event: '$pageview',
            distinct_id: 'user-42',
            uuid: '0190a1b2-0000-7000-8000-0000000000d1',
            timestamp: '2026-01-02T03:04:05.123Z',
            properties: { $current_url: 'https://example.com/', $browser: 'Firefox', replicated_from: 'sluice' },
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'sends only the extra properties when told not to include the event’s, to a self-hosted host with a trailing slash',
    event,
    inputs: { token: TOKEN, host: 'https://posthog.internal.example.com/', include_all_properties: false, properties: { env: 'eu' } },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://posthog.internal.example.com/i/v0/e/',
          body: {
            api_key: TOKEN,
            event: '$pageview',
            distinct_id: 'user-42',
            uuid: '0190a1b2-0000-7000-8000-0000000000d1',
            timestamp: '2026-01-02T03:04:05.123Z',
            properties: { env: 'eu' },
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly on an invalid project API key',
    event,
    inputs: { token: TOKEN },
    responses: [{ status: 401, body: { type: 'authentication_error', code: 'invalid_api_key', detail: 'Project API key invalid. You can find your project API key in PostHog project settings.', attr: null } }],
    expect: {
      status: 'failed',
      error: 'PostHog API error (status 401): Project API key invalid',
      requests: [{ method: 'POST', url: 'https://us.i.posthog.com/i/v0/e/' }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'is skipped for $feature_flag_called by default',
    event: { event: '$feature_flag_called', distinct_id: 'user-42' },
    inputs: { token: TOKEN },
    expect: { status: 'skipped', requests: [] },
  },
];
