import type { TemplateDefinition } from '../types.js';

/**
 * beehiiv API v2 subscriptions of one publication, keyed by email:
 * 1. `GET …/subscriptions/by_email/{email}` finds the subscription;
 * 2. none (404): `POST …/subscriptions` creates it, with the acquisition fields (utm_*, referring_site);
 *    found: `PUT …/subscriptions/by_email/{email}` updates its custom fields (skipped when there are none).
 * beehiiv ignores a status change on update: an unsubscribed ("inactive") subscriber only comes back through
 * a create with `reactivate_existing`, done first when "Reactivate" is on. That path makes 3 requests and
 * needs `SLUICE_MAX_FETCHES` ≥ 3. Custom fields must already exist in beehiiv; empty values are left out.
 */
export const template: TemplateDefinition = {
  id: 'template-beehiiv',
  name: 'beehiiv',
  description:
    'Create or update a beehiiv newsletter subscriber from the person, with custom fields and acquisition source. Reactivating an unsubscribed subscriber needs SLUICE_MAX_FETCHES ≥ 3.',
  category: ['Email'],
  status: 'beta',
  icon_url: '/static/icons/beehiiv.svg',
  hog: `let email := trim(toString(inputs.email ?? ''))
if (empty(email)) {
  print('beehiiv: no email on this person, nothing to sync')
  return
}

let headers := {
  'Authorization': f'Bearer {inputs.apiKey}',
  'Content-Type': 'application/json'
}
fun failure(res, step) {
  let detail := res.body.errors[1].message ?? res.body.message ?? res.body
  return Error(f'beehiiv API error (status {res.status}) {step}: {detail}')
}

let fields := []
for (let name, value in inputs.customFields ?? {}) {
  if (notEmpty(name) and notEmpty(value)) {
    fields := arrayPushBack(fields, {'name': name, 'value': value})
  }
}

let collection := f'https://api.beehiiv.com/v2/publications/{inputs.publicationId}/subscriptions'
let subscription := f'{collection}/by_email/{encodeURLComponent(email)}'

let found := fetch(subscription, {'method': 'GET', 'headers': headers})

if (found.status = 404) {
  let create := {
    'email': email,
    'reactivate_existing': inputs.reactivateExisting,
    'send_welcome_email': inputs.sendWelcomeEmail
  }
  let acquisition := {
    'utm_source': inputs.utmSource,
    'utm_medium': inputs.utmMedium,
    'utm_campaign': inputs.utmCampaign,
    'utm_term': inputs.utmTerm,
    'utm_content': inputs.utmContent,
    'referring_site': inputs.referringSite
  }
  for (let key, value in acquisition) {
    if (notEmpty(value)) {
      create[key] := value
    }
  }
  if (notEmpty(fields)) {
    create.custom_fields := fields
  }
  let created := fetch(collection, {'method': 'POST', 'headers': headers, 'body': create})
  if (created.status >= 400) {
    throw failure(created, 'creating the subscription')
  }
  print(f'beehiiv: subscribed {email}')
  return
}
if (found.status >= 400) {
  throw failure(found, 'looking up the subscription')
}

// Only "inactive" (unsubscribed) is brought back; validating or invalid subscriptions are left as they are.
if (inputs.reactivateExisting and found.body.data.status = 'inactive') {
  let reactivated := fetch(collection, {
    'method': 'POST',
    'headers': headers,
    'body': {'email': email, 'reactivate_existing': true, 'send_welcome_email': inputs.sendWelcomeEmail}
  })
  if (reactivated.status >= 400) {
    throw failure(reactivated, 'reactivating the subscription')
  }
  print(f'beehiiv: reactivated {email}')
}

if (empty(fields)) {
  print(f'beehiiv: {email} is already subscribed and there are no custom fields to update')
  return
}
let updated := fetch(subscription, {'method': 'PUT', 'headers': headers, 'body': {'custom_fields': fields}})
if (updated.status >= 400) {
  throw failure(updated, 'updating the subscription')
}
print(f'beehiiv: updated {email}')
`,
  inputs_schema: [
    {
      key: 'apiKey',
      type: 'string',
      label: 'API key',
      description: 'beehiiv → Settings → Workspace settings → API; the key needs access to the publication.',
      secret: true,
      templating: false,
      required: true,
    },
    { key: 'publicationId', type: 'string', label: 'Publication ID', description: 'Starts with pub_.', secret: false, required: true },
    {
      key: 'email',
      type: 'string',
      label: 'Email',
      description: 'The subscriber’s email. Persons without one are skipped.',
      default: '{person.properties.email ?? event.properties.email}',
      secret: false,
      required: true,
    },
    {
      key: 'customFields',
      type: 'dictionary',
      label: 'Custom fields',
      description: 'beehiiv custom field name → value. The fields must exist in beehiiv (others are ignored there); empty values are left out.',
      default: { 'First Name': '{person.properties.first_name}', 'Last Name': '{person.properties.last_name}' },
      secret: false,
      required: false,
    },
    { key: 'sendWelcomeEmail', type: 'boolean', label: 'Send the welcome email', description: 'To new subscribers.', default: false, secret: false, required: false },
    {
      key: 'reactivateExisting',
      type: 'boolean',
      label: 'Reactivate unsubscribed subscribers',
      description: 'Only when the person asked to subscribe again. Needs SLUICE_MAX_FETCHES ≥ 3 for subscribers who exist.',
      default: false,
      secret: false,
      required: false,
    },
    { key: 'utmSource', type: 'string', label: 'UTM source', description: 'Set when the subscription is created.', default: 'posthog', secret: false, required: false },
    { key: 'utmMedium', type: 'string', label: 'UTM medium', description: 'Set when the subscription is created.', default: '{event.properties.utm_medium}', secret: false, required: false },
    { key: 'utmCampaign', type: 'string', label: 'UTM campaign', description: 'Set when the subscription is created.', default: '{event.properties.utm_campaign}', secret: false, required: false },
    { key: 'utmTerm', type: 'string', label: 'UTM term', description: 'Set when the subscription is created.', default: '{event.properties.utm_term}', secret: false, required: false },
    { key: 'utmContent', type: 'string', label: 'UTM content', description: 'Set when the subscription is created.', default: '{event.properties.utm_content}', secret: false, required: false },
    { key: 'referringSite', type: 'string', label: 'Referring site', description: 'Set when the subscription is created.', default: '{event.properties.$referrer}', secret: false, required: false },
  ],
  filters: {
    events: [
      { id: '$identify', name: '$identify', type: 'events', order: 0 },
      { id: '$set', name: '$set', type: 'events', order: 1 },
    ],
    filter_test_accounts: true,
  },
};
