import type { TemplateDefinition } from '../types.js';

/**
 * Avo Inspector: sends the *schema* of each event (property names and their types, never the values) to
 * Avo's inspector endpoint for PostHog-style sources, so Avo can compare live tracking with the tracking
 * plan. PostHog's own `$` properties are left out; include/exclude lists narrow the rest. Input keys,
 * defaults and the request follow PostHog's Avo destination.
 */
export const template: TemplateDefinition = {
  id: 'template-avo',
  name: 'Avo',
  description: 'Send event schemas to the Avo Inspector to check tracking against your Avo tracking plan.',
  category: ['Analytics'],
  status: 'beta',
  icon_url: '/static/icons/avo.svg',
  hog: `if (empty(inputs.apiKey) or empty(inputs.environment)) {
  throw Error('Avo needs both an API key and an environment')
}

fun listOf(text) {
  let names := []
  for (let part in splitByString(',', text ?? '')) {
    if (notEmpty(trim(part))) {
      names := arrayPushBack(names, trim(part))
    }
  }
  return names
}

-- Avo's type names differ from Hog's: arrays are lists and integers ints.
fun avoType(value) {
  if (value = null) {
    return 'null'
  }
  let t := typeof(value)
  if (t = 'integer') {
    return 'int'
  } else if (t = 'array') {
    return 'list'
  }
  return t
}

let included := listOf(inputs.includeProperties)
let excluded := listOf(inputs.excludeProperties)
let schema := []
for (let key, value in event.properties ?? {}) {
  let wanted := empty(included) or has(included, key)
  if (wanted and not has(excluded, key) and not (key like '$%')) {
    schema := arrayPushBack(schema, {'propertyName': key, 'propertyType': avoType(value)})
  }
}

let res := fetch('https://api.avo.app/inspector/posthog/v1/track', {
  'method': 'POST',
  'headers': {'env': inputs.environment, 'api-key': inputs.apiKey, 'content-type': 'application/json', 'accept': 'application/json'},
  'body': [{
    'apiKey': inputs.apiKey,
    'env': inputs.environment,
    'appName': inputs.appName,
    'appVersion': '1.0.0',
    'libVersion': '1.0.0',
    'libPlatform': 'node',
    'sessionId': event.properties.$session_id ?? generateUUIDv4(),
    'createdAt': toString(now()),
    'messageId': event.uuid,
    'trackingId': '',
    'samplingRate': 1,
    'type': 'event',
    'avoFunction': false,
    'eventId': null,
    'eventHash': null,
    'eventName': event.event,
    'eventProperties': schema
  }]
})

if (res.status < 200 or res.status >= 300) {
  throw Error(f'Avo Inspector error (status {res.status}): {res.body.message ?? res.body}')
}
`,
  inputs_schema: [
    { key: 'apiKey', type: 'string', label: 'Avo API key', description: 'The API key of an Avo Inspector source.', default: '', secret: true, templating: false, required: true, secret_headers: ['api-key'] },
    { key: 'environment', type: 'string', label: 'Environment', description: 'dev, staging or prod. Avo shows prod data with a delay of up to a few hours.', default: 'dev', secret: false, required: false },
    { key: 'appName', type: 'string', label: 'App name', default: 'PostHog', secret: false, required: false },
    { key: 'excludeProperties', type: 'string', label: 'Properties to exclude', description: 'Comma-separated property names never sent to Avo.', default: '', secret: false, required: false },
    { key: 'includeProperties', type: 'string', label: 'Properties to include', description: 'Comma-separated property names to send; empty sends all.', default: '', secret: false, required: false },
  ],
  filters: {
    events: [],
    hog: "not (event.event like '$%') or event.event = '$pageview'",
  },
};
