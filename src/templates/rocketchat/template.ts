import type { TemplateDefinition } from '../types.js';

/**
 * Rocket.Chat through an incoming webhook integration
 * (https://docs.rocket.chat/docs/integrations — "Incoming webhook"). The URL
 * `https://<server>/hooks/<integration id>/<token>` is the credential. The JSON body takes `text`, optional
 * `alias` (display name), `emoji` or `avatar` for the poster, `channel` (`#room` or `@user`, when the
 * integration allows it) and `attachments`. Success is 200 `{success: true}`; a failure answers
 * `{success: false, error}`, usually with status 400 — a script on the integration can also fail with 200
 * and `success: false`, so both are treated as errors.
 */
export const template: TemplateDefinition = {
  id: 'template-rocketchat',
  name: 'Rocket.Chat',
  description: 'Post a message to a Rocket.Chat channel through an incoming webhook integration.',
  category: ['Messaging'],
  status: 'stable',
  icon_url: '/static/icons/rocketchat.svg',
  hog: `let url := inputs.webhook_url
if (not match(url, '^https?://[^/]+(/[^?#]*)?/hooks/[A-Za-z0-9]+/[A-Za-z0-9]+$')) {
  throw Error('Rocket.Chat: the webhook URL must look like https://<your server>/hooks/<id>/<token>')
}
let text := toString(inputs.text ?? '')
let attachments := inputs.attachments
if (empty(text) and empty(attachments)) {
  throw Error('Rocket.Chat: nothing to send, both the text and the attachments are empty')
}
let body := {'text': text}
if (notEmpty(attachments)) {
  body.attachments := attachments
}
if (notEmpty(inputs.channel)) {
  body.channel := inputs.channel
}
if (notEmpty(inputs.alias)) {
  body.alias := inputs.alias
}
if (notEmpty(inputs.emoji)) {
  body.emoji := inputs.emoji
}
if (notEmpty(inputs.avatar)) {
  body.avatar := inputs.avatar
}
let res := fetch(url, {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json'},
  'body': body
})
let rejected := typeof(res.body) = 'object' and res.body.success = false
if (res.status >= 400 or rejected) {
  let detail := res.body
  if (typeof(res.body) = 'object') {
    detail := res.body.error ?? jsonStringify(res.body)
  }
  throw Error(f'Rocket.Chat API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    {
      key: 'webhook_url',
      type: 'string',
      label: 'Webhook URL',
      description: 'Administration → Integrations → New → Incoming: the URL ends in /hooks/<id>/<token>. It is a credential.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'text',
      type: 'string',
      label: 'Text',
      description: 'The message (Rocket.Chat markdown).',
      default: "*{person.name}* triggered event: '{event.event}' ({event.url})",
      required: false,
    },
    {
      key: 'attachments',
      type: 'json',
      label: 'Attachments',
      description: 'Message attachments (optional), e.g. [{"title": "{event.event}", "title_link": "{event.url}", "text": "…"}].',
      default: [],
      required: false,
    },
    {
      key: 'channel',
      type: 'string',
      label: 'Channel',
      description: "#channel or @username, to post elsewhere than the integration's channel (optional).",
      required: false,
    },
    { key: 'alias', type: 'string', label: 'Alias', description: 'The display name of the poster (optional).', required: false },
    { key: 'emoji', type: 'string', label: 'Emoji', description: 'An emoji as the poster avatar, e.g. :bell: (optional).', required: false },
    { key: 'avatar', type: 'string', label: 'Avatar URL', description: 'An image URL as the poster avatar (optional).', required: false },
  ],
  filters: { events: [{ id: '$pageview', name: '$pageview', type: 'events' }] },
};
