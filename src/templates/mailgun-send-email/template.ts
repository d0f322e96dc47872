import type { TemplateDefinition } from '../types.js';

/**
 * Mailgun: send one message (`POST https://{region host}/v3/{domain}/messages`). Mailgun authenticates
 * with HTTP Basic (user `api`, password the API key) and takes the message as multipart form fields
 * (from, to, subject, text, html; empty ones left out); accounts live either in the US or the EU region,
 * each with its own host. Input keys, defaults and the request follow PostHog's template of the same id.
 */
export const template: TemplateDefinition = {
  id: 'template-mailgun-send-email',
  name: 'Mailgun',
  description:
    'Send an email through the Mailgun HTTP API, US or EU region (one request per event). Events whose recipient is empty are skipped with a log line.',
  category: ['Email'],
  status: 'beta',
  icon_url: '/static/icons/mailgun.svg',
  hog: `if (empty(inputs.template.to)) {
  print('No recipient: skipping the Mailgun email')
  return
}

// multipart/form-data with a fixed boundary; a field with no value is not sent at all.
let boundary := '---011000010111000001101001'
let separator := f'--{boundary}\\r\\n'
let form := separator
let fields := [
  ['from', inputs.template.from],
  ['to', inputs.template.to],
  ['subject', inputs.template.subject],
  ['text', inputs.template.text],
  ['html', inputs.template.html]
]
for (let field in fields) {
  if (notEmpty(field[2])) {
    form := f'{form}Content-Disposition: form-data; name="{field[1]}"\\r\\n\\r\\n{field[2]}\\r\\n{separator}'
  }
}

let res := fetch(f'https://{inputs.host}/v3/{inputs.domain_name}/messages', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Basic {base64Encode(f'api:{inputs.api_key}')}',
    'Content-Type': f'multipart/form-data; boundary={boundary}'
  },
  'body': form
})

if (res.status >= 400) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := notEmpty(res.body.message) ? res.body.message : jsonStringify(res.body)
  }
  throw Error(f'Mailgun API error (status {res.status}): {message}')
}
`,
  inputs_schema: [
    {
      key: 'domain_name',
      type: 'string',
      label: 'Sending domain',
      description: 'The Mailgun domain to send from, e.g. mg.example.com.',
      secret: false,
      required: true,
    },
    {
      key: 'api_key',
      type: 'string',
      label: 'API key',
      description: 'A Mailgun API key (or a domain sending key).',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'host',
      type: 'choice',
      label: 'Region',
      choices: [
        { label: 'US (api.mailgun.net)', value: 'api.mailgun.net' },
        { label: 'EU (api.eu.mailgun.net)', value: 'api.eu.mailgun.net' },
      ],
      default: 'api.eu.mailgun.net',
      secret: false,
      required: true,
    },
    {
      key: 'template',
      type: 'email',
      label: 'Email',
      description: 'To, from, subject and an HTML or text body (or both). Several recipients: separate them with commas.',
      default: { to: '{person.properties.email}' },
      secret: false,
      required: true,
    },
  ],
  filters: {
    events: [{ id: 'signed_up', name: 'signed_up', type: 'events' }],
  },
};
