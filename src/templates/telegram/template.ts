import type { TemplateDefinition } from '../types.js';

/**
 * Telegram Bot API `sendMessage` (https://core.telegram.org/bots/api#sendmessage). The bot token is part of
 * the URL, so the URL is never printed or put in an error. Telegram answers `{ok: true, result}` or
 * `{ok: false, error_code, description}` (with the same HTTP status as error_code).
 */
export const template: TemplateDefinition = {
  id: 'template-telegram',
  name: 'Telegram',
  description: 'Send a message to a Telegram chat, group or channel with a bot (sendMessage).',
  category: ['Messaging'],
  status: 'stable',
  icon_url: '/static/icons/telegram.svg',
  hog: `let text := inputs.text ?? ''
if (empty(text)) {
  throw Error('Telegram: the message text is empty')
}
if (length(text) > 4096) {
  text := concat(substring(text, 1, 4095), '…')
}
let body := {
  'chat_id': inputs.chat_id,
  'text': text,
  'disable_notification': inputs.disable_notification ?? false,
  'link_preview_options': {'is_disabled': inputs.disable_link_preview ?? false}
}
if (notEmpty(inputs.parse_mode) and inputs.parse_mode != 'none') {
  body.parse_mode := inputs.parse_mode
}
if (notEmpty(inputs.message_thread_id)) {
  body.message_thread_id := toInt(inputs.message_thread_id)
}
let res := fetch(f'https://api.telegram.org/bot{inputs.bot_token}/sendMessage', {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json'},
  'body': body
})
if (res.status >= 400 or res.body.ok != true) {
  let detail := res.body.description ?? res.body
  throw Error(f'Telegram API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    {
      key: 'bot_token',
      type: 'string',
      label: 'Bot token',
      description: 'The token @BotFather gave you (123456:ABC-…). It is sent only in the request URL, never logged.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'chat_id',
      type: 'string',
      label: 'Chat ID',
      description: 'A chat ID (e.g. -1001234567890) or a public channel username (@channel). The bot must be a member.',
      required: true,
    },
    {
      key: 'text',
      type: 'string',
      label: 'Text',
      description: 'Up to 4096 characters; longer text is cut.',
      default: "{person.name} triggered event: '{event.event}'\n{event.url}",
      required: true,
    },
    {
      key: 'parse_mode',
      type: 'choice',
      label: 'Formatting',
      description: 'Plain text is safest: with HTML or MarkdownV2, special characters in event data must be escaped.',
      choices: [
        { value: 'none', label: 'Plain text' },
        { value: 'HTML', label: 'HTML' },
        { value: 'MarkdownV2', label: 'MarkdownV2' },
      ],
      default: 'none',
      required: false,
    },
    { key: 'message_thread_id', type: 'string', label: 'Topic (thread) ID', description: 'For forum supergroups (optional).', required: false },
    { key: 'disable_notification', type: 'boolean', label: 'Send silently', default: false, required: false },
    { key: 'disable_link_preview', type: 'boolean', label: 'Disable link previews', default: true, required: false },
  ],
  filters: { events: [{ id: '$pageview', name: '$pageview', type: 'events' }] },
};
