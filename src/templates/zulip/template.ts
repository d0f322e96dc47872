import type { TemplateDefinition } from '../types.js';

/**
 * Zulip "Send a message" (https://zulip.com/api/send-message): `POST <site>/api/v1/messages`, form-encoded,
 * with HTTP Basic auth of a bot's email and API key. A channel message takes `type=stream` (the name every
 * server version accepts), `to` = the channel name and a `topic` (at most 60 characters); a direct message
 * takes `type=direct` and `to` = a JSON list of emails. Content is Zulip markdown, at most 10000 bytes (cut
 * here by characters, a safe bound for ASCII text). Success is 200 `{result: 'success', msg: '', id}`;
 * errors are 400 `{result: 'error', msg, code}` (e.g. STREAM_DOES_NOT_EXIST), 401 for a bad key.
 */
export const template: TemplateDefinition = {
  id: 'template-zulip',
  name: 'Zulip',
  description: 'Send a Zulip message to a channel topic or as a direct message, as a bot (send message API).',
  category: ['Messaging'],
  status: 'stable',
  icon_url: '/static/icons/zulip.svg',
  hog: `fun cut(text, max) {
  let s := toString(text ?? '')
  if (length(s) > max) {
    return concat(substring(s, 1, max - 1), '…')
  }
  return s
}
let site := trim(inputs.site_url ?? '')
if (not match(site, '^https?://[^/?#]+/?$')) {
  throw Error('Zulip: the site URL must look like https://yourorg.zulipchat.com')
}
if (site like '%/') {
  site := substring(site, 1, length(site) - 1)
}
let content := cut(inputs.content, 10000)
if (empty(content)) {
  throw Error('Zulip: the message content is empty')
}
let form := ''
if (inputs.recipient_type = 'direct') {
  let emails := arrayFilter(e -> notEmpty(e), arrayMap(e -> trim(e), splitByString(',', toString(inputs.to ?? ''))))
  if (empty(emails)) {
    throw Error('Zulip: a direct message needs at least one recipient email')
  }
  form := f'type=direct&to={encodeURLComponent(jsonStringify(emails))}'
} else {
  let topic := cut(inputs.topic, 60)
  if (empty(inputs.to) or empty(topic)) {
    throw Error('Zulip: a channel message needs a channel name and a topic')
  }
  form := f'type=stream&to={encodeURLComponent(inputs.to)}&topic={encodeURLComponent(topic)}'
}
form := f'{form}&content={encodeURLComponent(content)}'
let res := fetch(f'{site}/api/v1/messages', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Basic {base64Encode(f'{inputs.bot_email}:{inputs.api_key}')}',
    'Content-Type': 'application/x-www-form-urlencoded'
  },
  'body': form
})
if (res.status >= 400 or (typeof(res.body) = 'object' and res.body.result = 'error')) {
  let detail := res.body
  if (typeof(res.body) = 'object') {
    detail := res.body.msg ?? jsonStringify(res.body)
    if (notEmpty(res.body.code)) {
      detail := f'{detail} ({res.body.code})'
    }
  }
  throw Error(f'Zulip API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    {
      key: 'site_url',
      type: 'string',
      label: 'Zulip URL',
      description: 'Your organization, e.g. https://yourorg.zulipchat.com or your self-hosted server.',
      templating: false,
      required: true,
    },
    {
      key: 'bot_email',
      type: 'string',
      label: 'Bot email',
      description: 'The email of a Zulip bot (Personal settings → Bots), e.g. sluice-bot@yourorg.zulipchat.com.',
      templating: false,
      required: true,
    },
    {
      key: 'api_key',
      type: 'string',
      label: 'Bot API key',
      description: "The bot's API key.",
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'recipient_type',
      type: 'choice',
      label: 'Send to',
      choices: [
        { value: 'stream', label: 'A channel topic' },
        { value: 'direct', label: 'Direct message' },
      ],
      default: 'stream',
      required: true,
    },
    {
      key: 'to',
      type: 'string',
      label: 'Channel or recipients',
      description: 'The channel name, or for a direct message the recipient emails separated by commas.',
      required: true,
    },
    {
      key: 'topic',
      type: 'string',
      label: 'Topic',
      description: 'The topic within the channel (≤ 60 characters; longer text is cut). Ignored for direct messages.',
      default: '{event.event}',
      required: false,
    },
    {
      key: 'content',
      type: 'string',
      label: 'Content',
      description: 'The message (Zulip markdown).',
      default: "**{person.name}** triggered event: '{event.event}' ([view event]({event.url}))",
      required: true,
    },
  ],
  filters: { events: [{ id: '$pageview', name: '$pageview', type: 'events' }] },
};
