import type { TemplateDefinition } from '../types.js';

/**
 * Datadog Logs intake v2: `POST https://http-intake.logs.<site>/api/v2/logs` with the `DD-API-KEY` header
 * and a JSON array of log entries (`ddsource`, `ddtags`, `hostname`, `service`, `message`, plus any
 * attributes). Datadog answers 202 with an empty object.
 */
export const template: TemplateDefinition = {
  id: 'template-datadog-logs',
  name: 'Datadog Logs',
  description: 'Send each event as a log entry to Datadog Logs.',
  category: ['Analytics'],
  status: 'beta',
  icon_url: '/static/icons/datadog-logs.svg',
  hog: `let entry := {'ddsource': inputs.source, 'service': inputs.service, 'message': inputs.message}
if (notEmpty(inputs.tags)) {
  entry.ddtags := inputs.tags
}
if (notEmpty(inputs.hostname)) {
  entry.hostname := inputs.hostname
}
for (let key, value in inputs.attributes ?? {}) {
  if (value != null and value != '') {
    entry[key] := value
  }
}
let res := fetch(f'https://http-intake.logs.{inputs.site}/api/v2/logs', {
  'method': 'POST',
  'headers': {'DD-API-KEY': inputs.api_key, 'Content-Type': 'application/json'},
  'body': [entry]
})
if (res.status < 200 or res.status >= 300) {
  throw Error(f'Datadog error (status {res.status}): {res.body.errors ?? res.body}')
}
`,
  inputs_schema: [
    {
      key: 'site',
      type: 'choice',
      label: 'Datadog site',
      choices: ['datadoghq.com', 'us3.datadoghq.com', 'us5.datadoghq.com', 'datadoghq.eu', 'ap1.datadoghq.com', 'ap2.datadoghq.com', 'ddog-gov.com'].map((v) => ({ value: v, label: v })),
      default: 'datadoghq.com',
      required: true,
    },
    { key: 'api_key', type: 'string', label: 'API key', description: 'Organization settings → API keys (not an application key).', secret: true, templating: false, required: true, secret_headers: ['DD-API-KEY'] },
    { key: 'service', type: 'string', label: 'Service', default: 'posthog', required: true },
    { key: 'source', type: 'string', label: 'Source (ddsource)', default: 'posthog', required: true },
    { key: 'tags', type: 'string', label: 'Tags (ddtags)', description: 'Comma-separated key:value pairs.', default: 'event:{event.event}', required: false },
    { key: 'hostname', type: 'string', label: 'Hostname', default: '{event.properties.$host}', required: false },
    { key: 'message', type: 'string', label: 'Message', default: '{event.event} by {event.distinct_id}', required: true },
    {
      key: 'attributes',
      type: 'dictionary',
      label: 'Attributes',
      description: 'Extra fields of the log entry; empty values are left out.',
      default: { event: '{event.event}', distinct_id: '{event.distinct_id}', uuid: '{event.uuid}', timestamp: '{event.timestamp}', properties: '{event.properties}' },
      required: false,
    },
  ],
  filters: { events: [], hog: "event.event != '$feature_flag_called'" },
};
