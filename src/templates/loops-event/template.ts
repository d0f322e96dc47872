import type { TemplateDefinition } from '../types.js';

/** Loops events: `POST /api/v1/events/send`, one request, with the event uuid as Idempotency-Key so retries are not sent twice. */
export const template: TemplateDefinition = {
  id: 'template-loops-event',
  name: 'Loops events',
  description:
    'Send events to Loops to trigger workflows (one request, deduplicated by the event uuid as Idempotency-Key). Events without an email or user id are skipped with a log line.',
  category: ['Email'],
  status: 'stable',
  icon_url: '/static/icons/loops-event.svg',
  hog: `let email := lower(trim(toString(inputs.email ?? '')))
let userId := toString(inputs.user_id ?? '')
if (empty(email) and empty(userId)) {
  print('No email or user id on this event: skipping the Loops event')
  return
}

let body := {'eventName': inputs.event_name}
if (notEmpty(email)) {
  body['email'] := email
}
if (notEmpty(userId)) {
  body['userId'] := userId
}
// Loops takes string, number, boolean or date values: nested values are sent as JSON text.
let properties := {}
for (let key, value in inputs.event_properties) {
  if (typeof(value) = 'object' or typeof(value) = 'array') {
    properties[key] := jsonStringify(value)
  } else if (notEmpty(value)) {
    properties[key] := value
  }
}
if (notEmpty(properties)) {
  body['eventProperties'] := properties
}

let res := fetch('https://app.loops.so/api/v1/events/send', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {inputs.api_key}',
    'Content-Type': 'application/json',
    'Idempotency-Key': event.uuid
  },
  'body': body
})

// Loops answers {success: false, message} on errors; 409 means this event was already sent.
if (res.status = 409) {
  print(f'Loops already received event {event.uuid}; not sending it twice')
  return
}
if (res.status >= 400 or (typeof(res.body) = 'object' and equals(res.body.success, false))) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := res.body.message ?? jsonStringify(res.body)
  }
  throw Error(f'Loops API error (status {res.status}): {message}')
}
`,
  inputs_schema: [
    { key: 'api_key', type: 'string', label: 'API key', description: 'Loops → Settings → API.', secret: true, templating: false, required: true },
    { key: 'event_name', type: 'string', label: 'Event name', default: '{event.event}', secret: false, required: true },
    { key: 'email', type: 'string', label: 'Email', default: '{person.properties.email}', secret: false, required: false },
    {
      key: 'user_id',
      type: 'string',
      label: 'User ID',
      description: 'Optional: the contact userId (it must already be set on the contact).',
      secret: false,
      required: false,
    },
    {
      key: 'event_properties',
      type: 'dictionary',
      label: 'Event properties',
      description: 'Values usable in the workflow emails. Empty values are left out.',
      default: { url: '{event.properties.$current_url}' },
      secret: false,
      required: false,
    },
  ],
  filters: {
    events: [{ id: null, name: 'All events', type: 'events' }],
    properties: [{ key: "(not startsWith(event.event, '$')) or event.event = '$pageview' or event.event = '$screen'", type: 'hogql' }],
  },
};
