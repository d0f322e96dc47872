import type { TemplateDefinition } from '../types.js';

/**
 * June's tracking API (`https://api.june.so/sdk/<call>`), authenticated with the write key as
 * `Authorization: Basic <key>` (June takes the key as is, not base64 of `key:`). `$identify`/`$set` become
 * identify calls, `$pageview` and `$screen` page calls, the rest track. Identified events carry the
 * distinct id as userId; anonymous ones as anonymousId. Input keys, defaults and the request body follow
 * PostHog's June destination, so its configurations import and send the same requests.
 */
export const template: TemplateDefinition = {
  id: 'template-june',
  name: 'June',
  description: 'Send identifies, page views and events to June product analytics.',
  category: ['Analytics'],
  status: 'beta',
  icon_url: '/static/icons/june.svg',
  hog: `let props := event.properties ?? {}
let call := 'track'
if (event.event = '$identify' or event.event = '$set') {
  call := 'identify'
} else if (event.event = '$pageview' or event.event = '$screen') {
  call := 'page'
}

fun setIfPresent(target, key, value) {
  if (notEmpty(value)) {
    target[key] := value
  }
}

-- The context June reads, from PostHog's own $ properties (empty groups stay as {}).
let context := {'app': {}, 'campaign': {}, 'device': {}, 'os': {}, 'referrer': {}, 'screen': {}}
setIfPresent(context.app, 'build', props.$app_build)
setIfPresent(context.app, 'version', props.$app_version)
setIfPresent(context.app, 'name', props.$app_name)
setIfPresent(context.campaign, 'name', props.utm_campaign)
setIfPresent(context.campaign, 'content', props.utm_content)
setIfPresent(context.campaign, 'medium', props.utm_medium)
setIfPresent(context.campaign, 'source', props.utm_source)
setIfPresent(context.campaign, 'term', props.utm_term)
setIfPresent(context.device, 'id', props.$device_id)
setIfPresent(context.device, 'manufacturer', props.$device_manufacturer)
setIfPresent(context.device, 'model', props.$device_model)
setIfPresent(context.device, 'name', props.$os_name)
setIfPresent(context.device, 'version', props.$os_version)
setIfPresent(context.device, 'type', props.$device_type)
setIfPresent(context, 'ip', props.$ip)
setIfPresent(context, 'locale', props.$browser_language)
setIfPresent(context.os, 'name', props.$os)
setIfPresent(context.os, 'version', props.$os_version)
setIfPresent(context.referrer, 'url', props.$referrer)
setIfPresent(context.screen, 'height', props.$screen_height)
setIfPresent(context.screen, 'width', props.$screen_width)
setIfPresent(context, 'timezone', props.$geoip_time_zone)
setIfPresent(context, 'userAgent', props.$raw_user_agent)

let properties := {}
setIfPresent(properties, 'url', props.$current_url)
setIfPresent(properties, 'path', props.$pathname)
setIfPresent(properties, 'title', props.title)
setIfPresent(properties, 'referrer', props.$referrer)
if (notEmpty(props.$current_url)) {
  -- The query string: what follows the first '?', up to any second one.
  let query := splitByString('?', toString(props.$current_url))[2]
  if (notEmpty(query)) {
    properties.search := f'?{query}'
  }
}

-- Traits: the mapping, then (when asked) every non-$ property on top: the person's for identify calls,
-- the event's otherwise.
let traits := {}
for (let key, value in inputs.properties ?? {}) {
  setIfPresent(traits, key, value)
}
if (inputs.include_all_properties) {
  for (let key, value in (call = 'identify' ? person.properties : props)) {
    if (notEmpty(value) and not (key like '$%')) {
      traits[key] := value
    }
  }
}

let body := {'properties': properties, 'traits': traits, 'timestamp': event.timestamp, 'context': context, 'messageId': event.uuid}
if (call = 'track') {
  body.event := event.event
}
if (props.$is_identified) {
  body.userId := event.distinct_id
  setIfPresent(body, 'anonymousId', props.$anon_distinct_id)
} else {
  body.anonymousId := event.distinct_id
}

let res := fetch(f'https://api.june.so/sdk/{call}', {
  'method': 'POST',
  'headers': {'Authorization': f'Basic {inputs.apiKey}', 'Content-Type': 'application/json'},
  'body': body
})

if (res.status >= 400) {
  throw Error(f'June API error (status {res.status}): {res.body.message ?? res.body}')
}
`,
  inputs_schema: [
    { key: 'apiKey', type: 'string', label: 'June write key', description: 'The write key from June’s workspace settings.', secret: true, templating: false, required: true },
    {
      key: 'include_all_properties',
      type: 'boolean',
      label: 'Send all properties as traits',
      description:
        'Adds every non-$ property as a trait: the person’s for identify calls, the event’s otherwise. These are applied after the mapping below, so they win over a mapped trait of the same name.',
      default: false,
      secret: false,
      required: true,
    },
    {
      key: 'properties',
      type: 'dictionary',
      label: 'Trait mapping',
      description: 'June traits and the values to send; empty values are left out. Use the filters to choose which events go to June.',
      default: { email: '{person.properties.email}', name: '{person.properties.name}', phone: '{person.properties.phone}' },
      secret: false,
      required: false,
    },
  ],
  // Every event, as PostHog's June destination does: the call type follows the event name.
  filters: { events: [], actions: [], filter_test_accounts: false },
};
