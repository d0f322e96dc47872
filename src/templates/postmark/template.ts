import type { TemplateDefinition } from '../types.js';

/**
 * Postmark: send one email (`POST https://api.postmarkapp.com/email`, Postmark's "Email API"). The server
 * token travels in `X-Postmark-Server-Token`; fields are PascalCase (From, To, Subject, HtmlBody, TextBody,
 * MessageStream). Postmark answers 422 with `{ErrorCode, Message}` when it refuses a message.
 */
export const template: TemplateDefinition = {
  id: 'template-postmark',
  name: 'Postmark',
  description:
    'Send a transactional email through Postmark (one request per event). Events whose recipient is empty are skipped with a log line.',
  category: ['Email'],
  status: 'beta',
  icon_url: '/static/icons/postmark.svg',
  hog: `let to := trim(toString(inputs.template.to ?? ''))
if (empty(to)) {
  print('No recipient: skipping the Postmark email')
  return
}

let body := {
  'From': inputs.template.from,
  'To': to,
  'Subject': inputs.template.subject,
  'MessageStream': notEmpty(inputs.message_stream) ? inputs.message_stream : 'outbound'
}
if (notEmpty(inputs.template.html)) {
  body['HtmlBody'] := inputs.template.html
}
if (notEmpty(inputs.template.text)) {
  body['TextBody'] := inputs.template.text
}
if (notEmpty(inputs.tag)) {
  body['Tag'] := inputs.tag
}

let res := fetch('https://api.postmarkapp.com/email', {
  'method': 'POST',
  'headers': {
    'Accept': 'application/json',
    'Content-Type': 'application/json',
    'X-Postmark-Server-Token': inputs.server_token
  },
  'body': body
})

if (res.status >= 400) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := notEmpty(res.body.Message) ? f'{res.body.Message} (code {res.body.ErrorCode})' : jsonStringify(res.body)
  }
  throw Error(f'Postmark API error (status {res.status}): {message}')
}
`,
  inputs_schema: [
    {
      key: 'server_token',
      type: 'string',
      label: 'Server API token',
      description: 'The API token of a Postmark server (Servers → API Tokens).',
      secret: true,
      templating: false,
      required: true,
      secret_headers: ['X-Postmark-Server-Token'],
    },
    {
      key: 'template',
      type: 'email',
      label: 'Email',
      description: 'From must be a confirmed sender signature or on a verified domain. HTML or text body (or both).',
      default: { to: '{person.properties.email}', from: '', subject: '', html: '', text: '' },
      secret: false,
      required: true,
    },
    {
      key: 'message_stream',
      type: 'string',
      label: 'Message stream',
      description: "The stream ID to send through; Postmark's default transactional stream is `outbound`.",
      default: 'outbound',
      secret: false,
      required: false,
    },
    { key: 'tag', type: 'string', label: 'Tag', description: 'Optional tag to group messages in Postmark statistics.', secret: false, required: false },
  ],
  filters: {
    events: [{ id: 'signed_up', name: 'signed_up', type: 'events' }],
  },
};
