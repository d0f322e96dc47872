import type { TemplateDefinition } from '../types.js';

/**
 * Appcues Public API v2, Basic auth with an API key and secret, US (`api.appcues.com`) or EU
 * (`api.eu.appcues.com`):
 * - `$identify` and `$set` update the user's profile: `PATCH /v2/accounts/{account}/users/{user}/profile`;
 * - other events are tracked: `POST /v2/accounts/{account}/users/{user}/events` ({name, timestamp,
 *   group_id?, attributes?}). `$groupidentify` is not sent (default filter).
 * "Include all properties" adds every person property (identify) or event property (track) that does not
 * start with `$`; the mapped values take precedence, empty ones are left out. PostHog asks the track and
 * identify inputs in two mappings; here they are plain inputs, and a PostHog configuration that keeps them
 * in mappings runs the same, since a mapping's inputs reach the code alike.
 */
export const template: TemplateDefinition = {
  id: 'template-appcues',
  name: 'Appcues',
  description: 'Send events and person properties to Appcues, for its flows, in-app messages and targeting.',
  category: ['Analytics'],
  status: 'beta',
  icon_url: '/static/icons/appcues.svg',
  hog: `let userId := toString(inputs.userId ?? '')
if (empty(userId)) {
  print('Appcues: no user ID for this event, nothing sent')
  return
}

let base := inputs.region = 'EU' ? 'https://api.eu.appcues.com' : 'https://api.appcues.com'
let userUrl := f'{base}/v2/accounts/{inputs.accountId}/users/{encodeURLComponent(userId)}'
let headers := {
  'Content-Type': 'application/json',
  'Authorization': f'Basic {base64Encode(f'{inputs.apiKey}:{inputs.apiSecret}')}'
}

fun merged(all, mapped) {
  let result := {}
  if (inputs.include_all_properties) {
    for (let key, value in all ?? {}) {
      if (not startsWith(key, '$')) {
        result[key] := value
      }
    }
  }
  for (let key, value in mapped ?? {}) {
    if (notEmpty(value)) {
      result[key] := value
    }
  }
  return result
}

let res := null
if (event.event = '$identify' or event.event = '$set') {
  let profile := merged(person.properties, inputs.profileProperties)
  if (empty(profile)) {
    print('Appcues: no profile properties to send')
    return
  }
  res := fetch(f'{userUrl}/profile', {'method': 'PATCH', 'headers': headers, 'body': profile})
} else {
  let body := {'name': inputs.eventName, 'timestamp': event.timestamp}
  if (notEmpty(inputs.groupId)) {
    body.group_id := inputs.groupId
  }
  let attributes := merged(event.properties, inputs.attributes)
  if (notEmpty(attributes)) {
    body.attributes := attributes
  }
  res := fetch(f'{userUrl}/events', {'method': 'POST', 'headers': headers, 'body': body})
}

if (res.status >= 400) {
  throw Error(f'Appcues API error (status {res.status}): {res.body.title ?? res.body.error ?? res.body}')
}
`,
  inputs_schema: [
    { key: 'accountId', type: 'string', label: 'Account ID', description: 'The numeric ID on your Appcues account settings page.', secret: false, required: true },
    { key: 'apiKey', type: 'string', label: 'API key', description: 'Appcues Studio → Settings → Integrations → API keys.', secret: true, templating: false, required: true },
    { key: 'apiSecret', type: 'string', label: 'API secret', description: 'The secret shown with the API key.', secret: true, templating: false, required: true },
    {
      key: 'region',
      type: 'choice',
      label: 'Data region',
      choices: [
        { value: 'US', label: 'US' },
        { value: 'EU', label: 'EU' },
      ],
      default: 'US',
      secret: false,
      required: true,
    },
    { key: 'userId', type: 'string', label: 'User ID', description: 'The user in Appcues; events without one are not sent.', default: '{event.distinct_id}', secret: false, required: true },
    {
      key: 'include_all_properties',
      type: 'boolean',
      label: 'Include all properties',
      description: 'Send every person property (on identify) or event property (on track) not starting with $, besides the ones mapped below.',
      default: false,
      secret: false,
      required: true,
    },
    { key: 'eventName', type: 'string', label: 'Event name (track)', default: '{event.event}', secret: false, required: true },
    { key: 'groupId', type: 'string', label: 'Group ID (track)', description: 'An account or group to attach the event to (optional).', default: '', secret: false, required: false },
    { key: 'attributes', type: 'dictionary', label: 'Event attributes (track)', description: 'Name → value; empty values are left out.', default: {}, secret: false, required: false },
    {
      key: 'profileProperties',
      type: 'dictionary',
      label: 'Profile properties (identify)',
      description: 'Sent on $identify and $set; empty values are left out.',
      default: { email: '{person.properties.email}', first_name: '{person.properties.first_name}', last_name: '{person.properties.last_name}' },
      secret: false,
      required: false,
    },
  ],
  filters: {
    events: [{ id: null, name: 'All events', type: 'events', properties: [{ key: "event.event != '$groupidentify'", type: 'hogql' }] }],
    filter_test_accounts: true,
  },
};
