import type { TemplateFixture } from '../types.js';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const pageview = {
  event: '$pageview',
  distinct_id: 'u1',
  uuid: '0190a1b2-0000-7000-8000-0000000000b1',
  properties: { $current_url: 'https://example.com/pricing', $referrer: 'https://news.example.org/', $raw_user_agent: UA, $ip: '203.0.113.7' },
};

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends a pageview to plausible.io with the visitor user agent and IP',
    event: pageview,
    inputs: { domain: 'example.com' },
    responses: [{ status: 202, body: 'ok' }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://plausible.io/api/event',
          headers: { 'content-type': 'application/json', 'user-agent': UA, 'x-forwarded-for': '203.0.113.7' },
          body: { domain: 'example.com', name: 'pageview', url: 'https://example.com/pricing', referrer: 'https://news.example.org/' },
        },
      ],
    },
  },
  {
    name: 'sends a custom event with props and revenue to a self-hosted Plausible',
    event: { event: 'checkout_completed', distinct_id: 'u1', properties: { $current_url: 'https://shop.example.com/done', $raw_user_agent: UA, plan: 'pro' } },
    inputs: {
      base_url: 'https://stats.example.net/',
      domain: 'shop.example.com',
      props: { plan: '{event.properties.plan}' },
      revenue_amount: '49.90',
      revenue_currency: 'EUR',
    },
    responses: [{ status: 202, body: 'ok' }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://stats.example.net/api/event',
          headers: { 'content-type': 'application/json', 'user-agent': UA },
          body: { domain: 'shop.example.com', name: 'checkout_completed', url: 'https://shop.example.com/done', props: { plan: 'pro' }, revenue: { currency: 'EUR', amount: '49.90' } },
        },
      ],
    },
  },
  {
    name: 'logs and sends nothing when the event has no user agent',
    event: { event: '$pageview', distinct_id: 'u1', properties: { $current_url: 'https://example.com/' } },
    inputs: { domain: 'example.com' },
    expect: { requests: [] },
  },
  {
    name: 'fails clearly when Plausible rejects the event',
    event: pageview,
    inputs: { domain: 'unknown.example' },
    responses: [{ status: 400, body: { errors: { domain: ["can't be blank"] } } }],
    expect: {
      status: 'failed',
      error: 'Plausible API error (status 400): {"domain":["can\'t be blank"]}',
      requests: [{ method: 'POST', url: 'https://plausible.io/api/event' }],
    },
  },
  {
    name: 'fails without a request when the base URL is not http(s)',
    event: pageview,
    inputs: { base_url: 'plausible.io', domain: 'example.com' },
    expect: { status: 'failed', error: 'base URL must start with http', requests: [] },
  },
  {
    name: 'is skipped for internal events such as $identify',
    event: { event: '$identify', distinct_id: 'u1' },
    inputs: { domain: 'example.com' },
    expect: { status: 'skipped', requests: [] },
  },
];
