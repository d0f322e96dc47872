import type { TemplateDefinition } from '../types.js';

const BRAZE_ENDPOINTS: [string, string][] = [
  ['https://rest.iad-01.braze.com', 'US-01 (rest.iad-01.braze.com)'],
  ['https://rest.iad-02.braze.com', 'US-02 (rest.iad-02.braze.com)'],
  ['https://rest.iad-03.braze.com', 'US-03 (rest.iad-03.braze.com)'],
  ['https://rest.iad-04.braze.com', 'US-04 (rest.iad-04.braze.com)'],
  ['https://rest.iad-05.braze.com', 'US-05 (rest.iad-05.braze.com)'],
  ['https://rest.iad-06.braze.com', 'US-06 (rest.iad-06.braze.com)'],
  ['https://rest.iad-07.braze.com', 'US-07 (rest.iad-07.braze.com)'],
  ['https://rest.iad-08.braze.com', 'US-08 (rest.iad-08.braze.com)'],
  ['https://rest.fra-01.braze.eu', 'EU-01 (rest.fra-01.braze.eu)'],
  ['https://rest.fra-02.braze.eu', 'EU-02 (rest.fra-02.braze.eu)'],
  ['https://rest.au-01.braze.com', 'AU-01 (rest.au-01.braze.com)'],
];

/**
 * Braze `POST /users/track`: user attributes and the event in one request. `$identify` and `$set`
 * send attributes only. Braze rejects event property keys starting with `$`, so those are left out.
 * A 2xx whose `message` is not "success" fails; non-fatal `errors` in a success are logged.
 */
export const template: TemplateDefinition = {
  id: 'template-braze',
  name: 'Braze',
  description:
    'Send user attributes and events to Braze through /users/track on your REST endpoint (one request; $identify and $set send attributes only). Events without an external id are skipped with a log line.',
  category: ['Email', 'SMS & Push'],
  status: 'beta',
  icon_url: '/static/icons/braze.svg',
  hog: `let externalId := toString(inputs.external_id ?? '')
if (empty(externalId)) {
  print('No external id for this person: skipping Braze')
  return
}

let attributes := {'external_id': externalId}
for (let key, value in inputs.attributes) {
  if (notEmpty(value)) {
    attributes[key] := value
  }
}
let body := {'attributes': [attributes]}

if (event.event != '$identify' and event.event != '$set') {
  let properties := {}
  for (let key, value in inputs.event_properties) {
    if (not startsWith(key, '$') and value != null) {
      properties[key] := value
    }
  }
  body['events'] := [{
    'external_id': externalId,
    'name': inputs.event_name,
    'time': event.timestamp,
    'properties': properties
  }]
}

let res := fetch(f'{inputs.endpoint}/users/track', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {inputs.api_key}',
    'Content-Type': 'application/json'
  },
  'body': body
})

let message := res.body
if (typeof(res.body) = 'object') {
  message := res.body.message
  if (notEmpty(res.body.errors)) {
    message := f'{message}: {jsonStringify(res.body.errors)}'
  }
}
if (res.status >= 400 or (typeof(res.body) = 'object' and res.body.message != 'success')) {
  throw Error(f'Braze API error (status {res.status}): {message}')
}
if (notEmpty(res.body.errors)) {
  print(f'Braze accepted the request with non-fatal errors: {jsonStringify(res.body.errors)}')
}
`,
  inputs_schema: [
    {
      key: 'endpoint',
      type: 'choice',
      label: 'REST endpoint',
      description: 'Your instance, as shown in Braze under Settings → APIs and Identifiers.',
      choices: BRAZE_ENDPOINTS.map(([value, label]) => ({ value, label })),
      default: 'https://rest.iad-01.braze.com',
      secret: false,
      required: true,
    },
    {
      key: 'api_key',
      type: 'string',
      label: 'REST API key',
      description: 'A Braze REST API key with the users.track permission.',
      secret: true,
      templating: false,
      required: true,
    },
    { key: 'external_id', type: 'string', label: 'External ID', default: '{event.distinct_id}', secret: false, required: true },
    {
      key: 'attributes',
      type: 'dictionary',
      label: 'User attributes',
      description: 'Standard (email, first_name, …) and custom attributes. Empty values are left out.',
      default: {
        email: '{person.properties.email}',
        first_name: '{person.properties.first_name}',
        last_name: '{person.properties.last_name}',
      },
      secret: false,
      required: false,
    },
    { key: 'event_name', type: 'string', label: 'Event name', default: '{event.event}', secret: false, required: false },
    {
      key: 'event_properties',
      type: 'json',
      label: 'Event properties',
      description: 'Keys starting with $ are left out (Braze rejects them).',
      default: '{event.properties}',
      secret: false,
      required: false,
    },
  ],
  filters: {
    events: [{ id: null, name: 'All events', type: 'events' }],
    properties: [
      {
        key: "(not startsWith(event.event, '$')) or event.event = '$pageview' or event.event = '$screen' or event.event = '$identify' or event.event = '$set'",
        type: 'hogql',
      },
    ],
  },
};
