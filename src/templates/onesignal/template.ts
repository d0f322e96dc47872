import type { TemplateDefinition } from '../types.js';

/**
 * OneSignal Custom Events API: records an event on the user with this external id, which Journeys can
 * then react to. Authenticated with the app's REST API key as `Key <key>`. Input keys follow PostHog's
 * OneSignal template.
 */
export const template: TemplateDefinition = {
  id: 'template-onesignal',
  name: 'OneSignal',
  description: 'Send events to OneSignal as custom events, to trigger Journeys and push notifications.',
  category: ['SMS & Push'],
  status: 'beta',
  icon_url: '/static/icons/onesignal.svg',
  hog: `if (empty(inputs.externalId)) {
  print('No external id set, so no event is sent.')
  return
}
let properties := inputs.eventProperties
if (empty(properties)) {
  properties := event.properties
}
let res := fetch(f'https://api.onesignal.com/apps/{encodeURLComponent(inputs.appId)}/custom_events', {
  'method': 'POST',
  'headers': {'Authorization': f'Key {inputs.apiKey}', 'Content-Type': 'application/json'},
  'body': {
    'events': [{'name': inputs.eventName, 'external_id': inputs.externalId, 'timestamp': inputs.eventTimestamp, 'properties': properties}]
  }
})
if (res.status < 200 or res.status >= 300) {
  throw Error(f'OneSignal API error (status {res.status}): {res.body.errors[1] ?? res.body}')
}
`,
  inputs_schema: [
    { key: 'appId', type: 'string', label: 'App ID', description: 'Settings → Keys & IDs.', templating: false, required: true },
    { key: 'apiKey', type: 'string', label: 'REST API key', description: 'Settings → Keys & IDs.', secret: true, templating: false, required: true, secret_headers: ['Authorization'] },
    { key: 'externalId', type: 'string', label: 'External ID', description: 'The user’s external id in OneSignal.', default: '{event.distinct_id}', required: true },
    { key: 'eventName', type: 'string', label: 'Event name', default: '{event.event}', required: true },
    { key: 'eventProperties', type: 'dictionary', label: 'Event properties', description: 'Empty: all the event’s properties.', default: {}, required: false },
    { key: 'eventTimestamp', type: 'string', label: 'Timestamp', default: '{event.timestamp}', required: false },
  ],
  filters: {
    events: [],
    hog: "event.event != '$feature_flag_called' and event.event != '$pageleave'",
  },
};
