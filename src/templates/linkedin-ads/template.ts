import type { TemplateDefinition } from '../types.js';

/**
 * LinkedIn Conversions API (`POST /rest/conversionEvents`, `LinkedIn-Version: 202607`), with PostHog's
 * input keys. Each non-empty `userIds` entry becomes `{idType, idValue}` (the defaults send the email's
 * SHA-256 and the li_fat_id). `userInfo` is sent only with both firstName and lastName: LinkedIn rejects
 * a partial one with a 422. An event with no user id and no name is skipped with a log line, since
 * LinkedIn cannot match it. The token is `oauth.access_token` (or `oauth` given as a plain token).
 */
export const template: TemplateDefinition = {
  id: 'template-linkedin-ads',
  name: 'LinkedIn Ads Conversions',
  description:
    'Send conversion events to a LinkedIn conversion rule through the Conversions API, matched by hashed email, li_fat_id or name. Events LinkedIn cannot match are skipped with a log line.',
  category: ['Advertisement'],
  status: 'beta',
  icon_url: '/static/icons/linkedin-ads.svg',
  hog: `let token := typeof(inputs.oauth) = 'string' ? inputs.oauth : inputs.oauth.access_token
if (empty(token)) {
  throw Error('LinkedIn: the oauth input has no access_token')
}

let userIds := []
for (let idType, idValue in inputs.userIds ?? {}) {
  if (notEmpty(idValue)) {
    userIds := arrayPushBack(userIds, {'idType': idType, 'idValue': idValue})
  }
}
let info := {}
for (let key, value in inputs.userInfo ?? {}) {
  if (notEmpty(value)) {
    info[key] := value
  }
}
let user := {'userIds': userIds}
let named := notEmpty(info.firstName) and notEmpty(info.lastName)
if (named) {
  user.userInfo := info
}
if (empty(userIds) and not named) {
  print(f'LinkedIn: event {event.uuid} has no user id and no first and last name to match it by: skipped')
  return
}

let conversion := {
  'conversion': f'urn:lla:llaPartnerConversion:{inputs.conversionRuleId}',
  'conversionHappenedAt': toInt(inputs.conversionDateTime),
  'user': user,
  'eventId': inputs.eventId
}
if (notEmpty(inputs.conversionValue) or notEmpty(inputs.currencyCode)) {
  let amount := {}
  if (notEmpty(inputs.currencyCode)) {
    amount.currencyCode := inputs.currencyCode
  }
  if (notEmpty(inputs.conversionValue)) {
    amount.amount := inputs.conversionValue
  }
  conversion.conversionValue := amount
}

let res := fetch('https://api.linkedin.com/rest/conversionEvents', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {token}',
    'Content-Type': 'application/json',
    'LinkedIn-Version': '202607'
  },
  'body': conversion
})

if (res.status >= 400) {
  let code := typeof(res.body) = 'object' ? res.body.code : null
  let suffix := notEmpty(code) ? concat(' (', code, ')') : ''
  throw Error(f'LinkedIn API error (status {res.status}): {res.body.message ?? res.body}{suffix}')
}
`,
  inputs_schema: [
    {
      key: 'oauth',
      type: 'integration',
      integration: 'linkedin-ads',
      label: 'LinkedIn Ads credentials',
      description: 'An object with access_token (an OAuth token with the rw_conversions scope), or the plain token.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'accountId',
      type: 'integration_field',
      integration_key: 'oauth',
      integration_field: 'linkedin_ads_account_id',
      label: 'Ad account ID',
      description: 'The LinkedIn ad account the conversion rule belongs to (9 digits).',
      secret: false,
      required: true,
    },
    {
      key: 'conversionRuleId',
      type: 'integration_field',
      integration_key: 'oauth',
      integration_field: 'linkedin_ads_conversion_rule_id',
      requires_field: 'accountId',
      label: 'Conversion rule ID',
      description: 'A rule whose conversion method is the Conversions API.',
      secret: false,
      required: true,
    },
    {
      key: 'conversionDateTime',
      type: 'string',
      label: 'Conversion time',
      description: 'Unix time of the conversion in milliseconds, after the ad click.',
      default: '{toUnixTimestampMilli(event.timestamp)}',
      secret: false,
      required: true,
    },
    { key: 'conversionValue', type: 'string', label: 'Conversion value', description: 'A decimal amount as text, e.g. "100.05". Left out when empty.', default: '', secret: false, required: false },
    { key: 'currencyCode', type: 'string', label: 'Currency code', description: 'ISO 4217 (USD, EUR, …). Left out when empty.', default: '', secret: false, required: false },
    { key: 'eventId', type: 'string', label: 'Event ID', description: 'Deduplicates with an Insight Tag event that carries the same ID.', default: '{event.uuid}', secret: false, required: true },
    {
      key: 'userIds',
      type: 'dictionary',
      label: 'User IDs',
      description: 'LinkedIn id types (SHA256_EMAIL, LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID, ACXIOM_ID, ORACLE_MOAT_ID) and their values. Empty values are left out.',
      default: {
        SHA256_EMAIL: '{sha256Hex(person.properties.email)}',
        LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID: '{person.properties.li_fat_id ?? person.properties.$initial_li_fat_id}',
      },
      secret: false,
      required: true,
    },
    {
      key: 'userInfo',
      type: 'dictionary',
      label: 'User info',
      description: 'firstName, lastName, title, companyName, countryCode. Sent only when both names are there; empty values are left out.',
      default: {
        firstName: '{person.properties.first_name}',
        lastName: '{person.properties.last_name}',
        title: '{person.properties.title}',
        companyName: '{person.properties.company}',
        countryCode: '{person.properties.$geoip_country_code}',
      },
      secret: false,
      required: true,
    },
  ],
  filters: {
    events: [{ id: 'Order Completed', name: 'Order Completed', type: 'events' }],
  },
  renamed_inputs: {
    access_token: 'oauth',
    conversion_rule_id: 'conversionRuleId',
    conversion_value: 'conversionValue',
    currency_code: 'currencyCode',
    user_info: 'userInfo',
  },
};
