import type { TemplateDefinition } from '../types.js';

/**
 * June's tracking API (`https://api.june.so/sdk/<call>`), authenticated with the write key as
 * `Authorization: Basic <key>` (June takes the key as is, not base64 of `key:`). `$identify`/`$set` become
 * identify calls, `$pageview` page, `$screen` screen, the rest track. Identified events carry the
 * distinct id as userId; anonymous ones as anonymousId. Input keys and defaults follow PostHog's June
 * destination, so its configurations import.
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
} else if (event.event = '$pageview') {
  call := 'page'
} else if (event.event = '$screen') {
  call := 'screen'
}

fun setIfPresent(target, key, value) {
  if (notEmpty(value)) {
    target[key] := value
  }
}

let context := {'os': {}, 'screen': {}, 'device': {}}
setIfPresent(context, 'ip', props.$ip)
setIfPresent(context, 'userAgent', props.$raw_user_agent)
setIfPresent(context, 'locale', props.$browser_language)
setIfPresent(context, 'timezone', props.$geoip_time_zone)
setIfPresent(context.os, 'name', props.$os)
setIfPresent(context.os, 'version', props.$os_version)
setIfPresent(context.screen, 'width', props.$screen_width)
setIfPresent(context.screen, 'height', props.$screen_height)
setIfPresent(context.device, 'id', props.$device_id)
setIfPresent(context.device, 'type', props.$device_type)

let properties := {}
setIfPresent(properties, 'url', props.$current_url)
setIfPresent(properties, 'path', props.$pathname)
setIfPresent(properties, 'title', props.title)
setIfPresent(properties, 'referrer', props.$referrer)

-- Traits: optionally every non-PostHog property (the person's for identify calls), then the mapping wins.
let traits := {}
if (inputs.include_all_properties) {
  for (let key, value in (call = 'identify' ? (person.properties ?? {}) : props)) {
    if (notEmpty(value) and not (key like '$%')) {
      traits[key] := value
    }
  }
}
for (let key, value in inputs.properties ?? {}) {
  setIfPresent(traits, key, value)
}

let body := {'messageId': event.uuid, 'timestamp': event.timestamp, 'context': context, 'properties': properties, 'traits': traits}
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

if (res.status < 200 or res.status >= 300) {
  throw Error(f'June API error (status {res.status}): {res.body.message ?? res.body}')
}
`,
  inputs_schema: [
    { key: 'apiKey', type: 'string', label: 'June write key', description: 'The write key from June’s workspace settings.', secret: true, templating: false, required: true },
    {
      key: 'include_all_properties',
      type: 'boolean',
      label: 'Send all properties as traits',
      description: 'Adds every non-$ property as a trait: the person’s for identify calls, the event’s otherwise. The mapping below overrides single traits.',
      default: false,
      secret: false,
      required: true,
    },
    {
      key: 'properties',
      type: 'dictionary',
      label: 'Trait mapping',
      description: 'June traits and the values to send; empty values are left out.',
      default: { email: '{person.properties.email}', name: '{person.properties.name}', phone: '{person.properties.phone}' },
      secret: false,
      required: false,
    },
  ],
  filters: {
    events: [
      { id: '$identify', name: '$identify', type: 'events' },
      { id: '$set', name: '$set', type: 'events' },
    ],
  },
};
