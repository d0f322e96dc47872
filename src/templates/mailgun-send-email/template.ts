import type { TemplateDefinition } from '../types.js';

/**
 * Mailgun: send one message (`POST https://{region host}/v3/{domain}/messages`). Mailgun authenticates
 * with HTTP Basic (user `api`, password the API key) and takes the message as form fields (from, to,
 * subject, text, html); accounts live either in the US or the EU region, each with its own host.
 * Input keys follow PostHog's template of the same id, so configurations carry over.
 */
export const template: TemplateDefinition = {
  id: 'template-mailgun-send-email',
  name: 'Mailgun',
  description:
    'Send an email through the Mailgun HTTP API, US or EU region (one request per event). Events whose recipient is empty are skipped with a log line.',
  category: ['Email'],
  status: 'beta',
  icon_url: '/static/icons/mailgun.svg',
  hog: `let to := trim(toString(inputs.template.to ?? ''))
if (empty(to)) {
  print('No recipient: skipping the Mailgun email')
  return
}

// Form-encoded, as Mailgun documents; empty optional fields are left out rather than sent blank.
let fields := [['from', inputs.template.from], ['to', to], ['subject', inputs.template.subject], ['text', inputs.template.text], ['html', inputs.template.html]]
let pairs := arrayMap(f -> f'{f[1]}={encodeURLComponent(toString(f[2]))}', arrayFilter(f -> notEmpty(f[2]), fields))
let host := notEmpty(inputs.host) ? inputs.host : 'api.mailgun.net'

let res := fetch(f'https://{host}/v3/{encodeURLComponent(inputs.domain_name)}/messages', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Basic {base64Encode(f'api:{inputs.api_key}')}',
    'Content-Type': 'application/x-www-form-urlencoded'
  },
  'body': arrayStringConcat(pairs, '&')
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
      description: 'Several recipients: separate them with commas. HTML or text body (or both).',
      default: { to: '{person.properties.email}', from: '', subject: '', html: '', text: '' },
      secret: false,
      required: true,
    },
  ],
  filters: {
    events: [{ id: 'signed_up', name: 'signed_up', type: 'events' }],
  },
};
