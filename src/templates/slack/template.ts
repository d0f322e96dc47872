import type { TemplateDefinition } from '../types.js';

/**
 * Slack `chat.postMessage` with a bot token. Input keys, defaults and the request follow PostHog's template
 * of the same id: its `slack_workspace` integration value (`{access_token}`) is read as is; `slack_token`
 * takes a bot token typed in Sluice instead. Slack answers most errors with HTTP 200 and `{ok: false, error}`.
 */
export const template: TemplateDefinition = {
  id: 'template-slack',
  name: 'Slack',
  description:
    'Post a message to a Slack channel with a bot token (chat.postMessage), optionally as a reply in a thread. Invite the bot to the channel first.',
  category: ['Messaging'],
  status: 'stable',
  icon_url: '/static/icons/slack.svg',
  hog: `let token := notEmpty(inputs.slack_token) ? inputs.slack_token : inputs.slack_workspace?.access_token
if (empty(token)) {
  throw Error('Slack: set a bot token (slack_token), or a slack_workspace with an access_token')
}
let body := {
  'channel': inputs.channel,
  'icon_emoji': inputs.icon_emoji,
  'username': inputs.username,
  'blocks': inputs.blocks,
  'text': inputs.text
}
// An empty thread_ts is refused by Slack: leave it out to post a new message.
if (notEmpty(inputs.thread_ts)) {
  body.thread_ts := inputs.thread_ts
}
let res := fetch('https://slack.com/api/chat.postMessage', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {token}',
    'Content-Type': 'application/json'
  },
  'body': body
})
if (res.status != 200) {
  throw Error(f'Slack API error (status {res.status}): {res.body}')
}
if (typeof(res.body) = 'object' and res.body.ok == false) {
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
      key: 'slack_workspace',
      type: 'integration',
      integration: 'slack',
      label: 'Slack workspace (PostHog integration)',
      description: 'A PostHog configuration brings it as {"access_token": "xoxb-…"}. In Sluice, prefer the bot token below.',
      secret: false,
      required: false,
    },
    {
      key: 'slack_token',
      type: 'string',
      label: 'Bot token',
      description: 'A bot user OAuth token (xoxb-…) with chat:write (and chat:write.customize for the name and icon).',
      secret: true,
      templating: false,
      required: false,
    },
    {
      key: 'channel',
      type: 'string',
      label: 'Channel',
      description: 'A channel ID (C0123456789) or name (#alerts). The bot must be a member of it.',
      secret: false,
      required: true,
    },
    { key: 'icon_emoji', type: 'string', label: 'Emoji icon', description: 'For example :hedgehog:.', default: ':hedgehog:', secret: false, required: false },
    { key: 'username', type: 'string', label: 'Bot name', default: 'PostHog', secret: false, required: false },
    {
      key: 'blocks',
      type: 'json',
      label: 'Blocks',
      description: 'Block Kit blocks; leave empty to send the text only.',
      default: [
        { text: { text: "*{person.name}* triggered event: '{event.event}'", type: 'mrkdwn' }, type: 'section' },
        {
          type: 'actions',
          elements: [
            { url: '{person.url}', text: { text: 'View Person in PostHog', type: 'plain_text' }, type: 'button' },
            { url: '{source.url}', text: { text: 'Message source', type: 'plain_text' }, type: 'button' },
          ],
        },
      ],
      secret: false,
      required: false,
    },
    {
      key: 'text',
      type: 'string',
      label: 'Text',
      description: 'The message, or the notification fallback when blocks are set.',
      default: "*{person.name}* triggered event: '{event.event}'",
      secret: false,
      required: false,
    },
    {
      key: 'thread_ts',
      type: 'string',
      label: 'Reply in thread',
      description: 'The ts of a message to reply under; empty posts a new message.',
      secret: false,
      required: false,
    },
  ],
  filters: { events: [{ id: '$pageview', name: '$pageview', type: 'events' }] },
};
