import type { TemplateDefinition } from '../types.js';

/** Intercom data events (`POST /events`): one request per event; the contact is found by email or user id. */
export const template: TemplateDefinition = {
  id: 'template-intercom-event',
  name: 'Intercom events',
  description:
    'Send events to Intercom as data events on the contact with that email or user id (one request; the contact must exist, e.g. through the Intercom contacts template). Events with neither are skipped with a log line.',
  category: ['Support'],
  status: 'stable',
  icon_url: '/static/icons/intercom-event.svg',
  hog: `let email := lower(trim(toString(inputs.email ?? '')))
let userId := toString(inputs.user_id ?? '')
if (empty(email) and empty(userId)) {
  print('No email or user id on this event: skipping the Intercom event')
  return
}

let body := {
  'event_name': inputs.event_name,
  'created_at': floor(toUnixTimestamp(event.timestamp))
}
if (notEmpty(userId)) {
  body['user_id'] := userId
}
if (notEmpty(email)) {
  body['email'] := email
}
// Intercom takes flat metadata (at most 10 keys): nested values are sent as JSON text.
let metadata := {}
for (let key, value in inputs.metadata) {
  if (typeof(value) = 'object' or typeof(value) = 'array') {
    metadata[key] := jsonStringify(value)
  } else if (notEmpty(value)) {
    metadata[key] := value
  }
}
if (notEmpty(metadata)) {
  body['metadata'] := metadata
}

let res := fetch(f'https://{inputs.host}/events', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {inputs.access_token}',
    'Content-Type': 'application/json',
    'Accept': 'application/json',
    'Intercom-Version': '2.14'
  },
  'body': body
})

if (res.status >= 400) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := jsonStringify(res.body)
    if (notEmpty(res.body.errors)) {
      message := res.body.errors[1].message ?? message
    }
  }
  throw Error(f'Intercom API error (status {res.status}): {message}')
}
`,
  inputs_schema: [
    {
      key: 'access_token',
      type: 'string',
      label: 'Access token',
      description: 'An Intercom access token with write access to events.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'host',
      type: 'choice',
      label: 'Data region',
      choices: [
        { value: 'api.intercom.io', label: 'United States (api.intercom.io)' },
        { value: 'api.eu.intercom.io', label: 'Europe (api.eu.intercom.io)' },
        { value: 'api.au.intercom.io', label: 'Australia (api.au.intercom.io)' },
      ],
      default: 'api.intercom.io',
      secret: false,
      required: true,
    },
    { key: 'event_name', type: 'string', label: 'Event name', default: '{event.event}', secret: false, required: true },
    { key: 'email', type: 'string', label: 'Email', default: '{person.properties.email}', secret: false, required: false },
    {
      key: 'user_id',
      type: 'string',
      label: 'User ID',
      description: 'Your external_id for the contact; leave empty to match by email only.',
      secret: false,
      required: false,
    },
    {
      key: 'metadata',
      type: 'dictionary',
      label: 'Metadata',
      description: 'Up to 10 flat key/values. Empty values are left out.',
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
