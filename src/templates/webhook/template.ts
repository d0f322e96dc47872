import type { TemplateDefinition } from '../types.js';

/**
 * The generic HTTP webhook: any templated body and headers to any URL. Input keys, defaults and the
 * request follow PostHog's template of the same id. A redirect is not followed, so 3xx fails too.
 */
export const template: TemplateDefinition = {
  id: 'template-webhook',
  name: 'HTTP Webhook',
  description: 'Send a webhook to any HTTP endpoint, with a body and headers templated from the event.',
  category: ['Custom'],
  status: 'stable',
  icon_url: '/static/icons/webhook.svg',
  hog: `let request := {
  'method': inputs.method,
  'headers': inputs.headers,
  'body': inputs.body
}
// A GET carries no body: HTTP clients refuse one.
if (inputs.method = 'GET') {
  request.body := null
}
if (inputs.debug) {
  print('Request', inputs.url, request)
}
let res := fetch(inputs.url, request)
if (inputs.debug) {
  print('Response', res.status, res.body)
}
if (res.status >= 300) {
  throw Error(f'Webhook to {inputs.url} failed with status {res.status}: {res.body}')
}
`,
  inputs_schema: [
    { key: 'url', type: 'string', label: 'Webhook URL', description: 'Where the request goes; it may use templates.', secret: false, required: true },
    {
      key: 'method',
      type: 'choice',
      label: 'Method',
      choices: ['POST', 'PUT', 'PATCH', 'GET', 'DELETE'].map((m) => ({ value: m, label: m })),
      default: 'POST',
      secret: false,
      required: false,
    },
    {
      key: 'body',
      type: 'json',
      label: 'JSON body',
      description: 'Sent as JSON; every string in it may use templates.',
      default: { event: '{event}', person: '{person}' },
      secret: false,
      required: false,
    },
    {
      key: 'headers',
      type: 'dictionary',
      label: 'Headers',
      default: { 'Content-Type': 'application/json', Accept: 'application/json' },
      secret: false,
      required: false,
    },
    { key: 'debug', type: 'boolean', label: 'Log requests and responses', default: false, secret: false, required: false },
  ],
  filters: { events: [{ id: '$pageview', name: '$pageview', type: 'events' }] },
};
