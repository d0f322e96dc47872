import type { TemplateDefinition } from '../types.js';

/**
 * Airtable Web API: create one record (`POST /v0/{baseId}/{table}`) with fields templated from the event.
 * Input keys, defaults and the request follow PostHog's Airtable template (typecast on, so Airtable converts
 * values and creates missing select options).
 */
export const template: TemplateDefinition = {
  id: 'template-airtable',
  name: 'Airtable',
  description: 'Create an Airtable record for each event.',
  category: ['Productivity', 'Custom'],
  status: 'beta',
  icon_url: '/static/icons/airtable.svg',
  hog: `let fields := {}
for (let key, value in inputs.fields ?? {}) {
  -- A null would only blank the cell: leave it out
  if (value != null) {
    fields[key] := value
  }
}

let url := f'https://api.airtable.com/v0/{encodeURLComponent(inputs.base_id)}/{encodeURLComponent(inputs.table_name)}'
let request := {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json', 'Authorization': f'Bearer {inputs.access_token}'},
  'body': {'fields': fields, 'typecast': inputs.typecast ?? true}
}
if (inputs.debug) {
  print('Airtable request', url, request.body)
}

let res := fetch(url, request)
if (inputs.debug) {
  print('Airtable response', res.status, res.body)
}

if (res.status < 200 or res.status >= 300) {
  let err := res.body.error
  if (typeof(err) = 'object') {
    throw Error(f'Airtable API error (status {res.status}): {err.type}: {err.message}')
  }
  throw Error(f'Airtable API error (status {res.status}): {err ?? res.body}')
}
`,
  inputs_schema: [
    { key: 'access_token', type: 'string', label: 'Personal access token', description: 'With the data.records:write scope on the base.', secret: true, templating: false, required: true },
    { key: 'base_id', type: 'string', label: 'Base ID', description: 'app…, from the base’s URL.', secret: false, required: true },
    { key: 'table_name', type: 'string', label: 'Table name or ID', secret: false, required: true },
    {
      key: 'fields',
      type: 'json',
      label: 'Fields',
      description: 'Airtable field names to values; null values are left out.',
      default: { Timestamp: '{event.timestamp}', 'Person Name': '{person.name}' },
      secret: false,
      required: true,
    },
    { key: 'debug', type: 'boolean', label: 'Log requests and responses', description: 'Print each request body and Airtable’s answer to the logs.', default: false, secret: false, required: false },
    {
      key: 'typecast',
      type: 'boolean',
      label: 'Typecast',
      description: 'Let Airtable convert values and create missing select options.',
      default: true,
      secret: false,
      required: false,
    },
  ],
  filters: {
    events: [{ id: 'signed_up', name: 'signed_up', type: 'events' }],
  },
};
