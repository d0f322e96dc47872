import type { TemplateDefinition } from '../types.js';
import { SALESFORCE_ACCOUNT_INPUTS, SALESFORCE_PRELUDE } from '../salesforce-create/template.js';

/**
 * Salesforce REST API v61.0: `PATCH sobjects/{Object}/{Id}` updates a record by id;
 * `PATCH sobjects/{Object}/{ExternalIdField}/{value}` upserts by an external id field (creating the record
 * when none matches). Same account inputs as salesforce-create: `oauth` is the access token itself, as
 * Sluice has no OAuth integration accounts; a refresh token takes the second fetch to exchange.
 */
export const template: TemplateDefinition = {
  id: 'template-salesforce-update',
  name: 'Salesforce',
  description:
    'Update a Salesforce record by id, or upsert one by an external id field such as Email. Takes an access token, or a refresh token with its connected app (Sluice has no OAuth accounts).',
  category: ['CRM'],
  status: 'beta',
  icon_url: '/static/icons/salesforce-update.svg',
  hog: `${SALESFORCE_PRELUDE}
// A bare object name would address the collection, which takes no PATCH.
if (length(segments) < 2) {
  throw Error(f'Salesforce: the object path "{path}" names no record; use Object/RecordId, or Object/ExternalIdField/value to upsert')
}

let res := fetch(f'{instanceUrl}/services/data/v61.0/sobjects/{path}', {
  'method': 'PATCH',
  'headers': {
    'Authorization': f'Bearer {accessToken}',
    'Content-Type': 'application/json'
  },
  'body': payload(false)
})

if (res.status >= 400) {
  throw Error(f'Salesforce API error (status {res.status}) updating {path}: {errorText(res)}')
}
print(f'Salesforce: updated {path} (status {res.status})')
// An update by id answers 204 without a body; an upsert answers {id, success, created}.
return empty(res.body) ? {'success': true} : res.body
`,
  inputs_schema: [
    ...SALESFORCE_ACCOUNT_INPUTS,
    {
      key: 'path',
      type: 'string',
      label: 'Object and record',
      description:
        'Object/RecordId to update a record (e.g. Lead/{person.properties.salesforce_id}), or Object/ExternalIdField/value to upsert by a field marked External ID (e.g. Lead/Email/{person.properties.email}).',
      default: 'Lead/Email/{person.properties.email}',
      secret: false,
      required: true,
    },
    {
      key: 'include_all_event_properties',
      type: 'boolean',
      label: 'Send all event properties',
      description: 'Every event property becomes a field of the record (fields Salesforce does not know make it refuse the request). The fields below take precedence.',
      default: false,
      secret: false,
      required: true,
    },
    {
      key: 'include_all_person_properties',
      type: 'boolean',
      label: 'Send all person properties',
      description: 'Every person property becomes a field of the record. The fields below take precedence.',
      default: false,
      secret: false,
      required: true,
    },
    {
      key: 'properties',
      type: 'json',
      label: 'Fields',
      description: 'Field API names and their values.',
      default: { email: '{person.properties.email}', browser: '{event.properties.$browser}' },
      secret: false,
      required: true,
    },
  ],
  filters: {
    events: [{ id: '$identify', name: '$identify', type: 'events', order: 0 }],
    filter_test_accounts: true,
  },
};
