import type { TemplateDefinition } from '../types.js';

/**
 * Loops events: `POST /api/v1/events/send`, one request, for the contact with that email (userId: the
 * person id). Input keys, defaults, default filters and the request follow PostHog's Loops event
 * destination; the event name is the PostHog event's.
 */
export const template: TemplateDefinition = {
  id: 'template-loops-event',
  name: 'Loops events',
  description:
    'Send events to Loops to trigger workflows (one request per event), with mapped event properties. Events without an email are skipped with a log line.',
  category: ['Email'],
  status: 'stable',
  icon_url: '/static/icons/loops-event.svg',
  hog: `if (empty(inputs.email)) {
  print('No email on this person: skipping the Loops event')
  return
}

let body := {'email': inputs.email, 'userId': person.id, 'eventName': event.event, 'eventProperties': {}}
if (inputs.include_all_properties) {
  for (let key, value in event.properties) {
    if (notEmpty(value) and not (key like '$%')) {
      body.eventProperties[key] := value
    }
  }
}
for (let key, value in inputs.properties) {
  if (notEmpty(value)) {
    body.eventProperties[key] := value
  }
}

let res := fetch('https://app.loops.so/api/v1/events/send', {
  'method': 'POST',
  'headers': {
    'Content-Type': 'application/json',
    'Authorization': f'Bearer {inputs.apiKey}'
  },
  'body': body
})

// Loops answers {success: false, message} on errors; check the body as well as the status.
if (res.status >= 400 or (typeof(res.body) = 'object' and equals(res.body.success, false))) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := res.body.message ?? jsonStringify(res.body)
  }
  throw Error(f'Loops API error (status {res.status}): {message}')
}
`,
  inputs_schema: [
    { key: 'apiKey', type: 'string', label: 'API key', description: 'Loops → Settings → API.', default: '', secret: true, templating: false, required: true },
    { key: 'email', type: 'string', label: 'Email', description: 'The contact’s email. Events without one are skipped.', default: '{person.properties.email}', secret: false, required: true },
    {
      key: 'include_all_properties',
      type: 'boolean',
      label: 'Send all event properties',
      description: 'Adds every non-$ event property; the mapping below overrides single ones.',
      default: false,
      secret: false,
      required: true,
    },
    {
      key: 'properties',
      type: 'dictionary',
      label: 'Event properties',
      description: 'Values usable in the workflow emails. Empty values are left out.',
      default: { pathname: '{event.properties.$pathname}' },
      secret: false,
      required: false,
    },
  ],
  renamed_inputs: { api_key: 'apiKey', event_properties: 'properties' },
  filters: {
    events: [{ id: '$pageview', name: '$pageview', type: 'events' }],
    actions: [],
    filter_test_accounts: true,
  },
};
