import type { TemplateDefinition } from '../types.js';

/**
 * Axiom ingest API: `POST <url>/v1/datasets/<dataset>/ingest` with a bearer API token and a JSON array of
 * events; `_time` sets the event time. Axiom answers 200 with counts, and lists refused events under
 * `failures`, so a 200 with `failed > 0` is an error too.
 */
export const template: TemplateDefinition = {
  id: 'template-axiom',
  name: 'Axiom',
  description: 'Ingest each event into an Axiom dataset.',
  category: ['Data warehouse'],
  status: 'beta',
  icon_url: '/static/icons/axiom.svg',
  hog: `let base := trimRight(trim(inputs.url), '/')
if (not match(base, '^https://[^/]+')) {
  throw Error('Axiom: the URL must be an https address, such as https://api.axiom.co')
}
let res := fetch(f'{base}/v1/datasets/{encodeURLComponent(inputs.dataset)}/ingest', {
  'method': 'POST',
  'headers': {'Authorization': f'Bearer {inputs.api_token}', 'Content-Type': 'application/json'},
  'body': [inputs.event]
})
if (res.status < 200 or res.status >= 300) {
  throw Error(f'Axiom error (status {res.status}): {res.body.message ?? res.body}')
}
if (res.body.failed > 0) {
  throw Error(f'Axiom refused the event: {res.body.failures[1].error ?? res.body}')
}
`,
  inputs_schema: [
    { key: 'url', type: 'string', label: 'API URL', description: 'https://api.axiom.co, or your region’s edge endpoint.', default: 'https://api.axiom.co', templating: false, required: true },
    { key: 'dataset', type: 'string', label: 'Dataset', default: 'posthog', templating: false, required: true },
    { key: 'api_token', type: 'string', label: 'API token', description: 'Settings → API tokens, with ingest permission on the dataset.', secret: true, templating: false, required: true },
    {
      key: 'event',
      type: 'json',
      label: 'Event',
      default: { _time: '{event.timestamp}', uuid: '{event.uuid}', event: '{event.event}', distinct_id: '{event.distinct_id}', properties: '{event.properties}' },
      required: true,
    },
  ],
  filters: { events: [], hog: "event.event != '$feature_flag_called'" },
};
