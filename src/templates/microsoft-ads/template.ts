import type { TemplateDefinition } from '../types.js';

/**
 * Microsoft Advertising Conversions API (UET CAPI): `POST https://capi.uet.microsoft.com/v1/{tagId}/events`
 * with the tag's Conversions API token as a Bearer token. One custom event per invocation, matched to a
 * conversion goal by its event name. Microsoft attributes a conversion by the click id (msclkid) or by the
 * email or phone, SHA-256 hashed here after trimming and lower-casing; without any of them nothing is sent.
 * PostHog asks the per-event inputs in a "Conversion" mapping; here they are plain inputs, and a PostHog
 * configuration that keeps them in a mapping runs the same, since a mapping's inputs reach the code alike.
 */
export const template: TemplateDefinition = {
  id: 'template-microsoft-ads',
  name: 'Microsoft Ads Conversions',
  description: 'Send conversions to Microsoft Advertising (Bing) through the UET Conversions API, with email and phone hashed.',
  category: ['Advertisement'],
  status: 'alpha',
  icon_url: '/static/icons/microsoft-ads.svg',
  hog: `let userData := {}
if (notEmpty(inputs.microsoftClickId)) {
  userData.msclkid := inputs.microsoftClickId
}
if (notEmpty(inputs.email)) {
  userData.em := sha256Hex(lower(trim(toString(inputs.email))))
}
if (notEmpty(inputs.phone)) {
  userData.ph := sha256Hex(lower(trim(toString(inputs.phone))))
}
if (empty(userData)) {
  print('Microsoft Ads: no click id (msclkid), email or phone for this event, so no conversion is sent')
  return
}

let conversion := {
  'eventType': 'custom',
  'eventName': inputs.eventName,
  'eventTime': inputs.eventTime,
  'userData': userData
}
if (notEmpty(inputs.eventId)) {
  conversion.eventId := inputs.eventId
}
let customData := {}
if (notEmpty(inputs.conversionValue)) {
  customData.value := toFloat(inputs.conversionValue)
}
if (notEmpty(inputs.currency)) {
  customData.currency := inputs.currency
}
if (notEmpty(customData)) {
  conversion.customData := customData
}

let res := fetch(f'https://capi.uet.microsoft.com/v1/{inputs.tagId}/events', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {inputs.apiToken}',
    'Content-Type': 'application/json'
  },
  'body': {'data': [conversion]}
})

if (res.status >= 400) {
  let err := res.body.error
  let detail := err.message != null ? f'{err.code}: {err.message}' : res.body
  throw Error(f'Microsoft Ads API error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    { key: 'tagId', type: 'string', label: 'UET tag ID', description: 'Microsoft Advertising → Tools → UET tag.', secret: false, required: true },
    {
      key: 'apiToken',
      type: 'string',
      label: 'Conversions API token',
      description: 'The token of the UET tag’s Conversions API ("Use Conversions API" on the tag; your account manager may need to enable it).',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'eventName',
      type: 'string',
      label: 'Event name',
      description: 'The event action of the custom conversion goal this conversion counts for.',
      secret: false,
      required: true,
    },
    {
      key: 'microsoftClickId',
      type: 'string',
      label: 'Microsoft click ID (msclkid)',
      description: 'Best for attribution; email or phone are used when there is none.',
      default: '{person.properties.msclkid ?? person.properties.$initial_msclkid}',
      secret: false,
      required: false,
    },
    {
      key: 'eventTime',
      type: 'string',
      label: 'Event time',
      description: 'Unix time in seconds; Microsoft takes conversions of the last 7 days.',
      default: '{toInt(toUnixTimestamp(event.timestamp))}',
      secret: false,
      required: true,
    },
    { key: 'eventId', type: 'string', label: 'Event ID', description: 'Deduplicates against the same conversion from the UET tag.', default: '{event.uuid}', secret: false, required: false },
    { key: 'conversionValue', type: 'string', label: 'Conversion value', description: 'Revenue of the conversion, e.g. {event.properties.revenue}.', default: '', secret: false, required: false },
    { key: 'currency', type: 'string', label: 'Currency', description: 'ISO 4217 code, e.g. USD.', default: '', secret: false, required: false },
    { key: 'email', type: 'string', label: 'Email (hashed before sending)', default: '{person.properties.email}', secret: false, required: false },
    { key: 'phone', type: 'string', label: 'Phone, E.164 (hashed before sending)', default: '', secret: false, required: false },
  ],
};
