import type { TemplateDefinition } from '../types.js';

/**
 * OneSignal Custom Events API: records an event on the user with this external id, which Journeys can
 * then react to. Authenticated with the app's REST API key as `Key <key>`. Input keys, defaults and the
 * request (including OneSignal's partner usage header) follow PostHog's OneSignal template.
 */
export const template: TemplateDefinition = {
  id: 'template-onesignal',
  name: 'OneSignal',
  description: 'Send events to OneSignal as custom events, to trigger Journeys and push notifications. Events whose external id is empty are skipped with a log line.',
  category: ['SMS & Push'],
  status: 'beta',
  icon_url: '/static/icons/onesignal.svg',
  hog: `if (empty(inputs.externalId)) {
  print('No external id set, so no event is sent.')
  return
}
// No properties configured: send all of the event's.
let properties := inputs.eventProperties
if (empty(properties)) {
  properties := event.properties
}
let res := fetch(f'https://api.onesignal.com/apps/{inputs.appId}/custom_events', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Key {inputs.apiKey}',
    'Content-Type': 'application/json',
    'OneSignal-Usage': 'PostHog | Partner Integration'
  },
  'body': {
    'events': [{'external_id': inputs.externalId, 'name': inputs.eventName, 'properties': properties, 'timestamp': inputs.eventTimestamp}]
  }
})
if (res.status < 200 or res.status >= 300) {
  throw Error(f'OneSignal API error (status {res.status}): {res.body.errors[1] ?? res.body}')
}
`,
  inputs_schema: [
    { key: 'appId', type: 'string', label: 'App ID', description: 'Settings → Keys & IDs.', default: '', secret: false, required: true },
    {
      key: 'apiKey',
      type: 'string',
      label: 'REST API key',
      description: 'Settings → Keys & IDs.',
      default: '',
      secret: true,
      templating: false,
      required: true,
      secret_headers: ['Authorization'],
    },
    { key: 'externalId', type: 'string', label: 'External ID', description: 'The id that names this person in OneSignal and your other systems.', default: '{person.id}', secret: false, required: true },
    { key: 'eventName', type: 'string', label: 'Event name', default: '{event.event}', secret: false, required: true },
    { key: 'eventProperties', type: 'json', label: 'Event properties', description: 'Empty: all the event’s properties.', default: {}, secret: false, required: false },
    { key: 'eventTimestamp', type: 'string', label: 'Timestamp', default: '{event.timestamp}', secret: false, required: true },
  ],
  filters: {
    events: [],
    hog: "event.event != '$feature_flag_called' and event.event != '$pageleave'",
  },
};
