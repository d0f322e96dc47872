import type { TemplateDefinition } from '../types.js';

/**
 * Accoil (`POST https://in.accoil.com/segment`, Segment-style calls, Basic auth with the API key as the
 * user). The call type follows the event: `$pageview` → page, `$screen` → screen, `$identify`/`$set` →
 * identify, `$groupidentify` → group, anything else not starting with `$` → track; other `$` events are
 * dropped. Traits whose key contains "ip", "geoip" or "current_url" are never sent. A key starting with
 * `stg_` goes to Accoil's staging intake, without the prefix. PostHog spreads these inputs over one
 * mapping per call type; here they are one flat schema with the same keys.
 */
export const template: TemplateDefinition = {
  id: 'template-accoil',
  name: 'Accoil',
  description:
    'Send product usage (track, page, screen) and user and account data (identify, group) to Accoil for account scoring and churn and expansion signals.',
  category: ['Analytics'],
  status: 'beta',
  icon_url: '/static/icons/accoil.svg',
  hog: `let name := event.event
let kind := 'track'
if (name = '$pageview') {
  kind := 'page'
} else if (name = '$screen') {
  kind := 'screen'
} else if (name = '$identify' or name = '$set') {
  kind := 'identify'
} else if (name = '$groupidentify') {
  kind := 'group'
} else if (startsWith(name, '$')) {
  // Other PostHog system events say nothing about usage.
  return
}

// Traits that could carry network or location data are never sent, even when mapped.
fun keepTraits(traits) {
  let kept := {}
  for (let key, value in traits) {
    let k := lower(key)
    if (not (k like '%ip%' or k like '%current_url%')) {
      kept[key] := value
    }
  }
  return kept
}

// Named traits first; the extra mapping only fills keys still empty.
fun withMapped(traits, mapped) {
  for (let key, value in mapped ?? {}) {
    if (empty(traits[key]) and notEmpty(value)) {
      traits[key] := value
    }
  }
  return traits
}

let call := {'type': kind, 'timestamp': toString(inputs.timestamp)}
if (notEmpty(inputs.userId)) {
  call.userId := toString(inputs.userId)
}

if (kind = 'track') {
  call.event := toString(inputs.event)
} else if (kind = 'page' or kind = 'screen') {
  if (empty(inputs.name)) {
    print(f'Accoil: no {kind} name for this {name} event, so nothing is sent')
    return
  }
  call.name := toString(inputs.name)
} else if (kind = 'identify') {
  let traits := {}
  for (let pair in [['email', inputs.email], ['name', inputs.user_name], ['role', inputs.role], ['accountStatus', inputs.accountStatus], ['createdAt', inputs.createdAt]]) {
    if (notEmpty(pair[2])) {
      traits[pair[1]] := toString(pair[2])
    }
  }
  call.traits := keepTraits(withMapped(traits, inputs.user_traits_mapping))
} else {
  if (notEmpty(inputs.anonymousId)) {
    call.anonymousId := toString(inputs.anonymousId)
  }
  call.groupId := toString(inputs.groupId)
  let traits := {}
  for (let pair in [['name', inputs.group_name], ['createdAt', inputs.group_createdAt], ['status', inputs.group_status], ['plan', inputs.group_plan]]) {
    if (notEmpty(pair[2])) {
      traits[pair[1]] := toString(pair[2])
    }
  }
  if (notEmpty(inputs.group_mrr)) {
    traits.mrr := toFloat(inputs.group_mrr)
  }
  call.traits := keepTraits(withMapped(traits, inputs.group_traits_mapping))
}

let url := 'https://in.accoil.com/segment'
let apiKey := toString(inputs.apiKey)
if (startsWith(lower(apiKey), 'stg_')) {
  url := 'https://instaging.accoil.com/segment'
  apiKey := substring(apiKey, 5)
}
let credentials := base64Encode(f'{apiKey}:')

let res := fetch(url, {
  'method': 'POST',
  'headers': {
    'Authorization': f'Basic {credentials}',
    'Content-Type': 'application/json'
  },
  'body': call
})
if (res.status >= 400) {
  let detail := typeof(res.body) = 'object' ? jsonStringify(res.body) : res.body
  throw Error(f'Accoil API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    { key: 'apiKey', type: 'string', label: 'API key', description: 'Accoil → account settings.', secret: true, required: true },
    { key: 'timestamp', type: 'string', label: 'Timestamp', description: 'When it happened, ISO 8601.', default: '{event.timestamp}', required: true },
    { key: 'userId', type: 'string', label: 'User ID', description: 'The user, on every call.', default: '{event.distinct_id}', required: true },
    { key: 'event', type: 'string', label: 'Event name', description: 'Track calls: the event’s name in Accoil.', default: '{event.event}', required: false },
    {
      key: 'name',
      type: 'string',
      label: 'Page or screen name',
      description: 'Page and screen calls: the name shown in Accoil. A call without one is not sent.',
      default: "{event.event = '$screen' ? event.properties.$screen_name : (event.properties.title ?? event.properties.$pathname)}",
      required: false,
    },
    { key: 'email', type: 'string', label: 'Email', description: 'Identify calls.', default: '{person.properties.email}', required: false },
    { key: 'user_name', type: 'string', label: 'Name', description: 'Identify calls: the user’s full name.', default: '{person.properties.name}', required: false },
    { key: 'role', type: 'string', label: 'Role', description: 'Identify calls: role or job title.', default: '{person.properties.role}', required: false },
    { key: 'accountStatus', type: 'string', label: 'Account status', description: 'Identify calls: active, trial, churned, …', default: '{person.properties.account_status}', required: false },
    { key: 'createdAt', type: 'string', label: 'Created at', description: 'Identify calls: when the user signed up.', default: '{person.properties.created_at}', required: false },
    {
      key: 'user_traits_mapping',
      type: 'dictionary',
      label: 'More user traits',
      description: 'Identify calls: extra trait names and values, e.g. company → {person.properties.company}. The named traits above win.',
      default: {},
      required: false,
    },
    {
      key: 'anonymousId',
      type: 'string',
      label: 'Anonymous ID',
      description: 'Group calls: the anonymous id of the user.',
      default: '{event.properties.$anon_distinct_id}',
      required: false,
    },
    { key: 'groupId', type: 'string', label: 'Group ID', description: 'Group calls: the account.', default: '{event.properties.$group_key}', required: false },
    { key: 'group_name', type: 'string', label: 'Group name', description: 'Group calls.', default: '{event.properties.$group_set.name}', required: false },
    { key: 'group_plan', type: 'string', label: 'Plan', description: 'Group calls: the subscription plan.', default: '{event.properties.$group_set.plan}', required: false },
    { key: 'group_mrr', type: 'string', label: 'MRR', description: 'Group calls: monthly recurring revenue, sent as a number.', default: '{event.properties.$group_set.mrr}', required: false },
    { key: 'group_status', type: 'string', label: 'Status', description: 'Group calls: active, trial, …', default: '{event.properties.$group_set.status}', required: false },
    { key: 'group_createdAt', type: 'string', label: 'Group created at', description: 'Group calls.', default: '{event.properties.$group_set.created_at}', required: false },
    {
      key: 'group_traits_mapping',
      type: 'dictionary',
      label: 'More group traits',
      description: 'Group calls: extra trait names and values, e.g. industry → {event.properties.$group_set.industry}. The named traits above win.',
      default: {},
      required: false,
    },
  ],
  filters: { events: [], filter_test_accounts: true },
};
