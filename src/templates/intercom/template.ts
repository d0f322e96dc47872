import type { TemplateDefinition } from '../types.js';

/**
 * Intercom contacts (REST API 2.11). Intercom has no upsert, so within the 2-fetch limit:
 * 1. `POST /contacts/search` for the email;
 * 2. `PUT /contacts/{id}` when exactly one contact has it, `POST /contacts` when none does.
 * Input keys and requests follow PostHog's template of the same id. The token and region come from the
 * `oauth` object (`{access_token, 'app.region'}`) of a PostHog configuration, or from `access_token` and `host`.
 */
export const template: TemplateDefinition = {
  id: 'template-intercom',
  name: 'Intercom',
  description:
    'Create or update Intercom contacts by email: search, then update or create (2 requests). US, EU or Australian workspaces. Events without an email are skipped with a log line; an email shared by several contacts fails the run.',
  category: ['Support', 'CRM'],
  status: 'stable',
  icon_url: '/static/icons/intercom.svg',
  hog: `let email := trim(toString(inputs.email ?? ''))
if (empty(email)) {
  print('No email on this person: skipping the Intercom contact')
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

let contact := {'email': email, 'custom_attributes': {}}
if (inputs.include_all_properties) {
  for (let key, value in person.properties) {
    if (notEmpty(value) and not key like '$%') {
      contact[key] := value
    }
  }
}
for (let key, value in inputs.properties) {
  if (notEmpty(value)) {
    contact[key] := value
  }
}
for (let key, value in inputs.customProperties) {
  if (notEmpty(value)) {
    contact.custom_attributes[key] := value
  }
}

let res := null
if (search.body.total_count = 1) {
  res := fetch(f'https://{host}/contacts/{search.body.data[1].id}', {'method': 'PUT', 'headers': headers, 'body': contact})
} else if (search.body.total_count = 0) {
  res := fetch(f'https://{host}/contacts', {'method': 'POST', 'headers': headers, 'body': contact})
} else {
  throw Error(f'Intercom: {search.body.total_count} contacts have the email {email}; not updating any of them')
}
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
        "For configurations brought from PostHog: an object with access_token and app.region (US, Europe or AU). Otherwise leave it empty and set the token and region below.",
      secret: true,
      templating: false,
      required: false,
    },
    {
      key: 'access_token',
      type: 'string',
      label: 'Access token',
      description: 'An Intercom access token with read and write access to contacts.',
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
      description: 'The contact is found, or created, by this email. Events without one are skipped.',
      default: '{person.properties.email}',
      secret: false,
      required: true,
    },
    {
      key: 'include_all_properties',
      type: 'boolean',
      label: 'Send all person properties',
      description: "Also send every person property except PostHog's own ($…) as a contact attribute; the mapping below wins.",
      default: false,
      secret: false,
      required: true,
    },
    {
      key: 'properties',
      type: 'dictionary',
      label: 'Contact attributes',
      description: 'Standard Intercom contact attributes (name, phone, last_seen_at, …). Empty values are left out.',
      default: {
        name: "{f'{person.properties.first_name} {person.properties.last_name}' == ' ' ? null : f'{person.properties.first_name} {person.properties.last_name}'}",
        phone: '{person.properties.phone}',
        last_seen_at: '{toUnixTimestamp(event.timestamp)}',
      },
      secret: false,
      required: false,
    },
    {
      key: 'customProperties',
      type: 'dictionary',
      label: 'Custom attributes',
      description: 'Custom data attributes (they must exist in Intercom). Empty values are left out.',
      default: {},
      secret: false,
      required: false,
    },
  ],
  renamed_inputs: { custom_attributes: 'customProperties' },
  filters: {
    events: [
      { id: '$identify', name: '$identify', type: 'events', order: 0 },
      { id: '$set', name: '$set', type: 'events', order: 1 },
    ],
    filter_test_accounts: true,
  },
};
