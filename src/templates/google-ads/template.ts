import type { TemplateDefinition } from '../types.js';

/**
 * Google Ads click conversions (`POST googleads.googleapis.com/v24/customers/{id}:uploadClickConversions`,
 * with `partialFailure`), with PostHog's input keys. PostHog splits them between the destination
 * (`oauth`, `customerId`) and one "Conversion" mapping; here they are all destination inputs, so a
 * destination made from this template is configured in one place (a PostHog configuration that brings
 * its own mapping still works: mapping inputs override these). `customerId` is `customer[/manager]`:
 * the part after the slash goes in `login-customer-id`.
 *
 * The conversion is attributed by gclid, else gbraid, else wbraid, plus the SHA-256 of the email and
 * phone (enhanced conversions); with none of them it is skipped with a log line. A rejected conversion
 * comes back as `partialFailureError` inside a 200 answer: the run fails on it.
 *
 * Token: `oauth.access_token` (or `oauth` given as a plain token). When `oauth` also holds
 * `refresh_token`, `client_id` and `client_secret`, a fresh access token is fetched first (2 requests).
 * Google requires a developer token on every call: set `developerToken`.
 */
export const template: TemplateDefinition = {
  id: 'template-google-ads',
  name: 'Google Ads Conversions',
  description:
    'Upload click conversions to a Google Ads conversion action, attributed by gclid (or gbraid/wbraid) and hashed email and phone. Events with none of them are skipped with a log line.',
  category: ['Advertisement'],
  status: 'beta',
  icon_url: '/static/icons/google-ads.svg',
  hog: `fun hashedOnce(text) {
  let normalized := lower(trim(toString(text)))
  return normalized =~ '^[a-f0-9]{64}$' ? normalized : sha256Hex(normalized)
}

let account := splitByString('/', replaceAll(trim(toString(inputs.customerId ?? '')), '-', ''))
let customerId := account[1]
let loginCustomerId := account[2]
if (empty(customerId) or empty(inputs.conversionActionId)) {
  throw Error('Google Ads: set the customer ID and the conversion action ID')
}

let identifiers := []
if (notEmpty(inputs.email)) {
  identifiers := arrayPushBack(identifiers, {'hashed_email': hashedOnce(inputs.email)})
}
if (notEmpty(inputs.phone)) {
  identifiers := arrayPushBack(identifiers, {'hashed_phone_number': hashedOnce(inputs.phone)})
}
if (empty(inputs.gclid) and empty(inputs.gbraid) and empty(inputs.wbraid) and empty(identifiers)) {
  print(f'Google Ads: event {event.uuid} has no gclid, gbraid, wbraid, email or phone to attribute it by: skipped')
  return
}

let conversion := {
  'conversion_action': f'customers/{customerId}/conversionActions/{inputs.conversionActionId}',
  'conversion_date_time': inputs.conversionDateTime
}
if (notEmpty(inputs.gclid)) {
  conversion.gclid := inputs.gclid
} else if (notEmpty(inputs.gbraid)) {
  conversion.gbraid := inputs.gbraid
} else if (notEmpty(inputs.wbraid)) {
  conversion.wbraid := inputs.wbraid
}
if (notEmpty(identifiers)) {
  conversion.user_identifiers := identifiers
}
if (notEmpty(inputs.conversionValue)) {
  conversion.conversion_value := inputs.conversionValue
}
if (notEmpty(inputs.currencyCode)) {
  conversion.currency_code := inputs.currencyCode
}
if (notEmpty(inputs.orderId)) {
  conversion.order_id := inputs.orderId
}

let oauth := inputs.oauth
let accessToken := typeof(oauth) = 'string' ? oauth : oauth.access_token
if (typeof(oauth) = 'object') {
  if (notEmpty(oauth.refresh_token) and notEmpty(oauth.client_id) and notEmpty(oauth.client_secret)) {
    let grant := fetch('https://oauth2.googleapis.com/token', {
      'method': 'POST',
      'headers': {'Content-Type': 'application/x-www-form-urlencoded'},
      'body': f'grant_type=refresh_token&client_id={encodeURLComponent(oauth.client_id)}&client_secret={encodeURLComponent(oauth.client_secret)}&refresh_token={encodeURLComponent(oauth.refresh_token)}'
    })
    if (grant.status != 200 or empty(grant.body.access_token)) {
      throw Error(f'Google OAuth error (status {grant.status}): {grant.body.error ?? grant.body}: {grant.body.error_description}')
    }
    accessToken := grant.body.access_token
  }
}
if (empty(accessToken)) {
  throw Error('Google Ads: the oauth input has no access_token (nor refresh_token, client_id and client_secret)')
}

let headers := {
  'Authorization': f'Bearer {accessToken}',
  'Content-Type': 'application/json'
}
if (notEmpty(loginCustomerId)) {
  headers['login-customer-id'] := loginCustomerId
}
if (notEmpty(inputs.developerToken)) {
  headers['developer-token'] := inputs.developerToken
}

let res := fetch(f'https://googleads.googleapis.com/v24/customers/{customerId}:uploadClickConversions', {
  'method': 'POST',
  'headers': headers,
  'body': {'conversions': [conversion], 'partialFailure': true}
})

if (res.status >= 400) {
  let problem := res.body.error
  if (typeof(problem) != 'object') {
    throw Error(f'Google Ads API error (status {res.status}): {res.body}')
  }
  let detail := problem.details[1].errors[1].message
  let suffix := detail != null ? concat(' (', detail, ')') : ''
  throw Error(f'Google Ads API error (status {res.status}): {problem.status ?? ''} {problem.message}{suffix}')
}
if (notEmpty(res.body.partialFailureError)) {
  throw Error(f'Google Ads API error (status {res.status}): conversion rejected: {res.body.partialFailureError.message}')
}
`,
  inputs_schema: [
    {
      key: 'oauth',
      type: 'integration',
      integration: 'google-ads',
      label: 'Google Ads credentials',
      description:
        'An object with access_token (scope https://www.googleapis.com/auth/adwords), or a plain access token. Add refresh_token, client_id and client_secret to get a fresh access token on each run: access tokens expire after an hour.',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'customerId',
      type: 'integration_field',
      integration_key: 'oauth',
      integration_field: 'google_ads_customer_id',
      label: 'Customer ID',
      description: 'The Google Ads account (10 digits, dashes allowed). When access goes through a manager account: customer/manager, e.g. 1231231234/5675675678.',
      secret: false,
      required: true,
    },
    {
      key: 'conversionActionId',
      type: 'integration_field',
      integration_key: 'oauth',
      integration_field: 'google_ads_conversion_action',
      requires_field: 'customerId',
      label: 'Conversion action ID',
      description: 'Goals → Conversions → the action’s ctId. Required: a run without one fails.',
      secret: false,
      required: false,
    },
    {
      key: 'gclid',
      type: 'string',
      label: 'Google click ID (gclid)',
      description: 'Leave empty to attribute by hashed email and phone instead.',
      default: '{person.properties.gclid ?? person.properties.$initial_gclid}',
      secret: false,
      required: false,
    },
    {
      key: 'gbraid',
      type: 'string',
      label: 'gbraid (iOS app-to-web clicks)',
      description: 'Sent when there is no gclid.',
      default: '{person.properties.gbraid ?? person.properties.$initial_gbraid}',
      secret: false,
      required: false,
    },
    {
      key: 'wbraid',
      type: 'string',
      label: 'wbraid (iOS web-to-app clicks)',
      description: 'Sent when there is neither gclid nor gbraid.',
      default: '{person.properties.wbraid ?? person.properties.$initial_wbraid}',
      secret: false,
      required: false,
    },
    {
      key: 'conversionDateTime',
      type: 'string',
      label: 'Conversion time',
      description: 'yyyy-mm-dd hh:mm:ss+hh:mm, after the click.',
      default: "{formatDateTime(toDateTime(event.timestamp), '%Y-%m-%d %H:%i:%S')}+00:00",
      secret: false,
      required: true,
    },
    { key: 'conversionValue', type: 'string', label: 'Conversion value', description: 'Left out when empty.', default: '', secret: false, required: false },
    { key: 'currencyCode', type: 'string', label: 'Currency code', description: 'ISO 4217 (USD, EUR, …); left out when empty.', default: '', secret: false, required: false },
    { key: 'orderId', type: 'string', label: 'Order ID', description: 'Lets Google count one conversion per order.', default: '', secret: false, required: false },
    {
      key: 'email',
      type: 'string',
      label: 'Email (hashed before sending)',
      description: 'For enhanced conversions: trimmed, lower-cased and SHA-256 hashed. Empty: left out.',
      default: '{person.properties.email}',
      secret: false,
      required: false,
    },
    {
      key: 'phone',
      type: 'string',
      label: 'Phone (hashed before sending)',
      description: 'For enhanced conversions, in E.164 form (+14255551234): SHA-256 hashed. Empty: left out.',
      default: '',
      secret: false,
      required: false,
    },
    {
      key: 'developerToken',
      type: 'string',
      label: 'Developer token',
      description: 'Your Google Ads API developer token (API Center), sent as the developer-token header. Google refuses calls without one.',
      secret: true,
      templating: false,
      required: false,
    },
  ],
  filters: {
    events: [{ id: 'Order Completed', name: 'Order Completed', type: 'events' }],
  },
  renamed_inputs: {
    customer_id: 'customerId',
    conversion_action_id: 'conversionActionId',
    oauth_token: 'oauth',
    developer_token: 'developerToken',
    conversion_value: 'conversionValue',
    currency_code: 'currencyCode',
    order_id: 'orderId',
  },
};
