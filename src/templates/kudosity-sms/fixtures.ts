import type { TemplateFixture } from '../types.js';

const API_KEY = 'test_api_key_123';
const URL = 'https://api.transmitmessage.com/v2/sms';
const headers = { 'x-api-key': API_KEY, 'content-type': 'application/json' };
const alert = {
  event: '$insight_alert_firing',
  distinct_id: 'alerts',
  properties: { insight_name: 'API Error Rate', current_value: 156, threshold_value: 100, alert_id: 'alert-123' },
};
const inputs = {
  api_key: API_KEY,
  sender: 'Alerts',
  recipient: '+15555551234',
  message: 'Alert: API Error Rate is 156 (threshold: 100)',
  track_links: false,
  debug: false,
};

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: sends the sms',
    posthog: true,
    event: alert,
    inputs: { ...inputs, message_ref: 'alert_alert-123' },
    responses: [{ status: 200, body: { id: 'msg-1' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: { message: 'Alert: API Error Rate is 156 (threshold: 100)', sender: 'Alerts', recipient: '+15555551234', message_ref: 'alert_alert-123' },
        },
      ],
      logsMustNotContain: [API_KEY],
    },
  },
  {
    name: 'PostHog: skips the request when recipient is empty',
    posthog: true,
    event: alert,
    person: { id: 'p1', properties: {} },
    inputs: { ...inputs, recipient: '{person.properties.phone}' },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'PostHog: skips the request when message is empty',
    posthog: true,
    event: alert,
    inputs: { ...inputs, message: '{event.properties.text}' },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'PostHog: omits message_ref and track_links when unset',
    posthog: true,
    event: alert,
    inputs: { ...inputs, message_ref: '' },
    expect: {
      requests: [{ method: 'POST', url: URL, headers, body: { message: 'Alert: API Error Rate is 156 (threshold: 100)', sender: 'Alerts', recipient: '+15555551234' } }],
    },
  },
  {
    name: 'PostHog: includes track_links when enabled',
    posthog: true,
    event: alert,
    inputs: { ...inputs, message_ref: '', track_links: true },
    expect: {
      requests: [
        { method: 'POST', url: URL, headers, body: { message: 'Alert: API Error Rate is 156 (threshold: 100)', sender: 'Alerts', recipient: '+15555551234', track_links: true } },
      ],
    },
  },
  {
    name: 'PostHog: errors on a non-2xx response',
    posthog: true,
    event: alert,
    inputs,
    responses: [{ status: 400, body: { error: 'invalid recipient' } }],
    expect: {
      status: 'failed',
      error: 'Kudosity API error (status 400): {"error":"invalid recipient"}',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [API_KEY],
    },
  },
  {
    name: 'the default message and reference come from the alert; debug logs never show the key',
    event: alert,
    inputs: { api_key: API_KEY, sender: 'Alerts', recipient: '+61412345678', debug: true },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: { message: '🚨 Alert: API Error Rate is 156 (threshold: 100)', sender: 'Alerts', recipient: '+61412345678', message_ref: 'alert_alert-123' },
        },
      ],
      logsMustNotContain: [API_KEY],
    },
  },
  {
    name: 'is skipped for events other than alerts',
    event: { event: '$pageview', distinct_id: 'u1' },
    inputs,
    expect: { status: 'skipped', requests: [] },
  },
];
