import type { TemplateDefinition } from '../types.js';

/**
 * Pipedream HTTP / Webhook trigger (https://pipedream.com/docs/workflows/building-workflows/triggers): each
 * workflow gets an endpoint such as `https://<id>.m.pipedream.net` that accepts any method and a JSON body
 * (the workflow sees it as `steps.trigger.event.body`). The trigger can require authorization; with
 * "custom token" it expects `Authorization: Bearer <token>`. A deleted endpoint answers 404, an oversized
 * body 413 and a throttled one 429, which are reported with a hint.
 */
export const template: TemplateDefinition = {
  id: 'template-pipedream',
  name: 'Pipedream',
  description: 'Trigger a Pipedream workflow through its HTTP endpoint with a JSON body templated from the event.',
  category: ['Custom'],
  status: 'beta',
  icon_url: '/static/icons/pipedream.svg',
  hog: `let url := trim(inputs.url)
if (not match(url, '^https://[^/]+')) {
  throw Error('Pipedream: the URL must be the https endpoint of the HTTP trigger, such as https://<id>.m.pipedream.net')
}
let headers := {'Content-Type': 'application/json'}
if (notEmpty(inputs.token)) {
  headers['Authorization'] := f'Bearer {inputs.token}'
}
let res := fetch(url, {'method': inputs.method, 'headers': headers, 'body': inputs.body})
if (res.status >= 400) {
  let detail := res.body
  if (typeof(res.body) = 'object') {
    detail := res.body.message ?? res.body.error ?? jsonStringify(res.body)
  }
  let hint := ''
  if (res.status = 404) {
    hint := ' (was the workflow or its trigger deleted?)'
  } else if (res.status = 401 or res.status = 403) {
    hint := ' (check the token set on the trigger)'
  } else if (res.status = 429) {
    hint := ' (the workflow is rate limited; raise its concurrency or throttling settings)'
  }
  throw Error(f'Pipedream error (status {res.status}): {detail}{hint}')
}
`,
  inputs_schema: [
    { key: 'url', type: 'string', label: 'Endpoint URL', description: 'The URL of the workflow HTTP trigger, e.g. https://eo1a2b3c4d5e6f.m.pipedream.net.', required: true },
    {
      key: 'method',
      type: 'choice',
      label: 'HTTP method',
      choices: ['POST', 'PUT', 'PATCH'].map((m) => ({ value: m, label: m })),
      default: 'POST',
      required: true,
    },
    { key: 'token', type: 'string', label: 'Authorization token', description: 'Only when the trigger requires a custom token; sent as a Bearer token.', secret: true, templating: false, required: false },
    { key: 'body', type: 'json', label: 'JSON body', default: { event: '{event}', person: '{person}', groups: '{groups}' }, required: true },
  ],
  filters: {
    events: [],
    hog: "not (event.event like '$%') or event.event = '$pageview'",
  },
};
