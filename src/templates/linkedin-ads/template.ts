import type { TemplateDefinition } from '../types.js';

/**
 * LinkedIn Conversions API (`POST /rest/conversionEvents`, versioned with `LinkedIn-Version: YYYYMM`).
 * The email is trimmed, lower-cased and SHA-256 hashed (SHA256_EMAIL); the first-party ads tracking
 * id (li_fat_id) is sent as it is. LinkedIn needs one user id, or first and last name: an event with
 * neither is logged and dropped.
 */
export const template: TemplateDefinition = {
  id: 'template-linkedin-ads',
  name: 'LinkedIn Ads Conversions',
  description: 'Send conversion events to a LinkedIn conversion rule through the Conversions API.',
  category: ['Advertisement'],
  status: 'beta',
  icon_url: '/static/icons/linkedin-ads.svg',
  hog: `let userIds := []
if (notEmpty(inputs.email)) {
  let email := lower(trim(toString(inputs.email)))
  userIds := arrayPushBack(userIds, {'idType': 'SHA256_EMAIL', 'idValue': email =~ '^[a-f0-9]{64}$' ? email : sha256Hex(email)})
}
if (notEmpty(inputs.li_fat_id)) {
  userIds := arrayPushBack(userIds, {'idType': 'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID', 'idValue': inputs.li_fat_id})
}
let user := {'userIds': userIds}
let userInfo := {}
for (let key, value in inputs.user_info ?? {}) {
  if (notEmpty(value)) {
    userInfo[key] := value
  }
}
if (notEmpty(userInfo)) {
  user.userInfo := userInfo
}
if (empty(userIds) and (empty(userInfo.firstName) or empty(userInfo.lastName))) {
  print(f'LinkedIn: event {event.uuid} has no email, no li_fat_id and no first and last name; nothing to send')
  return
}

let body := {
  'conversion': f'urn:lla:llaPartnerConversion:{inputs.conversion_rule_id}',
  'conversionHappenedAt': toInt(toUnixTimestampMilli(event.timestamp)),
  'eventId': event.uuid,
  'user': user
}
if (notEmpty(inputs.conversion_value)) {
  body.conversionValue := {'currencyCode': inputs.currency_code, 'amount': toString(inputs.conversion_value)}
}

let res := fetch('https://api.linkedin.com/rest/conversionEvents', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {inputs.access_token}',
    'Content-Type': 'application/json',
    'LinkedIn-Version': inputs.linkedin_version,
    'X-Restli-Protocol-Version': '2.0.0'
  },
  'body': body
})

if (res.status < 200 or res.status >= 300) {
  throw Error(f'LinkedIn API error (status {res.status}): {res.body.message ?? res.body}{notEmpty(res.body.code) ? f' ({res.body.code})' : ''}')
}
`,
  inputs_schema: [
    { key: 'access_token', type: 'string', label: 'Access token', description: 'OAuth token with the rw_conversions scope.', secret: true, templating: false, required: true },
    { key: 'conversion_rule_id', type: 'string', label: 'Conversion rule ID', description: 'A rule whose conversion method is CONVERSIONS_API.', required: true },
    { key: 'linkedin_version', type: 'string', label: 'LinkedIn API version (YYYYMM)', default: '202601', required: true },
    { key: 'email', type: 'string', label: 'Email (hashed before sending)', default: '{person.properties.email}', required: false },
    { key: 'li_fat_id', type: 'string', label: 'LinkedIn first-party ads tracking id (li_fat_id)', default: '{event.properties.li_fat_id ?? person.properties.li_fat_id}', required: false },
    {
      key: 'user_info',
      type: 'dictionary',
      label: 'User info',
      description: 'firstName, lastName, companyName, title, countryCode; empty values are left out.',
      default: {
        firstName: '{person.properties.first_name}',
        lastName: '{person.properties.last_name}',
        companyName: '{person.properties.company}',
        title: '{person.properties.title}',
        countryCode: '{person.properties.$geoip_country_code}',
      },
      required: false,
    },
    { key: 'conversion_value', type: 'string', label: 'Conversion value', default: '{event.properties.revenue ?? event.properties.value}', required: false },
    { key: 'currency_code', type: 'string', label: 'Currency code', default: "{event.properties.currency ?? 'USD'}", required: false },
  ],
  filters: {
    events: [{ id: 'purchase', name: 'purchase', type: 'events' }],
  },
};
