import type { TemplateFixture } from '../types.js';

const TOKEN = 'b4f0c1d2e3a4958677aa0011ccdd2299';
const pageview = {
  event: '$pageview',
  distinct_id: 'user-7',
  timestamp: '2026-01-02T03:04:05.000Z',
  properties: { $current_url: 'https://example.com/docs?a=1&b=2', title: 'Docs & guides', $referrer: 'https://ref.example.org/', $browser_language: 'de-DE', $ip: '192.0.2.10' },
};

export const fixtures: TemplateFixture[] = [
  {
    name: 'tracks a page view with a form-encoded body and no token',
    event: pageview,
    inputs: { base_url: 'https://analytics.example.com/', site_id: '3' },
    responses: [{ status: 204 }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://analytics.example.com/matomo.php',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body:
            'idsite=3&rec=1&apiv=1&send_image=0&url=https%3A%2F%2Fexample.com%2Fdocs%3Fa%3D1%26b%3D2&urlref=https%3A%2F%2Fref.example.org%2F&uid=user-7&lang=de-DE&cdt=1767323045&action_name=Docs%20%26%20guides',
        },
      ],
    },
  },
  {
    name: 'tracks a custom event with the visitor IP and token in the body, never the URL',
    event: { event: 'download', distinct_id: 'user-7', timestamp: '2026-01-02T03:04:05.000Z', properties: { $ip: '192.0.2.10', file: 'report.pdf' } },
    inputs: { base_url: 'https://analytics.example.com', site_id: '3', token_auth: TOKEN, event_category: 'Files', event_label: '{event.properties.file}' },
    responses: [{ status: 204 }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://analytics.example.com/matomo.php',
          body: `idsite=3&rec=1&apiv=1&send_image=0&uid=user-7&cdt=1767323045&e_c=Files&e_a=download&e_n=report.pdf&cip=192.0.2.10&token_auth=${TOKEN}`,
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails clearly when Matomo rejects the request, without leaking the token',
    event: pageview,
    inputs: { base_url: 'https://analytics.example.com', site_id: '99', token_auth: TOKEN },
    responses: [{ status: 400, body: `An unexpected website was found in the request: website id was set to '99' (token ${TOKEN})` }],
    expect: {
      status: 'failed',
      error: "Matomo API error (status 400): An unexpected website was found in the request: website id was set to '99'",
      requests: [{ method: 'POST', url: 'https://analytics.example.com/matomo.php' }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails without a request when the site id is not a number',
    event: pageview,
    inputs: { base_url: 'https://analytics.example.com', site_id: 'example.com' },
    expect: { status: 'failed', error: 'site id must be the numeric idsite', requests: [] },
  },
  {
    name: 'is skipped for internal events such as $identify',
    event: { event: '$identify', distinct_id: 'user-7' },
    inputs: { base_url: 'https://analytics.example.com', site_id: '3' },
    expect: { status: 'skipped', requests: [] },
  },
];
