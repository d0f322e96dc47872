import type { TemplateDefinition } from '../types.js';

/** The generic HTTP webhook: sends any templated body to any URL. */
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
if (res.status >= 400) {
  throw Error(f'Webhook to {inputs.url} failed with status {res.status}: {res.body}')
}
`,
  inputs_schema: [
    { key: 'url', type: 'string', label: 'Webhook URL', secret: false, required: true },
    {
      key: 'method',
      type: 'choice',
      label: 'Method',
      choices: ['POST', 'PUT', 'PATCH', 'GET', 'DELETE'].map((m) => ({ value: m, label: m })),
      default: 'POST',
      required: false,
    },
    {
      key: 'body',
      type: 'json',
      label: 'JSON body',
      default: { event: '{event}', person: '{person}' },
      required: false,
    },
    {
      key: 'headers',
      type: 'dictionary',
      label: 'Headers',
      default: { 'Content-Type': 'application/json' },
      required: false,
    },
    { key: 'debug', type: 'boolean', label: 'Log requests and responses', default: false, required: false },
  ],
  filters: { events: [{ id: '$pageview', name: '$pageview', type: 'events' }] },
};
