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
  ['https://rest.iad-10.braze.com', 'US-10 (rest.iad-10.braze.com)'],
  ['https://rest.fra-01.braze.eu', 'EU-01 (rest.fra-01.braze.eu)'],
  ['https://rest.fra-02.braze.eu', 'EU-02 (rest.fra-02.braze.eu)'],
  ['https://rest.au-01.braze.com', 'AU-01 (rest.au-01.braze.com)'],
];

/**
 * Braze `POST /users/track`: one attributes object and one event object, both templated, in one request.
 * Input keys, defaults and the request follow PostHog's Braze template. A 2xx whose `message` is not
 * "success" fails; non-fatal `errors` in a success are logged.
 */
export const template: TemplateDefinition = {
  id: 'template-braze',
  name: 'Braze',
  description: 'Send user attributes and the event to Braze through /users/track on your REST endpoint (one request).',
  category: ['Email', 'SMS & Push'],
  status: 'beta',
  icon_url: '/static/icons/braze.svg',
  hog: `if (empty(inputs.brazeEndpoint)) {
  throw Error('Braze: choose the REST endpoint of your instance')
}

let res := fetch(f'{inputs.brazeEndpoint}/users/track', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {inputs.apiKey}',
    'Content-Type': 'application/json'
  },
  'body': {'attributes': [inputs.attributes], 'events': [inputs.event]}
})

let message := res.body
if (typeof(res.body) = 'object') {
  message := res.body.message
  if (notEmpty(res.body.errors)) {
    message := f'{message}: {jsonStringify(res.body.errors)}'
  }
}
if (res.status < 200 or res.status >= 300 or (typeof(res.body) = 'object' and notEmpty(res.body.message) and res.body.message != 'success')) {
  throw Error(f'Braze API error (status {res.status}): {message}')
}
if (notEmpty(res.body.errors)) {
  print(f'Braze accepted the request with non-fatal errors: {jsonStringify(res.body.errors)}')
}
`,
  inputs_schema: [
    {
      key: 'brazeEndpoint',
      type: 'choice',
      label: 'REST endpoint',
      description: 'Your instance, as shown in Braze under Settings → APIs and Identifiers.',
      choices: BRAZE_ENDPOINTS.map(([value, label]) => ({ value, label })),
      default: '',
      secret: false,
      required: true,
    },
    {
      key: 'apiKey',
      type: 'string',
      label: 'REST API key',
      description: 'A Braze REST API key with the users.track permission.',
      default: '',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'attributes',
      type: 'json',
      label: 'User attributes',
      description: 'One Braze attributes object: external_id (or email), then standard and custom attributes.',
      default: { email: '{person.properties.email}' },
      secret: false,
      required: true,
    },
    {
      key: 'event',
      type: 'json',
      label: 'Event',
      description: 'One Braze event object: external_id (or email), name, time and properties.',
      default: {
        properties: '{event.properties}',
        external_id: '{event.distinct_id}',
        name: '{event.event}',
        time: '{event.timestamp}',
      },
      secret: false,
      required: true,
    },
  ],
  renamed_inputs: { endpoint: 'brazeEndpoint', api_key: 'apiKey' },
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
