import type { TemplateDefinition } from '../types.js';

/**
 * Mailjet Send API v3.1: send one message (`POST https://api.mailjet.com/v3.1/send`). HTTP Basic with the
 * API key as user and the secret key as password. The body is `{Messages: [{From: {Email, Name}, To:
 * [{Email}], Subject, TextPart, HTMLPart}]}`; a refused message comes back as 400 with per-message
 * `Errors[].ErrorMessage`, a bad key as 401 with a top-level `ErrorMessage`.
 */
export const template: TemplateDefinition = {
  id: 'template-mailjet-send-email',
  name: 'Mailjet',
  description:
    'Send a transactional email through the Mailjet Send API v3.1 (one request per event). Events whose recipient is empty are skipped with a log line.',
  category: ['Email'],
  status: 'beta',
  icon_url: '/static/icons/mailjet.svg',
  hog: `// Mailjet wants the sender as {Email, Name}: accept the usual 'Name <address>' form as well as a bare address.
fun parseAddress(text) {
  let parts := splitByString('<', trim(toString(text ?? '')))
  if (length(parts) < 2) {
    return {'Email': trim(parts[1])}
  }
  let address := {'Email': trim(replaceAll(parts[2], '>', ''))}
  let name := trim(replaceAll(parts[1], '"', ''))
  if (notEmpty(name)) {
    address['Name'] := name
  }
  return address
}

let to := arrayFilter(a -> notEmpty(a), arrayMap(a -> trim(a), splitByString(',', toString(inputs.template.to ?? ''))))
if (empty(to)) {
  print('No recipient: skipping the Mailjet email')
  return
}

let message := {
  'From': parseAddress(inputs.template.from),
  'To': arrayMap(a -> parseAddress(a), to),
  'Subject': inputs.template.subject
}
if (notEmpty(inputs.template.text)) {
  message['TextPart'] := inputs.template.text
}
if (notEmpty(inputs.template.html)) {
  message['HTMLPart'] := inputs.template.html
}

let res := fetch('https://api.mailjet.com/v3.1/send', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Basic {base64Encode(f'{inputs.api_key}:{inputs.secret_key}')}',
    'Content-Type': 'application/json'
  },
  'body': {'Messages': [message]}
})

if (res.status >= 400) {
  let detail := res.body
  if (typeof(res.body) = 'object') {
    let errors := []
    for (let m in res.body.Messages ?? []) {
      for (let e in m.Errors ?? []) {
        errors := arrayPushBack(errors, e.ErrorMessage)
      }
    }
    detail := notEmpty(errors) ? arrayStringConcat(errors, '; ') : (notEmpty(res.body.ErrorMessage) ? res.body.ErrorMessage : jsonStringify(res.body))
  }
  throw Error(f'Mailjet API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    { key: 'api_key', type: 'string', label: 'API key', description: 'The public API key of your Mailjet account.', secret: true, templating: false, required: true },
    { key: 'secret_key', type: 'string', label: 'Secret key', description: 'The secret key paired with the API key.', secret: true, templating: false, required: true },
    {
      key: 'template',
      type: 'email',
      label: 'Email',
      description: "From ('Name <address>' or an address) must be a validated Mailjet sender. Several recipients: separate them with commas.",
      default: { to: '{person.properties.email}', from: '', subject: '', html: '', text: '' },
      secret: false,
      required: true,
    },
  ],
  filters: {
    events: [{ id: 'signed_up', name: 'signed_up', type: 'events' }],
  },
};
