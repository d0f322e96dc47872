import type { TemplateDefinition } from '../types.js';

/**
 * Discord "Execute Webhook": a JSON POST to the channel webhook URL, which holds the token. Input keys,
 * defaults and the request follow PostHog's template of the same id. Mentions ping nobody unless
 * `allowedMentions` says so, so event data cannot ping @everyone. Success is 204 No Content; errors are
 * JSON `{message, code}` (404 Unknown Webhook = 10015, …).
 */
export const template: TemplateDefinition = {
  id: 'template-discord',
  name: 'Discord',
  description: 'Post a message to a Discord channel through a webhook, with text content and optional embeds.',
  category: ['Messaging'],
  status: 'stable',
  icon_url: '/static/icons/discord.svg',
  hog: `let url := inputs.webhookUrl
if (not match(url, '^https://((ptb|canary)\\\\.)?discord(app)?\\\\.com/api/(v[0-9]+/)?webhooks/')) {
  throw Error('Discord: the webhook URL must look like https://discord.com/api/webhooks/<id>/<token>')
}
let content := inputs.content ?? ''
if (length(content) > 2000) {
  content := concat(substring(content, 1, 1999), '…')
}
let embeds := inputs.embeds
if (empty(content) and empty(embeds)) {
  throw Error('Discord: nothing to send, both the content and the embeds are empty')
}
let parse := []
if (inputs.allowedMentions = 'roles_users') {
  parse := ['roles', 'users']
} else if (inputs.allowedMentions = 'everyone') {
  parse := ['everyone', 'roles', 'users']
}
let body := {
  'content': content,
  'allowed_mentions': {'parse': parse}
}
if (notEmpty(embeds)) {
  body.embeds := embeds
}
if (notEmpty(inputs.username)) {
  body.username := inputs.username
}
if (notEmpty(inputs.avatar_url)) {
  body.avatar_url := inputs.avatar_url
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
    if (notEmpty(res.body.code)) {
      detail := f'{detail} (code {res.body.code})'
    }
    if (notEmpty(res.body.errors)) {
      detail := f'{detail}: {jsonStringify(res.body.errors)}'
    }
  }
  throw Error(f'Discord API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    {
      key: 'webhookUrl',
      type: 'string',
      label: 'Webhook URL',
      description: 'Channel settings → Integrations → Webhooks → Copy Webhook URL. It is a credential.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'content',
      type: 'string',
      label: 'Content',
      description: 'The message text (Discord markdown, up to 2000 characters; longer text is cut).',
      default: "**{person.name}** triggered event: '{event.event}'",
      secret: false,
      required: false,
    },
    {
      key: 'allowedMentions',
      type: 'choice',
      label: 'Mentions that ping',
      description: 'By default mentions in the message show as text and notify nobody.',
      choices: [
        { value: 'none', label: 'None' },
        { value: 'roles_users', label: '@role and @user mentions' },
        { value: 'everyone', label: '@role, @user, @everyone and @here' },
      ],
      default: 'none',
      secret: false,
      required: true,
    },
    {
      key: 'embeds',
      type: 'json',
      label: 'Embeds',
      description: 'Up to 10 embed objects (optional), e.g. [{"title": "{event.event}", "url": "{event.url}"}].',
      default: [],
      required: false,
    },
    { key: 'username', type: 'string', label: 'Username', description: "Overrides the webhook's name (optional).", required: false },
    { key: 'avatar_url', type: 'string', label: 'Avatar URL', description: "Overrides the webhook's avatar (optional).", required: false },
  ],
  renamed_inputs: { webhook_url: 'webhookUrl' },
  filters: { events: [{ id: '$pageview', name: '$pageview', type: 'events' }] },
};
