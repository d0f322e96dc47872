import type { TemplateDefinition } from '../types.js';

/**
 * RudderStack HTTP API: each event goes to the data plane's `/v1/batch` as a batch of one, authenticated
 * with the source write key as the basic-auth user. The call type follows the event: `$identify`/`$set`
 * identify (traits from `$set`), `$create_alias` alias, `$pageview` page, anything else track.
 * Input keys, defaults and the message follow PostHog's RudderStack destination (its context names the
 * app `PostHogPlugin`), so its configurations import and RudderStack sees the same messages. One
 * difference: `sentAt` is an ISO 8601 string.
 */
export const template: TemplateDefinition = {
  id: 'template-rudderstack',
  name: 'RudderStack',
  description: 'Send events to a RudderStack data plane through its HTTP API (track, page, identify and alias calls).',
  category: ['Custom', 'Data warehouse'],
  status: 'beta',
  icon_url: '/static/icons/rudderstack.svg',
  hog: `let props := event.properties ?? {}

fun setIfPresent(target, key, value) {
  if (notEmpty(value)) {
    target[key] := value
  }
}

let context := {'app': {'name': 'PostHogPlugin'}, 'os': {}, 'page': {}, 'screen': {}, 'library': {}}
setIfPresent(context.os, 'name', props.$os)
setIfPresent(context, 'browser', props.$browser)
setIfPresent(context, 'browser_version', props.$browser_version)
setIfPresent(context.page, 'host', props.$host)
setIfPresent(context.page, 'url', props.$current_url)
setIfPresent(context.page, 'path', props.$path)
setIfPresent(context.page, 'referrer', props.$referrer)
setIfPresent(context.page, 'initial_referrer', props.$initial_referrer)
setIfPresent(context.page, 'referring_domain', props.$referring_domain)
setIfPresent(context.page, 'initial_referring_domain', props.$initial_referring_domain)
setIfPresent(context.screen, 'height', props.$screen_height)
setIfPresent(context.screen, 'width', props.$screen_width)
setIfPresent(context.library, 'name', props.$lib)
setIfPresent(context.library, 'version', props.$lib_version)
setIfPresent(context, 'active_feature_flags', props.$active_feature_flags)
setIfPresent(context, 'token', props.token)

let message := {'context': context, 'channel': 's2s', 'type': 'track', 'properties': {}}
setIfPresent(message, 'messageId', event.uuid)
setIfPresent(message, 'originalTimestamp', event.timestamp)
setIfPresent(message, 'userId', inputs.identifier)
setIfPresent(message, 'anonymousId', props.$anon_distinct_id ?? props.$device_id ?? props.distinct_id)

if (event.event = '$identify' or event.event = '$set') {
  message.type := 'identify'
  setIfPresent(message.context, 'trait', props.$set)
  setIfPresent(message, 'traits', props.$set)
} else if (event.event = '$create_alias') {
  message.type := 'alias'
  setIfPresent(message, 'userId', props.alias)
  setIfPresent(message, 'previousId', event.distinct_id)
} else if (event.event = '$pageview') {
  message.type := 'page'
  setIfPresent(message, 'name', props.name)
  setIfPresent(message.properties, 'host', props.$host)
  setIfPresent(message.properties, 'url', props.$current_url)
  setIfPresent(message.properties, 'path', props.$pathname)
  setIfPresent(message.properties, 'referrer', props.$referrer)
  setIfPresent(message.properties, 'initial_referrer', props.$initial_referrer)
  setIfPresent(message.properties, 'referring_domain', props.$referring_domain)
  setIfPresent(message.properties, 'initial_referring_domain', props.$initial_referring_domain)
} else if (event.event = '$autocapture') {
  setIfPresent(message, 'event', props.$event_type)
} else {
  setIfPresent(message, 'event', event.event)
}

-- PostHog's own '$' properties went into the context; RudderStack gets the user's properties.
for (let key, value in props) {
  if (value != null and not (key like '$%')) {
    message.properties[key] := value
  }
}

-- A data plane URL given with its /v1/batch path (or a trailing slash) still works.
let host := trimRight(replaceAll(inputs.host, '/v1/batch', ''), '/')
let res := fetch(f'{host}/v1/batch', {
  'method': 'POST',
  'headers': {
    'Content-Type': 'application/json',
    'Authorization': f'Basic {base64Encode(f'{inputs.token}:')}'
  },
  'body': {'batch': [message], 'sentAt': formatDateTime(now(), '%Y-%m-%dT%H:%i:%SZ')}
})

if (res.status < 200 or res.status >= 300) {
  throw Error(f'RudderStack API error (status {res.status}): {res.body.message ?? res.body}')
}
`,
  inputs_schema: [
    { key: 'host', type: 'string', label: 'RudderStack data plane URL', description: 'The data plane URL of your RudderStack workspace or self-hosted server.', default: 'https://hosted.rudderlabs.com', secret: false, required: true },
    { key: 'token', type: 'string', label: 'Write key', description: 'The write key of a RudderStack HTTP source.', secret: true, templating: false, required: true },
    { key: 'identifier', type: 'string', label: 'User ID', description: 'Sent as userId.', default: '{person.id}', secret: false, required: true },
  ],
  filters: {
    events: [],
    hog: "event.event != '$feature_flag_called'",
  },
};
