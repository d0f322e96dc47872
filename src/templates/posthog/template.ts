import type { TemplateDefinition } from '../types.js';

/** Replicates events to another PostHog instance through its capture endpoint (`/i/v0/e/`). */
export const template: TemplateDefinition = {
  id: 'template-posthog-replicator',
  name: 'PostHog',
  description: 'Send a copy of each event to another PostHog instance or project, through its capture endpoint.',
  category: ['Custom', 'Analytics'],
  status: 'beta',
  icon_url: '/static/icons/posthog.svg',
  hog: `let host := inputs.host
if (empty(host)) {
  throw Error('PostHog: the host input is empty')
}
if (trimRight(host, '/') != host) {
  host := trimRight(host, '/')
}

let properties := {}
if (inputs.include_all_properties) {
  for (let key, value in event.properties) {
    properties[key] := value
  }
}
for (let key, value in inputs.properties ?? {}) {
  properties[key] := value
}

let res := fetch(f'{host}/i/v0/e/', {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json'},
  'body': {
    'api_key': inputs.token,
    'event': event.event,
    'distinct_id': event.distinct_id,
    'uuid': event.uuid,
    'timestamp': event.timestamp,
    'properties': properties
  }
})

if (res.status < 200 or res.status >= 300) {
  throw Error(f'PostHog API error (status {res.status}): {res.body.detail ?? res.body}')
}
`,
  inputs_schema: [
    { key: 'host', type: 'string', label: 'PostHog host', description: 'For PostHog Cloud, https://us.i.posthog.com or https://eu.i.posthog.com.', default: 'https://us.i.posthog.com', required: true },
    { key: 'token', type: 'string', label: 'Project API key', description: 'The destination project’s API key (phc_…).', secret: true, templating: false, required: true },
    { key: 'include_all_properties', type: 'boolean', label: 'Include all event properties', default: true, required: false },
    { key: 'properties', type: 'dictionary', label: 'Extra properties', description: 'Added to (or replacing) the event’s properties.', default: {}, required: false },
  ],
  filters: {
    events: [],
    hog: "event.event != '$feature_flag_called'",
  },
};
