import type { TemplateDefinition } from '../types.js';

/**
 * Twilio Programmable Messaging: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, basic auth
 * with the account SID and auth token, form-encoded body (To, From, Body). Input keys, defaults and the
 * request follow PostHog's Twilio template: the account comes as the object a PostHog Twilio integration
 * provides (`{account_sid, auth_token}`). Sluice has no integrations, so the SID and token can also be
 * given as plain inputs, and a Messaging Service can send instead of a From number. A person without a
 * phone number is logged and skipped rather than failed.
 */
export const template: TemplateDefinition = {
  id: 'template-twilio',
  name: 'Twilio SMS',
  description: 'Send an SMS with Twilio for each event. Events whose recipient number is empty are skipped with a log line.',
  category: ['SMS & Push'],
  status: 'beta',
  icon_url: '/static/icons/twilio.svg',
  hog: `let accountSid := inputs.twilio_account.account_sid ?? inputs.account_sid
let authToken := inputs.twilio_account.auth_token ?? inputs.auth_token
if (empty(accountSid) or empty(authToken)) {
  throw Error('Twilio: set the Twilio account (account_sid and auth_token)')
}
if (empty(inputs.to_number)) {
  print(f'Twilio: no phone number for {event.distinct_id}; no SMS sent')
  return
}
if (empty(inputs.message)) {
  throw Error('Twilio: the message is empty')
}
if (empty(inputs.from_number) and empty(inputs.messaging_service_sid)) {
  throw Error('Twilio: set a From number or a Messaging Service SID')
}

let sender := f'From={encodeURLComponent(inputs.from_number)}'
if (notEmpty(inputs.messaging_service_sid)) {
  sender := f'MessagingServiceSid={encodeURLComponent(inputs.messaging_service_sid)}'
}
let url := f'https://api.twilio.com/2010-04-01/Accounts/{accountSid}/Messages.json'
let request := {
  'method': 'POST',
  'headers': {
    'Authorization': f'Basic {base64Encode(f'{accountSid}:{authToken}')}',
    'Content-Type': 'application/x-www-form-urlencoded'
  },
  'body': f'To={encodeURLComponent(inputs.to_number)}&{sender}&Body={encodeURLComponent(inputs.message)}'
}
if (inputs.debug) {
  // The request without its Authorization header: the token stays out of the logs.
  print('Twilio request', url, request.body)
}

let res := fetch(url, request)
if (inputs.debug) {
  print('Twilio response', res.status, res.body)
}
if (res.status < 200 or res.status >= 300) {
  throw Error(f'Twilio API error (status {res.status}): {res.body.message ?? res.body}{notEmpty(res.body.code) ? f' (code {res.body.code}, {res.body.more_info})' : ''}')
}
print(f'Twilio accepted message {res.body.sid} ({res.body.status})')
`,
  inputs_schema: [
    {
      key: 'twilio_account',
      type: 'integration',
      integration: 'twilio',
      label: 'Twilio account',
      description: 'An object with account_sid (AC…) and auth_token, as a PostHog Twilio integration provides it. Or leave it empty and fill in the SID and token below.',
      secret: true,
      templating: false,
      required: false,
    },
    // PostHog picks this from its Twilio integration (an integration_field); here it is typed in, so a plain string.
    { key: 'from_number', type: 'string', label: 'From number', description: 'A Twilio number in E.164 form (+15017122661).', secret: false, required: false },
    { key: 'to_number', type: 'string', label: 'To number', description: 'E.164 form, e.g. +1234567890.', default: '{person.properties.phone}', secret: false, required: true },
    { key: 'message', type: 'string', label: 'Message', description: 'At most 1600 characters.', default: 'PostHog event {event.event} was triggered', secret: false, required: true },
    { key: 'debug', type: 'boolean', label: 'Log requests and responses', description: 'Logs each request (without credentials) and Twilio’s answer.', default: false, secret: false, required: false },
    { key: 'account_sid', type: 'string', label: 'Account SID', description: 'AC…, from the Twilio console; used when the Twilio account above is empty.', default: '', secret: false, required: false },
    { key: 'auth_token', type: 'string', label: 'Auth token', description: 'Used when the Twilio account above is empty.', secret: true, templating: false, required: false },
    { key: 'messaging_service_sid', type: 'string', label: 'Messaging Service SID', description: 'MG…; sends through the Messaging Service instead of the From number when set.', default: '', secret: false, required: false },
  ],
  filters: {
    events: [{ id: 'signed_up', name: 'signed_up', type: 'events' }],
  },
};
