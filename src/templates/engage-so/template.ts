import type { TemplateDefinition } from '../types.js';

/**
 * Engage.so's PostHog endpoint (`POST https://api.engage.so/posthog`), Basic auth with the account's
 * public and private keys. Engage reads PostHog's event shape — uuid, event, distinct_id, properties,
 * timestamp, elements_chain, url — so the event is sent in exactly that shape; Engage updates the user
 * from `$identify`, `$set`, `$unset`, `$groupidentify` and `$create_alias`, the default filter.
 */
export const template: TemplateDefinition = {
  id: 'template-engage-so',
  name: 'Engage.so',
  description: 'Send identify, person property and alias events to Engage.so, to keep its users and their attributes up to date.',
  category: ['Email'],
  status: 'beta',
  icon_url: '/static/icons/engage-so.svg',
  hog: `let res := fetch('https://api.engage.so/posthog', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Basic {base64Encode(f'{inputs.public_key}:{inputs.private_key}')}',
    'Content-Type': 'application/json'
  },
  'body': {
    'uuid': event.uuid,
    'event': event.event,
    'distinct_id': event.distinct_id,
    'properties': event.properties,
    'timestamp': event.timestamp,
    'elements_chain': event.elements_chain,
    'url': event.url
  }
})

if (res.status >= 400) {
  throw Error(f'Engage.so API error (status {res.status}): {res.body.error ?? res.body}')
}
`,
  inputs_schema: [
    {
      key: 'public_key',
      type: 'string',
      label: 'Public key',
      description: 'Engage dashboard → Settings → Account.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'private_key',
      type: 'string',
      label: 'Private key',
      description: 'Engage dashboard → Settings → Account.',
      secret: true,
      templating: false,
      required: true,
    },
  ],
  filters: {
    events: [
      { id: '$identify', name: '$identify', type: 'events', order: 0 },
      { id: '$set', name: '$set', type: 'events', order: 1 },
      { id: '$groupidentify', name: '$groupidentify', type: 'events', order: 2 },
      { id: '$unset', name: '$unset', type: 'events', order: 3 },
      { id: '$create_alias', name: '$create_alias', type: 'events', order: 4 },
    ],
    filter_test_accounts: true,
  },
};
