import type { TemplateDefinition } from '../types.js';

/**
 * Slack through a bot token: `chat.postMessage` (https://api.slack.com/methods/chat.postMessage).
 * Slack answers most errors with HTTP 200 and `{ok: false, error}`, so the body is checked as well as the status.
 */
export const template: TemplateDefinition = {
  id: 'template-slack',
  name: 'Slack',
  description: 'Post a message to a Slack channel with a bot token (chat.postMessage). Invite the bot to the channel first.',
  category: ['Messaging'],
  status: 'stable',
  icon_url: '/static/icons/slack.svg',
  hog: `let body := {
  'channel': inputs.channel,
  'text': inputs.text
}
if (notEmpty(inputs.blocks)) {
  body.blocks := inputs.blocks
}
if (notEmpty(inputs.username)) {
  body.username := inputs.username
}
if (notEmpty(inputs.icon_emoji)) {
  body.icon_emoji := inputs.icon_emoji
}
let res := fetch('https://slack.com/api/chat.postMessage', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {inputs.slack_token}',
    'Content-Type': 'application/json; charset=utf-8'
  },
  'body': body
})
if (res.status >= 400) {
  throw Error(f'Slack API error (status {res.status}): {res.body}')
}
if (res.body.ok != true) {
  let code := res.body.error ?? 'unknown_error'
  let hint := ''
  if (code = 'not_in_channel' or code = 'channel_not_found') {
    hint := f' (is the bot invited to {inputs.channel}?)'
  } else if (code = 'invalid_auth' or code = 'not_authed' or code = 'token_revoked' or code = 'account_inactive') {
    hint := ' (check the bot token)'
  } else if (code = 'missing_scope') {
    hint := f' (the token needs the {res.body.needed ?? 'chat:write'} scope)'
  }
  throw Error(f'Slack API error (status {res.status}): {code}{hint}')
}
`,
  inputs_schema: [
    {
      key: 'slack_token',
      type: 'string',
      label: 'Bot token',
      description: 'A bot user OAuth token (xoxb-…) with the chat:write scope.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'channel',
      type: 'string',
      label: 'Channel',
      description: 'A channel ID (C0123456789) or name (#alerts). The bot must be a member of it.',
      required: true,
    },
    {
      key: 'text',
      type: 'string',
      label: 'Text',
      description: 'The message, or the notification fallback when blocks are set.',
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
          type: 'actions',
          elements: [
            { type: 'button', text: { type: 'plain_text', text: 'View Person' }, url: '{person.url}' },
            { type: 'button', text: { type: 'plain_text', text: 'View Event' }, url: '{event.url}' },
          ],
        },
      ],
      required: false,
    },
    { key: 'username', type: 'string', label: 'Bot name', description: 'Needs the chat:write.customize scope.', required: false },
    { key: 'icon_emoji', type: 'string', label: 'Emoji icon', description: 'For example :hedgehog:. Needs chat:write.customize.', required: false },
  ],
  filters: { events: [{ id: '$pageview', name: '$pageview', type: 'events' }] },
};
