import type { TemplateFixture } from '../types.js';

const WEBSITE = '5b1c2d3e-0000-4000-8000-00000000ab12';
const UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const pageview = {
  event: '$pageview',
  distinct_id: 'u1',
  properties: { $pathname: '/pricing', $host: 'example.com', $referrer: 'https://search.example.org/', title: 'Pricing', $browser_language: 'en-GB', $raw_user_agent: UA, $ip: '198.51.100.4' },
};

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends a page view to Umami Cloud without an event name',
    event: pageview,
    inputs: { website_id: WEBSITE },
    responses: [{ status: 200, body: { cache: 'x', sessionId: 's1', visitId: 'v1' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://cloud.umami.is/api/send',
          headers: { 'content-type': 'application/json', 'user-agent': UA, 'x-forwarded-for': '198.51.100.4' },
          body: {
            type: 'event',
            payload: { website: WEBSITE, url: '/pricing', hostname: 'example.com', referrer: 'https://search.example.org/', title: 'Pricing', language: 'en-GB' },
          },
        },
      ],
    },
  },
  {
    name: 'sends a custom event with its data to a self-hosted Umami',
    event: { event: 'signup', distinct_id: 'u1', properties: { $pathname: '/join', $host: 'example.com', plan: 'team' } },
    inputs: { base_url: 'https://umami.example.net/', website_id: WEBSITE, data: { plan: '{event.properties.plan}' } },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://umami.example.net/api/send',
          headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (compatible; Sluice)' },
          body: { type: 'event', payload: { website: WEBSITE, url: '/join', hostname: 'example.com', name: 'signup', data: { plan: 'team' } } },
        },
      ],
    },
  },
  {
    name: 'fails clearly when Umami rejects the payload',
    event: pageview,
    inputs: { website_id: WEBSITE },
    responses: [{ status: 400, body: { error: { message: 'Invalid request', code: 'bad-request', status: 400 } } }],
    expect: { status: 'failed', error: 'Umami API error (status 400): Invalid request', requests: [{ method: 'POST', url: 'https://cloud.umami.is/api/send' }] },
  },
  {
    name: 'fails without a request when the website id is not a UUID',
    event: pageview,
    inputs: { website_id: 'example.com' },
    expect: { status: 'failed', error: 'website id must be the website UUID', requests: [] },
  },
  {
    name: 'is skipped for internal events such as $autocapture',
    event: { event: '$autocapture', distinct_id: 'u1' },
    inputs: { website_id: WEBSITE },
    expect: { status: 'skipped', requests: [] },
  },
];
