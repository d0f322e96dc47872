import type { TemplateDefinition } from '../types.js';

/**
 * Unify (`POST https://analytics.unifygtm.com/api/v1/webhooks/posthog`, key in `X-Write-Key`): the
 * whole event, plus a Person (matched by email) and a Company (matched by domain) built from the two
 * attribute mappings. Unify does not use `$groupidentify`, `$set` or `$web_vitals`: those are logged
 * and dropped.
 */
export const template: TemplateDefinition = {
  id: 'template-unify',
  name: 'Unify',
  description: 'Send events to Unify with the person’s and the company’s attributes, for intent signals and go-to-market plays.',
  category: ['Analytics'],
  status: 'beta',
  icon_url: '/static/icons/unify.svg',
  hog: `if (empty(inputs.write_key)) {
  throw Error('Unify: the write key is empty')
}
if (event.event in ['$groupidentify', '$set', '$web_vitals']) {
  print(f'Unify does not take {event.event} events: skipped')
  return
}

let res := fetch('https://analytics.unifygtm.com/api/v1/webhooks/posthog', {
  'method': 'POST',
  'headers': {
    'Content-Type': 'application/json',
    'X-Write-Key': inputs.write_key
  },
  'body': {
    'type': event.event,
    'data': event,
    'person': inputs.person_attributes ?? {},
    'company': inputs.company_attributes ?? {}
  }
})

if (res.status >= 400) {
  let detail := typeof(res.body) = 'object' ? jsonStringify(res.body) : res.body
  throw Error(f'Unify API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    {
      key: 'write_key',
      type: 'string',
      label: 'Write key',
      description: 'Unify → Settings → Integrations → PostHog.',
      default: '',
      secret: true,
      required: true,
      secret_headers: ['X-Write-Key'],
    },
    {
      key: 'person_attributes',
      type: 'dictionary',
      label: 'Person attributes',
      description: 'Unify Person attributes and where to read them. Unify links the event to a Person by email.',
      default: {
        email: '{person.properties.email}',
        address: '{person.properties.address}',
        corporate_phone: '{person.properties.corporate_phone}',
        do_not_call: '{person.properties.do_not_call}',
        do_not_email: '{person.properties.do_not_email}',
        email_opt_out: '{person.properties.email_opt_out}',
        eu_resident: '{person.properties.eu_resident}',
        first_name: '{person.properties.first_name}',
        last_name: '{person.properties.last_name}',
        lead_source: '{person.properties.lead_source}',
        linkedin_url: '{person.properties.linkedin_url}',
        mobile_phone: '{person.properties.mobile_phone}',
        status: '{person.properties.status}',
        title: '{person.properties.title}',
        work_phone: '{person.properties.work_phone}',
      },
      secret: false,
      required: false,
    },
    {
      key: 'company_attributes',
      type: 'dictionary',
      label: 'Company attributes',
      description: 'Unify Company attributes and where to read them. Unify links the event to a Company by domain.',
      default: {
        domain: '{groups.company.properties.domain}',
        address: '{groups.company.properties.address}',
        corporate_phone: '{groups.company.properties.corporate_phone}',
        description: '{groups.company.properties.description}',
        do_not_contact: '{groups.company.properties.do_not_contact}',
        employee_count: '{groups.company.properties.employee_count}',
        founded: '{groups.company.properties.founded}',
        industry: '{groups.company.properties.industry}',
        lead_source: '{groups.company.properties.lead_source}',
        linkedin_url: '{groups.company.properties.linkedin_url}',
        name: '{groups.company.properties.name}',
        revenue: '{groups.company.properties.revenue}',
        status: '{groups.company.properties.status}',
        time_zone: '{groups.company.properties.time_zone}',
      },
      secret: false,
      required: false,
    },
  ],
  filters: { events: [], filter_test_accounts: true },
};
