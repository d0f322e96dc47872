import type { TemplateFixture } from '../types.js';

const URL = 'https://capi.uet.microsoft.com/v1/12345678/events';
const headers = { authorization: 'Bearer api-token', 'content-type': 'application/json' };
const HASHED_EMAIL = '3d4eee8538a4bbbe2ef7912f90ee494c1280f74dd7fd81232e58deb9cb9997e3'; // example@posthog.com
const event = { event: 'purchase', distinct_id: 'distinct-id', uuid: 'event-id', timestamp: '2025-01-01T00:00:00Z' };
const person = { id: 'p1', properties: { msclkid: 'microsoft-id', email: 'example@posthog.com' } };
const base = { tagId: '12345678', apiToken: 'api-token', eventName: 'purchase' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: sends the conversion value and currency',
    posthog: true,
    event: { ...event, properties: { currency: 'USD', value: '100' } },
    person,
    inputs: { ...base, currency: '{event.properties.currency}', conversionValue: '{event.properties.value}' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: {
            data: [
              {
                eventType: 'custom',
                eventName: 'purchase',
                eventTime: 1735689600,
                userData: { msclkid: 'microsoft-id', em: HASHED_EMAIL },
                eventId: 'event-id',
                customData: { value: 100, currency: 'USD' },
              },
            ],
          },
        },
      ],
      logsMustNotContain: ['api-token'],
    },
  },
  {
    name: 'PostHog: minimal inputs, the email hashed',
    posthog: true,
    event,
    person,
    inputs: base,
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: { data: [{ eventType: 'custom', eventName: 'purchase', eventTime: 1735689600, userData: { msclkid: 'microsoft-id', em: HASHED_EMAIL }, eventId: 'event-id' }] },
        },
      ],
    },
  },
  {
    name: 'PostHog: fails on an error answer',
    posthog: true,
    event,
    person,
    inputs: base,
    responses: [{ status: 401, body: { error: { code: 'Unauthorized', message: 'You are not authorized to access this resource.' } } }],
    expect: {
      status: 'failed',
      error: 'Microsoft Ads API error (status 401): Unauthorized: You are not authorized to access this resource.',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: ['api-token'],
    },
  },
  {
    name: 'PostHog: sends the conversion without a click id when there is an email',
    posthog: true,
    event,
    person: { id: 'p1', properties: { msclkid: null, email: 'example@posthog.com' } },
    inputs: base,
    expect: {
      requests: [
        { method: 'POST', url: URL, body: { data: [{ eventType: 'custom', eventName: 'purchase', eventTime: 1735689600, userData: { em: HASHED_EMAIL }, eventId: 'event-id' }] } },
      ],
    },
  },
  {
    name: 'PostHog: sends nothing without a click id, email or phone',
    posthog: true,
    event,
    person: { id: 'p1', properties: { msclkid: null, email: null } },
    inputs: base,
    expect: { requests: [] },
  },
  {
    name: 'hashes a trimmed, lower-cased phone and reads the initial click id',
    event,
    person: { id: 'p1', properties: { $initial_msclkid: 'first-click', phone: ' +14255551234 ' } },
    inputs: { ...base, email: '', phone: '{person.properties.phone}' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          body: {
            data: [
              {
                eventType: 'custom',
                eventName: 'purchase',
                eventTime: 1735689600,
                userData: { msclkid: 'first-click', ph: 'c59475d96e9f01d7d18d06cfad84dd02333207f02c0c2c5663ef2782cda0390e' },
                eventId: 'event-id',
              },
            ],
          },
        },
      ],
    },
  },
];
