import type { InputSchemaItem } from '../../destinations/model.js';
import type { TemplateDefinition } from '../types.js';

/**
 * Salesforce REST API v61.0, `sobjects/{path}` (create here, update in salesforce-update).
 *
 * PostHog's template takes a Salesforce account through an OAuth integration (`oauth`, giving
 * `instance_url` and `access_token`). Sluice has no integration accounts, so `oauth` here is the access
 * token itself (a secret string under the same key) and the instance URL is its own input. Access tokens
 * expire with the Salesforce session: for a lasting setup, leave `oauth` empty and give a refresh token
 * with its connected app's consumer key and secret; the template then asks
 * `{instance_url}/services/oauth2/token` for an access token first (the invocation's second fetch).
 */

/** The account inputs both Salesforce templates share. */
export const SALESFORCE_ACCOUNT_INPUTS: InputSchemaItem[] = [
  {
    key: 'oauth',
    type: 'string',
    label: 'Access token',
    description:
      'A Salesforce OAuth access token (with the api scope). PostHog takes a connected Salesforce account here; Sluice takes the token itself. Tokens expire with the session: leave this empty and fill in the refresh token below for a lasting setup.',
    secret: true,
    templating: false,
    required: false,
  },
  {
    key: 'instance_url',
    type: 'string',
    label: 'Instance URL',
    description: 'Your org’s My Domain URL, e.g. https://acme.my.salesforce.com (PostHog reads it from the connected account).',
    secret: false,
    templating: false,
    required: true,
  },
  {
    key: 'refresh_token',
    type: 'string',
    label: 'OAuth refresh token',
    description: 'Exchanged for an access token on each invocation when the access token is empty (needs the refresh_token scope).',
    secret: true,
    templating: false,
    required: false,
  },
  { key: 'client_id', type: 'string', label: 'Connected app consumer key', default: '', templating: false, required: false },
  { key: 'client_secret', type: 'string', label: 'Connected app consumer secret', secret: true, templating: false, required: false },
];

/** Hog shared by both templates: the payload, the path check and the access token. */
export const SALESFORCE_PRELUDE = `fun payload(withElements) {
  let properties := {}
  if (inputs.include_all_event_properties) {
    if (withElements and notEmpty(event.elements_chain)) {
      properties['$elements_chain'] := event.elements_chain
    }
    for (let key, value in event.properties) {
      properties[key] := value
    }
  }
  if (inputs.include_all_person_properties) {
    for (let key, value in person.properties ?? {}) {
      properties[key] := value
    }
  }
  for (let key, value in inputs.properties ?? {}) {
    properties[key] := value
  }
  return properties
}

fun errorText(res) {
  // Salesforce answers errors as a list of {message, errorCode}.
  if (typeof(res.body) = 'array' and notEmpty(res.body)) {
    return f'{res.body[1].errorCode}: {res.body[1].message}'
  }
  return typeof(res.body) = 'object' ? jsonStringify(res.body) : res.body
}

let path := trim(toString(inputs.path ?? ''))
let segments := splitByString('/', path)
// A property templated into the path that was empty leaves a hole in the URL: say so, not Salesforce's 404/405.
for (let segment in segments) {
  if (empty(trim(segment))) {
    throw Error(f'Salesforce: the object path "{path}" has an empty part; a property used in it had no value for this event')
  }
}

let instanceUrl := trimRight(trim(toString(inputs.instance_url ?? '')), '/')
if (empty(instanceUrl)) {
  throw Error('Salesforce: set the instance URL, e.g. https://acme.my.salesforce.com')
}

let accessToken := inputs.oauth
if (empty(accessToken)) {
  if (empty(inputs.refresh_token) or empty(inputs.client_id)) {
    throw Error('Salesforce: set an access token, or a refresh token with its connected app consumer key')
  }
  let form := f'grant_type=refresh_token&client_id={encodeURLComponent(inputs.client_id)}&refresh_token={encodeURLComponent(inputs.refresh_token)}'
  if (notEmpty(inputs.client_secret)) {
    form := f'{form}&client_secret={encodeURLComponent(inputs.client_secret)}'
  }
  let token := fetch(f'{instanceUrl}/services/oauth2/token', {
    'method': 'POST',
    'headers': {'Content-Type': 'application/x-www-form-urlencoded'},
    'body': form
  })
  if (token.status != 200 or empty(token.body.access_token)) {
    throw Error(f'Salesforce OAuth error (status {token.status}): {token.body.error ?? token.body} {token.body.error_description ?? ''}')
  }
  accessToken := token.body.access_token
}
`;

export const template: TemplateDefinition = {
  id: 'template-salesforce-create',
  name: 'Salesforce',
  description:
    'Create a Salesforce object (a Contact, a Lead, …) from the event and the person. Takes an access token, or a refresh token with its connected app (Sluice has no OAuth accounts).',
  category: ['CRM'],
  status: 'beta',
  icon_url: '/static/icons/salesforce-create.svg',
  hog: `${SALESFORCE_PRELUDE}
let res := fetch(f'{instanceUrl}/services/data/v61.0/sobjects/{path}', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {accessToken}',
    'Content-Type': 'application/json'
  },
  'body': payload(true)
})

if (res.status >= 400) {
  throw Error(f'Salesforce API error (status {res.status}) creating {path}: {errorText(res)}')
}
print(f'Salesforce: created {path} {res.body.id}')
return res.body
`,
  inputs_schema: [
    ...SALESFORCE_ACCOUNT_INPUTS,
    {
      key: 'path',
      type: 'string',
      label: 'Object',
      description: 'The API name of the object to create, e.g. Contact, Lead or a custom My_Object__c.',
      default: 'Contact',
      secret: false,
      required: true,
    },
    {
      key: 'include_all_event_properties',
      type: 'boolean',
      label: 'Send all event properties',
      description: 'Every event property becomes a field of the object (fields Salesforce does not know make it refuse the request). The fields below take precedence.',
      default: false,
      secret: false,
      required: true,
    },
    {
      key: 'include_all_person_properties',
      type: 'boolean',
      label: 'Send all person properties',
      description: 'Every person property becomes a field of the object. The fields below take precedence.',
      default: false,
      secret: false,
      required: true,
    },
    {
      key: 'properties',
      type: 'json',
      label: 'Fields',
      description: 'Field API names and their values, e.g. {"LastName": "{person.properties.last_name}"}.',
      default: { email: '{person.properties.email}' },
      secret: false,
      required: true,
    },
  ],
  filters: {
    events: [{ id: '$identify', name: '$identify', type: 'events', order: 0 }],
    filter_test_accounts: true,
  },
};
