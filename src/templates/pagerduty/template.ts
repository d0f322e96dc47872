import type { TemplateDefinition } from '../types.js';

/**
 * PagerDuty Events API v2: `POST /v2/enqueue` with the integration's routing key in the body. Input keys,
 * defaults and the request follow PostHog's template of the same id. A trigger carries a payload (summary
 * cut to 1024 characters, source, severity); acknowledge and resolve send only the key fields and need the
 * dedup key. Success is 202 `{status: 'success', dedup_key}`; 400 answers `{status, message, errors}`.
 */
export const template: TemplateDefinition = {
  id: 'template-pagerduty',
  name: 'PagerDuty',
  description: 'Trigger, acknowledge or resolve a PagerDuty incident (Events API v2) from an event, grouped by a deduplication key.',
  category: ['Alerts'],
  status: 'stable',
  icon_url: '/static/icons/pagerduty.svg',
  hog: `let action := inputs.event_action
if (not has(['trigger', 'acknowledge', 'resolve'], action)) {
  throw Error(f'PagerDuty: the event action must be trigger, acknowledge or resolve, not "{action}"')
}
let host := 'events.pagerduty.com'
if (inputs.region = 'eu') {
  host := 'events.eu.pagerduty.com'
}
let body := {
  'routing_key': inputs.routing_key,
  'event_action': action
}
if (notEmpty(inputs.dedup_key)) {
  body.dedup_key := inputs.dedup_key
} else if (action != 'trigger') {
  throw Error(f'PagerDuty: a dedup key is needed to {action} an incident')
}
if (action = 'trigger') {
  // PagerDuty refuses other severities, and a blank source, with a 400.
  let severity := inputs.severity
  if (not has(['critical', 'error', 'warning', 'info'], severity)) {
    severity := 'error'
  }
  let eventSource := inputs.source
  if (empty(eventSource)) {
    eventSource := 'PostHog'
  }
  let payload := {
    'summary': substring(toString(inputs.summary ?? ''), 1, 1024),
    'source': eventSource,
    'severity': severity
  }
  if (notEmpty(inputs.timestamp)) {
    payload.timestamp := inputs.timestamp
  }
  if (notEmpty(inputs.component)) {
    payload.component := inputs.component
  }
  if (notEmpty(inputs.group)) {
    payload.group := inputs.group
  }
  if (notEmpty(inputs.event_class)) {
    payload.class := inputs.event_class
  }
  if (notEmpty(inputs.custom_details)) {
    payload.custom_details := inputs.custom_details
  }
  body.payload := payload
  body.client := 'PostHog'
  // A list of {href, text}; a dictionary of text → URL (an older Sluice configuration) is turned into one.
  let links := inputs.links
  if (typeof(links) = 'object') {
    let list := []
    for (let text, href in links) {
      if (notEmpty(href)) {
        list := arrayPushBack(list, {'href': href, 'text': text})
      }
    }
    links := list
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
if (res.status < 200 or res.status >= 300) {
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
      secret: false,
      required: false,
    },
    {
      key: 'event_action',
      type: 'choice',
      label: 'Action',
      description: 'Trigger opens an incident; acknowledge and resolve act on the one with the same dedup key.',
      choices: [
        { value: 'trigger', label: 'Trigger' },
        { value: 'acknowledge', label: 'Acknowledge' },
        { value: 'resolve', label: 'Resolve' },
      ],
      default: 'trigger',
      secret: false,
      required: true,
    },
    {
      key: 'dedup_key',
      type: 'string',
      label: 'Dedup key',
      description: 'Events with the same key update one incident, e.g. {event.properties.$exception_fingerprint}. Needed to acknowledge or resolve; empty opens a new incident per trigger.',
      default: '',
      secret: false,
      required: false,
    },
    {
      key: 'summary',
      type: 'string',
      label: 'Summary',
      description: 'The incident title (longer than 1024 characters is cut).',
      default: '{event.event} by {person.name}',
      secret: false,
      required: true,
    },
    {
      key: 'source',
      type: 'string',
      label: 'Source',
      description: 'Where the problem is, e.g. a service or host name.',
      default: '{event.properties.source ?? project.name}',
      secret: false,
      required: true,
    },
    {
      key: 'severity',
      type: 'choice',
      label: 'Severity',
      description: 'Any other value is sent as error.',
      choices: [
        { value: 'critical', label: 'Critical' },
        { value: 'error', label: 'Error' },
        { value: 'warning', label: 'Warning' },
        { value: 'info', label: 'Info' },
      ],
      default: 'error',
      secret: false,
      required: true,
    },
    { key: 'component', type: 'string', label: 'Component', description: 'The part of the source that has the problem (optional).', default: '', secret: false, required: false },
    { key: 'event_class', type: 'string', label: 'Class', description: 'The kind of event, e.g. firing (optional).', default: '', secret: false, required: false },
    { key: 'group', type: 'string', label: 'Group', description: 'A logical grouping of components (optional).', required: false },
    { key: 'timestamp', type: 'string', label: 'Timestamp', description: 'When the problem happened (optional), e.g. {event.timestamp}.', required: false },
    {
      key: 'custom_details',
      type: 'json',
      label: 'Custom details',
      description: 'Extra data shown on the incident.',
      default: { event: '{event}', person: '{person}' },
      secret: false,
      required: false,
    },
    {
      key: 'links',
      type: 'json',
      label: 'Links',
      description: 'A list of {"href": …, "text": …} shown on the incident.',
      default: [{ href: '{event.url}', text: 'View event in PostHog' }],
      secret: false,
      required: false,
    },
  ],
  renamed_inputs: { class: 'event_class' },
  filters: { events: [{ id: '$exception', name: '$exception', type: 'events' }] },
};
