import type { TemplateDefinition } from '../types.js';

/**
 * Microsoft Teams through an incoming webhook: a Workflows / Power Automate / Logic Apps trigger URL, or a
 * legacy Office 365 connector. Input keys, defaults and the request follow PostHog's template of the same id:
 * an Adaptive Card with one text block. The URL must be on one of Microsoft's webhook hosts, so event data
 * cannot send it elsewhere; it carries its signature, so it is a secret. Legacy connectors could answer 200
 * with an error sentence in the body, which is checked too.
 */
export const template: TemplateDefinition = {
  id: 'template-microsoft-teams',
  name: 'Microsoft Teams',
  description:
    'Post a message to a Microsoft Teams channel or chat through a Workflows (or legacy connector) webhook, as an Adaptive Card or plain text.',
  category: ['Messaging'],
  status: 'stable',
  icon_url: '/static/icons/microsoft-teams.svg',
  hog: `let url := inputs.webhookUrl
// Only Microsoft's webhook hosts: a templated or mistyped URL cannot send the message elsewhere.
let host := lower(extractRegex(url ?? '', '^https://([^/?#:@]+)(:443)?[/?]'))
if (not match(host, '\\\\.(logic\\\\.azure\\\\.com|webhook\\\\.office\\\\.com|powerautomate\\\\.com|flow\\\\.microsoft\\\\.com|environment\\\\.api\\\\.powerplatform\\\\.com)$')) {
  throw Error('Microsoft Teams: the webhook URL must be an https:// URL on logic.azure.com, webhook.office.com, powerautomate.com, flow.microsoft.com or environment.api.powerplatform.com')
}
let body := {}
if (inputs.format = 'text') {
  body := {'text': inputs.text}
} else {
  let items := []
  if (notEmpty(inputs.title)) {
    items := arrayPushBack(items, {'type': 'TextBlock', 'text': inputs.title, 'weight': 'Bolder', 'size': 'Medium', 'wrap': true})
  }
  items := arrayPushBack(items, {'type': 'TextBlock', 'text': inputs.text, 'wrap': true})
  let card := {
    '$schema': 'http://adaptivecards.io/schemas/adaptive-card.json',
    'type': 'AdaptiveCard',
    'version': '1.2',
    'body': items
  }
  let actions := []
  for (let label, link in inputs.links ?? {}) {
    if (notEmpty(link)) {
      actions := arrayPushBack(actions, {'type': 'Action.OpenUrl', 'title': label, 'url': link})
    }
  }
  if (notEmpty(actions)) {
    card.actions := actions
  }
  body := {
    'type': 'message',
    'attachments': [{'contentType': 'application/vnd.microsoft.card.adaptive', 'contentUrl': null, 'content': card}]
  }
}
let res := fetch(url, {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json'},
  'body': body
})
if (res.status >= 400) {
  let detail := res.body
  if (typeof(res.body) = 'object') {
    detail := res.body.error.message ?? res.body.message ?? jsonStringify(res.body)
  }
  throw Error(f'Microsoft Teams API error (status {res.status}): {detail}')
}
if (typeof(res.body) = 'string' and res.body ilike '%failed with error%') {
  throw Error(f'Microsoft Teams API error (status {res.status}): {res.body}')
}
`,
  inputs_schema: [
    {
      key: 'webhookUrl',
      type: 'string',
      label: 'Webhook URL',
      description:
        'In Teams: Workflows → "Send webhook alerts to a channel" (or a Power Automate / Logic Apps HTTP trigger), then copy the URL. It is a credential.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'text',
      type: 'string',
      label: 'Text',
      description: 'Markdown is supported in card text blocks.',
      default: "**{person.name}** triggered event: '{event.event}'",
      secret: false,
      required: true,
    },
    {
      key: 'format',
      type: 'choice',
      label: 'Format',
      description: 'Workflows accept Adaptive Cards only; plain text works with legacy Office 365 connectors.',
      choices: [
        { value: 'adaptive_card', label: 'Adaptive Card' },
        { value: 'text', label: 'Plain text (legacy connectors)' },
      ],
      default: 'adaptive_card',
      required: false,
    },
    { key: 'title', type: 'string', label: 'Title', description: 'A bold line above the text (optional), e.g. {event.event}.', required: false },
    {
      key: 'links',
      type: 'dictionary',
      label: 'Buttons',
      description: 'Button label → URL, shown under the card (optional), e.g. "View Person" → {person.url}. Empty URLs are left out.',
      default: {},
      required: false,
    },
  ],
  renamed_inputs: { webhook_url: 'webhookUrl' },
  filters: { events: [{ id: '$pageview', name: '$pageview', type: 'events' }] },
};
