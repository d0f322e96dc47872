import type { TemplateDefinition } from '../types.js';

/**
 * incident.io alert events through an HTTP alert source
 * (https://api-docs.incident.io/tag/Alert-Events-V2): `POST https://api.incident.io/v2/alert_events/http/<config id>`
 * with `Authorization: Bearer <token>`, both shown when the "HTTP" alert source is created. The body has a
 * `title`, a `status` (`firing` or `resolved`), an optional `deduplication_key` (events with the same key
 * update one alert), `description`, `source_url` and `metadata` (free-form JSON that alert routes can filter
 * on). Accepted events answer 202 `{status: 'success', message, deduplication_key}`; errors answer
 * `{type, status, request_id, errors: [{code, message}]}`.
 */
export const template: TemplateDefinition = {
  id: 'template-incident-io',
  name: 'incident.io',
  description: 'Fire (or resolve) an incident.io alert through an HTTP alert source, deduplicated by a key such as the exception fingerprint.',
  category: ['Alerts'],
  status: 'beta',
  icon_url: '/static/icons/incident-io.svg',
  hog: `let configId := trim(inputs.alert_source_config_id ?? '')
if (not match(configId, '^[A-Za-z0-9]+$')) {
  throw Error('incident.io: the alert source config id must be letters and digits only, e.g. 01GW2G3V0S59R238FAHPDS1R66')
}
let title := toString(inputs.title ?? '')
if (empty(title)) {
  throw Error('incident.io: the alert title is empty')
}
let body := {'title': title, 'status': inputs.status ?? 'firing'}
if (notEmpty(inputs.deduplication_key)) {
  body.deduplication_key := toString(inputs.deduplication_key)
}
if (notEmpty(inputs.description)) {
  body.description := inputs.description
}
if (notEmpty(inputs.source_url)) {
  body.source_url := inputs.source_url
}
if (notEmpty(inputs.metadata)) {
  body.metadata := inputs.metadata
}
let res := fetch(f'https://api.incident.io/v2/alert_events/http/{configId}', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {inputs.token}',
    'Content-Type': 'application/json'
  },
  'body': body
})
if (res.status >= 400) {
  let detail := res.body
  if (typeof(res.body) = 'object') {
    detail := jsonStringify(res.body)
    if (notEmpty(res.body.errors)) {
      detail := arrayStringConcat(arrayMap(e -> e.message ?? jsonStringify(e), res.body.errors), '; ')
      detail := f'{detail} ({res.body.type})'
    }
  }
  throw Error(f'incident.io API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    {
      key: 'alert_source_config_id',
      type: 'string',
      label: 'Alert source config ID',
      description: 'Alerts → Sources → New → HTTP: the id at the end of the URL shown there.',
      templating: false,
      required: true,
    },
    {
      key: 'token',
      type: 'string',
      label: 'Token',
      description: 'The bearer token shown with the HTTP alert source.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'status',
      type: 'choice',
      label: 'Status',
      choices: [
        { value: 'firing', label: 'Firing' },
        { value: 'resolved', label: 'Resolved' },
      ],
      default: 'firing',
      required: true,
    },
    {
      key: 'title',
      type: 'string',
      label: 'Title',
      default: '{event.properties.$exception_message ?? event.event}',
      required: true,
    },
    {
      key: 'deduplication_key',
      type: 'string',
      label: 'Deduplication key',
      description: 'Events with the same key update one alert (and a resolved event with it resolves that alert).',
      default: '{event.properties.$exception_fingerprint ?? event.uuid}',
      required: false,
    },
    {
      key: 'description',
      type: 'string',
      label: 'Description',
      default: '{event.event} by {person.name} on {event.properties.$current_url}',
      required: false,
    },
    { key: 'source_url', type: 'string', label: 'Source URL', default: '{event.url}', required: false },
    {
      key: 'metadata',
      type: 'json',
      label: 'Metadata',
      description: 'Free-form JSON that alert routes and attributes can use.',
      default: { event: '{event.event}', distinct_id: '{event.distinct_id}', person_url: '{person.url}' },
      required: false,
    },
  ],
  filters: { events: [{ id: '$exception', name: '$exception', type: 'events' }] },
};
