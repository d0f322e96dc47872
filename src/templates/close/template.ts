import type { TemplateDefinition } from '../types.js';

/**
 * Close: create a lead with its contact, once per email (API v1, HTTP Basic with the API key as user and
 * an empty password). A lead search (`GET /api/v1/lead/?query=email_address:"…"`) comes first so a person
 * seen twice does not make a duplicate lead; then `POST /api/v1/lead/` with `contacts: [{name, emails}]`
 * (two requests). Close answers errors as `{error}` or `{errors, field-errors}`.
 */
export const template: TemplateDefinition = {
  id: 'template-close',
  name: 'Close',
  description:
    'Create a Close lead with the person as its contact, unless a lead with that email already exists (two requests: search, then create). Events without an email are skipped with a log line.',
  category: ['CRM'],
  status: 'beta',
  icon_url: '/static/icons/close.svg',
  hog: `let email := lower(trim(toString(inputs.email ?? '')))
if (empty(email)) {
  print('No email on this person: skipping the Close lead')
  return
}

fun failOn(res, step) {
  if (res.status >= 400) {
    let message := res.body
    if (typeof(res.body) = 'object') {
      message := jsonStringify(res.body)
      if (notEmpty(res.body.error)) {
        message := res.body.error
      } else if (notEmpty(res.body['field-errors'])) {
        message := arrayStringConcat(arrayMap(k -> f'{k}: {res.body['field-errors'][k]}', keys(res.body['field-errors'])), '; ')
      }
    }
    throw Error(f'Close API error while {step} (status {res.status}): {message}')
  }
}

let auth := f'Basic {base64Encode(f'{inputs.api_key}:')}'
let query := encodeURLComponent(f'email_address:"{email}"')
let search := fetch(f'https://api.close.com/api/v1/lead/?query={query}&_fields=id&_limit=1', {
  'method': 'GET',
  'headers': {'Authorization': auth, 'Accept': 'application/json'}
})
failOn(search, 'searching for the lead')
if (notEmpty(search.body.data)) {
  print(f'A Close lead with this email exists already ({search.body.data[1].id}): nothing to create')
  return
}

let contactName := trim(toString(inputs.contact_name ?? ''))
let contact := {'emails': [{'type': 'office', 'email': email}]}
if (notEmpty(contactName)) {
  contact['name'] := contactName
}
let leadName := trim(toString(inputs.lead_name ?? ''))
let lead := {'name': notEmpty(leadName) ? leadName : (notEmpty(contactName) ? contactName : email), 'contacts': [contact]}
for (let key, value in inputs.lead_fields) {
  if (notEmpty(value)) {
    lead[key] := value
  }
}

let res := fetch('https://api.close.com/api/v1/lead/', {
  'method': 'POST',
  'headers': {'Authorization': auth, 'Accept': 'application/json', 'Content-Type': 'application/json'},
  'body': lead
})
failOn(res, 'creating the lead')
`,
  inputs_schema: [
    {
      key: 'api_key',
      type: 'string',
      label: 'API key',
      description: 'A Close API key (Settings → Developer → API keys).',
      secret: true,
      templating: false,
      required: true,
    },
    { key: 'email', type: 'string', label: 'Email', default: '{person.properties.email}', secret: false, required: true },
    { key: 'contact_name', type: 'string', label: 'Contact name', default: '{person.properties.name}', secret: false, required: false },
    {
      key: 'lead_name',
      type: 'string',
      label: 'Lead (company) name',
      description: 'The name of the lead; the contact name, then the email, when empty.',
      default: '{person.properties.company}',
      secret: false,
      required: false,
    },
    {
      key: 'lead_fields',
      type: 'dictionary',
      label: 'Other lead fields',
      description: 'Lead fields by API name, e.g. url, description, status_id, or custom.cf_… for custom fields. Empty values are left out.',
      default: {},
      secret: false,
      required: false,
    },
  ],
  filters: {
    events: [{ id: '$identify', name: '$identify', type: 'events' }],
  },
};
