import type { TemplateDefinition } from '../types.js';

/** HubSpot custom events (Events API v3, `POST /events/v3/send`): one request per event, tied to the contact by email. */
export const template: TemplateDefinition = {
  id: 'template-hubspot-event',
  name: 'HubSpot custom events',
  description:
    'Send events to HubSpot as custom event occurrences, associated with the contact by email (one request). The event must be defined in HubSpot first; use its fully qualified name (pe<HubID>_<name>). Events without an email are skipped with a log line.',
  category: ['CRM'],
  status: 'beta',
  icon_url: '/static/icons/hubspot-event.svg',
  hog: `let email := lower(trim(toString(inputs.email ?? '')))
if (empty(email)) {
  print('No email on this person: skipping the HubSpot custom event')
  return
}

let properties := {}
for (let key, value in inputs.properties) {
  if (notEmpty(value)) {
    properties[key] := value
  }
}

let res := fetch('https://api.hubapi.com/events/v3/send', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {inputs.access_token}',
    'Content-Type': 'application/json'
  },
  'body': {
    'eventName': inputs.event_name,
    'email': email,
    'occurredAt': inputs.occurred_at,
    'properties': properties
  }
})

if (res.status >= 400) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := res.body.message ?? jsonStringify(res.body)
  }
  throw Error(f'HubSpot API error (status {res.status}): {message}')
}
`,
  inputs_schema: [
    {
      key: 'access_token',
      type: 'string',
      label: 'Access token',
      description: 'A HubSpot private app access token with the analytics.behavioral_events.send scope.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'event_name',
      type: 'string',
      label: 'Event name',
      description: "The custom event's fully qualified name, e.g. pe12345678_signed_up (HubSpot → Data management → Custom events).",
      secret: false,
      required: true,
    },
    {
      key: 'email',
      type: 'string',
      label: 'Email',
      description: 'The contact the event belongs to. Events without one are skipped.',
      default: '{person.properties.email}',
      secret: false,
      required: true,
    },
    {
      key: 'occurred_at',
      type: 'string',
      label: 'Occurred at',
      default: '{event.timestamp}',
      secret: false,
      required: false,
    },
    {
      key: 'properties',
      type: 'dictionary',
      label: 'Event properties',
      description: 'Properties defined on the custom event in HubSpot. Empty values are left out.',
      default: { hs_page_url: '{event.properties.$current_url}', posthog_event: '{event.event}' },
      secret: false,
      required: false,
    },
  ],
  filters: {
    events: [{ id: null, name: 'All events', type: 'events' }],
    properties: [{ key: "(not startsWith(event.event, '$')) or event.event = '$pageview' or event.event = '$screen'", type: 'hogql' }],
  },
};
