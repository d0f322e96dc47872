import type { TemplateDefinition } from '../types.js';

/**
 * Grafana Loki push API: `POST <url>/loki/api/v1/push` with
 * `{streams: [{stream: {label: value}, values: [[<unix nanoseconds as a string>, <line>]]}]}`.
 * Grafana Cloud takes basic auth (instance ID and an access policy token); a multi-tenant Loki takes
 * `X-Scope-OrgID`. Labels should be few and low-cardinality, so the default has only two; the event
 * goes into the line as JSON. Loki answers 204.
 */
export const template: TemplateDefinition = {
  id: 'template-grafana-loki',
  name: 'Grafana Loki',
  description: 'Push each event as a log line to Grafana Loki or Grafana Cloud Logs.',
  category: ['Analytics'],
  status: 'beta',
  icon_url: '/static/icons/grafana-loki.svg',
  hog: `let base := trimRight(trim(inputs.url), '/')
if (not match(base, '^https?://[^/]+')) {
  throw Error('Loki: the URL must be the Loki address, such as https://logs-prod-012.grafana.net')
}
let labels := {}
for (let key, value in inputs.labels ?? {}) {
  if (value != null and value != '') {
    labels[key] := toString(value)
  }
}
if (empty(labels)) {
  throw Error('Loki: a stream needs at least one non-empty label')
}
let line := typeof(inputs.line) = 'string' ? inputs.line : jsonStringify(inputs.line)
// Nanoseconds overflow a float's exact range, so they are written as milliseconds followed by six zeros.
let nanos := f'{toInt(toUnixTimestampMilli(event.timestamp))}000000'

let headers := {'Content-Type': 'application/json'}
if (notEmpty(inputs.username)) {
  headers['Authorization'] := f'Basic {base64Encode(f'{inputs.username}:{inputs.password}')}'
}
if (notEmpty(inputs.tenant_id)) {
  headers['X-Scope-OrgID'] := inputs.tenant_id
}
let res := fetch(f'{base}/loki/api/v1/push', {
  'method': 'POST',
  'headers': headers,
  'body': {'streams': [{'stream': labels, 'values': [[nanos, line]]}]}
})
if (res.status < 200 or res.status >= 300) {
  throw Error(f'Loki error (status {res.status}): {typeof(res.body) = 'string' ? trim(res.body) : res.body}')
}
`,
  inputs_schema: [
    { key: 'url', type: 'string', label: 'Loki URL', description: 'http://loki:3100, or the Grafana Cloud Logs URL.', required: true },
    { key: 'username', type: 'string', label: 'User (Grafana Cloud instance ID)', default: '', templating: false, required: false },
    { key: 'password', type: 'string', label: 'Password / access policy token', secret: true, templating: false, required: false, secret_headers: ['Authorization'] },
    { key: 'tenant_id', type: 'string', label: 'Tenant (X-Scope-OrgID)', description: 'Only for a multi-tenant Loki.', default: '', templating: false, required: false },
    { key: 'labels', type: 'dictionary', label: 'Stream labels', description: 'Keep them few and low-cardinality; empty values are left out.', default: { source: 'posthog', event: '{event.event}' }, required: true },
    {
      key: 'line',
      type: 'json',
      label: 'Log line',
      description: 'A string, or a value written as JSON.',
      default: { uuid: '{event.uuid}', event: '{event.event}', distinct_id: '{event.distinct_id}', properties: '{event.properties}' },
      required: true,
    },
  ],
  filters: { events: [], hog: "event.event != '$feature_flag_called'" },
};
