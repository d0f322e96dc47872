import { createHash } from 'node:crypto';
import type { TemplateFixture } from '../types.js';

const TOKEN = 'EAAGmetaAccessToken1234567890';
const URL = 'https://graph.facebook.com/v24.0/1234567890/events';
const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const purchase = {
  event: 'purchase',
  distinct_id: 'user-42',
  uuid: '0190a1b2-0000-7000-8000-000000000201',
  timestamp: '2026-01-02T03:04:05.678Z',
  properties: { $current_url: 'https://shop.example.com/thanks', $ip: '203.0.113.7', $raw_user_agent: 'Mozilla/5.0', revenue: 49.9, currency: 'EUR', order_id: 'o-1' },
};

const person = {
  id: 'p-1',
  properties: { email: '  Max.Hedgehog@Example.COM ', phone: '+44 (0)20 7946-0958', first_name: ' Mary-Ann ', last_name: "O'Hedgehog", fbp: 'fb.1.1767225600000.123' },
};

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends a purchase with normalized, hashed customer information',
    event: purchase,
    person,
    inputs: { pixel_id: '1234567890', access_token: TOKEN },
    responses: [{ status: 200, body: { events_received: 1, messages: [], fbtrace_id: 'AbC' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { 'content-type': 'application/json' },
          body: {
            data: [
              {
                event_name: 'purchase',
                event_time: 1767323045,
                event_id: '0190a1b2-0000-7000-8000-000000000201',
                action_source: 'website',
                user_data: {
                  em: [sha('max.hedgehog@example.com')],
                  ph: [sha('4402079460958')],
                  fn: sha('maryann'),
                  ln: sha('ohedgehog'),
                  external_id: sha('p-1'),
                  client_ip_address: '203.0.113.7',
                  client_user_agent: 'Mozilla/5.0',
                  fbp: 'fb.1.1767225600000.123',
                },
                event_source_url: 'https://shop.example.com/thanks',
                custom_data: { value: 49.9, currency: 'EUR', order_id: 'o-1' },
              },
            ],
            access_token: TOKEN,
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'maps $pageview to PageView, passes pre-hashed values on and adds the test event code',
    event: { event: '$pageview', distinct_id: 'user-42', uuid: '0190a1b2-0000-7000-8000-000000000202', timestamp: '2026-01-02T03:04:05.000Z', properties: {} },
    person: { id: 'p-1', properties: { email: sha('max@example.com') } },
    inputs: { pixel_id: '1234567890', access_token: TOKEN, test_event_code: 'TEST123', external_id: '' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          body: {
            data: [
              {
                event_name: 'PageView',
                event_time: 1767323045,
                event_id: '0190a1b2-0000-7000-8000-000000000202',
                action_source: 'website',
                user_data: { em: [sha('max@example.com')] },
              },
            ],
            access_token: TOKEN,
            test_event_code: 'TEST123',
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly on Meta’s error object',
    event: purchase,
    person,
    inputs: { pixel_id: '1234567890', access_token: TOKEN },
    responses: [
      {
        status: 400,
        body: { error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190, fbtrace_id: 'A1b2C3' } },
      },
    ],
    expect: {
      status: 'failed',
      error: 'Meta API error (status 400): Invalid OAuth access token - Cannot parse access token (type OAuthException, code 190',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'is skipped for events other than $pageview and purchase by default',
    event: { event: 'signed_up', distinct_id: 'user-42' },
    person,
    inputs: { pixel_id: '1234567890', access_token: TOKEN },
    expect: { status: 'skipped', requests: [] },
  },
];
