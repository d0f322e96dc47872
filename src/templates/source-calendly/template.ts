import type { TemplateDefinition } from '../types.js';

/**
 * Calendly webhooks: verifies `Calendly-Webhook-Signature` (`t=<unix time>,v1=<hex HMAC-SHA256 of
 * "<t>.<raw body>" under the subscription's signing key>`), refuses timestamps outside the tolerance
 * (replays), and captures `invitee.created` / `invitee.canceled` as `calendly invitee created` /
 * `calendly invitee canceled` for the invitee's email, with their name and email as person properties.
 */
export const template: TemplateDefinition = {
  id: 'template-source-calendly',
  type: 'source_webhook',
  name: 'Calendly',
  description: 'Receive Calendly invitee webhooks, verify their signature and capture bookings and cancellations as events.',
  category: ['Custom'],
  status: 'beta',
  icon_url: '/static/icons/webhook.svg',
  hog: `let header := request.headers['calendly-webhook-signature']
if (empty(header)) {
  return {'httpStatus': 401, 'body': {'error': 'missing Calendly-Webhook-Signature header'}}
}
let timestamp := null
let signature := null
for (let part in splitByString(',', header)) {
  let pair := splitByString('=', trim(part), 2)
  if (pair[1] == 't') {
    timestamp := pair[2]
  } else if (pair[1] == 'v1') {
    signature := pair[2]
  }
}
let seconds := toFloat(timestamp)
if (empty(signature) or seconds == null) {
  return {'httpStatus': 401, 'body': {'error': 'malformed Calendly-Webhook-Signature header'}}
}
let age := toUnixTimestamp(now()) - seconds
if (age > inputs.tolerance_seconds or age < -inputs.tolerance_seconds) {
  return {'httpStatus': 401, 'body': {'error': 'signature timestamp outside the tolerance'}}
}
let expected := sha256HmacHex(inputs.signing_key, f'{timestamp}.{request.stringBody}')
if (not constantTimeEquals(expected, signature)) {
  return {'httpStatus': 401, 'body': {'error': 'invalid signature'}}
}
let body := request.body
if (typeof(body) != 'object' or typeof(body.payload) != 'object') {
  return {'httpStatus': 400, 'body': {'error': 'the body is not a Calendly webhook'}}
}
let names := {'invitee.created': 'calendly invitee created', 'invitee.canceled': 'calendly invitee canceled'}
let name := names[body.event]
if (empty(name)) {
  return {'httpStatus': 200, 'body': {'status': 'ignored'}}
}
let invitee := body.payload
if (empty(invitee.email)) {
  return {'httpStatus': 400, 'body': {'error': 'the invitee has no email'}}
}
let scheduled := invitee.scheduled_event ?? {}
postHogCapture({
  'event': name,
  'distinct_id': invitee.email,
  'properties': {
    '$set': {'email': invitee.email, 'name': invitee.name},
    'invitee_uri': invitee.uri,
    'invitee_status': invitee.status,
    'invitee_timezone': invitee.timezone,
    'rescheduled': invitee.rescheduled,
    'scheduled_event_uri': scheduled.uri ?? invitee.event,
    'scheduled_event_name': scheduled.name,
    'start_time': scheduled.start_time,
    'end_time': scheduled.end_time,
    'canceled_by': invitee.cancellation.canceled_by,
    'cancel_reason': invitee.cancellation.reason,
    'calendly_created_at': body.created_at
  }
})
`,
  inputs_schema: [
    {
      key: 'signing_key',
      type: 'string',
      label: 'Signing key',
      description: 'The signing key given when the webhook subscription was created.',
      secret: true,
      required: true,
    },
    { key: 'tolerance_seconds', type: 'number', label: 'Timestamp tolerance (seconds)', default: 300, required: false },
  ],
};
