import type { TemplateDefinition } from '../types.js';

/**
 * Opsgenie Alert API (https://docs.opsgenie.com/docs/alert-api#create-alert): `POST /v2/alerts` with
 * `Authorization: GenieKey <key>` (an API integration key). `message` ≤ 130 characters, `alias` ≤ 512 (the
 * dedup key), `description` ≤ 15000, `details` a map of strings. Creation is asynchronous: 202
 * `{result: 'Request will be processed', requestId}`; errors answer `{message, errors?, requestId}`.
 */
export const template: TemplateDefinition = {
  id: 'template-opsgenie',
  name: 'Opsgenie',
  description: 'Create an Opsgenie alert from an event (Alert API), deduplicated by an alias such as the exception fingerprint.',
  category: ['Alerts'],
  status: 'stable',
  icon_url: '/static/icons/opsgenie.svg',
  hog: `fun cut(text, max) {
  let s := toString(text ?? '')
  if (length(s) > max) {
    return concat(substring(s, 1, max - 1), '…')
  }
  return s
}
let host := 'api.opsgenie.com'
if (inputs.region = 'eu') {
  host := 'api.eu.opsgenie.com'
}
let message := cut(inputs.message, 130)
if (empty(message)) {
  throw Error('Opsgenie: the message is empty')
}
let body := {
  'message': message,
  'priority': inputs.priority,
  'source': 'Sluice'
}
if (notEmpty(inputs.alias)) {
  body.alias := substring(toString(inputs.alias), 1, 512)
}
if (notEmpty(inputs.description)) {
  body.description := cut(inputs.description, 15000)
}
if (notEmpty(inputs.entity)) {
  body.entity := cut(inputs.entity, 512)
}
if (notEmpty(inputs.tags)) {
  body.tags := arrayFilter(t -> notEmpty(t), arrayMap(t -> toString(t ?? ''), inputs.tags))
}
if (notEmpty(inputs.responders)) {
  body.responders := inputs.responders
}
let details := {}
for (let key, value in inputs.details ?? {}) {
  if (value != null) {
    if (typeof(value) = 'string') {
      details[key] := value
    } else {
      details[key] := jsonStringify(value)
    }
  }
}
if (notEmpty(details)) {
  body.details := details
}
let res := fetch(f'https://{host}/v2/alerts', {
  'method': 'POST',
  'headers': {
    'Authorization': f'GenieKey {inputs.api_key}',
    'Content-Type': 'application/json'
  },
  'body': body
})
if (res.status >= 400) {
  let detail := res.body
  if (typeof(res.body) = 'object') {
    detail := res.body.message ?? jsonStringify(res.body)
    if (notEmpty(res.body.errors)) {
      detail := f'{detail} {jsonStringify(res.body.errors)}'
    }
  }
  throw Error(f'Opsgenie API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    {
      key: 'api_key',
      type: 'string',
      label: 'API integration key',
      description: 'The key of an Opsgenie "API" integration (Settings → Integrations → API), with create access.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'region',
      type: 'choice',
      label: 'Region',
      choices: [
        { value: 'us', label: 'US (api.opsgenie.com)' },
        { value: 'eu', label: 'EU (api.eu.opsgenie.com)' },
      ],
      default: 'us',
      required: true,
    },
    {
      key: 'message',
      type: 'string',
      label: 'Message',
      description: 'The alert title (≤ 130 characters; longer text is cut).',
      default: '{event.properties.$exception_message ?? event.event}',
      required: true,
    },
    {
      key: 'alias',
      type: 'string',
      label: 'Alias',
      description: 'Alerts with the same alias are deduplicated (≤ 512 characters).',
      default: '{event.properties.$exception_fingerprint ?? event.uuid}',
      required: false,
    },
    {
      key: 'description',
      type: 'string',
      label: 'Description',
      default: '{event.event} by {person.name} on {event.properties.$current_url}\n{event.url}',
      required: false,
    },
    {
      key: 'priority',
      type: 'choice',
      label: 'Priority',
      choices: ['P1', 'P2', 'P3', 'P4', 'P5'].map((p) => ({ value: p, label: p })),
      default: 'P3',
      required: true,
    },
    { key: 'entity', type: 'string', label: 'Entity', description: 'The domain of the alert, e.g. a service name (optional).', required: false },
    { key: 'tags', type: 'json', label: 'Tags', description: 'A list of tags.', default: ['sluice', '{event.event}'], required: false },
    {
      key: 'responders',
      type: 'json',
      label: 'Responders',
      description: 'Optional, e.g. [{"type": "team", "name": "Web"}]. Without it the integration’s team is notified.',
      required: false,
    },
    {
      key: 'details',
      type: 'dictionary',
      label: 'Details',
      description: 'Extra key → value properties; non-string values are sent as JSON text.',
      default: { distinct_id: '{event.distinct_id}', person: '{person.name}', person_url: '{person.url}' },
      required: false,
    },
  ],
  filters: { events: [{ id: '$exception', name: '$exception', type: 'events' }] },
};
