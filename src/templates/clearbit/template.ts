import type { TemplateDefinition } from '../types.js';

/**
 * Clearbit enrichment: `GET https://person-stream.clearbit.com/v2/combined/find?email=…` (Bearer API key).
 * A person found comes back into Sluice as a `$set` event whose `$set_once` carries Clearbit's person and
 * company and `clearbit_enriched: true`, so that person is not looked up again. `$set` events themselves,
 * persons already enriched and persons without an email are not looked up. Clearbit answers 404 when it
 * knows nobody with the email, and 202 when it is still looking: neither is an error, nothing is captured.
 */
export const template: TemplateDefinition = {
  id: 'template-clearbit',
  name: 'Clearbit',
  description:
    'Look the person up in Clearbit by email and, when found, capture a $set event that stores the Clearbit person and company on them (once per person).',
  category: ['Analytics'],
  status: 'beta',
  icon_url: '/static/icons/clearbit.svg',
  hog: `let email := trim(toString(inputs.email ?? ''))
if (empty(email)) {
  print('Clearbit: no email on this person, nothing to look up')
  return false
}
// Our own $set (below) would otherwise trigger a second lookup.
if (event.event = '$set' or person.properties.clearbit_enriched) {
  return false
}

// The @ may stay as it is in a query string; everything else that could split it is encoded.
let query := replaceAll(encodeURLComponent(email), '%40', '@')
let res := fetch(f'https://person-stream.clearbit.com/v2/combined/find?email={query}', {
  'method': 'GET',
  'headers': {'Authorization': f'Bearer {inputs.api_key}'}
})

if (res.status = 200 and notEmpty(res.body.person)) {
  print('Clearbit: person found, capturing a $set event with the enrichment')
  postHogCapture({
    'event': '$set',
    'distinct_id': event.distinct_id,
    'properties': {
      '$lib': 'hog_function',
      '$hog_function_source': source.url,
      '$set_once': {
        'person': res.body.person,
        'company': res.body.company,
        'clearbit_enriched': true
      }
    }
  })
  return true
}
if (res.status >= 400 and res.status != 404) {
  let detail := res.body.error.message ?? res.body
  throw Error(f'Clearbit API error (status {res.status}): {detail}')
}
print(f'Clearbit: no data for this email (status {res.status})')
return false
`,
  inputs_schema: [
    {
      key: 'api_key',
      type: 'string',
      label: 'Clearbit API key',
      description: 'The secret API key of your Clearbit account.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'email',
      type: 'string',
      label: 'Email',
      description: 'The email to look up. Persons without one are not looked up.',
      default: '{person.properties.email}',
      secret: false,
      required: true,
    },
  ],
};
