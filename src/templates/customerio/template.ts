import type { TemplateDefinition } from '../types.js';

/**
 * Customer.io Track API v2 (`POST /api/v2/entity`, basic auth with site ID and API key; US or EU host):
 * one request per event. Input keys and requests follow PostHog's template of the same id. In automatic
 * mode `$identify`/`$set` identify the person, `$pageview` and `$screen` become page and screen views
 * (named by URL and screen name), anything else an event named after it.
 */
export const template: TemplateDefinition = {
  id: 'template-customerio',
  name: 'Customer.io',
  description:
    'Identify people and track events, page views and screens in Customer.io through the Track API v2 (US or EU region), one request per event. Events without an identifier are skipped with a log line.',
  category: ['Email', 'Analytics'],
  status: 'stable',
  icon_url: '/static/icons/customerio.svg',
  hog: `let identifierValue := inputs.identifier_value
if (empty(identifierValue) or empty(inputs.identifier_key)) {
  print('No identifier for this person: skipping Customer.io')
  return
}

let action := inputs.action
let name := event.event
if (action = 'automatic') {
  if (event.event in ('$identify', '$set')) {
    action := 'identify'
    name := null
  } else if (event.event = '$pageview') {
    action := 'page'
    name := event.properties.$current_url
  } else if (event.event = '$screen') {
    action := 'screen'
    name := event.properties.$screen_name
  } else {
    action := 'event'
  }
}

// All properties: the person's for identify, the event's (with its autocapture elements) otherwise.
let attributes := {}
if (inputs.include_all_properties) {
  attributes := action = 'identify' ? person.properties : event.properties
  if (action != 'identify' and notEmpty(event.elements_chain)) {
    attributes['$elements_chain'] := event.elements_chain
  }
}
for (let key, value in inputs.attributes) {
  if (notEmpty(value)) {
    attributes[key] := value
  }
}
// Customer.io caps attribute values at 1000 characters.
for (let key, value in attributes) {
  if (typeof(value) = 'string' and length(value) > 1000) {
    attributes[key] := substring(value, 1, 1000)
  }
}

let res := fetch(f'https://{inputs.host}/api/v2/entity', {
  'method': 'POST',
  'headers': {
    'User-Agent': 'PostHog Customer.io App',
    'Authorization': f'Basic {base64Encode(f'{inputs.site_id}:{inputs.token}')}',
    'Content-Type': 'application/json'
  },
  'body': {
    'type': 'person',
    'action': action,
    'name': name,
    'identifiers': {inputs.identifier_key: identifierValue},
    'attributes': attributes,
    'timestamp': toInt(toUnixTimestamp(toDateTime(event.timestamp)))
  }
})

if (res.status >= 400) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := jsonStringify(res.body.errors ?? res.body.meta.errors ?? res.body)
  }
  throw Error(f'Customer.io API error (status {res.status}) on {action}: {message}')
}
`,
  inputs_schema: [
    {
      key: 'site_id',
      type: 'string',
      label: 'Site ID',
      description: 'Workspace Settings → API credentials → Track API keys.',
      secret: false,
      required: true,
    },
    {
      key: 'token',
      type: 'string',
      label: 'API key',
      description: 'The Track API key for that site ID.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'host',
      type: 'choice',
      label: 'Region',
      description: 'Where your Customer.io account lives.',
      choices: [
        { value: 'track.customer.io', label: 'United States (track.customer.io)' },
        { value: 'track-eu.customer.io', label: 'Europe (track-eu.customer.io)' },
      ],
      default: 'track.customer.io',
      secret: false,
      required: true,
    },
    {
      key: 'identifier_key',
      type: 'choice',
      label: 'Identify people by',
      choices: [
        { value: 'email', label: 'Email' },
        { value: 'id', label: 'ID' },
        { value: 'cio_id', label: 'Customer.io ID' },
      ],
      default: 'email',
      secret: false,
      required: true,
    },
    {
      key: 'identifier_value',
      type: 'string',
      label: 'Identifier',
      description: 'The email, id or cio_id of the person. Events without one are skipped.',
      default: '{person.properties.email}',
      secret: false,
      required: true,
    },
    {
      key: 'action',
      type: 'choice',
      label: 'Action',
      description: 'Automatic: $identify and $set identify, $pageview is a page view, $screen a screen view, anything else an event.',
      choices: [
        { value: 'automatic', label: 'Automatic' },
        { value: 'identify', label: 'Identify' },
        { value: 'event', label: 'Event' },
        { value: 'page', label: 'Page view' },
        { value: 'screen', label: 'Screen view' },
        { value: 'delete', label: 'Delete the person' },
      ],
      default: 'automatic',
      secret: false,
      required: true,
    },
    {
      key: 'include_all_properties',
      type: 'boolean',
      label: 'Send all properties',
      description: "Also send every event property (the person's, for identify) as attributes; the mapping below wins.",
      default: false,
      secret: false,
      required: true,
    },
    {
      key: 'attributes',
      type: 'dictionary',
      label: 'Attributes',
      description: 'Customer.io attributes to send. Empty values are left out; longer texts are cut to 1000 characters.',
      default: {
        email: '{person.properties.email}',
        lastname: '{person.properties.lastname}',
        firstname: '{person.properties.firstname}',
      },
      secret: false,
      required: false,
    },
  ],
  renamed_inputs: { api_key: 'token' },
  filters: {
    events: [
      { id: '$identify', name: '$identify', type: 'events', order: 0 },
      { id: '$pageview', name: '$pageview', type: 'events', order: 0 },
    ],
    filter_test_accounts: true,
  },
};
