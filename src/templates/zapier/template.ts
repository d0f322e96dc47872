import type { TemplateDefinition } from '../types.js';

/**
 * Zapier "Webhooks by Zapier → Catch Hook" trigger: a JSON POST to the Zap's catch hook URL
 * (https://hooks.zapier.com/hooks/catch/<account>/<hook>/), which is its own credential. Zapier answers
 * 200 `{status: 'success', request_id, …}`. The `hook` input takes the full URL or, as PostHog's template
 * does, the path after https://hooks.zapier.com/.
 */
export const template: TemplateDefinition = {
  id: 'template-zapier',
  name: 'Zapier',
  description: 'Trigger a Zap with a "Catch Hook" (Webhooks by Zapier) for each event, with a JSON body templated from the event.',
  category: ['Custom'],
  status: 'stable',
  icon_url: '/static/icons/zapier.svg',
  hog: `let prefix := 'https://hooks.zapier.com/'
let url := trim(inputs.hook)
if (not startsWith(url, 'https://')) {
  if (startsWith(url, '/')) {
    url := substring(url, 2)
  }
  url := concat(prefix, url)
}
if (not startsWith(url, concat(prefix, 'hooks/catch/'))) {
  throw Error('Zapier: the hook must be a catch hook URL, https://hooks.zapier.com/hooks/catch/<account>/<hook>/')
}
let res := fetch(url, {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json'},
  'body': inputs.body
})
if (inputs.debug) {
  print('Zapier response', res.status, res.body)
}
if (res.status >= 400) {
  let detail := res.body
  if (typeof(res.body) = 'object') {
    detail := res.body.message ?? res.body.status ?? jsonStringify(res.body)
  }
  throw Error(f'Zapier API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    {
      key: 'hook',
      type: 'string',
      label: 'Catch hook URL',
      description: 'From the Zap trigger "Webhooks by Zapier → Catch Hook": https://hooks.zapier.com/hooks/catch/… (or the path after hooks.zapier.com/). It is a credential.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'body',
      type: 'json',
      label: 'JSON body',
      description: 'Zapier turns nested keys into fields such as event__properties__$current_url.',
      default: {
        event: { uuid: '{event.uuid}', event: '{event.event}', distinct_id: '{event.distinct_id}', timestamp: '{event.timestamp}', url: '{event.url}', properties: '{event.properties}' },
        person: { id: '{person.id}', name: '{person.name}', url: '{person.url}', properties: '{person.properties}' },
      },
      required: true,
    },
    { key: 'debug', type: 'boolean', label: 'Log responses', default: false, required: false },
  ],
  filters: { events: [{ id: '$pageview', name: '$pageview', type: 'events' }] },
};
