import type { TemplateDefinition } from '../types.js';

/**
 * Microsoft Teams through a Workflows webhook ("When a Teams webhook request is received", Power Automate),
 * which takes a `message` with Adaptive Card attachments and answers 202 Accepted. Legacy Office 365
 * connector URLs (…webhook.office.com) take the same card, or `{text}` in the "text" format; they could
 * answer 200 with an error sentence in the body, which is checked too. The URL carries its signature: a secret.
 */
export const template: TemplateDefinition = {
  id: 'template-microsoft-teams',
  name: 'Microsoft Teams',
  description: 'Post a message to a Microsoft Teams channel or chat through a Workflows (or legacy connector) webhook, as an Adaptive Card or plain text.',
  category: ['Messaging'],
  status: 'stable',
  icon_url: '/static/icons/microsoft-teams.svg',
  hog: `if (not startsWith(inputs.webhook_url, 'https://')) {
  throw Error('Microsoft Teams: the webhook URL must be an https:// URL')
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
  let actions := []
  for (let label, link in inputs.links ?? {}) {
    if (notEmpty(link)) {
      actions := arrayPushBack(actions, {'type': 'Action.OpenUrl', 'title': label, 'url': link})
    }
  }
  let card := {
    '$schema': 'http://adaptivecards.io/schemas/adaptive-card.json',
    'type': 'AdaptiveCard',
    'version': '1.4',
    'body': items
  }
  if (notEmpty(actions)) {
    card.actions := actions
  }
  body := {
    'type': 'message',
    'attachments': [{'contentType': 'application/vnd.microsoft.card.adaptive', 'content': card}]
  }
}
let res := fetch(inputs.webhook_url, {
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
      key: 'webhook_url',
      type: 'string',
      label: 'Webhook URL',
      description:
        'In Teams: Workflows → "Send webhook alerts to a channel" (or "When a Teams webhook request is received"), then copy the URL. It is a credential.',
      secret: true,
      templating: false,
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
      required: true,
    },
    { key: 'title', type: 'string', label: 'Title', default: '{event.event}', required: false },
    {
      key: 'text',
      type: 'string',
      label: 'Text',
      description: 'Markdown is supported in card text blocks.',
      default: "**{person.name}** triggered event: '{event.event}'",
      required: true,
    },
    {
      key: 'links',
      type: 'dictionary',
      label: 'Buttons',
      description: 'Button label → URL, shown under the card. Empty URLs are left out.',
      default: { 'View Person': '{person.url}', 'View Event': '{event.url}' },
      required: false,
    },
  ],
  filters: { events: [{ id: '$pageview', name: '$pageview', type: 'events' }] },
};
