import type { TemplateDefinition } from '../types.js';

/**
 * Twilio Programmable Messaging: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, basic auth
 * with the account SID and auth token, form-encoded body. A person without a phone number is logged
 * and skipped rather than failed.
 */
export const template: TemplateDefinition = {
  id: 'template-twilio',
  name: 'Twilio SMS',
  description: 'Send an SMS with Twilio for each event.',
  category: ['SMS & Push'],
  status: 'beta',
  icon_url: '/static/icons/twilio.svg',
  hog: `if (empty(inputs.to_number)) {
  print(f'Twilio: no phone number for {event.distinct_id}; no SMS sent')
  return
}
if (empty(inputs.from_number) and empty(inputs.messaging_service_sid)) {
  throw Error('Twilio: set a From number or a Messaging Service SID')
}

let form := f'To={encodeURLComponent(inputs.to_number)}&Body={encodeURLComponent(inputs.message)}'
if (notEmpty(inputs.messaging_service_sid)) {
  form := f'{form}&MessagingServiceSid={encodeURLComponent(inputs.messaging_service_sid)}'
} else {
  form := f'{form}&From={encodeURLComponent(inputs.from_number)}'
}

let res := fetch(f'https://api.twilio.com/2010-04-01/Accounts/{inputs.account_sid}/Messages.json', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Basic {base64Encode(f'{inputs.account_sid}:{inputs.auth_token}')}',
    'Content-Type': 'application/x-www-form-urlencoded'
  },
  'body': form
})

if (res.status < 200 or res.status >= 300) {
  throw Error(f'Twilio API error (status {res.status}): {res.body.message ?? res.body}{notEmpty(res.body.code) ? f' (code {res.body.code}, {res.body.more_info})' : ''}')
}
print(f'Twilio accepted message {res.body.sid} ({res.body.status})')
`,
  inputs_schema: [
    { key: 'account_sid', type: 'string', label: 'Account SID', description: 'AC…, from the Twilio console.', required: true },
    { key: 'auth_token', type: 'string', label: 'Auth token', secret: true, templating: false, required: true },
    { key: 'from_number', type: 'string', label: 'From number', description: 'A Twilio number in E.164 form (+15017122661).', default: '', required: false },
    { key: 'messaging_service_sid', type: 'string', label: 'Messaging Service SID', description: 'MG…; used instead of the From number when set.', default: '', required: false },
    { key: 'to_number', type: 'string', label: 'To number', description: 'E.164 form.', default: '{person.properties.phone}', required: true },
    { key: 'message', type: 'string', label: 'Message', default: 'Thanks for signing up, {person.properties.first_name ?? person.name}!', required: true },
  ],
  filters: {
    events: [{ id: 'signed_up', name: 'signed_up', type: 'events' }],
  },
};
