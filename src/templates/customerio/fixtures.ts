import type { TemplateFixture } from '../types.js';

const US = 'https://track.customer.io/api/v2/entity';
const phHeaders = {
  'user-agent': 'PostHog Customer.io App',
  authorization: `Basic ${Buffer.from('SITE_ID:TOKEN').toString('base64')}`,
  'content-type': 'application/json',
};
const phInputs = {
  site_id: 'SITE_ID',
  token: 'TOKEN',
  host: 'track.customer.io',
  action: 'automatic',
  include_all_properties: false,
  identifier_key: 'email',
  identifier_value: 'example@posthog.com',
  attributes: { name: 'example' },
};
const person = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const at = (event: string, properties: Record<string, unknown> = { $current_url: 'https://example.com' }, elements_chain?: string) => ({
  event,
  distinct_id: 'distinct-id',
  timestamp: '2024-01-01T00:00:00Z',
  properties,
  ...(elements_chain !== undefined ? { elements_chain } : {}),
});
const entity = (body: Record<string, unknown>, url = US, headers: Record<string, string> = phHeaders) => ({
  method: 'POST',
  url,
  headers,
  body: { type: 'person', identifiers: { email: 'example@posthog.com' }, timestamp: 1704067200, ...body },
});
const LONG_URL = 'https://example.com/' + '12345'.repeat(200);

const API_KEY = 'cio-track-secret-key';

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: sends the entity request (a $pageview is a page view)',
    posthog: true,
    event: at('$pageview', { url: 'https://example.com' }),
    person,
    inputs: phInputs,
    responses: [{ status: 200, body: { ok: true } }],
    expect: {
      requests: [entity({ action: 'page', name: null, attributes: { name: 'example' } })],
      logsMustNotContain: ['TOKEN'],
    },
  },
  {
    name: 'PostHog: maps $identify to the identify action automatically',
    posthog: true,
    event: at('$identify', { url: 'https://example.com' }),
    person,
    inputs: phInputs,
    expect: { requests: [entity({ action: 'identify', name: null, attributes: { name: 'example' } })] },
  },
  {
    name: 'PostHog: maps $pageview to the page action automatically',
    posthog: true,
    event: at('$pageview', { $current_url: 'https://example.com/pricing' }),
    person,
    inputs: phInputs,
    expect: { requests: [entity({ action: 'page', name: 'https://example.com/pricing', attributes: { name: 'example' } })] },
  },
  {
    name: 'PostHog: keeps the configured action for $identify',
    posthog: true,
    event: at('$identify', { url: 'https://example.com' }),
    person,
    inputs: { ...phInputs, action: 'event' },
    expect: { requests: [entity({ action: 'event', name: '$identify', attributes: { name: 'example' } })] },
  },
  {
    name: 'PostHog: keeps the configured action for $pageview',
    posthog: true,
    event: at('$pageview', { url: 'https://example.com' }),
    person,
    inputs: { ...phInputs, action: 'event' },
    expect: { requests: [entity({ action: 'event', name: '$pageview', attributes: { name: 'example' } })] },
  },
  {
    name: 'PostHog: omits event properties when include_all_properties is off',
    posthog: true,
    event: at('$pageview'),
    person,
    inputs: phInputs,
    expect: { requests: [entity({ action: 'page', name: 'https://example.com', attributes: { name: 'example' } })] },
  },
  {
    name: 'PostHog: includes event properties when include_all_properties is on',
    posthog: true,
    event: at('$pageview'),
    person,
    inputs: { ...phInputs, include_all_properties: true },
    expect: {
      requests: [entity({ action: 'page', name: 'https://example.com', attributes: { $current_url: 'https://example.com', name: 'example' } })],
    },
  },
  {
    name: 'PostHog: includes person properties for identify',
    posthog: true,
    event: at('$pageview'),
    person,
    inputs: { ...phInputs, include_all_properties: true, action: 'identify' },
    expect: {
      requests: [entity({ action: 'identify', name: '$pageview', attributes: { email: 'example@posthog.com', name: 'example' } })],
    },
  },
  {
    name: 'PostHog: truncates attribute values over 1000 characters',
    posthog: true,
    event: at('$pageview', { url: LONG_URL }),
    person,
    inputs: { ...phInputs, include_all_properties: true },
    expect: { requests: [entity({ action: 'page', name: null, attributes: { url: LONG_URL.slice(0, 1000), name: 'example' } })] },
  },
  {
    name: 'PostHog: skips the request when the identifier value is empty',
    posthog: true,
    event: at('$identify'),
    // An empty required input is refused when saved, so the emptiness comes from the person.
    person: { id: 'person-id', properties: { email: '' } },
    inputs: { ...phInputs, identifier_value: '{person.properties.email}' },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'PostHog: fails on a non-2xx answer',
    posthog: true,
    event: at('$identify'),
    person,
    inputs: phInputs,
    responses: [{ status: 400, body: { error: 'error' } }],
    expect: { status: 'failed', error: 'Customer.io API error (status 400) on identify: {"error":"error"}', requests: [{ method: 'POST', url: US }] },
  },
  {
    name: 'identifies by id in the EU region with the default attributes, leaving empty ones out',
    event: at('$identify'),
    person: { id: 'p1', properties: { email: 'max@example.com', firstname: 'Max' } },
    inputs: { site_id: 'site-1', token: API_KEY, host: 'track-eu.customer.io', identifier_key: 'id', identifier_value: '{event.distinct_id}' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://track-eu.customer.io/api/v2/entity',
          headers: {
            'user-agent': 'PostHog Customer.io App',
            authorization: `Basic ${Buffer.from(`site-1:${API_KEY}`).toString('base64')}`,
            'content-type': 'application/json',
          },
          body: {
            type: 'person',
            action: 'identify',
            name: null,
            identifiers: { id: 'distinct-id' },
            attributes: { email: 'max@example.com', firstname: 'Max' },
            timestamp: 1704067200,
          },
        },
      ],
      logsMustNotContain: [API_KEY],
    },
  },
  {
    name: 'sends the autocapture elements with all event properties',
    event: at('$pageview', { $current_url: 'https://example.com' }, 'a:href="/pricing"nth-child="1"'),
    person,
    inputs: { ...phInputs, include_all_properties: true, attributes: {} },
    expect: {
      requests: [
        entity({
          action: 'page',
          name: 'https://example.com',
          attributes: { $current_url: 'https://example.com', $elements_chain: 'a:href="/pricing"nth-child="1"' },
        }),
      ],
    },
  },
  {
    name: 'reports the errors Customer.io lists',
    event: at('$pageview'),
    person,
    inputs: phInputs,
    responses: [{ status: 401, body: { errors: [{ reason: 'unauthorized', message: 'invalid credentials' }] } }],
    expect: {
      status: 'failed',
      error: 'Customer.io API error (status 401) on page: [{"reason":"unauthorized","message":"invalid credentials"}]',
      requests: [{ method: 'POST', url: US }],
      logsMustNotContain: ['TOKEN'],
    },
  },
  {
    name: 'is skipped for events other than $identify and $pageview (the default filter)',
    event: at('signed_up'),
    person,
    inputs: phInputs,
    expect: { status: 'skipped', requests: [] },
  },
];
