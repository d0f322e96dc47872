import { createHmac } from 'node:crypto';
import type { SourceFixture } from '../types.js';

const SECRET = 'shopify-fixture-secret';
const sign = (secret: string, body: string) => createHmac('sha256', secret).update(body, 'utf8').digest('base64');

// Written from the documented fields of an order: id, email, total_price, currency, customer.id.
const ORDER = JSON.stringify({ id: 5001002003, email: 'jon@example.com', total_price: '199.00', currency: 'USD', customer: { id: 7001002003 } });

const headers = { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': 'fixture.myshopify.com', 'x-shopify-webhook-id': 'wh-0001' };

export const fixtures: SourceFixture[] = [
  {
    name: 'captures a signed orders/create for its customer',
    inputs: { client_secret: SECRET },
    request: { headers, body: ORDER },
    sign: (inputs, body) => ({ 'x-shopify-hmac-sha256': sign(String(inputs.client_secret), body) }),
    expect: {
      status: 200,
      events: [
        {
          event: 'shopify orders/create',
          distinct_id: '7001002003',
          properties: {
            id: 5001002003,
            email: 'jon@example.com',
            total_price: '199.00',
            currency: 'USD',
            customer: { id: 7001002003 },
            shopify_topic: 'orders/create',
            shopify_shop_domain: 'fixture.myshopify.com',
            shopify_webhook_id: 'wh-0001',
          },
        },
      ],
    },
  },
  {
    name: 'refuses a wrong HMAC',
    inputs: { client_secret: SECRET },
    request: { headers, body: ORDER },
    sign: (_inputs, body) => ({ 'x-shopify-hmac-sha256': sign('not-the-secret', body) }),
    expect: { status: 401, body: { error: 'invalid signature' }, events: [] },
  },
];
