import type { TemplateDefinition } from '../types.js';

/**
 * Tinybird Events API: `POST <host>/v0/events?name=<data source>` with a bearer token (DATASOURCES:APPEND)
 * and the row as one NDJSON line. Tinybird answers 202 with `successful_rows` and `quarantined_rows`; a
 * quarantined row (it did not fit the data source schema) is reported as an error, since it is not stored.
 */
export const template: TemplateDefinition = {
  id: 'template-tinybird',
  name: 'Tinybird',
  description: 'Stream each event as a row into a Tinybird data source through the Events API.',
  category: ['Data warehouse'],
  status: 'beta',
  icon_url: '/static/icons/tinybird.svg',
  hog: `let host := trimRight(trim(inputs.host), '/')
if (not match(host, '^https?://[^/]+')) {
  throw Error('Tinybird: the host must be your region’s API address, such as https://api.tinybird.co')
}
let url := f'{host}/v0/events?name={encodeURLComponent(inputs.datasource)}'
if (inputs.wait) {
  url := f'{url}&wait=true'
}
let res := fetch(url, {
  'method': 'POST',
  'headers': {'Authorization': f'Bearer {inputs.token}', 'Content-Type': 'application/x-ndjson'},
  'body': f'{jsonStringify(inputs.row)}\\n'
})
if (res.status < 200 or res.status >= 300) {
  throw Error(f'Tinybird error (status {res.status}): {res.body.error ?? res.body}')
}
if (res.body.quarantined_rows > 0) {
  throw Error('Tinybird quarantined the row: it does not match the data source schema (see its quarantine table)')
}
`,
  inputs_schema: [
    { key: 'host', type: 'string', label: 'API host', description: 'https://api.tinybird.co, https://api.us-east.tinybird.co, … or http://localhost:7181 for Tinybird Local.', default: 'https://api.tinybird.co', templating: false, required: true },
    { key: 'datasource', type: 'string', label: 'Data source', default: 'posthog_events', templating: false, required: true },
    { key: 'token', type: 'string', label: 'Token', description: 'A token with DATASOURCES:APPEND on the data source.', secret: true, templating: false, required: true },
    {
      key: 'row',
      type: 'json',
      label: 'Row',
      description: 'Column → value, as the data source’s jsonpaths expect.',
      default: { timestamp: '{event.timestamp}', uuid: '{event.uuid}', event: '{event.event}', distinct_id: '{event.distinct_id}', properties: '{event.properties}' },
      required: true,
    },
    { key: 'wait', type: 'boolean', label: 'Wait for the write', description: 'Answer only once the row is stored (slower, but no silent loss).', default: false, required: false },
  ],
  filters: { events: [], hog: "event.event != '$feature_flag_called'" },
};
