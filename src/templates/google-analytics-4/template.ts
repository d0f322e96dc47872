import type { InputSchemaItem, Mapping } from '../../destinations/model.js';
import type { TemplateDefinition } from '../types.js';

/**
 * Google Analytics 4 Measurement Protocol (`POST /mp/collect`), with PostHog's input keys: the
 * destination holds the measurement ID and API secret; a mapping sets the client ID, event name,
 * parameters and user ID. "Page view" (on by default) sends `$pageview` as `page_view`; "Custom event"
 * (off by default) sends every event under its own name. GA answers 2xx even for payloads it drops, so
 * an event name GA would drop is skipped with a log line, and `validate` first sends the event to the
 * validation server (`/debug/mp/collect`) and fails on its messages (2 requests). Empty parameter
 * values are left out.
 */

function buildInputs(eventName: string, eventParameters: Record<string, string>): InputSchemaItem[] {
  return [
    {
      key: 'clientId',
      type: 'string',
      label: 'Client ID',
      description: 'Identifies the browser or device: the GA client ID when PostHog has it, else the distinct ID. Events without one are skipped.',
      default: '{person.properties.$ga_client_id ?? event.distinct_id}',
      secret: false,
      required: true,
    },
    {
      key: 'eventName',
      type: 'string',
      label: 'Event name',
      description: 'A GA4 event name (page_view, purchase, sign_up, …) or your own: letters, digits and underscores, starting with a letter, at most 40 characters.',
      default: eventName,
      secret: false,
      required: true,
    },
    { key: 'eventParameters', type: 'dictionary', label: 'Event parameters', description: 'Parameters sent with the event; empty values are left out.', default: eventParameters, secret: false, required: false },
    { key: 'userId', type: 'string', label: 'User ID', description: 'Your own user ID (sent as user_id); must not be personal data such as an email.', default: '', secret: false, required: false },
  ];
}

function mapping(name: string, schema: InputSchemaItem[], filters: Mapping['filters'], disabled: boolean): Mapping {
  return {
    name,
    filters,
    inputs_schema: schema,
    inputs: Object.fromEntries(schema.map((item) => [item.key, { value: item.default }])),
    disabled,
  };
}

export const template: TemplateDefinition = {
  id: 'template-google-analytics-4',
  name: 'Google Analytics 4',
  description:
    'Send events to Google Analytics 4 with the Measurement Protocol: page views by default, any event with the Custom event mapping. GA accepts malformed events silently (it answers 2xx and drops them): turn on validation while setting up.',
  category: ['Analytics'],
  status: 'beta',
  icon_url: '/static/icons/google-analytics-4.svg',
  hog: `if (empty(inputs.clientId)) {
  print(f'Google Analytics: event {event.uuid} has no client ID: skipped')
  return
}
let name := inputs.eventName
if (not (toString(name) =~ '^[A-Za-z][A-Za-z0-9_]{0,39}$') or toString(name) =~ '^(google_|ga_|firebase_)') {
  print(f'Google Analytics: event name "{name}" would be dropped by GA (letters, digits and underscores, starting with a letter, at most 40, no google_/ga_/firebase_ prefix): skipped')
  return
}

let params := {}
for (let key, value in inputs.eventParameters ?? {}) {
  if (value != null and value != '') {
    params[key] := value
  }
}
let payload := {
  'client_id': inputs.clientId,
  'events': [{'name': name, 'params': params}]
}
if (notEmpty(inputs.userId)) {
  payload.user_id := inputs.userId
}
let userProperties := {}
for (let key, value in inputs.userProperties ?? {}) {
  if (value != null and value != '') {
    userProperties[key] := {'value': value}
  }
}
if (notEmpty(userProperties)) {
  payload.user_properties := userProperties
}

let host := inputs.region = 'eu' ? 'https://region1.google-analytics.com' : 'https://www.google-analytics.com'
let query := f'measurement_id={encodeURLComponent(inputs.measurementId)}&api_secret={encodeURLComponent(inputs.apiSecret)}'
let request := {'method': 'POST', 'headers': {'Content-Type': 'application/json'}, 'body': payload}
if (inputs.validate) {
  let check := fetch(f'{host}/debug/mp/collect?{query}', request)
  if (check.status >= 300) {
    throw Error(f'Google Analytics API error (status {check.status}): {check.body}')
  }
  let messages := check.body.validationMessages
  if (notEmpty(messages)) {
    throw Error(f'Google Analytics API error (status {check.status}): validation failed: {messages[1].description} ({messages[1].fieldPath}, {messages[1].validationCode})')
  }
}
let res := fetch(f'{host}/mp/collect?{query}', request)
if (res.status >= 400) {
  throw Error(f'Google Analytics API error (status {res.status}): {res.body}')
}
`,
  inputs_schema: [
    { key: 'measurementId', type: 'string', label: 'Measurement ID', description: 'G-XXXXXXXXXX, from Admin → Data streams.', secret: false, required: true },
    {
      key: 'apiSecret',
      type: 'string',
      label: 'Measurement Protocol API secret',
      description: 'Admin → Data streams → your stream → Measurement Protocol API secrets.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'region',
      type: 'choice',
      label: 'Collection endpoint',
      choices: [
        { value: 'global', label: 'Global (www.google-analytics.com)' },
        { value: 'eu', label: 'EU (region1.google-analytics.com)' },
      ],
      default: 'global',
      required: false,
    },
    { key: 'userProperties', type: 'dictionary', label: 'User properties', description: 'Sent as user_properties; empty values are left out.', default: {}, required: false },
    {
      key: 'validate',
      type: 'boolean',
      label: 'Validate each event first',
      description: 'Send each event to the validation server first and fail on its messages. Doubles the requests: use while setting up.',
      default: false,
      required: false,
    },
  ],
  mappings: [
    mapping(
      'Page view',
      buildInputs('page_view', {
        page_location: '{event.properties.$current_url}',
        page_referrer: '{event.properties.$referrer}',
        page_title: '{event.properties.title}',
      }),
      { events: [{ id: '$pageview', name: '$pageview', type: 'events' }] },
      false,
    ),
    mapping('Custom event', buildInputs('{event.event}', {}), {}, true),
  ],
  renamed_inputs: {
    measurement_id: 'measurementId',
    api_secret: 'apiSecret',
    user_properties: 'userProperties',
  },
};
