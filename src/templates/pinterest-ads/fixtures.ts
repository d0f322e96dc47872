import { createHash } from 'node:crypto';
import type { TemplateFixture } from '../types.js';

const TOKEN = 'pina-conversion-token-31337';
const URL = 'https://api.pinterest.com/v5/ad_accounts/549700000001/events';
const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const order = {
  event: 'Order Completed',
  distinct_id: 'user-3',
  uuid: '0190a1b2-0000-7000-8000-000000000b01',
  timestamp: '2026-01-02T03:04:05.678Z',
  properties: { $current_url: 'https://shop.example.com/done', $ip: '192.0.2.10', $raw_user_agent: 'Mozilla/5.0', revenue: 12.5, currency: 'EUR', order_id: 'o-77' },
};
const person = {
  id: 'p-3',
  properties: { email: ' Pin@Example.COM ', phone: '+49 (30) 1234-567', $geoip_city_name: 'Frankfurt am Main', $geoip_postal_code: '60 311', $geoip_country_code: 'DE', epik: 'epik-1' },
};

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends a checkout with matching fields normalized and hashed as lists',
    event: order,
    person,
    inputs: { adAccountId: '549700000001', conversionToken: TOKEN },
    responses: [{ status: 200, body: { num_events_received: 1, num_events_processed: 1, events: [{ status: 'processed', error_message: '', warning_message: '' }] } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: {
            data: [
              {
                event_name: 'checkout',
                action_source: 'web',
                event_time: 1767323045,
                event_id: '0190a1b2-0000-7000-8000-000000000b01',
                user_data: {
                  em: [sha('pin@example.com')],
                  ph: [sha('49301234567')],
                  ct: [sha('frankfurtammain')],
                  zp: [sha('60311')],
                  country: [sha('de')],
                  external_id: [sha('p-3')],
                  client_ip_address: '192.0.2.10',
                  client_user_agent: 'Mozilla/5.0',
                  click_id: 'epik-1',
                },
                event_source_url: 'https://shop.example.com/done',
                custom_data: { currency: 'EUR', value: '12.5', order_id: 'o-77' },
              },
            ],
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'keeps pre-hashed values, sends test events and leaves empty custom data out',
    event: { ...order, event: '$pageview', properties: {} },
    person: { id: 'p-3', properties: {} },
    inputs: { adAccountId: '549700000001', conversionToken: TOKEN, testMode: true, userData: { em: sha('pin@example.com'), external_id: '' }, customData: { value: '' } },
    expect: {
      requests: [
        {
          method: 'POST',
          url: `${URL}?test=true`,
          body: {
            data: [{ event_name: 'page_visit', action_source: 'web', event_time: 1767323045, event_id: '0190a1b2-0000-7000-8000-000000000b01', user_data: { em: [sha('pin@example.com')] } }],
          },
        },
      ],
    },
  },
  {
    name: 'cleans product lines: ids and prices as strings, quantities as integers',
    event: order,
    person,
    inputs: {
      adAccountId: '549700000001',
      conversionToken: TOKEN,
      userData: { em: '{person.properties.email}' },
      customData: { content_ids: [101, '', 'sku-2'], num_items: '3', contents: [{ id: 101, item_price: 9.5, quantity: '2', item_name: '' }, {}] },
    },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          body: {
            data: [
              {
                event_name: 'checkout',
                action_source: 'web',
                event_time: 1767323045,
                event_id: '0190a1b2-0000-7000-8000-000000000b01',
                user_data: { em: [sha('pin@example.com')] },
                event_source_url: 'https://shop.example.com/done',
                custom_data: { content_ids: ['101', 'sku-2'], num_items: 3, contents: [{ id: '101', item_price: '9.5', quantity: 2 }] },
              },
            ],
          },
        },
      ],
    },
  },
  {
    name: 'fails when Pinterest answers 200 but rejects the event',
    event: order,
    person,
    inputs: { adAccountId: '549700000001', conversionToken: TOKEN },
    responses: [{ status: 200, body: { events: [{ status: 'failed', error_message: 'event_time is too old' }] } }],
    expect: { status: 'failed', error: 'Pinterest rejected the event: event_time is too old', requests: [{ method: 'POST', url: URL }], logsMustNotContain: [TOKEN] },
  },
  {
    name: 'fails clearly on an HTTP error',
    event: order,
    person,
    inputs: { adAccountId: '549700000001', conversionToken: TOKEN },
    responses: [{ status: 401, body: { code: 2, message: 'Authentication failed.' } }],
    expect: { status: 'failed', error: 'Pinterest API error (status 401): Authentication failed.', requests: [{ method: 'POST', url: URL }] },
  },
  {
    name: 'skips an event without email, mobile ad ID, or IP address and user agent',
    event: { ...order, properties: {} },
    person: { id: 'p-3', properties: {} },
    inputs: { adAccountId: '549700000001', conversionToken: TOKEN, userData: { external_id: '{person.id}' } },
    expect: { requests: [] },
  },
  {
    name: 'is skipped for events outside the default list',
    event: { event: 'rage_click', distinct_id: 'user-3' },
    person,
    inputs: { adAccountId: '549700000001', conversionToken: TOKEN },
    expect: { status: 'skipped', requests: [] },
  },
];
