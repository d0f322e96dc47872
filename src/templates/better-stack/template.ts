import type { TemplateDefinition } from '../types.js';

/**
 * Better Stack Uptime, "Create an incident" (https://betterstack.com/docs/uptime/api/create-a-new-incident/):
 * `POST https://uptime.betterstack.com/api/v2/incidents` with `Authorization: Bearer <Uptime API token>`.
 * The Uptime incidents API (not Logs ingest) is used because an incident is what pages the on-call team.
 * The body takes `summary` and `requester_email` (both required), an optional short `name` and
 * `description`, which channels alert (`call`, `sms`, `email`, `push`, `critical_alert`) and an optional
 * escalation `policy_id`. Incidents are not deduplicated by the API, so the default filter is narrow.
 * Success is 201 with a JSON:API document `{data: {id, type: 'incident', attributes}}`; errors carry
 * `errors` as a string, a list or a field → messages map.
 */
export const template: TemplateDefinition = {
  id: 'template-better-stack',
  name: 'Better Stack',
  description: 'Open a Better Stack Uptime incident from an event and alert the on-call team by email, push, SMS or call.',
  category: ['Alerts'],
  status: 'beta',
  icon_url: '/static/icons/better-stack.svg',
  hog: `fun describe(errors) {
  if (typeof(errors) = 'string') {
    return errors
  }
  if (typeof(errors) = 'array') {
    return arrayStringConcat(arrayMap(e -> toString(e), errors), '; ')
  }
  let parts := []
  for (let field, messages in errors) {
    parts := arrayPushBack(parts, f'{field} {arrayStringConcat(arrayMap(m -> toString(m), messages), ', ')}')
  }
  return arrayStringConcat(parts, '; ')
}
let summary := toString(inputs.summary ?? '')
if (empty(summary)) {
  throw Error('Better Stack: the incident summary is empty')
}
if (empty(inputs.requester_email)) {
  throw Error('Better Stack: the requester email is required')
}
let body := {
  'summary': summary,
  'requester_email': inputs.requester_email,
  'email': inputs.alert_email ?? true,
  'push': inputs.alert_push ?? true,
  'sms': inputs.alert_sms ?? false,
  'call': inputs.alert_call ?? false,
  'critical_alert': inputs.critical_alert ?? false
}
if (notEmpty(inputs.name)) {
  body.name := inputs.name
}
if (notEmpty(inputs.description)) {
  body.description := inputs.description
}
if (notEmpty(inputs.policy_id)) {
  body.policy_id := inputs.policy_id
}
let res := fetch('https://uptime.betterstack.com/api/v2/incidents', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {inputs.api_token}',
    'Content-Type': 'application/json'
  },
  'body': body
})
if (res.status >= 400) {
  let detail := res.body
  if (typeof(res.body) = 'object') {
    detail := jsonStringify(res.body)
    if (notEmpty(res.body.errors)) {
      detail := describe(res.body.errors)
    }
  }
  throw Error(f'Better Stack API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    {
      key: 'api_token',
      type: 'string',
      label: 'Uptime API token',
      description: 'Better Stack → Uptime → API tokens: a team token.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'requester_email',
      type: 'string',
      label: 'Requester email',
      description: 'The email the incident is reported as (a member of the team).',
      required: true,
    },
    {
      key: 'summary',
      type: 'string',
      label: 'Summary',
      description: 'What happened; shown in the alert.',
      default: '{event.properties.$exception_message ?? event.event}',
      required: true,
    },
    { key: 'name', type: 'string', label: 'Name', description: 'A short incident name (optional).', default: 'Sluice: {event.event}', required: false },
    {
      key: 'description',
      type: 'string',
      label: 'Description',
      default: '{event.event} by {person.name} on {event.properties.$current_url}\n{event.url}',
      required: false,
    },
    { key: 'alert_email', type: 'boolean', label: 'Alert by email', default: true, required: false },
    { key: 'alert_push', type: 'boolean', label: 'Alert by push notification', default: true, required: false },
    { key: 'alert_sms', type: 'boolean', label: 'Alert by SMS', default: false, required: false },
    { key: 'alert_call', type: 'boolean', label: 'Alert by phone call', default: false, required: false },
    { key: 'critical_alert', type: 'boolean', label: 'Critical alert', description: 'Push alerts that bypass do-not-disturb (iOS).', default: false, required: false },
    { key: 'policy_id', type: 'string', label: 'Escalation policy ID', description: 'Optional; the default policy applies without it.', required: false },
  ],
  filters: { events: [{ id: '$exception', name: '$exception', type: 'events' }] },
};
