import type { TemplateDefinition } from '../types.js';

/**
 * Resend: send one email (`POST https://api.resend.com/emails`, Bearer API key). `to` is an array of
 * addresses; `text` and/or `html` carry the body. Resend answers errors as `{statusCode, name, message}`.
 * Input keys, defaults and the request follow PostHog's Resend template.
 */
export const template: TemplateDefinition = {
  id: 'template-resend',
  name: 'Resend',
  description:
    'Send an email through Resend (one request per event), to one or more comma-separated recipients. Events whose recipient list comes out empty are skipped with a log line.',
  category: ['Email'],
  status: 'beta',
  icon_url: '/static/icons/resend.svg',
  hog: `let to := arrayFilter(a -> notEmpty(a), arrayMap(a -> trim(a), splitByString(',', toString(inputs.to ?? ''))))
if (empty(to)) {
  print('No recipient: skipping the Resend email')
  return
}
if (empty(inputs.text) and empty(inputs.html)) {
  throw Error('Resend: the email has neither a text nor an HTML body')
}

let body := {'from': inputs.from, 'to': to, 'subject': inputs.subject}
if (notEmpty(inputs.text)) {
  body['text'] := inputs.text
}
if (notEmpty(inputs.html)) {
  body['html'] := inputs.html
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

if (res.status < 200 or res.status >= 300) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := jsonStringify(res.body)
    if (notEmpty(res.body.message)) {
      message := notEmpty(res.body.name) ? f'{res.body.name}: {res.body.message}' : res.body.message
    }
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
    { key: 'from', type: 'string', label: 'From', description: 'The sender, on a domain verified in Resend, e.g. "Hedgehog HQ <hello@example.com>".', secret: false, required: true },
    { key: 'to', type: 'string', label: 'To', description: 'One or more recipient addresses, separated by commas (Resend takes up to 50).', secret: false, required: true },
    { key: 'subject', type: 'string', label: 'Subject', default: '{event.event}', secret: false, required: true },
    {
      key: 'text',
      type: 'string',
      label: 'Text body',
      description: 'The plain text version. Give this, an HTML body, or both.',
      default: '{event.event} by {person.name}\n\n{event.url}',
      secret: false,
      required: false,
    },
    {
      key: 'html',
      type: 'string',
      label: 'HTML body',
      description: 'The HTML version. Values are inserted unescaped, so keep untrusted values out of it.',
      default: '',
      secret: false,
      required: false,
    },
    { key: 'reply_to', type: 'string', label: 'Reply-to', description: 'Optional reply-to address.', default: '', secret: false, required: false },
  ],
  filters: {
    events: [{ id: 'signed_up', name: 'signed_up', type: 'events' }],
  },
};
