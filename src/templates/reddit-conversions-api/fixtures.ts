import { createHash } from 'node:crypto';
import type { TemplateFixture } from '../types.js';

const TOKEN = 'reddit-conversion-token-987';
const URL = 'https://ads-api.reddit.com/api/v3/pixels/a2_pixel1/conversion_events';
const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const purchase = {
  event: 'purchase',
  distinct_id: 'user-42',
  uuid: '0190a1b2-0000-7000-8000-000000000601',
  timestamp: '2026-01-02T03:04:05.678Z',
  properties: { $ip: '203.0.113.7', $raw_user_agent: 'Mozilla/5.0', revenue: 49.9, currency: 'EUR', rdt_cid: 'click-1' },
};
const person = { id: 'p-1', properties: { email: 'Max@Example.com ' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends a Purchase with hashed email, external id and IP',
    event: purchase,
    person,
    inputs: { pixel_id: 'a2_pixel1', access_token: TOKEN },
    responses: [{ status: 200, body: { message: 'Successfully processed 1 conversion events.' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: {
            data: {
              events: [
                {
                  event_at: 1767323045678,
                  action_source: 'WEBSITE',
                  type: { tracking_type: 'Purchase' },
                  metadata: { conversion_id: '0190a1b2-0000-7000-8000-000000000601', value: 49.9, currency: 'EUR' },
                  user: { email: sha('max@example.com'), external_id: sha('p-1'), ip_address: sha('203.0.113.7'), user_agent: 'Mozilla/5.0' },
                  click_id: 'click-1',
                },
              ],
            },
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'sends an unknown event type as a custom event, with the test id',
    event: { event: 'purchase', distinct_id: 'user-42', uuid: '0190a1b2-0000-7000-8000-000000000602', timestamp: '2026-01-02T03:04:05.000Z' },
    person: { id: 'p-1', properties: {} },
    inputs: { pixel_id: 'a2_pixel1', access_token: TOKEN, event_type: 'Trial Started', test_id: 't2_test 1' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: `${URL}?test_id=t2_test%201`,
          body: {
            data: {
              events: [
                {
                  event_at: 1767323045000,
                  action_source: 'WEBSITE',
                  type: { tracking_type: 'CUSTOM', custom_event_name: 'Trial Started' },
                  metadata: { conversion_id: '0190a1b2-0000-7000-8000-000000000602' },
                  user: { external_id: sha('p-1') },
                },
              ],
            },
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly on Reddit’s error answer',
    event: purchase,
    person,
    inputs: { pixel_id: 'a2_pixel1', access_token: TOKEN },
    responses: [{ status: 400, body: { error: { code: 400, message: 'invalid action_source: web' } } }],
    expect: {
      status: 'failed',
      error: 'Reddit API error (status 400): invalid action_source: web',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'is skipped for events other than $pageview and purchase by default',
    event: { event: 'signed_up', distinct_id: 'user-42' },
    person,
    inputs: { pixel_id: 'a2_pixel1', access_token: TOKEN },
    expect: { status: 'skipped', requests: [] },
  },
];
