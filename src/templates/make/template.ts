import type { TemplateDefinition } from '../types.js';

/**
 * Make (formerly Integromat) custom webhook trigger: a JSON POST to https://hook.<zone>.make.com/<id>, the URL
 * being the credential. Input keys, defaults and the request follow PostHog's template of the same id. Make
 * answers 200 `Accepted`; errors are plain text, e.g. 400 "There is no scenario listening for this webhook.",
 * 410 when the webhook was deleted, 429 when its queue is full.
 */
export const template: TemplateDefinition = {
  id: 'template-make',
  name: 'Make',
  description: 'Trigger a Make scenario through its custom webhook, with a JSON body templated from the event.',
  category: ['Custom'],
  status: 'stable',
  icon_url: '/static/icons/make.svg',
  hog: `let url := trim(inputs.webhookUrl ?? '')
if (not match(url, '^https://hook\\\\.[a-z0-9-]+\\\\.(make\\\\.com|integromat\\\\.com)/[A-Za-z0-9]+')) {
  throw Error('Make: the webhook URL must look like https://hook.<zone>.make.com/<id>')
}
let res := fetch(url, {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json'},
  'body': inputs.body
})
if (inputs.debug) {
  print('Make response', res.status, res.body)
}
if (res.status >= 400) {
  let detail := res.body
  if (typeof(res.body) = 'object') {
    detail := res.body.message ?? jsonStringify(res.body)
  }
  throw Error(f'Make API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    {
      key: 'webhookUrl',
      type: 'string',
      label: 'Webhook URL',
      description: 'The address of the scenario\'s "Custom webhook" trigger (https://hook.<zone>.make.com/…). It is a credential.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'body',
      type: 'json',
      label: 'JSON body',
      default: {
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
      required: true,
    },
    { key: 'debug', type: 'boolean', label: 'Log responses', default: false, required: false },
  ],
  filters: { events: [{ id: '$pageview', name: '$pageview', type: 'events' }] },
};
