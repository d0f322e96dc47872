import type { TemplateDefinition } from '../types.js';

/**
 * Mattermost through an incoming webhook (https://developers.mattermost.com/integrate/webhooks/incoming/).
 * The hook URL (`https://<server>/hooks/<id>`) is the credential. The JSON body takes `text`, optional
 * `channel` (a channel name, when the hook is not locked to its channel), `username`/`icon_url` overrides
 * (only honoured when the server allows overrides) and Slack-style `attachments`. Success is 200 with the
 * plain text `ok`; errors are a JSON app error `{id, message, detailed_error, request_id, status_code}`.
 * Self-hosted servers may run on plain http inside a private network, so both schemes are accepted.
 */
export const template: TemplateDefinition = {
  id: 'template-mattermost',
  name: 'Mattermost',
  description: 'Post a message to a Mattermost channel through an incoming webhook, with text and optional attachments.',
  category: ['Messaging'],
  status: 'stable',
  icon_url: '/static/icons/mattermost.svg',
  hog: `let url := inputs.webhook_url
if (not match(url, '^https?://[^/]+(/[^?#]*)?/hooks/[A-Za-z0-9]+$')) {
  throw Error('Mattermost: the webhook URL must look like https://<your server>/hooks/<id>')
}
let text := toString(inputs.text ?? '')
if (length(text) > 16383) {
  text := concat(substring(text, 1, 16382), '…')
}
let attachments := inputs.attachments
if (empty(text) and empty(attachments)) {
  throw Error('Mattermost: nothing to send, both the text and the attachments are empty')
}
let body := {'text': text}
if (notEmpty(attachments)) {
  body.attachments := attachments
}
if (notEmpty(inputs.channel)) {
  body.channel := inputs.channel
}
if (notEmpty(inputs.username)) {
  body.username := inputs.username
}
if (notEmpty(inputs.icon_url)) {
  body.icon_url := inputs.icon_url
}
let res := fetch(url, {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json'},
  'body': body
})
if (res.status >= 400) {
  let detail := res.body
  if (typeof(res.body) = 'object') {
    detail := res.body.message ?? jsonStringify(res.body)
    if (notEmpty(res.body.id)) {
      detail := f'{detail} ({res.body.id})'
    }
  }
  throw Error(f'Mattermost API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    {
      key: 'webhook_url',
      type: 'string',
      label: 'Webhook URL',
      description: 'Integrations → Incoming Webhooks → Add: the URL ends in /hooks/<id>. It is a credential.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'text',
      type: 'string',
      label: 'Text',
      description: 'The message (Markdown). Very long text is cut at 16383 characters.',
      default: "**{person.name}** triggered event: '{event.event}' ([view event]({event.url}))",
      required: false,
    },
    {
      key: 'attachments',
      type: 'json',
      label: 'Attachments',
      description: 'Slack-style message attachments (optional), e.g. [{"fallback": "…", "title": "{event.event}", "text": "…"}].',
      default: [],
      required: false,
    },
    {
      key: 'channel',
      type: 'string',
      label: 'Channel',
      description: "A channel name (e.g. town-square) to post elsewhere than the hook's default channel (optional).",
      required: false,
    },
    { key: 'username', type: 'string', label: 'Username', description: 'Overrides the poster name, if the server allows it (optional).', required: false },
    { key: 'icon_url', type: 'string', label: 'Icon URL', description: 'Overrides the poster picture, if the server allows it (optional).', required: false },
  ],
  filters: { events: [{ id: '$pageview', name: '$pageview', type: 'events' }] },
};
