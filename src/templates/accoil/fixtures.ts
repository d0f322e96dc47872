import type { TemplateFixture } from '../types.js';

const API_KEY = 'test_api_key_123';
const URL = 'https://in.accoil.com/segment';
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
const headers = { authorization: basic(API_KEY), 'content-type': 'application/json' };
const base = { apiKey: API_KEY, timestamp: '{event.timestamp}' };
const at = { distinct_id: 'user-123', timestamp: '2024-01-01T00:00:00Z' };

function call(body: Record<string, unknown>) {
  return { method: 'POST', url: URL, headers, body: { timestamp: '2024-01-01T00:00:00Z', userId: 'user-123', ...body } };
}

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: $identify events are identify calls',
    posthog: true,
    event: { ...at, event: '$identify', properties: { $set: { email: 'test@example.com', name: 'John Doe' } } },
    person: { properties: { email: 'test@example.com', name: 'John Doe', role: 'admin' } },
    inputs: base,
    expect: {
      requests: [call({ type: 'identify', traits: { email: 'test@example.com', name: 'John Doe', role: 'admin' } })],
      logsMustNotContain: [API_KEY],
    },
  },
  {
    name: 'PostHog: $set events are identify calls',
    posthog: true,
    event: { ...at, event: '$set', properties: { $set: { email: 'test@example.com', name: 'John Updated' } } },
    person: { properties: { email: 'test@example.com', name: 'John Updated' } },
    inputs: base,
    expect: { requests: [call({ type: 'identify', traits: { email: 'test@example.com', name: 'John Updated' } })] },
  },
  {
    name: 'PostHog: $pageview events are page calls',
    posthog: true,
    event: { ...at, event: '$pageview', properties: { $current_url: 'https://example.com', title: 'Homepage' } },
    inputs: base,
    expect: { requests: [call({ type: 'page', name: 'Homepage' })] },
  },
  {
    name: 'PostHog: $screen events are screen calls',
    posthog: true,
    event: { ...at, event: '$screen', properties: { $screen_name: 'ProductScreen' } },
    inputs: base,
    expect: { requests: [call({ type: 'screen', name: 'ProductScreen' })] },
  },
  {
    name: 'PostHog: $groupidentify events are group calls',
    posthog: true,
    event: {
      ...at,
      event: '$groupidentify',
      properties: { $anon_distinct_id: 'anon-123', $group_type: 'company', $group_key: 'company-123', $group_set: { name: 'Acme Corp', plan: 'enterprise', mrr: 50000 } },
    },
    inputs: base,
    expect: {
      requests: [call({ type: 'group', anonymousId: 'anon-123', groupId: 'company-123', traits: { name: 'Acme Corp', plan: 'enterprise', mrr: 50000 } })],
    },
  },
  {
    name: 'PostHog: custom events are track calls',
    posthog: true,
    event: { ...at, event: 'Product Viewed', properties: { product_id: 'widget-123', price: 29.99 } },
    inputs: base,
    responses: [{ status: 200, body: { success: true } }],
    expect: { requests: [call({ type: 'track', event: 'Product Viewed' })] },
  },
  {
    name: 'PostHog: skips internal PostHog events not in the allowed list',
    posthog: true,
    event: { ...at, event: '$web_vitals', properties: {} },
    inputs: base,
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'PostHog: uses the staging endpoint and strips the prefix for staging API keys',
    posthog: true,
    event: { ...at, event: 'test_event', properties: {} },
    inputs: { ...base, apiKey: 'stg_api_key_123' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://instaging.accoil.com/segment',
          headers: { authorization: basic('api_key_123'), 'content-type': 'application/json' },
          body: { type: 'track', timestamp: '2024-01-01T00:00:00Z', userId: 'user-123', event: 'test_event' },
        },
      ],
      logsMustNotContain: ['stg_api_key_123'],
    },
  },
  {
    name: 'PostHog: includes manually configured group traits',
    posthog: true,
    event: {
      ...at,
      event: '$groupidentify',
      properties: { $group_type: 'company', $group_key: 'company-123', $group_set: { name: 'Manual Name', industry: 'Technology', size: 'Large' } },
    },
    inputs: { ...base, group_plan: 'enterprise', group_status: 'active' },
    expect: { requests: [call({ type: 'group', groupId: 'company-123', traits: { name: 'Manual Name', plan: 'enterprise', status: 'active' } })] },
  },
  {
    name: 'PostHog: converts MRR to a number',
    posthog: true,
    event: { ...at, event: '$groupidentify', properties: { $group_type: 'company', $group_key: 'company-123', $group_set: { mrr: '50000.75' } } },
    inputs: base,
    expect: { requests: [call({ type: 'group', groupId: 'company-123', traits: { mrr: 50000.75 } })] },
  },
  {
    name: 'PostHog: sends nothing for a page view without a name',
    posthog: true,
    event: { ...at, event: '$pageview', properties: { $current_url: 'http://localhost:8010/project/1/functions/new/template-accoil' } },
    inputs: base,
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'PostHog: sends nothing for a screen without a name',
    posthog: true,
    event: { ...at, event: '$screen', properties: {} },
    inputs: base,
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'PostHog: throws on an API failure',
    posthog: true,
    event: { ...at, event: 'test_event', properties: {} },
    inputs: base,
    responses: [{ status: 400, body: { error: 'Invalid API key' } }],
    expect: {
      status: 'failed',
      error: 'Accoil API error (status 400): {"error":"Invalid API key"}',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [API_KEY],
    },
  },
  {
    name: 'mapped traits fill the gaps; ip, geoip and current_url traits are dropped',
    event: { ...at, event: '$identify', properties: {} },
    person: { properties: { email: 'a@example.com', company: 'Acme', $geoip_city_name: 'Paris', last_ip: '10.0.0.1', plan: 'pro' } },
    inputs: {
      ...base,
      user_traits_mapping: {
        company: '{person.properties.company}',
        email: 'ignored@example.com',
        city_geoip: '{person.properties.$geoip_city_name}',
        last_IP: '{person.properties.last_ip}',
        plan: '{person.properties.plan}',
        current_url: 'https://x.example',
      },
    },
    expect: { requests: [call({ type: 'identify', traits: { email: 'a@example.com', company: 'Acme', plan: 'pro' } })] },
  },
];
