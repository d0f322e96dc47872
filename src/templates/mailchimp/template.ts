import type { TemplateDefinition } from '../types.js';

/**
 * Mailchimp Marketing API 3.0: add or update an audience member,
 * `PUT /3.0/lists/{list_id}/members/{md5(lower(email))}` on the datacenter named by the API key's
 * suffix (`…-us21` → us21.api.mailchimp.com). One request.
 */
export const template: TemplateDefinition = {
  id: 'template-mailchimp',
  name: 'Mailchimp',
  description:
    'Add or update members of a Mailchimp audience by email (one request; the datacenter is read from the API key). New members get the status you choose; existing members keep theirs. Events without an email are skipped with a log line.',
  category: ['Email'],
  status: 'stable',
  icon_url: '/static/icons/mailchimp.svg',
  hog: `let keyParts := splitByString('-', toString(inputs.api_key ?? ''))
let dc := keyParts[-1]
if (length(keyParts) < 2 or not match(dc, '^[a-z]+[0-9]+$')) {
  throw Error('Mailchimp: the API key must end with its datacenter, like -us21')
}
let email := lower(trim(toString(inputs.email ?? '')))
if (empty(email)) {
  print('No email on this person: skipping the Mailchimp member')
  return
}

let body := {'email_address': email, 'status_if_new': inputs.status}
let mergeFields := {}
for (let key, value in inputs.merge_fields) {
  if (notEmpty(value)) {
    mergeFields[key] := value
  }
}
if (notEmpty(mergeFields)) {
  body['merge_fields'] := mergeFields
}

let url := f'https://{dc}.api.mailchimp.com/3.0/lists/{encodeURLComponent(trim(inputs.audience_id))}/members/{md5Hex(email)}'
let res := fetch(url, {
  'method': 'PUT',
  'headers': {
    'Authorization': f'Basic {base64Encode(f'sluice:{inputs.api_key}')}',
    'Content-Type': 'application/json'
  },
  'body': body
})

if (res.status >= 400) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := f'{res.body.title}: {res.body.detail}'
  }
  throw Error(f'Mailchimp API error (status {res.status}): {message}')
}
`,
  inputs_schema: [
    {
      key: 'api_key',
      type: 'string',
      label: 'API key',
      description: 'A Mailchimp API key; it ends with your datacenter, e.g. -us21.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'audience_id',
      type: 'string',
      label: 'Audience ID',
      description: 'Audience → Settings → Audience name and defaults → Audience ID.',
      secret: false,
      required: true,
    },
    { key: 'email', type: 'string', label: 'Email', default: '{person.properties.email}', secret: false, required: true },
    {
      key: 'status',
      type: 'choice',
      label: 'Status for new members',
      description: 'Use "pending" to send a double opt-in confirmation.',
      choices: [
        { value: 'subscribed', label: 'Subscribed' },
        { value: 'pending', label: 'Pending (double opt-in)' },
        { value: 'unsubscribed', label: 'Unsubscribed' },
        { value: 'transactional', label: 'Transactional' },
      ],
      default: 'subscribed',
      secret: false,
      required: true,
    },
    {
      key: 'merge_fields',
      type: 'dictionary',
      label: 'Merge fields',
      description: 'Audience merge fields by tag. Empty values are left out.',
      default: { FNAME: '{person.properties.first_name}', LNAME: '{person.properties.last_name}' },
      secret: false,
      required: false,
    },
  ],
  filters: {
    events: [
      { id: '$identify', name: '$identify', type: 'events' },
      { id: '$set', name: '$set', type: 'events' },
    ],
  },
};
