import type { TemplateDefinition } from '../types.js';

/**
 * Knock: events go to the webhook URL of a Knock HTTP source as track calls, where Knock's source
 * event actions map them to workflow triggers. Nothing is sent when the user id comes out empty, since
 * Knock cannot address a recipient without it. Input keys, defaults, default filters and the request
 * follow PostHog's Knock destination.
 */
export const template: TemplateDefinition = {
  id: 'template-knock',
  name: 'Knock',
  description: 'Send events to a Knock HTTP source to trigger notification workflows.',
  category: ['SMS & Push', 'Email'],
  status: 'beta',
  icon_url: '/static/icons/knock.svg',
  hog: `if (empty(inputs.userId)) {
  print('The user id is empty for this event, so nothing is sent to Knock')
  return
}

let properties := {}
if (inputs.include_all_properties) {
  properties := event.properties ?? {}
  if (notEmpty(event.elements_chain)) {
    properties.$elements_chain := event.elements_chain
  }
}
for (let key, value in inputs.attributes ?? {}) {
  if (notEmpty(value)) {
    properties[key] := value
  }
}

let res := fetch(inputs.webhookUrl, {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json'},
  'body': {
    'type': 'track',
    'event': event.event,
    'userId': inputs.userId,
    'properties': properties,
    'messageId': event.uuid,
    'timestamp': event.timestamp
  }
})

if (res.status >= 400) {
  throw Error(f'Knock API error (status {res.status}): {res.body.message ?? res.body}')
}
`,
  inputs_schema: [
    {
      key: 'webhookUrl',
      type: 'string',
      label: 'Knock source webhook URL',
      description: 'The URL of an HTTP source in Knock (Integrations → Sources).',
      secret: false,
      required: true,
    },
    {
      key: 'userId',
      type: 'string',
      label: 'User ID',
      description: 'The Knock user id, for example the person id or an email property. When it comes out empty, nothing is sent.',
      default: '{person.id}',
      secret: false,
      required: true,
    },
    {
      key: 'include_all_properties',
      type: 'boolean',
      label: 'Send all event properties',
      description: 'Adds every event property (and the elements chain); the mapping below overrides single ones.',
      default: false,
      secret: false,
      required: true,
    },
    {
      key: 'attributes',
      type: 'dictionary',
      label: 'Property mapping',
      description: 'Properties to send with the event; empty values are left out. Use the filters to choose which events go to Knock.',
      default: { email: '{person.properties.email}', name: '{person.properties.name}' },
      secret: false,
      required: false,
    },
  ],
  filters: {
    events: [
      { id: '$identify', name: '$identify', type: 'events' },
      { id: '$pageview', name: '$pageview', type: 'events' },
    ],
    actions: [],
    filter_test_accounts: true,
  },
};
