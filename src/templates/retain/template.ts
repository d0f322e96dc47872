import type { TemplateDefinition } from '../types.js';

/**
 * Retain (`POST https://api.retain.so/sources/posthog`): the event and the person's properties as they
 * are, authenticated with the write key after `Basic ` (Retain takes the key itself, not base64 of a
 * user:password pair). Only product usage and identity events are sent: other `$` events are dropped.
 */
export const template: TemplateDefinition = {
  id: 'template-retain',
  name: 'Retain',
  description: 'Send product usage and identity events to Retain, for churn prediction, customer health scores and at-risk account alerts.',
  category: ['Analytics'],
  status: 'beta',
  icon_url: '/static/icons/retain.svg',
  hog: `// Retain ignores PostHog's system events except identity changes: no request for them.
if (startsWith(event.event, '$') and not (event.event in ['$identify', '$set', '$groupidentify'])) {
  return
}

let res := fetch('https://api.retain.so/sources/posthog', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Basic {inputs.writeKey}',
    'Content-Type': 'application/json'
  },
  'body': {
    'event': {
      'uuid': event.uuid,
      'event': event.event,
      'distinct_id': event.distinct_id,
      'properties': event.properties,
      'timestamp': event.timestamp
    },
    'person': {'properties': person.properties}
  }
})

if (res.status >= 400) {
  let detail := typeof(res.body) = 'object' ? (res.body.message ?? jsonStringify(res.body)) : res.body
  throw Error(f'Retain API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    {
      key: 'writeKey',
      type: 'string',
      label: 'Write key',
      description: 'The project write key, starting with rk- (Retain → Settings → Project token).',
      secret: true,
      required: true,
    },
  ],
  filters: { events: [], filter_test_accounts: true },
};
