import { createHash } from 'node:crypto';
import type { TemplateFixture } from '../types.js';

const TOKEN = 'snap-capi-token-4711';
const URL = `https://tr.snapchat.com/v3/pixel-abc/events?access_token=${TOKEN}`;
const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const order = {
  event: 'Order Completed',
  distinct_id: 'user-7',
  uuid: '0190a1b2-0000-7000-8000-000000000a01',
  timestamp: '2026-01-02T03:04:05.678Z',
  properties: { $current_url: 'https://shop.example.com/done', $ip: '198.51.100.4', $raw_user_agent: 'Mozilla/5.0', revenue: 20, currency: 'USD', transaction_id: 't-9' },
};
const person = { id: 'p-7', properties: { email: ' Ada@Example.ORG', phone: '+1 (555) 010-0199', first_name: 'Ada', sccid: 'sc-1' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends a PURCHASE with email, phone, name and external id hashed',
    event: order,
    person,
    inputs: { pixelId: 'pixel-abc', access_token: TOKEN },
    responses: [{ status: 200, body: { status: 'SUCCESS' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { 'content-type': 'application/json' },
          body: {
            data: [
              {
                event_name: 'PURCHASE',
                action_source: 'WEB',
                event_time: 1767323045678,
                event_source_url: 'https://shop.example.com/done',
                user_data: {
                  em: sha('ada@example.org'),
                  ph: sha('15550100199'),
                  sc_click_id: 'sc-1',
                  client_user_agent: 'Mozilla/5.0',
                  fn: sha('ada'),
                  client_ip_address: '198.51.100.4',
                  external_id: sha('p-7'),
                },
                custom_data: { value: 20, currency: 'USD', order_id: 't-9', event_id: '0190a1b2-0000-7000-8000-000000000a01' },
              },
            ],
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'runs a PostHog configuration: pre-hashed user data and the oauth token pass through, test mode validates',
    event: { ...order, event: '$pageview', properties: { $current_url: 'https://shop.example.com/' } },
    person,
    inputs: {
      pixelId: 'pixel-abc',
      oauth: { access_token: TOKEN },
      userData: { em: '{sha256Hex(lower(person.properties.email))}', external_id: '{sha256Hex(person.id)}' },
      customData: {},
      testEventMode: true,
    },
    expect: {
      requests: [
        {
          method: 'POST',
          url: `https://tr.snapchat.com/v3/pixel-abc/events/validate?access_token=${TOKEN}`,
          body: {
            data: [
              {
                event_name: 'PAGE_VIEW',
                action_source: 'WEB',
                event_time: 1767323045678,
                event_source_url: 'https://shop.example.com/',
                user_data: { em: sha(' ada@example.org'), external_id: sha('p-7') },
                custom_data: {},
              },
            ],
          },
        },
      ],
    },
  },
  {
    name: 'skips an event with neither email, phone nor IP address and user agent',
    event: { ...order, properties: {} },
    person: { id: 'p-8', properties: {} },
    inputs: { pixelId: 'pixel-abc', access_token: TOKEN },
    expect: { requests: [] },
  },
  {
    name: 'fails clearly on Snapchat’s error answer',
    event: order,
    person,
    inputs: { pixelId: 'pixel-abc', access_token: TOKEN },
    responses: [{ status: 400, body: { status: 'FAILED', reason: 'invalid pixel id' } }],
    expect: { status: 'failed', error: 'Snapchat API error (status 400): invalid pixel id', requests: [{ method: 'POST', url: URL }] },
  },
  {
    name: 'is skipped for events outside the default list',
    event: { event: 'signed_in', distinct_id: 'user-7' },
    person,
    inputs: { pixelId: 'pixel-abc', access_token: TOKEN },
    expect: { status: 'skipped', requests: [] },
  },
];
