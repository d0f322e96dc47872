import type { TemplateDefinition } from '../types.js';

/**
 * Confluent REST Proxy / Confluent Cloud REST API: produce one record per event to a topic.
 * v3: `POST <url>/v3/clusters/<cluster_id>/topics/<topic>/records` with `{key: {type, data}, value: {type, data}}`;
 * an answer can be 200 and still carry an `error_code` other than 200 for the record, so both are checked.
 * v2 (REST Proxy only): `POST <url>/topics/<topic>` with `application/vnd.kafka.json.v2+json` and
 * `{records: [{key, value}]}`; per-record errors come back in `offsets[].error`.
 * Credentials (a Confluent Cloud API key and secret, or proxy basic auth) go in a Basic header.
 */
export const template: TemplateDefinition = {
  id: 'template-kafka-rest',
  name: 'Kafka (REST Proxy)',
  description: 'Produce each event as a JSON record to a Kafka topic through the Confluent REST Proxy or Confluent Cloud REST API.',
  category: ['Data warehouse'],
  status: 'beta',
  icon_url: '/static/icons/kafka-rest.svg',
  hog: `let base := trim(inputs.url)
if (not match(base, '^https?://[^/]+')) {
  throw Error('Kafka REST: the URL must be the REST endpoint, such as https://pkc-123.eu-west-1.aws.confluent.cloud:443')
}
if (base like '%/') {
  base := trimRight(base, '/')
}
let topic := encodeURLComponent(inputs.topic)
let key := empty(inputs.key) ? null : toString(inputs.key)
let headers := {}
if (notEmpty(inputs.username)) {
  headers['Authorization'] := f'Basic {base64Encode(f'{inputs.username}:{inputs.password}')}'
}

let url := ''
let body := {}
if (inputs.api_version = 'v2') {
  url := f'{base}/topics/{topic}'
  headers['Content-Type'] := 'application/vnd.kafka.json.v2+json'
  headers['Accept'] := 'application/vnd.kafka.v2+json'
  body := {'records': [{'key': key, 'value': inputs.value}]}
} else {
  if (empty(inputs.cluster_id)) {
    throw Error('Kafka REST: the v3 API needs the cluster ID')
  }
  url := f'{base}/v3/clusters/{encodeURLComponent(inputs.cluster_id)}/topics/{topic}/records'
  headers['Content-Type'] := 'application/json'
  body := {'value': {'type': 'JSON', 'data': inputs.value}}
  if (key != null) {
    body.key := {'type': 'STRING', 'data': key}
  }
}

let res := fetch(url, {'method': 'POST', 'headers': headers, 'body': body})
if (res.status < 200 or res.status >= 300) {
  throw Error(f'Kafka REST error (status {res.status}): {res.body.message ?? res.body}')
}
if (res.body.error_code != null and res.body.error_code != 200) {
  throw Error(f'Kafka REST rejected the record (error {res.body.error_code}): {res.body.message}')
}
for (let offset in res.body.offsets ?? []) {
  if (notEmpty(offset.error)) {
    throw Error(f'Kafka REST rejected the record (error {offset.error_code}): {offset.error}')
  }
}
`,
  inputs_schema: [
    { key: 'url', type: 'string', label: 'REST endpoint', description: 'REST Proxy (http://rest-proxy:8082) or Confluent Cloud cluster REST endpoint.', required: true },
    { key: 'api_version', type: 'choice', label: 'API', choices: [{ value: 'v3', label: 'v3 (Confluent Cloud and REST Proxy)' }, { value: 'v2', label: 'v2 (REST Proxy)' }], default: 'v3', required: true },
    { key: 'cluster_id', type: 'string', label: 'Cluster ID (v3)', description: 'lkc-… on Confluent Cloud; GET /v3/clusters on a proxy.', default: '', templating: false, required: false },
    { key: 'topic', type: 'string', label: 'Topic', default: 'posthog-events', required: true },
    { key: 'username', type: 'string', label: 'API key / user', default: '', templating: false, required: false },
    { key: 'password', type: 'string', label: 'API secret / password', secret: true, templating: false, required: false, secret_headers: ['Authorization'] },
    { key: 'key', type: 'string', label: 'Record key', description: 'Records with the same key keep their order in one partition.', default: '{event.distinct_id}', required: false },
    {
      key: 'value',
      type: 'json',
      label: 'Record value',
      default: { uuid: '{event.uuid}', event: '{event.event}', distinct_id: '{event.distinct_id}', timestamp: '{event.timestamp}', properties: '{event.properties}', person_id: '{person.id}' },
      required: true,
    },
  ],
  filters: { events: [], hog: "event.event != '$feature_flag_called'" },
};
