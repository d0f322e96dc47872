import type { TemplateDefinition } from '../types.js';

/**
 * Elasticsearch index API (https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-index),
 * which OpenSearch shares: `PUT <url>/<index>/_doc/<id>` with the document as JSON. The event uuid is the
 * document id, so a retried delivery overwrites the same document instead of adding a duplicate.
 * Authentication is an Elasticsearch API key (`Authorization: ApiKey <encoded>`, the "encoded" value Kibana
 * shows) or HTTP Basic with a user and password (OpenSearch's usual choice). Errors come back as
 * `{error: {type, reason}, status}`.
 */
export const template: TemplateDefinition = {
  id: 'template-elasticsearch',
  name: 'Elasticsearch / OpenSearch',
  description: 'Index each event as a document in Elasticsearch or OpenSearch, keyed by the event uuid.',
  category: ['Data warehouse'],
  status: 'beta',
  icon_url: '/static/icons/elasticsearch.svg',
  hog: `let base := trim(inputs.url)
if (not match(base, '^https?://[^/]+')) {
  throw Error('Elasticsearch: the URL must start with http:// or https://, such as https://search.example.com:9200')
}
if (base like '%/') {
  base := trimRight(base, '/')
}
let index := lower(trim(inputs.index))
if (not match(index, '^[a-z0-9][a-z0-9._-]*$') or length(index) > 255) {
  throw Error('Elasticsearch: the index name must be lowercase letters, digits, ".", "_" or "-", and not start with one of the symbols')
}
let headers := {'Content-Type': 'application/json'}
if (inputs.auth_type = 'api_key') {
  if (empty(inputs.api_key)) {
    throw Error('Elasticsearch: the API key is empty')
  }
  headers['Authorization'] := f'ApiKey {inputs.api_key}'
} else if (inputs.auth_type = 'basic') {
  headers['Authorization'] := f'Basic {base64Encode(f'{inputs.username}:{inputs.password}')}'
}
let res := fetch(f'{base}/{index}/_doc/{encodeURLComponent(inputs.document_id)}', {
  'method': 'PUT',
  'headers': headers,
  'body': inputs.document
})
if (res.status < 200 or res.status >= 300) {
  let detail := res.body
  if (typeof(res.body) = 'object') {
    let err := res.body.error
    if (typeof(err) = 'object') {
      detail := f'{err.type}: {err.reason}'
    } else {
      detail := err ?? jsonStringify(res.body)
    }
  }
  throw Error(f'Elasticsearch error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    { key: 'url', type: 'string', label: 'Cluster URL', description: 'e.g. https://my-deployment.es.europe-west1.gcp.cloud.es.io or https://opensearch.example.com:9200.', required: true },
    { key: 'index', type: 'string', label: 'Index', description: 'Lowercase; may use the event, e.g. events-{event.event}.', default: 'sluice-events', required: true },
    {
      key: 'auth_type',
      type: 'choice',
      label: 'Authentication',
      choices: [
        { value: 'api_key', label: 'API key (Elasticsearch)' },
        { value: 'basic', label: 'User and password' },
        { value: 'none', label: 'None' },
      ],
      default: 'api_key',
      required: true,
    },
    { key: 'api_key', type: 'string', label: 'API key', description: 'The encoded API key (base64 of id:api_key).', secret: true, templating: false, required: false },
    { key: 'username', type: 'string', label: 'User', templating: false, required: false },
    { key: 'password', type: 'string', label: 'Password', secret: true, templating: false, required: false },
    { key: 'document_id', type: 'string', label: 'Document ID', description: 'The same id twice overwrites one document, so retries do not duplicate.', default: '{event.uuid}', required: true },
    {
      key: 'document',
      type: 'json',
      label: 'Document',
      default: { '@timestamp': '{event.timestamp}', event: '{event.event}', distinct_id: '{event.distinct_id}', properties: '{event.properties}', person: '{person.properties}' },
      required: true,
    },
  ],
  filters: {
    events: [],
    hog: "event.event != '$feature_flag_called'",
  },
};
