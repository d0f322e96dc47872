import type { TemplateDefinition } from '../types.js';

/**
 * Google Chat through a space's incoming webhook (https://developers.google.com/workspace/chat/quickstart/webhooks).
 * The webhook URL `https://chat.googleapis.com/v1/spaces/<space>/messages?key=…&token=…` is the credential.
 * The body is a Chat `Message`: `text` (Chat's own markdown-like format) and/or `cardsV2`. With a thread key,
 * the key goes into the URL with `messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD`, so events sharing
 * a key land in one thread. Success is 200 with the created message; errors are Google's
 * `{error: {code, message, status}}` (400 INVALID_ARGUMENT, 403 PERMISSION_DENIED, 429 RESOURCE_EXHAUSTED …).
 */
export const template: TemplateDefinition = {
  id: 'template-google-chat',
  name: 'Google Chat',
  description: 'Post a message (text and optional cards) to a Google Chat space through its webhook, optionally threaded.',
  category: ['Messaging'],
  status: 'stable',
  icon_url: '/static/icons/google-chat.svg',
  hog: `let url := inputs.webhook_url
if (not startsWith(url, 'https://chat.googleapis.com/v1/spaces/')) {
  throw Error('Google Chat: the webhook URL must start with https://chat.googleapis.com/v1/spaces/')
}
let text := toString(inputs.text ?? '')
if (length(text) > 4096) {
  text := concat(substring(text, 1, 4095), '…')
}
let cards := inputs.cards
if (empty(text) and empty(cards)) {
  throw Error('Google Chat: nothing to send, both the text and the cards are empty')
}
let body := {}
if (notEmpty(text)) {
  body.text := text
}
if (notEmpty(cards)) {
  body.cardsV2 := cards
}
if (notEmpty(inputs.thread_key)) {
  let separator := '?'
  if (url like '%?%') {
    separator := '&'
  }
  url := f'{url}{separator}threadKey={encodeURLComponent(inputs.thread_key)}&messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD'
}
let res := fetch(url, {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json; charset=UTF-8'},
  'body': body
})
if (res.status >= 400) {
  let detail := res.body
  if (typeof(res.body) = 'object') {
    detail := jsonStringify(res.body)
    if (typeof(res.body.error) = 'object') {
      detail := f'{res.body.error.message} ({res.body.error.status})'
    }
  }
  throw Error(f'Google Chat API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    {
      key: 'webhook_url',
      type: 'string',
      label: 'Webhook URL',
      description: 'Space → Apps & integrations → Webhooks → Add: the URL carries a key and a token. It is a credential.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'text',
      type: 'string',
      label: 'Text',
      description: 'The message (*bold*, _italic_, <url|label> links). Cut at 4096 characters.',
      default: "*{person.name}* triggered event: '{event.event}' <{event.url}|View event>",
      required: false,
    },
    {
      key: 'cards',
      type: 'json',
      label: 'Cards',
      description: 'A cardsV2 list (optional), e.g. [{"cardId": "event", "card": {"header": {"title": "{event.event}"}}}].',
      default: [],
      required: false,
    },
    {
      key: 'thread_key',
      type: 'string',
      label: 'Thread key',
      description: 'Messages with the same key are grouped into one thread (optional), e.g. {person.id}.',
      required: false,
    },
  ],
  filters: { events: [{ id: '$pageview', name: '$pageview', type: 'events' }] },
};
