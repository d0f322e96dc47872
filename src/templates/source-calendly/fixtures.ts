import { createHmac } from 'node:crypto';
import type { SourceFixture } from '../types.js';

const KEY = 'calendly_fixture_signing_key';

/** A Calendly-style header: `t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function calendlySignature(key: string, body: string, seconds: number): string {
  return `t=${seconds},v1=${createHmac('sha256', key).update(`${seconds}.${body}`, 'utf8').digest('hex')}`;
}

const sign = (inputs: Record<string, unknown>, body: string, now: number) => ({ 'calendly-webhook-signature': calendlySignature(String(inputs.signing_key), body, now) });

// Written from the documented fields of a Calendly webhook (event, created_at, created_by, and the
// invitee as payload: uri, email, name, status, timezone, rescheduled, cancellation, scheduled_event).
const SCHEDULED = {
  uri: 'https://api.calendly.com/scheduled_events/EVFIX01',
  name: 'Intro call',
  start_time: '2026-02-02T15:00:00.000000Z',
  end_time: '2026-02-02T15:30:00.000000Z',
  event_type: 'https://api.calendly.com/event_types/ETFIX01',
};

const created = JSON.stringify({
  event: 'invitee.created',
  created_at: '2026-01-20T08:00:00.000000Z',
  created_by: 'https://api.calendly.com/users/USRFIX01',
  payload: {
    uri: 'https://api.calendly.com/scheduled_events/EVFIX01/invitees/INVFIX01',
    email: 'lin@example.com',
    name: 'Lin Park',
    status: 'active',
    timezone: 'Europe/Berlin',
    rescheduled: false,
    event: SCHEDULED.uri,
    scheduled_event: SCHEDULED,
  },
});

const canceled = JSON.stringify({
  event: 'invitee.canceled',
  created_at: '2026-01-21T08:00:00.000000Z',
  created_by: 'https://api.calendly.com/users/USRFIX01',
  payload: {
    uri: 'https://api.calendly.com/scheduled_events/EVFIX01/invitees/INVFIX01',
    email: 'lin@example.com',
    name: 'Lin Park',
    status: 'canceled',
    timezone: 'Europe/Berlin',
    rescheduled: false,
    event: SCHEDULED.uri,
    scheduled_event: SCHEDULED,
    cancellation: { canceled_by: 'Lin Park', reason: 'Conflict', canceler_type: 'invitee' },
  },
});

const common = {
  $set: { email: 'lin@example.com', name: 'Lin Park' },
  invitee_uri: 'https://api.calendly.com/scheduled_events/EVFIX01/invitees/INVFIX01',
  invitee_timezone: 'Europe/Berlin',
  rescheduled: false,
  scheduled_event_uri: SCHEDULED.uri,
  scheduled_event_name: 'Intro call',
  start_time: SCHEDULED.start_time,
  end_time: SCHEDULED.end_time,
};

export const fixtures: SourceFixture[] = [
  {
    name: 'captures a signed invitee.created for the invitee, with name and email as $set',
    inputs: { signing_key: KEY },
    request: { headers: { 'content-type': 'application/json' }, body: created },
    sign,
    expect: {
      status: 200,
      body: { status: 'ok' },
      events: [
        {
          event: 'calendly invitee created',
          distinct_id: 'lin@example.com',
          properties: { ...common, invitee_status: 'active', canceled_by: null, cancel_reason: null, calendly_created_at: '2026-01-20T08:00:00.000000Z' },
        },
      ],
    },
  },
  {
    name: 'captures a signed invitee.canceled with who canceled and why',
    inputs: { signing_key: KEY },
    request: { headers: { 'content-type': 'application/json' }, body: canceled },
    sign,
    expect: {
      status: 200,
      events: [
        {
          event: 'calendly invitee canceled',
          distinct_id: 'lin@example.com',
          properties: { ...common, invitee_status: 'canceled', canceled_by: 'Lin Park', cancel_reason: 'Conflict', calendly_created_at: '2026-01-21T08:00:00.000000Z' },
        },
      ],
    },
  },
  {
    name: 'acknowledges other Calendly events without capturing',
    inputs: { signing_key: KEY },
    request: { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event: 'routing_form_submission.created', payload: {} }) },
    sign,
    expect: { status: 200, body: { status: 'ignored' }, events: [] },
  },
  {
    name: 'refuses a signature made with another key',
    inputs: { signing_key: KEY },
    request: { headers: { 'content-type': 'application/json' }, body: created },
    sign: (_inputs, body, now) => ({ 'calendly-webhook-signature': calendlySignature('someone_else', body, now) }),
    expect: { status: 401, body: { error: 'invalid signature' }, events: [] },
  },
  {
    name: 'refuses a correctly signed request older than five minutes (a replay)',
    inputs: { signing_key: KEY },
    request: { headers: { 'content-type': 'application/json' }, body: created },
    sign: (inputs, body, now) => ({ 'calendly-webhook-signature': calendlySignature(String(inputs.signing_key), body, now - 301) }),
    expect: { status: 401, body: { error: 'signature timestamp outside the tolerance' }, events: [] },
  },
  {
    name: 'refuses a malformed header',
    inputs: { signing_key: KEY },
    request: { headers: { 'content-type': 'application/json', 'calendly-webhook-signature': 'v1=abc' }, body: created },
    expect: { status: 401, body: { error: 'malformed Calendly-Webhook-Signature header' }, events: [] },
  },
  {
    name: 'refuses a header whose timestamp is not a number',
    inputs: { signing_key: KEY },
    request: { headers: { 'content-type': 'application/json', 'calendly-webhook-signature': 't=soon,v1=abc' }, body: created },
    expect: { status: 401, body: { error: 'malformed Calendly-Webhook-Signature header' }, events: [] },
  },
  {
    name: 'answers 400 to a signed body that is malformed JSON',
    inputs: { signing_key: KEY },
    request: { headers: { 'content-type': 'application/json' }, body: '{"event": "invitee.created", "payload": ' },
    sign,
    expect: { status: 400, body: { error: 'the body is not a Calendly webhook' }, events: [] },
  },
  {
    name: 'answers 400 to a signed invitee without an email',
    inputs: { signing_key: KEY },
    request: { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event: 'invitee.created', payload: { name: 'Nobody' } }) },
    sign,
    expect: { status: 400, body: { error: 'the invitee has no email' }, events: [] },
  },
  {
    name: 'refuses a request without the header',
    inputs: { signing_key: KEY },
    request: { headers: { 'content-type': 'application/json' }, body: created },
    expect: { status: 401, body: { error: 'missing Calendly-Webhook-Signature header' }, events: [] },
  },
];
