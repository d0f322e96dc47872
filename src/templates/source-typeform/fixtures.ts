import { createHmac } from 'node:crypto';
import type { SourceFixture } from '../types.js';

const SECRET = 'typeform_fixture_secret';

/** A Typeform-style header: `sha256=` + base64 HMAC-SHA256 of the raw body. */
export function typeformSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('base64')}`;
}

const sign = (inputs: Record<string, unknown>, body: string) => ({ 'typeform-signature': typeformSignature(String(inputs.secret), body) });

// Written from the documented fields of a Typeform webhook (event_id, event_type, form_response with
// form_id, token, landed_at, submitted_at, hidden, definition and answers whose field has an id and a ref).
const response = (hidden: Record<string, string>) =>
  JSON.stringify({
    event_id: 'EVT_FIXTURE_01',
    event_type: 'form_response',
    form_response: {
      form_id: 'frmFix01',
      token: 'tok_fixture_01',
      landed_at: '2026-01-05T09:59:10Z',
      submitted_at: '2026-01-05T10:00:00Z',
      hidden,
      definition: { id: 'frmFix01', title: 'Onboarding survey', fields: [] },
      answers: [
        { type: 'text', text: 'Grace', field: { id: 'fld1', type: 'short_text', ref: 'first_name' } },
        { type: 'number', number: 9, field: { id: 'fld2', type: 'opinion_scale', ref: 'nps' } },
        { type: 'choice', choice: { label: 'Engineering' }, field: { id: 'fld3', type: 'multiple_choice', ref: 'team' } },
        { type: 'choices', choices: { labels: ['Slack', 'Email'] }, field: { id: 'fld4', type: 'multiple_choice', ref: 'channels' } },
        { type: 'boolean', boolean: true, field: { id: 'fld5', type: 'yes_no', ref: 'newsletter' } },
      ],
    },
  });

const properties = (hidden: Record<string, string>) => ({
  typeform_event_id: 'EVT_FIXTURE_01',
  form_id: 'frmFix01',
  form_title: 'Onboarding survey',
  response_token: 'tok_fixture_01',
  submitted_at: '2026-01-05T10:00:00Z',
  landed_at: '2026-01-05T09:59:10Z',
  hidden,
  answers: { first_name: 'Grace', nps: 9, team: 'Engineering', channels: ['Slack', 'Email'], newsletter: true },
});

const WITH_EMAIL = { email: 'grace@example.com', plan: 'pro' };

export const fixtures: SourceFixture[] = [
  {
    name: 'captures a signed response for the email in its hidden fields',
    inputs: { secret: SECRET },
    request: { headers: { 'content-type': 'application/json' }, body: response(WITH_EMAIL) },
    sign,
    expect: {
      status: 200,
      body: { status: 'ok' },
      events: [{ event: 'typeform response submitted', distinct_id: 'grace@example.com', properties: properties(WITH_EMAIL) }],
    },
  },
  {
    name: 'uses the response token when the hidden field is missing',
    inputs: { secret: SECRET },
    request: { headers: { 'content-type': 'application/json' }, body: response({}) },
    sign,
    expect: { status: 200, events: [{ event: 'typeform response submitted', distinct_id: 'tok_fixture_01', properties: properties({}) }] },
  },
  {
    name: 'takes the distinct id from the configured hidden field',
    inputs: { secret: SECRET, distinct_id_field: 'plan' },
    request: { headers: { 'content-type': 'application/json' }, body: response(WITH_EMAIL) },
    sign,
    expect: { status: 200, events: [{ event: 'typeform response submitted', distinct_id: 'pro', properties: properties(WITH_EMAIL) }] },
  },
  {
    name: 'refuses a signature made with another secret',
    inputs: { secret: SECRET },
    request: { headers: { 'content-type': 'application/json' }, body: response(WITH_EMAIL) },
    sign: (_inputs, body) => ({ 'typeform-signature': typeformSignature('someone_else', body) }),
    expect: { status: 401, body: { error: 'invalid signature' }, events: [] },
  },
  {
    name: 'refuses a signature of another body',
    inputs: { secret: SECRET },
    request: { headers: { 'content-type': 'application/json' }, body: response(WITH_EMAIL) },
    sign: (inputs) => ({ 'typeform-signature': typeformSignature(String(inputs.secret), response({})) }),
    expect: { status: 401, body: { error: 'invalid signature' }, events: [] },
  },
  {
    name: 'refuses a request without the header',
    inputs: { secret: SECRET },
    request: { headers: { 'content-type': 'application/json' }, body: response(WITH_EMAIL) },
    expect: { status: 401, body: { error: 'missing Typeform-Signature header' }, events: [] },
  },
  {
    name: 'answers 400 to a signed body that is malformed JSON',
    inputs: { secret: SECRET },
    request: { headers: { 'content-type': 'application/json' }, body: '{"event_type": "form_response", "form_response": ' },
    sign,
    expect: { status: 400, body: { error: 'the body is not a Typeform webhook' }, events: [] },
  },
  {
    name: 'acknowledges other event types without capturing',
    inputs: { secret: SECRET },
    request: { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event_id: 'EVT_2', event_type: 'form_response_partial', form_response: { token: 't' } }) },
    sign,
    expect: { status: 200, body: { status: 'ignored' }, events: [] },
  },
  {
    name: 'answers 400 to a signed body that is not a Typeform webhook',
    inputs: { secret: SECRET },
    request: { headers: { 'content-type': 'application/json' }, body: '{"hello": "world"}' },
    sign,
    expect: { status: 400, body: { error: 'the body is not a Typeform webhook' }, events: [] },
  },
];
