import type { TemplateDefinition } from '../types.js';

/**
 * PagerDuty Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/):
 * `POST /v2/enqueue` with the integration's routing key in the body. A trigger carries a payload
 * (summary ≤ 1024 characters, source, severity); acknowledge and resolve need only the dedup key.
 * Success is 202 `{status: 'success', dedup_key}`; 400 answers `{status: 'invalid event', message, errors}`.
 */
export const template: TemplateDefinition = {
  id: 'template-pagerduty',
  name: 'PagerDuty',
  description: 'Trigger, acknowledge or resolve a PagerDuty alert (Events API v2) from an event, deduplicated by a key such as the exception fingerprint.',
  category: ['Alerts'],
  status: 'stable',
  icon_url: '/static/icons/pagerduty.svg',
  hog: `let host := 'events.pagerduty.com'
if (inputs.region = 'eu') {
  host := 'events.eu.pagerduty.com'
}
let dedupKey := toString(inputs.dedup_key ?? '')
if (length(dedupKey) > 255) {
  dedupKey := substring(dedupKey, 1, 255)
}
let body := {
  'routing_key': inputs.routing_key,
  'event_action': inputs.event_action
}
if (notEmpty(dedupKey)) {
  body.dedup_key := dedupKey
} else if (inputs.event_action != 'trigger') {
  throw Error(f'PagerDuty: a dedup key is required to {inputs.event_action} an alert')
}
if (inputs.event_action = 'trigger') {
  let summary := toString(inputs.summary ?? '')
  if (empty(summary)) {
    throw Error('PagerDuty: the summary is empty')
  }
  if (length(summary) > 1024) {
    summary := concat(substring(summary, 1, 1023), '…')
  }
  let payload := {
    'summary': summary,
    'source': inputs.source,
    'severity': inputs.severity,
    'timestamp': inputs.timestamp
  }
  if (notEmpty(inputs.component)) {
    payload.component := inputs.component
  }
  if (notEmpty(inputs.group)) {
    payload.group := inputs.group
  }
  if (notEmpty(inputs.class)) {
    payload.class := inputs.class
  }
  if (notEmpty(inputs.custom_details)) {
    payload.custom_details := inputs.custom_details
  }
  body.payload := payload
  body.client := 'Sluice'
  body.client_url := source.url
  let links := []
  for (let text, href in inputs.links ?? {}) {
    if (notEmpty(href)) {
      links := arrayPushBack(links, {'href': href, 'text': text})
    }
  }
  if (notEmpty(links)) {
    body.links := links
  }
}
let res := fetch(f'https://{host}/v2/enqueue', {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json'},
  'body': body
})
if (res.status >= 400) {
  let detail := res.body
  if (typeof(res.body) = 'object') {
    detail := res.body.message ?? jsonStringify(res.body)
    if (notEmpty(res.body.errors)) {
      detail := f'{detail}: {arrayStringConcat(res.body.errors, '; ')}'
    }
  }
  throw Error(f'PagerDuty API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    {
      key: 'routing_key',
      type: 'string',
      label: 'Integration (routing) key',
      description: 'The 32-character key of an "Events API v2" integration on the service.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'region',
      type: 'choice',
      label: 'Region',
      choices: [
        { value: 'us', label: 'US (events.pagerduty.com)' },
        { value: 'eu', label: 'EU (events.eu.pagerduty.com)' },
      ],
      default: 'us',
      required: true,
    },
    {
      key: 'event_action',
      type: 'choice',
      label: 'Action',
      choices: [
        { value: 'trigger', label: 'Trigger' },
        { value: 'acknowledge', label: 'Acknowledge' },
        { value: 'resolve', label: 'Resolve' },
      ],
      default: 'trigger',
      required: true,
    },
    {
      key: 'dedup_key',
      type: 'string',
      label: 'Dedup key',
      description: 'Events with the same key update one alert (≤ 255 characters). Needed to acknowledge or resolve.',
      default: '{event.properties.$exception_fingerprint ?? event.uuid}',
      required: false,
    },
    {
      key: 'summary',
      type: 'string',
      label: 'Summary',
      description: 'The alert title (≤ 1024 characters; longer text is cut).',
      default: '{event.properties.$exception_message ?? event.event} ({person.name})',
      required: false,
    },
    {
      key: 'severity',
      type: 'choice',
      label: 'Severity',
      choices: [
        { value: 'critical', label: 'Critical' },
        { value: 'error', label: 'Error' },
        { value: 'warning', label: 'Warning' },
        { value: 'info', label: 'Info' },
      ],
      default: 'error',
      required: true,
    },
    {
      key: 'source',
      type: 'string',
      label: 'Source',
      description: 'Where the problem happened (a host name or service).',
      default: '{event.properties.$host ?? project.name}',
      required: false,
    },
    { key: 'timestamp', type: 'string', label: 'Timestamp', default: '{event.timestamp}', required: false },
    { key: 'component', type: 'string', label: 'Component', required: false },
    { key: 'group', type: 'string', label: 'Group', required: false },
    { key: 'class', type: 'string', label: 'Class', default: '{event.event}', required: false },
    {
      key: 'custom_details',
      type: 'json',
      label: 'Custom details',
      default: { distinct_id: '{event.distinct_id}', url: '{event.properties.$current_url}', properties: '{event.properties}' },
      required: false,
    },
    {
      key: 'links',
      type: 'dictionary',
      label: 'Links',
      description: 'Link text → URL, shown on the alert. Empty URLs are left out.',
      default: { 'Event in Sluice': '{event.url}', 'Person in Sluice': '{person.url}' },
      required: false,
    },
  ],
  filters: { events: [{ id: '$exception', name: '$exception', type: 'events' }] },
};
