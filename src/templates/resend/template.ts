import type { TemplateDefinition } from '../types.js';

/**
 * Resend: send one email (`POST https://api.resend.com/emails`, Bearer API key). `to` is an array of
 * addresses; `html` and/or `text` carry the body. Resend answers errors as `{statusCode, name, message}`.
 */
export const template: TemplateDefinition = {
  id: 'template-resend',
  name: 'Resend',
  description:
    'Send a transactional email through Resend (one request per event). Events whose recipient is empty are skipped with a log line.',
  category: ['Email'],
  status: 'beta',
  icon_url: '/static/icons/resend.svg',
  hog: `let to := arrayFilter(a -> notEmpty(a), arrayMap(a -> trim(a), splitByString(',', toString(inputs.template.to ?? ''))))
if (empty(to)) {
  print('No recipient: skipping the Resend email')
  return
}

let body := {'from': inputs.template.from, 'to': to, 'subject': inputs.template.subject}
if (notEmpty(inputs.template.html)) {
  body['html'] := inputs.template.html
}
if (notEmpty(inputs.template.text)) {
  body['text'] := inputs.template.text
}
if (notEmpty(inputs.reply_to)) {
  body['reply_to'] := inputs.reply_to
}

let res := fetch('https://api.resend.com/emails', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {inputs.api_key}',
    'Content-Type': 'application/json'
  },
  'body': body
})

if (res.status >= 400) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := notEmpty(res.body.message) ? f'{res.body.name}: {res.body.message}' : jsonStringify(res.body)
  }
  throw Error(f'Resend API error (status {res.status}): {message}')
}
`,
  inputs_schema: [
    {
      key: 'api_key',
      type: 'string',
      label: 'API key',
      description: 'A Resend API key with sending access (starts with re_).',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'template',
      type: 'email',
      label: 'Email',
      description: 'From must be on a domain verified in Resend. Several recipients: separate them with commas.',
      default: { to: '{person.properties.email}', from: '', subject: '', html: '', text: '' },
      secret: false,
      required: true,
    },
    { key: 'reply_to', type: 'string', label: 'Reply-to', description: 'Optional reply-to address.', secret: false, required: false },
  ],
  filters: {
    events: [{ id: 'signed_up', name: 'signed_up', type: 'events' }],
  },
};
