import { createHmac } from 'node:crypto';
import type { SourceFixture } from '../types.js';

const SECRET = 'whsec_fixture_signing_secret';

/** A Stripe-style header: `t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function stripeSignature(secret: string, body: string, seconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${seconds}.${body}`, 'utf8').digest('hex');
  return `t=${seconds},v1=${v1}`;
}

// Written from the documented fields of a Stripe event (id, object, type, created, livemode, data.object).
const PAYMENT_SUCCEEDED = JSON.stringify({
  id: 'evt_fixture_0001',
  object: 'event',
  api_version: '2024-06-20',
  created: 1767225600,
  livemode: false,
  pending_webhooks: 1,
  type: 'payment_intent.succeeded',
  data: { object: { id: 'pi_fixture_01', object: 'payment_intent', amount: 2500, currency: 'usd', customer: 'cus_fixture_01', status: 'succeeded' } },
});

const CUSTOMER_CREATED = JSON.stringify({
  id: 'evt_fixture_0002',
  object: 'event',
  created: 1767225601,
  livemode: true,
  type: 'customer.created',
  data: { object: { id: 'cus_fixture_02', object: 'customer', email: 'ada@example.com' } },
});

export const fixtures: SourceFixture[] = [
  {
    name: 'captures a signed payment_intent.succeeded for its customer',
    inputs: { signing_secret: SECRET },
    request: { headers: { 'content-type': 'application/json' }, body: PAYMENT_SUCCEEDED },
    sign: (inputs, body, now) => ({ 'stripe-signature': stripeSignature(String(inputs.signing_secret), body, now) }),
    expect: {
      status: 200,
      body: { status: 'ok' },
      events: [
        {
          event: 'stripe payment_intent.succeeded',
          distinct_id: 'cus_fixture_01',
          properties: {
            id: 'pi_fixture_01',
            object: 'payment_intent',
            amount: 2500,
            currency: 'usd',
            customer: 'cus_fixture_01',
            status: 'succeeded',
            stripe_event_id: 'evt_fixture_0001',
            stripe_event_created: 1767225600,
            stripe_livemode: false,
          },
        },
      ],
    },
  },
  {
    name: 'uses the object id when the object has no customer',
    inputs: { signing_secret: SECRET },
    request: { headers: { 'content-type': 'application/json' }, body: CUSTOMER_CREATED },
    sign: (inputs, body, now) => ({ 'stripe-signature': stripeSignature(String(inputs.signing_secret), body, now) }),
    expect: {
      status: 200,
      events: [
        {
          event: 'stripe customer.created',
          distinct_id: 'cus_fixture_02',
          properties: { id: 'cus_fixture_02', object: 'customer', email: 'ada@example.com', stripe_event_id: 'evt_fixture_0002', stripe_event_created: 1767225601, stripe_livemode: true },
        },
      ],
    },
  },
  {
    name: 'refuses a signature made with another secret',
    inputs: { signing_secret: SECRET },
    request: { headers: { 'content-type': 'application/json' }, body: PAYMENT_SUCCEEDED },
    sign: (_inputs, body, now) => ({ 'stripe-signature': stripeSignature('whsec_someone_else', body, now) }),
    expect: { status: 401, body: { error: 'invalid signature' }, events: [] },
  },
  {
    name: 'refuses a correctly signed request older than the tolerance (a replay)',
    inputs: { signing_secret: SECRET },
    request: { headers: { 'content-type': 'application/json' }, body: PAYMENT_SUCCEEDED },
    sign: (inputs, body, now) => ({ 'stripe-signature': stripeSignature(String(inputs.signing_secret), body, now - 301) }),
    expect: { status: 401, body: { error: 'signature timestamp outside the tolerance' }, events: [] },
  },
  {
    name: 'refuses a request without the header',
    inputs: { signing_secret: SECRET },
    request: { headers: { 'content-type': 'application/json' }, body: PAYMENT_SUCCEEDED },
    expect: { status: 401, body: { error: 'missing Stripe-Signature header' }, events: [] },
  },
];
