import type { TemplateDefinition } from '../types.js';

/**
 * Matrix client-server API, "send a message event"
 * (https://spec.matrix.org/latest/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid):
 * `PUT <homeserver>/_matrix/client/v3/rooms/<room id>/send/m.room.message/<txn id>` with
 * `Authorization: Bearer <access token>`. The transaction id makes the send idempotent per access token, so it
 * is derived from the event uuid: a retried invocation never posts the same event twice. The content is an
 * `m.room.message` (`msgtype` m.notice, the type meant for bots, or m.text; `body` plain text; optional
 * `format: org.matrix.custom.html` + `formatted_body`). Success is 200 `{event_id}`; errors are
 * `{errcode, error}` (401 M_UNKNOWN_TOKEN, 403 M_FORBIDDEN when the bot is not in the room, 429 M_LIMIT_EXCEEDED).
 */
export const template: TemplateDefinition = {
  id: 'template-matrix',
  name: 'Matrix',
  description: 'Send a message to a Matrix room (Element and other clients) as a bot user, through the client-server API.',
  category: ['Messaging'],
  status: 'stable',
  icon_url: '/static/icons/matrix.svg',
  hog: `let homeserver := trim(inputs.homeserver_url ?? '')
if (not match(homeserver, '^https?://[^/?#]+/?$')) {
  throw Error('Matrix: the homeserver URL must look like https://matrix.example.org')
}
if (homeserver like '%/') {
  homeserver := substring(homeserver, 1, length(homeserver) - 1)
}
let room := trim(inputs.room_id ?? '')
if (not match(room, '^![^:]+:.+$')) {
  throw Error('Matrix: the room id must look like !abc123:example.org (Room settings → Advanced), not an alias')
}
let text := toString(inputs.body ?? '')
if (empty(text)) {
  throw Error('Matrix: the message body is empty')
}
let content := {'msgtype': inputs.msgtype ?? 'm.notice', 'body': text}
if (notEmpty(inputs.formatted_body)) {
  content.format := 'org.matrix.custom.html'
  content.formatted_body := inputs.formatted_body
}
let txn := f'sluice-{event.uuid}'
let url := f'{homeserver}/_matrix/client/v3/rooms/{encodeURLComponent(room)}/send/m.room.message/{encodeURLComponent(txn)}'
let res := fetch(url, {
  'method': 'PUT',
  'headers': {
    'Authorization': f'Bearer {inputs.access_token}',
    'Content-Type': 'application/json'
  },
  'body': content
})
if (res.status >= 400) {
  let detail := res.body
  if (typeof(res.body) = 'object') {
    detail := f'{res.body.error ?? jsonStringify(res.body)} ({res.body.errcode})'
  }
  throw Error(f'Matrix API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    {
      key: 'homeserver_url',
      type: 'string',
      label: 'Homeserver URL',
      description: "The bot account's homeserver, e.g. https://matrix.org or https://matrix.example.org.",
      templating: false,
      required: true,
    },
    {
      key: 'access_token',
      type: 'string',
      label: 'Access token',
      description: 'An access token of the bot user (which must have joined the room).',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'room_id',
      type: 'string',
      label: 'Room ID',
      description: 'The internal room id, e.g. !abc123:example.org (Room settings → Advanced).',
      templating: false,
      required: true,
    },
    {
      key: 'msgtype',
      type: 'choice',
      label: 'Message type',
      choices: [
        { value: 'm.notice', label: 'Notice (for bots; clients do not notify loudly)' },
        { value: 'm.text', label: 'Text' },
      ],
      default: 'm.notice',
      required: true,
    },
    {
      key: 'body',
      type: 'string',
      label: 'Body',
      description: 'The plain-text message, also the fallback of the HTML version.',
      default: "{person.name} triggered event: '{event.event}' {event.url}",
      required: true,
    },
    {
      key: 'formatted_body',
      type: 'string',
      label: 'HTML body',
      description: 'An optional HTML version (org.matrix.custom.html), e.g. <b>{person.name}</b> …',
      required: false,
    },
  ],
  filters: { events: [{ id: '$pageview', name: '$pageview', type: 'events' }] },
};
