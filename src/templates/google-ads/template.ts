import type { TemplateDefinition } from '../types.js';

/**
 * Google Ads offline click conversions: `customers/{id}:uploadClickConversions` with `partialFailure`
 * (required by Google). A rejected conversion comes back as `partialFailureError` inside a 200 answer:
 * the template fails on it. Events without a click id (gclid, gbraid or wbraid) are logged and dropped,
 * since Google cannot attribute them.
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

let headers := {
  'Authorization': f'Bearer {inputs.oauth_token}',
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
    { key: 'oauth_token', type: 'string', label: 'OAuth access token', description: 'Scope https://www.googleapis.com/auth/adwords. Google access tokens expire: keep it refreshed.', secret: true, templating: false, required: true },
    { key: 'login_customer_id', type: 'string', label: 'Manager (login) customer ID', description: 'Only when access goes through a manager account.', default: '', required: false },
    { key: 'api_version', type: 'string', label: 'Google Ads API version', default: 'v22', required: true },
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
