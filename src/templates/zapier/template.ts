import type { TemplateDefinition } from '../types.js';

/**
 * Zapier webhook trigger ("Webhooks by Zapier → Catch Hook", or the hook PostHog's Zapier app creates): a JSON
 * POST to https://hooks.zapier.com/<path>, the URL being its own credential. Input keys, defaults and the
 * request follow PostHog's template of the same id; the `hook` input takes the full URL or the path after
 * https://hooks.zapier.com/. Unlike PostHog's template, a refused hook (e.g. 410 for a deleted Zap) fails the run.
 */
export const template: TemplateDefinition = {
  id: 'template-zapier',
  name: 'Zapier',
  description: 'Trigger a Zap through its webhook ("Webhooks by Zapier → Catch Hook") for each event, with a JSON body templated from the event.',
  category: ['Custom'],
  status: 'stable',
  icon_url: '/static/icons/zapier.svg',
  hog: `let prefix := 'https://hooks.zapier.com/'
let path := trim(inputs.hook ?? '')
if (startsWith(path, prefix)) {
  path := substring(path, length(prefix) + 1)
} else if (match(path, '^[a-zA-Z][a-zA-Z0-9+.-]*://')) {
  // A full URL anywhere else: refused rather than sent to a made-up Zapier path.
  throw Error('Zapier: the hook must be https://hooks.zapier.com/… or the path after it')
}
path := trimLeft(path, '/')
if (empty(path)) {
  throw Error('Zapier: the hook is empty')
}
let res := fetch(concat(prefix, path), {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json'},
  'body': inputs.body
})
if (inputs.debug) {
  print('Response', res.status, res.body)
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
      label: 'Zapier hook',
      description: 'The webhook URL from the Zap trigger (https://hooks.zapier.com/hooks/catch/…), or the path after https://hooks.zapier.com/. It is a credential.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'body',
      type: 'json',
      label: 'JSON body',
      description: 'Zapier turns nested keys into fields such as data__properties__$current_url.',
      default: {
        hook: { id: '{source.url}', event: '{event}', target: 'https://hooks.zapier.com' },
        data: {
          eventUuid: '{event.uuid}',
          event: '{event.event}',
          teamId: '{project.id}',
          distinctId: '{event.distinct_id}',
          properties: '{event.properties}',
          elementsChain: '{event.elementsChain}',
          timestamp: '{event.timestamp}',
          person: { uuid: '{person.id}', properties: '{person.properties}' },
        },
      },
      secret: false,
      required: false,
    },
    { key: 'debug', type: 'boolean', label: 'Log responses', default: false, secret: false, required: false },
  ],
  filters: { events: [{ id: '$pageview', name: '$pageview', type: 'events' }] },
};
