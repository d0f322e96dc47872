import type { TemplateDefinition } from '../types.js';

/**
 * Pipedrive: create or update a person by email (API v1). Pipedrive has no upsert, so this searches
 * `GET /v1/persons/search?fields=email&exact_match=true`, then `PUT /v1/persons/{id}` or `POST /v1/persons`
 * (two requests). The API token goes in the `x-api-token` header rather than the `api_token` query
 * parameter Pipedrive also accepts, so it never appears in a logged URL. Failures answer
 * `{success: false, error, error_info}`.
 */
export const template: TemplateDefinition = {
  id: 'template-pipedrive',
  name: 'Pipedrive',
  description:
    'Create or update a Pipedrive person by email, with name and any other person fields (two requests: search, then create or update). Events without an email are skipped with a log line.',
  category: ['CRM'],
  status: 'beta',
  icon_url: '/static/icons/pipedrive.svg',
  hog: `let email := lower(trim(toString(inputs.email ?? '')))
if (empty(email)) {
  print('No email on this person: skipping the Pipedrive person')
  return
}

fun failOn(res, step) {
  if (res.status >= 400 or (typeof(res.body) = 'object' and res.body.success = false)) {
    let message := res.body
    if (typeof(res.body) = 'object') {
      message := notEmpty(res.body.error) ? res.body.error : jsonStringify(res.body)
      if (notEmpty(res.body.error_info)) {
        message := f'{message} ({res.body.error_info})'
      }
    }
    throw Error(f'Pipedrive API error while {step} (status {res.status}): {message}')
  }
}

let headers := {
  'Accept': 'application/json',
  'Content-Type': 'application/json',
  'x-api-token': inputs.api_token
}

let search := fetch(f'https://api.pipedrive.com/v1/persons/search?term={encodeURLComponent(email)}&fields=email&exact_match=true&limit=1', {
  'method': 'GET',
  'headers': headers
})
failOn(search, 'searching for the person')

let person := {}
for (let key, value in inputs.properties) {
  if (notEmpty(value)) {
    person[key] := value
  }
}
let name := trim(toString(inputs.name ?? ''))
if (notEmpty(name)) {
  person['name'] := name
}

let existing := search.body.data.items[1].item.id
if (notEmpty(existing)) {
  let res := fetch(f'https://api.pipedrive.com/v1/persons/{existing}', {'method': 'PUT', 'headers': headers, 'body': person})
  failOn(res, 'updating the person')
  return
}

// Pipedrive requires a name on creation: fall back to the email rather than fail.
if (empty(name)) {
  person['name'] := email
}
person['email'] := [{'value': email, 'primary': true, 'label': 'work'}]
let res := fetch('https://api.pipedrive.com/v1/persons', {'method': 'POST', 'headers': headers, 'body': person})
failOn(res, 'creating the person')
`,
  inputs_schema: [
    {
      key: 'api_token',
      type: 'string',
      label: 'API token',
      description: 'Your personal API token (Personal preferences → API in Pipedrive).',
      secret: true,
      templating: false,
      required: true,
      secret_headers: ['x-api-token'],
    },
    { key: 'email', type: 'string', label: 'Email', default: '{person.properties.email}', secret: false, required: true },
    {
      key: 'name',
      type: 'string',
      label: 'Name',
      description: 'The person name; on creation, the email is used when empty.',
      default: '{person.properties.name}',
      secret: false,
      required: false,
    },
    {
      key: 'properties',
      type: 'dictionary',
      label: 'Other person fields',
      description: 'Pipedrive person fields by API key (e.g. phone, org_id, or a custom field hash key). Empty values are left out.',
      default: {},
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
