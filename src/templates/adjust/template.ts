import type { TemplateDefinition } from '../types.js';

const MOBILE_EVENTS = ['Application Installed', 'Application Opened', 'Signed Up', 'Order Completed', 'Product Added', 'Checkout Started'];

/**
 * Adjust server-to-server events (`POST https://s2s.adjust.com/event`, form-encoded). Adjust knows an
 * event by its event token, not its name, and attributes it by a device identifier (idfa, gps_adid,
 * idfv, adid, …): an event without any is refused. PostHog spreads its inputs over one mapping per
 * event; here they are one flat schema with the same keys, so the event token is usually an expression
 * choosing a token per event, or one destination is made per Adjust event.
 */
export const template: TemplateDefinition = {
  id: 'template-adjust',
  name: 'Adjust',
  description:
    'Send mobile app events to Adjust (S2S API) for attribution. Each Adjust event has its own event token; events need at least one device identifier.',
  category: ['Advertisement'],
  status: 'beta',
  icon_url: '/static/icons/adjust.svg',
  hog: `if (empty(inputs.appToken)) {
  throw Error('Adjust: the app token is empty')
}
if (empty(inputs.eventToken)) {
  throw Error(f'Adjust: no event token for {event.event}; set one in the Event token input')
}

fun formField(name, value) {
  return f'&{encodeURLComponent(name)}={encodeURLComponent(toString(value))}'
}

// Adjust needs a device identifier to attribute the event.
let devices := ''
for (let name, value in inputs.deviceIdentifiers) {
  if (notEmpty(value)) {
    devices := devices || formField(name, value)
  }
}
if (empty(devices)) {
  throw Error('Adjust: the event has no device identifier (idfa, gps_adid, android_id, idfv or adid); check the Device identifiers input')
}

let form := f's2s=1&app_token={encodeURLComponent(inputs.appToken)}&event_token={encodeURLComponent(inputs.eventToken)}&environment={encodeURLComponent(inputs.environment)}'
form := form || devices

if (notEmpty(inputs.revenue)) {
  form := form || formField('revenue', inputs.revenue)
  if (notEmpty(inputs.currency)) {
    form := form || formField('currency', inputs.currency)
  }
}

// Parameter sets go as JSON, whole, when any of their values is set.
for (let param in [['callback_params', inputs.callbackParams], ['partner_params', inputs.partnerParams]]) {
  let hasValue := false
  for (let key, value in param[2]) {
    if (notEmpty(value)) {
      hasValue := true
    }
  }
  if (hasValue) {
    form := form || formField(param[1], jsonStringify(param[2]))
  }
}

if (notEmpty(event.properties.$ip)) {
  form := form || formField('ip_address', event.properties.$ip)
}
if (notEmpty(event.properties.$raw_user_agent)) {
  form := form || formField('user_agent', event.properties.$raw_user_agent)
}
form := form || formField('created_at_unix', toInt(toUnixTimestamp(event.timestamp)))

let res := fetch('https://s2s.adjust.com/event', {
  'method': 'POST',
  'headers': {'Content-Type': 'application/x-www-form-urlencoded'},
  'body': form
})
if (res.status >= 400) {
  let detail := typeof(res.body) = 'object' ? (res.body.error ?? jsonStringify(res.body)) : res.body
  throw Error(f'Adjust S2S error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    {
      key: 'appToken',
      type: 'string',
      label: 'App token',
      description: 'Adjust dashboard → your app → App settings.',
      secret: true,
      required: true,
    },
    {
      key: 'environment',
      type: 'choice',
      label: 'Environment',
      description: 'Sandbox while testing; production for live traffic.',
      choices: [
        { label: 'Production', value: 'production' },
        { label: 'Sandbox', value: 'sandbox' },
      ],
      default: 'production',
      secret: false,
      required: true,
    },
    {
      key: 'deviceIdentifiers',
      type: 'dictionary',
      label: 'Device identifiers',
      description:
        'Adjust parameter names (idfa, gps_adid, android_id, idfv, adid) and where to read them. Empty ones are left out; at least one must be set. Advertising ids are only there when the app captures them.',
      default: {
        idfa: '{person.properties.$device_idfa}',
        gps_adid: '{person.properties.$android_advertising_id}',
        idfv: '{event.properties.$device_id}',
      },
      secret: false,
      required: true,
    },
    {
      key: 'eventToken',
      type: 'string',
      label: 'Event token',
      description:
        "The Adjust event token (Adjust dashboard → Events). One per Adjust event: e.g. {event.event = 'Signed Up' ? 'abc123' : 'def456'}, or one destination per event.",
      default: '',
      secret: false,
      required: true,
    },
    {
      key: 'revenue',
      type: 'string',
      label: 'Revenue',
      description: 'Revenue of the event (e.g. 29.99), left out when empty.',
      default: '{toFloat(event.properties.revenue ?? event.properties.value ?? event.properties.price)}',
      secret: false,
      required: false,
    },
    {
      key: 'currency',
      type: 'string',
      label: 'Currency',
      description: 'ISO 4217 code of the revenue (USD, EUR, …); sent only with a revenue.',
      default: '{event.properties.currency}',
      secret: false,
      required: false,
    },
    {
      key: 'callbackParams',
      type: 'dictionary',
      label: 'Callback parameters',
      description: 'Key-value pairs Adjust forwards to your callback URLs.',
      default: {},
      secret: false,
      required: false,
    },
    {
      key: 'partnerParams',
      type: 'dictionary',
      label: 'Partner parameters',
      description: 'Key-value pairs Adjust forwards to your network partners.',
      default: {},
      secret: false,
      required: false,
    },
  ],
  filters: {
    events: MOBILE_EVENTS.map((name) => ({ id: name, name, type: 'events' as const })),
  },
};
