import type { TemplateDefinition } from '../types.js';

/**
 * witn (`POST {api_base_url}/v1/events`, bearer API key): one event per PostHog event, grouped by witn
 * into an outcome by its `key`. Optional fields and empty properties are left out. An event without a
 * key, action or customer key cannot be placed in an outcome: it is logged and dropped.
 */
export const template: TemplateDefinition = {
  id: 'template-witn',
  name: 'witn',
  description: 'Send events to witn for outcome tracking and billing conditions. Events with no key, action or customer key are skipped with a log line.',
  category: ['Analytics'],
  status: 'beta',
  icon_url: '/static/icons/witn.svg',
  hog: `for (let pair in [['key', inputs.key], ['action', inputs.action], ['customer key', inputs.customer_key]]) {
  if (empty(pair[2])) {
    print(f'witn: the {pair[1]} is empty for this {event.event} event, so nothing is sent')
    return
  }
}

let body := {'key': inputs.key, 'action': inputs.action, 'customer_key': inputs.customer_key}
for (let field in ['agent_key', 'timestamp', 'idempotency_key']) {
  if (notEmpty(inputs[field])) {
    body[field] := inputs[field]
  }
}
let properties := {}
for (let name, value in inputs.properties ?? {}) {
  if (notEmpty(value)) {
    properties[name] := value
  }
}
if (notEmpty(properties)) {
  body.properties := properties
}

let base := trim(toString(inputs.api_base_url ?? ''))
while (base =~ '/$') {
  base := substring(base, 1, length(base) - 1)
}
let res := fetch(f'{base}/v1/events', {
  'method': 'POST',
  'headers': {'Authorization': f'Bearer {inputs.api_key}', 'Content-Type': 'application/json'},
  'body': body
})

if (res.status < 200 or res.status >= 300) {
  let detail := typeof(res.body) = 'object' ? jsonStringify(res.body) : res.body
  throw Error(f'witn API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    { key: 'api_key', type: 'string', label: 'API key', secret: true, required: true },
    {
      key: 'api_base_url',
      type: 'string',
      label: 'API base URL',
      default: 'https://api.thewitn.com',
      secret: false,
      required: true,
    },
    {
      key: 'key',
      type: 'string',
      label: 'Key',
      description:
        'Groups events into one outcome: use something stable for the whole outcome (ticket, session or order id), not a per-event value. 8 to 255 characters.',
      default: '{event.properties.key}',
      secret: false,
      required: true,
    },
    { key: 'action', type: 'string', label: 'Action', description: 'What happened; witn matches it against the billable condition.', default: '{event.event}', secret: false, required: true },
    { key: 'customer_key', type: 'string', label: 'Customer key', description: 'The customer in witn.', default: '{person.properties.email}', secret: false, required: true },
    { key: 'agent_key', type: 'string', label: 'Agent key', description: 'Optional; witn infers the agent when empty.', default: '', secret: false, required: false },
    {
      key: 'idempotency_key',
      type: 'string',
      label: 'Idempotency key',
      description: 'Makes retries safe: the same key for the same outcome is counted once.',
      default: '{event.uuid}',
      secret: false,
      required: false,
    },
    { key: 'timestamp', type: 'string', label: 'Event timestamp', description: 'ISO 8601; optional.', default: '{event.timestamp}', secret: false, required: false },
    {
      key: 'properties',
      type: 'dictionary',
      label: 'Properties',
      description: 'Optional metadata; empty values are left out. witn reads value, attribution and settles_at for conditions and billing.',
      default: {
        value: '{event.properties.value}',
        attribution: '{event.properties.attribution}',
        settles_at: '{event.properties.settles_at}',
      },
      secret: false,
      required: false,
    },
  ],
  filters: { events: [], filter_test_accounts: true },
};
