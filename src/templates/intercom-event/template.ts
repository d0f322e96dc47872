import type { TemplateDefinition } from '../types.js';

/**
 * Intercom data events (REST API 2.11). Within the 2-fetch limit: `POST /contacts/search` finds the one
 * contact with the email, then `POST /events` records the event on it. Input keys and requests follow
 * PostHog's template of the same id. The token and region come from the `oauth` object
 * (`{access_token, 'app.region'}`) of a PostHog configuration, or from `access_token` and `host`.
 */
export const template: TemplateDefinition = {
  id: 'template-intercom-event',
  name: 'Intercom events',
  description:
    'Send events to Intercom as data events on the contact with that email: search, then send (2 requests). The contact must exist and be the only one with that email (e.g. through the Intercom contacts template). Events without an email are skipped with a log line.',
  category: ['Support'],
  status: 'stable',
  icon_url: '/static/icons/intercom-event.svg',
  hog: `let email := trim(toString(inputs.email ?? ''))
if (empty(email)) {
  print('No email on this person: skipping the Intercom event')
  return
}

let token := inputs.oauth?.access_token
if (empty(token)) {
  token := inputs.access_token
}
if (empty(token)) {
  throw Error('Intercom: no access token; set access_token or the Intercom connection (oauth)')
}
// A PostHog connection names its region; otherwise the host input says where the workspace is.
let regions := {'US': 'api.intercom.io', 'Europe': 'api.eu.intercom.io', 'AU': 'api.au.intercom.io'}
let host := inputs.host ?? 'api.intercom.io'
if (notEmpty(inputs.oauth) and notEmpty(inputs.oauth['app.region'])) {
  host := regions[inputs.oauth['app.region']] ?? host
}

let headers := {
  'Content-Type': 'application/json',
  'Intercom-Version': '2.11',
  'Accept': 'application/json',
  'Authorization': f'Bearer {token}'
}

fun intercomError(res) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := jsonStringify(res.body)
    if (notEmpty(res.body.errors)) {
      message := res.body.errors[1].message ?? message
    }
  }
  return Error(f'Intercom API error (status {res.status}): {message}')
}

let search := fetch(f'https://{host}/contacts/search', {
  'method': 'POST',
  'headers': headers,
  'body': {'query': {'field': 'email', 'operator': '=', 'value': email}}
})
if (search.status >= 400) {
  throw intercomError(search)
}
if (search.body.total_count != 1) {
  throw Error(f'Intercom: {search.body.total_count ?? 0} contacts have the email {email}; the event needs exactly one')
}

let body := {
  'event_name': inputs.eventName,
  'created_at': inputs.eventTime,
  'email': email,
  'metadata': {}
}
if (inputs.include_all_properties) {
  for (let key, value in event.properties) {
    if (notEmpty(value) and not key like '$%') {
      body.metadata[key] := value
    }
  }
}
for (let key, value in inputs.properties) {
  if (notEmpty(value)) {
    body.metadata[key] := value
  }
}

let res := fetch(f'https://{host}/events', {'method': 'POST', 'headers': headers, 'body': body})
if (res.status >= 400) {
  throw intercomError(res)
}
`,
  inputs_schema: [
    {
      key: 'oauth',
      type: 'integration',
      integration: 'intercom',
      label: 'Intercom connection (PostHog integration)',
      description:
        'For configurations brought from PostHog: an object with access_token and app.region (US, Europe or AU). Otherwise leave it empty and set the token and region below.',
      secret: true,
      templating: false,
      required: false,
    },
    {
      key: 'access_token',
      type: 'string',
      label: 'Access token',
      description: 'An Intercom access token with read access to contacts and write access to events.',
      secret: true,
      templating: false,
      required: false,
    },
    {
      key: 'host',
      type: 'choice',
      label: 'Data region',
      description: 'Used with the access token; a PostHog connection carries its own region.',
      choices: [
        { value: 'api.intercom.io', label: 'United States (api.intercom.io)' },
        { value: 'api.eu.intercom.io', label: 'Europe (api.eu.intercom.io)' },
        { value: 'api.au.intercom.io', label: 'Australia (api.au.intercom.io)' },
      ],
      default: 'api.intercom.io',
      secret: false,
      required: false,
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
    { key: 'eventName', type: 'string', label: 'Event name', default: '{event.event}', secret: false, required: true },
    {
      key: 'eventTime',
      type: 'string',
      label: 'Event time',
      description: 'When the event happened, in Unix seconds.',
      default: '{toInt(toUnixTimestamp(event.timestamp))}',
      secret: false,
      required: true,
    },
    {
      key: 'include_all_properties',
      type: 'boolean',
      label: 'Send all event properties',
      description: "Also send every event property except PostHog's own ($…) as metadata; the mapping below wins.",
      default: false,
      secret: false,
      required: true,
    },
    {
      key: 'properties',
      type: 'dictionary',
      label: 'Metadata',
      description: 'Event metadata (Intercom keeps up to 10 keys). Empty values are left out.',
      default: { revenue: '{event.properties.price}', currency: '{event.properties.currency}' },
      secret: false,
      required: false,
    },
  ],
  renamed_inputs: { event_name: 'eventName', metadata: 'properties' },
  filters: {
    events: [{ id: '$pageview', name: '$pageview', type: 'events', order: 0 }],
    filter_test_accounts: true,
  },
};
