import type { TemplateDefinition } from '../types.js';

/**
 * n8n Webhook node (https://docs.n8n.io/integrations/builtin/core-nodes/n8n-nodes-base.webhook/): an HTTP
 * request to <base>/webhook/<path> (production; /webhook-test/ only while "Listen for test event" runs).
 * The node may require Header Auth or Basic Auth: both are a header whose value is secret. An unknown or
 * inactive webhook answers 404 `{code: 404, message: 'The requested webhook "POST …" is not registered.', hint}`.
 */
export const template: TemplateDefinition = {
  id: 'template-n8n',
  name: 'n8n',
  description: 'Start an n8n workflow through its Webhook node, with a JSON body templated from the event and optional header authentication.',
  category: ['Custom'],
  status: 'stable',
  icon_url: '/static/icons/n8n.svg',
  hog: `let url := trim(inputs.url)
if (not match(url, '^https?://[^/]+/.+')) {
  throw Error('n8n: the URL must be the Webhook node URL, such as https://n8n.example.com/webhook/<path>')
}
let headers := {'Content-Type': 'application/json'}
if (notEmpty(inputs.auth_header_value)) {
  headers[inputs.auth_header_name ?? 'Authorization'] := inputs.auth_header_value
}
let res := fetch(url, {
  'method': inputs.method,
  'headers': headers,
  'body': inputs.body
})
if (inputs.debug) {
  print('n8n response', res.status, res.body)
}
if (res.status >= 400) {
  let detail := res.body
  if (typeof(res.body) = 'object') {
    detail := res.body.message ?? jsonStringify(res.body)
  }
  if (res.status = 404 and url like '%/webhook-test/%') {
    detail := concat(detail, ' (test webhooks only listen while "Listen for test event" runs; use the production URL)')
  } else if (res.status = 404) {
    detail := concat(detail, ' (is the workflow active?)')
  }
  throw Error(f'n8n API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    {
      key: 'url',
      type: 'string',
      label: 'Webhook URL',
      description: 'The production URL of the Webhook node (https://<your n8n>/webhook/<path>). Activate the workflow first.',
      required: true,
    },
    {
      key: 'method',
      type: 'choice',
      label: 'HTTP method',
      description: 'Must match the method set on the Webhook node.',
      choices: ['POST', 'PUT', 'PATCH'].map((m) => ({ value: m, label: m })),
      default: 'POST',
      required: true,
    },
    {
      key: 'auth_header_name',
      type: 'string',
      label: 'Auth header name',
      description: 'For Header Auth, the header name set in the credential; for Basic Auth, Authorization.',
      default: 'Authorization',
      required: false,
    },
    {
      key: 'auth_header_value',
      type: 'string',
      label: 'Auth header value',
      description: 'The header value (for Basic Auth: "Basic " + base64 of user:password). Leave empty when the node has no authentication.',
      secret: true,
      templating: false,
      required: false,
    },
    {
      key: 'body',
      type: 'json',
      label: 'JSON body',
      default: { event: '{event}', person: '{person}', groups: '{groups}' },
      required: true,
    },
    { key: 'debug', type: 'boolean', label: 'Log responses', default: false, required: false },
  ],
  filters: { events: [{ id: '$pageview', name: '$pageview', type: 'events' }] },
};
