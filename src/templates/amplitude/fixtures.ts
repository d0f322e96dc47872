import type { TemplateFixture } from '../types.js';

const API_KEY = 'amp-key-0123456789abcdef';

const pageview = {
  event: '$pageview',
  distinct_id: 'user-42',
  uuid: '0190a1b2-0000-7000-8000-0000000000a1',
  timestamp: '2026-01-02T03:04:05.123Z',
  properties: { $current_url: 'https://example.com/pricing', $device_id: 'dev-1', $ip: '203.0.113.7' },
};

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends the event to the US HTTP V2 endpoint',
    event: pageview,
    person: { id: 'p1', properties: { email: 'max@example.com', plan: 'pro' } },
    inputs: { api_key: API_KEY },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api2.amplitude.com/2/httpapi',
          headers: { 'content-type': 'application/json', accept: '*/*' },
          body: {
            api_key: API_KEY,
            events: [
              {
                event_type: '$pageview',
                time: 1767323045123,
                insert_id: '0190a1b2-0000-7000-8000-0000000000a1',
                event_properties: pageview.properties,
                user_properties: { email: 'max@example.com', plan: 'pro' },
                user_id: 'user-42',
                device_id: 'dev-1',
                ip: '203.0.113.7',
              },
            ],
            options: { min_id_length: 1 },
          },
        },
      ],
      logsMustNotContain: [API_KEY],
    },
  },
  {
    name: 'uses the EU data center and leaves out empty ids',
    event: { event: 'signed_up', distinct_id: 'user-42', uuid: '0190a1b2-0000-7000-8000-0000000000a2', timestamp: '2026-01-02T03:04:05.000Z' },
    person: { id: 'p1', properties: {} },
    inputs: { api_key: API_KEY, region: 'eu', event_properties: { source: 'sluice' } },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.eu.amplitude.com/2/httpapi',
          body: {
            api_key: API_KEY,
            events: [
              {
                event_type: 'signed_up',
                time: 1767323045000,
                insert_id: '0190a1b2-0000-7000-8000-0000000000a2',
                event_properties: { source: 'sluice' },
                user_properties: {},
                user_id: 'user-42',
              },
            ],
            options: { min_id_length: 1 },
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly when Amplitude answers 400',
    event: pageview,
    inputs: { api_key: API_KEY },
    responses: [{ status: 400, body: { code: 400, error: 'Request missing required field', missing_field: 'api_key' } }],
    expect: {
      status: 'failed',
      error: 'Amplitude API error (status 400): Request missing required field (missing field: api_key)',
      requests: [{ method: 'POST', url: 'https://api2.amplitude.com/2/httpapi' }],
      logsMustNotContain: [API_KEY],
    },
  },
  {
    name: 'redacts the API key when Amplitude echoes it in an error',
    event: pageview,
    inputs: { api_key: API_KEY },
    responses: [{ status: 400, body: { code: 400, error: `Invalid API key: ${API_KEY}` } }],
    expect: { status: 'failed', error: 'Amplitude API error (status 400): Invalid API key: ***', requests: [{ method: 'POST', url: 'https://api2.amplitude.com/2/httpapi' }], logsMustNotContain: [API_KEY] },
  },
  {
    name: 'fails without a request when there is neither a user id nor a device id',
    event: { event: 'signed_up', distinct_id: 'user-42' },
    inputs: { api_key: API_KEY, user_id: '', device_id: '' },
    expect: { status: 'failed', error: 'needs a user id or a device id', requests: [] },
  },
  {
    name: 'is skipped for $feature_flag_called by default',
    event: { event: '$feature_flag_called', distinct_id: 'user-42' },
    inputs: { api_key: API_KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
