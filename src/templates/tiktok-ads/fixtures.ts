import { createHash } from 'node:crypto';
import type { TemplateFixture } from '../types.js';

const TOKEN = 'tiktok-events-token-abcdef123';
const URL = 'https://business-api.tiktok.com/open_api/v1.3/event/track/';
const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const purchase = {
  event: 'purchase',
  distinct_id: 'user-42',
  uuid: '0190a1b2-0000-7000-8000-000000000301',
  timestamp: '2026-01-02T03:04:05.678Z',
  properties: { $current_url: 'https://shop.example.com/thanks', $ip: '203.0.113.7', $raw_user_agent: 'Mozilla/5.0', revenue: 49.9, currency: 'EUR', ttclid: 'E.C.P.abc' },
};
const person = { id: 'p-1', properties: { email: ' Max@Example.com', phone: '0044 20 7946 0958' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends a purchase with hashed email and E.164 phone',
    event: purchase,
    person,
    inputs: { pixel_code: 'CPIXEL123', access_token: TOKEN },
    responses: [{ status: 200, body: { code: 0, message: 'OK', request_id: 'r1', data: {} } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { 'access-token': TOKEN, 'content-type': 'application/json' },
          body: {
            event_source: 'web',
            event_source_id: 'CPIXEL123',
            data: [
              {
                event: 'purchase',
                event_time: 1767323045,
                event_id: '0190a1b2-0000-7000-8000-000000000301',
                user: {
                  email: sha('max@example.com'),
                  phone: sha('+442079460958'),
                  external_id: sha('p-1'),
                  ip: '203.0.113.7',
                  user_agent: 'Mozilla/5.0',
                  ttclid: 'E.C.P.abc',
                },
                page: { url: 'https://shop.example.com/thanks', referrer: null },
                properties: { value: 49.9, currency: 'EUR' },
              },
            ],
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'maps $pageview to ViewContent and adds the test event code',
    event: { event: '$pageview', distinct_id: 'user-42', uuid: '0190a1b2-0000-7000-8000-000000000302', timestamp: '2026-01-02T03:04:05.000Z', properties: { $current_url: 'https://shop.example.com/' } },
    person: { id: 'p-1', properties: {} },
    inputs: { pixel_code: 'CPIXEL123', access_token: TOKEN, test_event_code: 'TEST42' },
    responses: [{ status: 200, body: { code: 0, message: 'OK', request_id: 'r3', data: {} } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          body: {
            event_source: 'web',
            event_source_id: 'CPIXEL123',
            data: [
              {
                event: 'ViewContent',
                event_time: 1767323045,
                event_id: '0190a1b2-0000-7000-8000-000000000302',
                user: { external_id: sha('p-1') },
                page: { url: 'https://shop.example.com/', referrer: null },
                properties: {},
              },
            ],
            test_event_code: 'TEST42',
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly on an error reported inside a 200 answer',
    event: purchase,
    person,
    inputs: { pixel_code: 'CPIXEL123', access_token: TOKEN },
    responses: [{ status: 200, body: { code: 40105, message: 'Access token is incorrect or has been revoked.', request_id: 'r2', data: {} } }],
    expect: {
      status: 'failed',
      error: 'TikTok API error (status 200): code 40105: Access token is incorrect or has been revoked. (request_id r2)',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'is skipped for events other than $pageview and purchase by default',
    event: { event: 'signed_up', distinct_id: 'user-42' },
    inputs: { pixel_code: 'CPIXEL123', access_token: TOKEN },
    expect: { status: 'skipped', requests: [] },
  },
];
