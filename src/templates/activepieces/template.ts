import type { TemplateDefinition } from '../types.js';

/**
 * Activepieces Webhook trigger (https://www.activepieces.com/docs/flows/triggers): a published flow listens
 * at `<base>/api/v1/webhooks/<flowId>` (add `/sync` to wait for the flow's own answer); the JSON body is
 * the trigger's `body`. The trigger may require Basic auth or a named header, both a secret header value
 * here. An unknown or unpublished flow answers 404, reported with a hint. Works for the cloud
 * (https://cloud.activepieces.com) and self-hosted instances alike.
 */
export const template: TemplateDefinition = {
  id: 'template-activepieces',
  name: 'Activepieces',
  description: 'Start an Activepieces flow through its Webhook trigger with a JSON body templated from the event.',
  category: ['Custom'],
  status: 'beta',
  icon_url: '/static/icons/activepieces.svg',
  hog: `let url := trim(inputs.url)
if (not match(url, '^https?://[^/]+/api/v1/webhooks/[A-Za-z0-9]+(/sync)?/?$')) {
  throw Error('Activepieces: the URL must be the Webhook trigger URL, such as https://cloud.activepieces.com/api/v1/webhooks/<flow id>')
}
let headers := {'Content-Type': 'application/json'}
if (notEmpty(inputs.auth_header_value)) {
  headers[inputs.auth_header_name ?? 'Authorization'] := inputs.auth_header_value
}
let res := fetch(url, {'method': 'POST', 'headers': headers, 'body': inputs.body})
if (res.status >= 400) {
  let detail := res.body
  if (typeof(res.body) = 'object') {
    detail := res.body.message ?? res.body.error ?? jsonStringify(res.body)
  }
  if (res.status = 404) {
    detail := concat(detail, ' (is the flow published and turned on?)')
  }
  throw Error(f'Activepieces error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    { key: 'url', type: 'string', label: 'Webhook URL', description: 'The live URL shown on the Webhook trigger (…/api/v1/webhooks/<flow id>, optionally ending in /sync).', required: true },
    {
      key: 'auth_header_name',
      type: 'string',
      label: 'Auth header name',
      description: 'For Header auth, the header name set on the trigger; for Basic auth, Authorization.',
      default: 'Authorization',
      required: false,
    },
    {
      key: 'auth_header_value',
      type: 'string',
      label: 'Auth header value',
      description: 'The header value (for Basic auth: "Basic " + base64 of user:password). Empty when the trigger has no authentication.',
      secret: true,
      templating: false,
      required: false,
    },
    { key: 'body', type: 'json', label: 'JSON body', default: { event: '{event}', person: '{person}', groups: '{groups}' }, required: true },
  ],
  filters: {
    events: [],
    hog: "not (event.event like '$%') or event.event = '$pageview'",
  },
};
