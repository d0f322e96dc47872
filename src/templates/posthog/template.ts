import type { TemplateDefinition } from '../types.js';

/**
 * Replicates events to another PostHog instance through its capture endpoint (`POST {host}/e`), with
 * the same input keys and request as PostHog's own replicator, so a configuration moved over keeps working.
 */
export const template: TemplateDefinition = {
  id: 'template-posthog-replicator',
  name: 'PostHog',
  description: 'Send a copy of each event to another PostHog instance or project, through its capture endpoint.',
  category: ['Custom', 'Analytics'],
  status: 'beta',
  icon_url: '/static/icons/posthog.svg',
  hog: `let host := trimRight(toString(inputs.host ?? ''), '/')
if (empty(host)) {
  throw Error('PostHog replicator: set the host of the receiving instance')
}

// A copy, so the overrides never change the event itself.
let properties := {}
if (inputs.include_all_properties) {
  for (let key, value in event.properties) {
    properties[key] := value
  }
}
for (let key, value in inputs.properties ?? {}) {
  properties[key] := value
}

let res := fetch(f'{host}/e', {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json'},
  'body': {
    'token': inputs.token,
    'event': event.event,
    'timestamp': event.timestamp,
    'distinct_id': event.distinct_id,
    'elements_chain': event.elements_chain,
    'properties': properties
  }
})

// The capture endpoint answers 200 for an accepted event; anything else means the copy was lost.
if (res.status < 200 or res.status >= 300) {
  let detail := typeof(res.body) = 'object' ? (res.body.detail ?? jsonStringify(res.body)) : res.body
  throw Error(f'PostHog replicator: the receiving instance answered {res.status}: {detail}')
}
`,
  inputs_schema: [
    {
      key: 'host',
      type: 'string',
      label: 'PostHog host',
      description: 'The receiving instance. PostHog Cloud is https://us.i.posthog.com or https://eu.i.posthog.com.',
      default: 'https://us.i.posthog.com',
      secret: false,
      required: true,
    },
    {
      key: 'token',
      type: 'string',
      label: 'Project API key',
      description: 'The public project key (phc_…) of the project that receives the copies.',
      secret: false,
      required: true,
    },
    {
      key: 'include_all_properties',
      type: 'boolean',
      label: 'Copy all event properties',
      description: 'When off, only the properties below are sent.',
      default: true,
      secret: false,
      required: true,
    },
    {
      key: 'properties',
      type: 'dictionary',
      label: 'Property overrides',
      description: 'Added to the copied properties, replacing any with the same name.',
      default: {},
      secret: false,
      required: false,
    },
  ],
  filters: {
    events: [],
    hog: "event.event != '$feature_flag_called'",
  },
};
