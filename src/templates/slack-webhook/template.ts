import type { TemplateDefinition } from '../types.js';

/**
 * Slack through an incoming webhook (https://api.slack.com/messaging/webhooks). The webhook URL is the
 * credential. Slack answers 200 `ok` on success and a plain-text error code otherwise (400 invalid_payload,
 * 403 action_prohibited, 404 channel_not_found, 410 channel_is_archived, …).
 */
export const template: TemplateDefinition = {
  id: 'template-slack-webhook',
  name: 'Slack (incoming webhook)',
  description: 'Post a message to the Slack channel of an incoming webhook, with text and optional Block Kit blocks.',
  category: ['Messaging'],
  status: 'stable',
  icon_url: '/static/icons/slack-webhook.svg',
  hog: `if (not startsWith(inputs.webhook_url, 'https://hooks.slack.com/')) {
  throw Error('Slack: the webhook URL must start with https://hooks.slack.com/')
}
let body := {'text': inputs.text}
if (notEmpty(inputs.blocks)) {
  body.blocks := inputs.blocks
}
let res := fetch(inputs.webhook_url, {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json'},
  'body': body
})
if (res.status >= 400) {
  let detail := res.body
  if (typeof(res.body) != 'string') {
    detail := jsonStringify(res.body)
  }
  throw Error(f'Slack API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    {
      key: 'webhook_url',
      type: 'string',
      label: 'Webhook URL',
      description: 'The incoming webhook URL of your Slack app (https://hooks.slack.com/services/…). It is a credential.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'text',
      type: 'string',
      label: 'Text',
      description: 'The message (mrkdwn), or the notification fallback when blocks are set.',
      default: "*{person.name}* triggered event: '{event.event}'",
      required: true,
    },
    {
      key: 'blocks',
      type: 'json',
      label: 'Blocks',
      description: 'Block Kit blocks (optional); leave empty to send the text only.',
      default: [
        { type: 'section', text: { type: 'mrkdwn', text: "*{person.name}* triggered event: '{event.event}'" } },
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: '<{person.url}|View person> · <{event.url}|View event>' }],
        },
      ],
      required: false,
    },
  ],
  filters: { events: [{ id: '$pageview', name: '$pageview', type: 'events' }] },
};
