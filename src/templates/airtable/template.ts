import type { TemplateDefinition } from '../types.js';

/** Airtable Web API: create one record (`POST /v0/{baseId}/{table}`) with fields templated from the event. */
export const template: TemplateDefinition = {
  id: 'template-airtable',
  name: 'Airtable',
  description: 'Create an Airtable record for each event.',
  category: ['Productivity', 'Custom'],
  status: 'beta',
  icon_url: '/static/icons/airtable.svg',
  hog: `let fields := {}
for (let key, value in inputs.fields ?? {}) {
  if (value != null) {
    fields[key] := value
  }
}

let res := fetch(f'https://api.airtable.com/v0/{encodeURLComponent(inputs.base_id)}/{encodeURLComponent(inputs.table_name)}', {
  'method': 'POST',
  'headers': {'Authorization': f'Bearer {inputs.access_token}', 'Content-Type': 'application/json'},
  'body': {'fields': fields, 'typecast': inputs.typecast}
})

if (res.status < 200 or res.status >= 300) {
  let err := res.body.error
  if (typeof(err) = 'object') {
    throw Error(f'Airtable API error (status {res.status}): {err.type}: {err.message}')
  }
  throw Error(f'Airtable API error (status {res.status}): {err ?? res.body}')
}
print(f'Created Airtable record {res.body.id}')
`,
  inputs_schema: [
    { key: 'access_token', type: 'string', label: 'Personal access token', description: 'With the data.records:write scope on the base.', secret: true, templating: false, required: true },
    { key: 'base_id', type: 'string', label: 'Base ID', description: 'app…, from the base’s URL.', required: true },
    { key: 'table_name', type: 'string', label: 'Table name or ID', required: true },
    {
      key: 'fields',
      type: 'json',
      label: 'Fields',
      description: 'Field names to values; null values are left out.',
      default: { Event: '{event.event}', 'Distinct ID': '{event.distinct_id}', Email: '{person.properties.email}', Timestamp: '{event.timestamp}', URL: '{event.properties.$current_url}' },
      required: true,
    },
    { key: 'typecast', type: 'boolean', label: 'Typecast', description: 'Let Airtable convert values and create missing select options.', default: false, required: false },
  ],
  filters: {
    events: [{ id: 'signed_up', name: 'signed_up', type: 'events' }],
  },
};
