import type { TemplateDefinition } from '../types.js';

/**
 * Mailchimp Marketing API 3.0, addressed by `md5(lower(email))` on the audience: `GET` the member, then
 * (when it exists or is unknown) `PUT` it with `status_if_new`, so existing members keep their status.
 * Input keys and requests follow PostHog's template of the same id; the datacenter is the
 * `dataCenterId` input, or else the API key's suffix (`…-us21` → us21).
 */
export const template: TemplateDefinition = {
  id: 'template-mailchimp',
  name: 'Mailchimp',
  description:
    'Add or update members of a Mailchimp audience by email: look the member up, then add or update it (2 requests). New members are subscribed, or pending with double opt-in; existing members keep their status. Events without an email are skipped with a log line.',
  category: ['Email'],
  status: 'stable',
  icon_url: '/static/icons/mailchimp.svg',
  hog: `let email := trim(toString(inputs.email ?? ''))
if (empty(email)) {
  print('No email on this person: skipping the Mailchimp member')
  return
}

let dc := trim(toString(inputs.dataCenterId ?? ''))
if (empty(dc)) {
  let keyParts := splitByString('-', toString(inputs.apiKey ?? ''))
  dc := length(keyParts) > 1 ? keyParts[-1] : ''
}
if (not match(dc, '^[a-z]+[0-9]+$')) {
  throw Error('Mailchimp: set the data center ID (e.g. us21), or use an API key that ends with it')
}

let mergeFields := {}
for (let key, value in inputs.properties) {
  if (notEmpty(value)) {
    mergeFields[key] := value
  }
}
if (inputs.include_all_properties) {
  for (let key, value in event.properties) {
    if (notEmpty(value) and not key like '$%') {
      mergeFields[key] := value
    }
  }
}

let url := f'https://{dc}.api.mailchimp.com/3.0/lists/{encodeURLComponent(trim(inputs.audienceId))}/members/{md5Hex(lower(email))}'
let headers := {
  'Authorization': f'Bearer {inputs.apiKey}',
  'Content-Type': 'application/json'
}

fun mailchimpError(res) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := notEmpty(res.body.title) ? f'{res.body.title}: {res.body.detail}' : jsonStringify(res.body)
  }
  return Error(f'Mailchimp API error (status {res.status}): {message}')
}

let member := fetch(url, {'method': 'GET', 'headers': headers})
if (member.status != 200 and member.status != 404) {
  if (member.status >= 400) {
    throw mailchimpError(member)
  }
  print(f'Mailchimp answered the member lookup with status {member.status}: member not updated')
  return
}

let res := fetch(url, {
  'method': 'PUT',
  'headers': headers,
  'body': {
    'email_address': email,
    'status_if_new': inputs.doubleOptIn ? 'pending' : 'subscribed',
    'merge_fields': mergeFields
  }
})
if (res.status >= 400) {
  throw mailchimpError(res)
}
`,
  inputs_schema: [
    {
      key: 'apiKey',
      type: 'string',
      label: 'API key',
      description: 'A Mailchimp API key (Profile → Extras → API keys).',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'audienceId',
      type: 'string',
      label: 'Audience ID',
      description: 'Audience → Settings → Audience name and defaults → Audience ID.',
      secret: false,
      required: true,
    },
    {
      key: 'dataCenterId',
      type: 'string',
      label: 'Data center ID',
      description: "The 'us21' of https://us21.admin.mailchimp.com when you are logged in. Empty: read from the end of the API key.",
      secret: false,
      required: false,
    },
    {
      key: 'email',
      type: 'string',
      label: 'Email',
      description: 'The member to add or update. Events without one are skipped.',
      default: '{person.properties.email}',
      secret: false,
      required: true,
    },
    {
      key: 'doubleOptIn',
      type: 'boolean',
      label: 'Double opt-in',
      description: 'New members get a confirmation email and stay pending until they confirm.',
      default: false,
      secret: false,
      required: true,
    },
    {
      key: 'include_all_properties',
      type: 'boolean',
      label: 'Send all event properties',
      description: "Also send every event property except PostHog's own ($…) as a merge field; these win over the mapping below.",
      default: false,
      secret: false,
      required: true,
    },
    {
      key: 'properties',
      type: 'dictionary',
      label: 'Merge fields',
      description: 'Audience merge fields by tag. Empty values are left out.',
      default: {
        FNAME: '{person.properties.firstname}',
        LNAME: '{person.properties.lastname}',
        COMPANY: '{person.properties.company}',
      },
      secret: false,
      required: false,
    },
  ],
  renamed_inputs: { api_key: 'apiKey', audience_id: 'audienceId', merge_fields: 'properties' },
  filters: {
    events: [
      { id: '$identify', name: '$identify', type: 'events', order: 0 },
      { id: '$set', name: '$set', type: 'events', order: 1 },
    ],
    filter_test_accounts: true,
  },
};
