import type { TemplateDefinition } from '../types.js';

/**
 * Freshsales (Freshworks CRM): upsert a contact by email in one request
 * (`POST https://{bundle}.myfreshworks.com/crm/sales/api/contacts/upsert`), with
 * `{unique_identifier: {emails}, contact: {…}}`. Auth is `Authorization: Token token=<API key>`.
 * Errors come back as `{errors: {code, message: [...]}}`.
 */
export const template: TemplateDefinition = {
  id: 'template-freshsales',
  name: 'Freshsales',
  description:
    'Create or update a Freshsales contact by email (one upsert request), with first/last name and any other contact fields. Events without an email are skipped with a log line.',
  category: ['CRM'],
  status: 'beta',
  icon_url: '/static/icons/freshsales.svg',
  hog: `let email := lower(trim(toString(inputs.email ?? '')))
if (empty(email)) {
  print('No email on this person: skipping the Freshsales contact')
  return
}

// Accept 'acme', 'acme.myfreshworks.com' or a pasted URL: only the host is used.
let domain := replaceAll(replaceAll(trim(toString(inputs.domain ?? '')), 'https://', ''), '/', '')
if (not (domain like '%.%')) {
  domain := f'{domain}.myfreshworks.com'
}

let contact := {}
for (let key, value in inputs.properties) {
  if (notEmpty(value)) {
    contact[key] := value
  }
}

let res := fetch(f'https://{domain}/crm/sales/api/contacts/upsert', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Token token={inputs.api_key}',
    'Content-Type': 'application/json'
  },
  'body': {'unique_identifier': {'emails': email}, 'contact': contact}
})

if (res.status >= 400) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := jsonStringify(res.body)
    let detail := res.body.errors.message
    if (typeof(detail) = 'array') {
      message := arrayStringConcat(detail, '; ')
    } else if (notEmpty(detail)) {
      message := detail
    }
  }
  throw Error(f'Freshsales API error (status {res.status}): {message}')
}
`,
  inputs_schema: [
    {
      key: 'domain',
      type: 'string',
      label: 'Bundle domain',
      description: 'Your Freshworks domain, e.g. acme.myfreshworks.com (or just acme).',
      secret: false,
      required: true,
    },
    {
      key: 'api_key',
      type: 'string',
      label: 'API key',
      description: 'Your Freshsales API key (Profile settings → API settings).',
      secret: true,
      templating: false,
      required: true,
    },
    { key: 'email', type: 'string', label: 'Email', default: '{person.properties.email}', secret: false, required: true },
    {
      key: 'properties',
      type: 'dictionary',
      label: 'Contact fields',
      description: 'Freshsales contact fields by API name (first_name, last_name, job_title, mobile_number, …). Empty values are left out.',
      default: { first_name: '{person.properties.first_name}', last_name: '{person.properties.last_name}' },
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
