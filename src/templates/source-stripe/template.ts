import type { TemplateDefinition } from '../types.js';

/**
 * Stripe webhooks: verifies the `Stripe-Signature` header (`t=<unix time>,v1=<hex HMAC-SHA256 of
 * "<t>.<raw body>" under the endpoint's signing secret>`, several `v1` allowed while a secret rolls),
 * refuses timestamps outside the tolerance (replays), and captures `stripe <event type>` with the
 * fields of the event's object.
 */
export const template: TemplateDefinition = {
  id: 'template-source-stripe',
  type: 'source_webhook',
  name: 'Stripe',
  description: 'Receive Stripe webhooks, verify their signature and capture each as a "stripe <type>" event.',
  category: ['Custom'],
  status: 'beta',
  icon_url: '/static/icons/webhook.svg',
  hog: `let header := request.headers['stripe-signature']
if (empty(header)) {
  return {'httpStatus': 401, 'body': {'error': 'missing Stripe-Signature header'}}
}
let timestamp := null
let signatures := []
for (let part in splitByString(',', header)) {
  let pair := splitByString('=', trim(part), 2)
  if (pair[1] == 't') {
    timestamp := pair[2]
  } else if (pair[1] == 'v1') {
    signatures := arrayPushBack(signatures, pair[2])
  }
}
if (empty(timestamp) or empty(signatures)) {
  return {'httpStatus': 401, 'body': {'error': 'malformed Stripe-Signature header'}}
}
let age := toUnixTimestamp(now()) - toFloat(timestamp)
if (age > inputs.tolerance_seconds or age < -inputs.tolerance_seconds) {
  return {'httpStatus': 401, 'body': {'error': 'signature timestamp outside the tolerance'}}
}
let expected := sha256HmacHex(inputs.signing_secret, f'{timestamp}.{request.stringBody}')
let valid := false
for (let signature in signatures) {
  if (constantTimeEquals(expected, signature)) {
    valid := true
  }
}
if (not valid) {
  return {'httpStatus': 401, 'body': {'error': 'invalid signature'}}
}
let event := request.body
if (typeof(event) != 'object' or empty(event.type)) {
  return {'httpStatus': 400, 'body': {'error': 'the body is not a Stripe event'}}
}
let object := event.data.object ?? {}
let properties := {}
for (let key, value in object) {
  properties[key] := value
}
properties['stripe_event_id'] := event.id
properties['stripe_event_created'] := event.created
properties['stripe_livemode'] := event.livemode
let distinctId := inputs.distinct_id
if (empty(distinctId)) {
  distinctId := f'stripe_{event.id}'
}
postHogCapture({
  'event': f'stripe {event.type}',
  'distinct_id': distinctId,
  'properties': properties
})
`,
  inputs_schema: [
    {
      key: 'signing_secret',
      type: 'string',
      label: 'Signing secret',
      description: "The endpoint's signing secret from the Stripe dashboard (whsec_…).",
      secret: true,
      required: true,
    },
    {
      key: 'distinct_id',
      type: 'string',
      label: 'Distinct ID',
      description: 'Who the event is about. Default: the Stripe customer of the object, else the object itself.',
      default: '{request.body.data.object.customer ?? request.body.data.object.id}',
      required: false,
    },
    { key: 'tolerance_seconds', type: 'number', label: 'Timestamp tolerance (seconds)', default: 300, required: false },
  ],
};
