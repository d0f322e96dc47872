import type { TemplateDefinition } from '../types.js';

/**
 * Google Ads offline click conversions: `customers/{id}:uploadClickConversions` with `partialFailure`
 * (required by Google). A rejected conversion comes back as `partialFailureError` inside a 200 answer:
 * the template fails on it. Events without a click id (gclid, gbraid or wbraid) are logged and dropped,
 * since Google cannot attribute them. Authenticated with an OAuth access token, or with a refresh token
 * and its OAuth client, exchanged for an access token first (the invocation's two fetches).
 */
export const template: TemplateDefinition = {
  id: 'template-google-ads',
  name: 'Google Ads Conversions',
  description: 'Upload offline click conversions (gclid) to a Google Ads conversion action.',
  category: ['Advertisement'],
  status: 'beta',
  icon_url: '/static/icons/google-ads.svg',
  hog: `let customerId := replaceAll(trim(toString(inputs.customer_id)), '-', '')
let loginCustomerId := empty(inputs.login_customer_id) ? null : replaceAll(trim(toString(inputs.login_customer_id)), '-', '')

let conversion := {
  'conversionAction': f'customers/{customerId}/conversionActions/{inputs.conversion_action_id}',
  'conversionDateTime': formatDateTime(toDateTime(event.timestamp), '%Y-%m-%d %H:%i:%S') || '+00:00'
}
if (notEmpty(inputs.gclid)) {
  conversion.gclid := inputs.gclid
} else if (notEmpty(inputs.gbraid)) {
  conversion.gbraid := inputs.gbraid
} else if (notEmpty(inputs.wbraid)) {
  conversion.wbraid := inputs.wbraid
} else {
  print(f'Google Ads: event {event.uuid} has no gclid, gbraid or wbraid; nothing to upload')
  return
}
if (notEmpty(inputs.conversion_value)) {
  conversion.conversionValue := toFloat(inputs.conversion_value)
  conversion.currencyCode := inputs.currency_code
}
if (notEmpty(inputs.order_id)) {
  conversion.orderId := toString(inputs.order_id)
}

let accessToken := inputs.oauth_token
if (empty(accessToken)) {
  if (empty(inputs.refresh_token) or empty(inputs.client_id) or empty(inputs.client_secret)) {
    throw Error('Google Ads: set an OAuth access token, or a refresh token with its OAuth client ID and secret')
  }
  let token := fetch('https://oauth2.googleapis.com/token', {
    'method': 'POST',
    'headers': {'Content-Type': 'application/x-www-form-urlencoded'},
    'body': f'grant_type=refresh_token&client_id={encodeURLComponent(inputs.client_id)}&client_secret={encodeURLComponent(inputs.client_secret)}&refresh_token={encodeURLComponent(inputs.refresh_token)}'
  })
  if (token.status != 200 or empty(token.body.access_token)) {
    throw Error(f'Google OAuth error (status {token.status}): {token.body.error ?? token.body}: {token.body.error_description}')
  }
  accessToken := token.body.access_token
}

let headers := {
  'Authorization': f'Bearer {accessToken}',
  'developer-token': inputs.developer_token,
  'Content-Type': 'application/json'
}
if (loginCustomerId != null) {
  headers['login-customer-id'] := loginCustomerId
}

let res := fetch(f'https://googleads.googleapis.com/{inputs.api_version}/customers/{customerId}:uploadClickConversions', {
  'method': 'POST',
  'headers': headers,
  'body': {'conversions': [conversion], 'partialFailure': true}
})

if (res.status < 200 or res.status >= 300) {
  let err := res.body.error
  let detail := err.details[1].errors[1].message
  throw Error(f'Google Ads API error (status {res.status}): {err.status ?? ''} {err.message ?? res.body}{detail != null ? f' ({detail})' : ''}')
}
if (notEmpty(res.body.partialFailureError)) {
  throw Error(f'Google Ads API error (status {res.status}): conversion rejected: {res.body.partialFailureError.message}')
}
`,
  inputs_schema: [
    { key: 'customer_id', type: 'string', label: 'Customer ID', description: 'The Google Ads account, 123-456-7890.', required: true },
    { key: 'conversion_action_id', type: 'string', label: 'Conversion action ID', description: 'Goals → Conversions → the action’s ctId.', required: true },
    { key: 'developer_token', type: 'string', label: 'Developer token', secret: true, templating: false, required: true },
    {
      key: 'oauth_token',
      type: 'string',
      label: 'OAuth access token',
      description: 'Scope https://www.googleapis.com/auth/adwords. Access tokens expire after about an hour: for a lasting setup leave this empty and fill in the refresh token and OAuth client below.',
      secret: true,
      templating: false,
      required: false,
    },
    { key: 'refresh_token', type: 'string', label: 'OAuth refresh token', description: 'Exchanged for an access token on each invocation.', secret: true, templating: false, required: false },
    { key: 'client_id', type: 'string', label: 'OAuth client ID', default: '', required: false },
    { key: 'client_secret', type: 'string', label: 'OAuth client secret', secret: true, templating: false, required: false },
    { key: 'login_customer_id', type: 'string', label: 'Manager (login) customer ID', description: 'Only when access goes through a manager account.', default: '', required: false },
    { key: 'api_version', type: 'string', label: 'Google Ads API version', default: 'v26', required: true },
    { key: 'gclid', type: 'string', label: 'Google click ID (gclid)', default: '{event.properties.gclid ?? person.properties.gclid ?? person.properties.$initial_gclid}', required: false },
    { key: 'gbraid', type: 'string', label: 'gbraid (iOS app campaigns)', default: '{event.properties.gbraid ?? person.properties.$initial_gbraid}', required: false },
    { key: 'wbraid', type: 'string', label: 'wbraid (iOS web campaigns)', default: '{event.properties.wbraid ?? person.properties.$initial_wbraid}', required: false },
    { key: 'conversion_value', type: 'string', label: 'Conversion value', default: '{event.properties.revenue ?? event.properties.value}', required: false },
    { key: 'currency_code', type: 'string', label: 'Currency code', default: "{event.properties.currency ?? 'USD'}", required: false },
    { key: 'order_id', type: 'string', label: 'Order ID', description: 'Lets Google deduplicate conversions.', default: '{event.properties.order_id}', required: false },
  ],
  filters: {
    events: [{ id: 'purchase', name: 'purchase', type: 'events' }],
  },
};
