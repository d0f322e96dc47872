import type { TemplateDefinition } from '../types.js';

/**
 * Typeform webhooks: verifies `Typeform-Signature` (`sha256=` + base64 HMAC-SHA256 of the raw body under
 * the webhook's secret) and captures each `form_response` as `typeform response submitted`, with the
 * hidden fields and the answers keyed by their field's `ref`. The person is a hidden field (the
 * respondent's email, passed in the form's URL) when the form has one, else the response's token.
 */
export const template: TemplateDefinition = {
  id: 'template-source-typeform',
  type: 'source_webhook',
  name: 'Typeform',
  description: 'Receive Typeform responses, verify their signature and capture each as a "typeform response submitted" event.',
  category: ['Custom'],
  status: 'beta',
  icon_url: '/static/icons/webhook.svg',
  hog: `let header := request.headers['typeform-signature']
if (empty(header)) {
  return {'httpStatus': 401, 'body': {'error': 'missing Typeform-Signature header'}}
}
let expected := concat('sha256=', sha256Hmac(inputs.secret, request.stringBody, 'base64'))
if (not constantTimeEquals(expected, header)) {
  return {'httpStatus': 401, 'body': {'error': 'invalid signature'}}
}
let payload := request.body
if (typeof(payload) != 'object' or typeof(payload.form_response) != 'object') {
  return {'httpStatus': 400, 'body': {'error': 'the body is not a Typeform webhook'}}
}
if (payload.event_type != 'form_response') {
  return {'httpStatus': 200, 'body': {'status': 'ignored'}}
}
let response := payload.form_response
let hidden := response.hidden ?? {}
let answers := {}
for (let answer in response.answers ?? []) {
  let key := answer.field.ref ?? answer.field.id
  let value := answer[answer.type]
  if (answer.type == 'choice') {
    value := answer.choice.label ?? answer.choice.other
  } else if (answer.type == 'choices') {
    value := answer.choices.labels ?? []
  }
  if (not empty(key)) {
    answers[key] := value
  }
}
let distinctId := null
if (not empty(inputs.distinct_id_field)) {
  distinctId := hidden[inputs.distinct_id_field]
}
if (empty(distinctId)) {
  distinctId := response.token
}
if (empty(distinctId)) {
  return {'httpStatus': 400, 'body': {'error': 'the response has no token'}}
}
postHogCapture({
  'event': 'typeform response submitted',
  'distinct_id': toString(distinctId),
  'properties': {
    'typeform_event_id': payload.event_id,
    'form_id': response.form_id,
    'form_title': response.definition.title,
    'response_token': response.token,
    'submitted_at': response.submitted_at,
    'landed_at': response.landed_at,
    'hidden': hidden,
    'answers': answers
  }
})
`,
  inputs_schema: [
    {
      key: 'secret',
      type: 'string',
      label: 'Secret',
      description: "The secret set on the form's webhook in Typeform.",
      secret: true,
      required: true,
    },
    {
      key: 'distinct_id_field',
      type: 'string',
      label: 'Hidden field with the distinct ID',
      description: 'The hidden field that names the respondent (e.g. email). Without it, or when it is empty, the response token is used.',
      default: 'email',
      required: false,
    },
  ],
};
