import type { TemplateDefinition } from '../types.js';

/**
 * Close: sync a person as a contact (API v1, HTTP Basic with the API key as user and an empty password).
 * A contact search by email (`POST /api/v1/data/search/`) comes first; a match is updated with the mapped
 * contact fields (`PUT /api/v1/contact/{id}/`, never its emails, which a PUT would replace), otherwise a lead
 * is created with the person as its contact (`POST /api/v1/lead/`). Two requests at most. Input keys,
 * defaults and requests follow PostHog's Close template. Close answers errors as `{error}` or
 * `{errors, field-errors}`.
 */
export const template: TemplateDefinition = {
  id: 'template-close',
  name: 'Close',
  description:
    'Sync persons to Close as contacts: update the contact with that email, or create a lead with the person as its contact (two requests: search, then update or create). Events without an email are skipped with a log line.',
  category: ['CRM'],
  status: 'beta',
  icon_url: '/static/icons/close.svg',
  hog: `if (empty(inputs.email)) {
  print('No email on this person: skipping the Close contact')
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

let headers := {
  'Content-Type': 'application/json',
  'Accept': 'application/json',
  'Authorization': f'Basic {base64Encode(f'{inputs.apiKey}:')}'
}

let search := fetch('https://api.close.com/api/v1/data/search/', {
  'method': 'POST',
  'headers': headers,
  'body': {
    'query': {
      'type': 'and',
      'queries': [
        {'type': 'object_type', 'object_type': 'contact'},
        {
          'type': 'has_related',
          'this_object_type': 'contact',
          'related_object_type': 'contact_email',
          'related_query': {
            'type': 'field_condition',
            'field': {'type': 'regular_field', 'object_type': 'contact_email', 'field_name': 'email'},
            'condition': {'type': 'text', 'mode': 'phrase', 'value': inputs.email}
          }
        }
      ]
    },
    '_fields': {'contact': ['id', 'lead_id']},
    '_limit': 1
  }
})
failOn(search, 'searching for the contact')

-- Close takes custom fields as text: lists and objects are sent as JSON
let fields := {}
for (let key, value in inputs.properties) {
  if (notEmpty(value)) {
    fields[key] := (typeof(value) = 'object' or typeof(value) = 'array') ? jsonStringify(value) : value
  }
}
let fullName := trim(f'{inputs.firstName ?? ''} {inputs.lastName ?? ''}')
if (notEmpty(fullName)) {
  fields.name := fullName
}

if (notEmpty(search.body.data)) {
  let contactId := search.body.data[1].id
  if (empty(fields)) {
    print(f'Close contact {contactId} has this email and there are no fields to update')
    return
  }
  let res := fetch(f'https://api.close.com/api/v1/contact/{contactId}/', {'method': 'PUT', 'headers': headers, 'body': fields})
  failOn(res, 'updating the contact')
  return
}

let contact := {'emails': [{'email': inputs.email, 'type': 'office'}]}
for (let key, value in fields) {
  contact[key] := value
}
let lead := {'name': inputs.leadName, 'contacts': [contact]}
for (let key, value in inputs.leadProperties) {
  if (notEmpty(value)) {
    lead[key] := value
  }
}
let res := fetch('https://api.close.com/api/v1/lead/', {'method': 'POST', 'headers': headers, 'body': lead})
failOn(res, 'creating the lead')
`,
  inputs_schema: [
    {
      key: 'apiKey',
      type: 'string',
      label: 'API key',
      description: 'A Close API key (Settings → Developer → API keys).',
      secret: true,
      templating: false,
      required: true,
    },
    { key: 'email', type: 'string', label: 'Email', description: 'Finds the contact; people without one are skipped.', default: '{person.properties.email}', secret: false, required: true },
    {
      key: 'leadName',
      type: 'string',
      label: 'Lead (company) name',
      description: 'The name of the lead created when no contact has this email.',
      default: '{person.properties.company ?? person.properties.email}',
      secret: false,
      required: true,
    },
    { key: 'firstName', type: 'string', label: 'First name', description: 'Joined with the last name into the contact’s name.', default: '{person.properties.first_name}', secret: false, required: false },
    { key: 'lastName', type: 'string', label: 'Last name', description: 'Joined with the first name into the contact’s name.', default: '{person.properties.last_name}', secret: false, required: false },
    {
      key: 'properties',
      type: 'dictionary',
      label: 'Contact fields',
      description: 'Contact fields by API name, e.g. title, or custom.cf_… for custom fields. Empty values are left out; lists and objects are sent as JSON text.',
      default: { title: '{person.properties.job_title}' },
      secret: false,
      required: false,
    },
    {
      key: 'leadProperties',
      type: 'dictionary',
      label: 'Lead fields',
      description: 'Lead fields by API name (url, description, status_id, custom.cf_…), set only when a lead is created. Empty values are left out.',
      default: {},
      secret: false,
      required: false,
    },
  ],
  renamed_inputs: { api_key: 'apiKey', lead_name: 'leadName', lead_fields: 'leadProperties' },
  filters: {
    events: [
      { id: '$identify', name: '$identify', type: 'events' },
      { id: '$set', name: '$set', type: 'events' },
    ],
    filter_test_accounts: true,
  },
};
