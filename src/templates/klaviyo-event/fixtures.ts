import type { TemplateFixture } from '../types.js';

const URL = 'https://a.klaviyo.com/api/events';
const phHeaders = { authorization: 'Klaviyo-API-Key API_KEY', revision: '2026-04-15', 'content-type': 'application/json' };
const phInputs = {
  apiKey: 'API_KEY',
  email: 'max@posthog.com',
  externalId: 'EXTERNAL_ID',
  include_all_properties: false,
  attributes: { price: '25.99', currency: 'USD' },
};
const person = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const at = (event: string, properties: Record<string, unknown> = { $current_url: 'https://example.com' }) => ({
  event,
  distinct_id: 'distinct-id',
  timestamp: '2024-01-01T00:00:00Z',
  properties,
});
const klaviyoEvent = (metric: string, properties: Record<string, unknown>, profile: Record<string, unknown>) => ({
  data: {
    type: 'event',
    attributes: {
      properties,
      metric: { data: { type: 'metric', attributes: { name: metric } } },
      profile: { data: { type: 'profile', attributes: profile } },
    },
  },
});
const phProfile = { email: 'max@posthog.com', external_id: 'EXTERNAL_ID' };

const KEY = 'pk_live_secret_key_456';

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: sends the event as a metric on the profile',
    posthog: true,
    event: at('purchase'),
    person,
    inputs: phInputs,
    responses: [{ status: 202, body: null }],
    expect: {
      requests: [{ method: 'POST', url: URL, headers: phHeaders, body: klaviyoEvent('purchase', { price: '25.99', currency: 'USD' }, phProfile) }],
      logsMustNotContain: ['API_KEY'],
    },
  },
  {
    name: 'PostHog: leaves event properties out when include_all_properties is off',
    posthog: true,
    event: at('purchase', { customerType: 'B2C' }),
    person,
    inputs: { ...phInputs, include_all_properties: false },
    expect: { requests: [{ method: 'POST', url: URL, body: klaviyoEvent('purchase', { price: '25.99', currency: 'USD' }, phProfile) }] },
  },
  {
    name: 'PostHog: adds event properties when include_all_properties is on',
    posthog: true,
    event: at('purchase', { customerType: 'B2C' }),
    person,
    inputs: { ...phInputs, include_all_properties: true },
    expect: {
      requests: [{ method: 'POST', url: URL, body: klaviyoEvent('purchase', { customerType: 'B2C', price: '25.99', currency: 'USD' }, phProfile) }],
    },
  },
  {
    name: 'PostHog: skips a person with neither an email nor an external id',
    posthog: true,
    event: at('purchase'),
    // Empty required inputs are refused when saved, so the emptiness comes from the person.
    person: { id: 'person-id', properties: {} },
    inputs: { ...phInputs, email: '{person.properties.email}', externalId: '{person.properties.external_id}' },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'PostHog: fails on an error status',
    posthog: true,
    event: at('purchase'),
    person,
    inputs: phInputs,
    responses: [{ status: 400, body: { error: 'error' } }],
    expect: { status: 'failed', error: 'Klaviyo API error (status 400): {"error":"error"}', requests: [{ method: 'POST', url: URL }] },
  },
  {
    name: 'maps the default inputs: email and person id, price and currency, no empty values',
    event: at('Order Completed', { price: 42.5, currency: '', $lib: 'web' }),
    person: { id: 'p1', properties: { email: 'max@example.com' } },
    inputs: { apiKey: KEY },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: `Klaviyo-API-Key ${KEY}`, revision: '2026-04-15', 'content-type': 'application/json' },
          body: klaviyoEvent('Order Completed', { price: 42.5 }, { email: 'max@example.com', external_id: 'p1' }),
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'reports the detail of a Klaviyo error',
    event: at('purchase'),
    person,
    inputs: phInputs,
    responses: [{ status: 400, body: { errors: [{ status: 400, code: 'invalid', title: 'Invalid input.', detail: 'The metric name is too long.' }] } }],
    expect: { status: 'failed', error: 'Klaviyo API error (status 400): The metric name is too long.', requests: [{ method: 'POST', url: URL }] },
  },
  {
    name: "is skipped for PostHog's internal events",
    event: at('$autocapture'),
    person,
    inputs: phInputs,
    expect: { status: 'skipped', requests: [] },
  },
];
