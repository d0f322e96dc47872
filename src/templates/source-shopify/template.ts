import type { TemplateDefinition } from '../types.js';

/**
 * Shopify webhooks: verifies `X-Shopify-Hmac-Sha256` (base64 HMAC-SHA256 of the raw body under the
 * app's client secret) and captures `shopify <X-Shopify-Topic>` with the top-level fields of the
 * resource (an order, a customer, …) and the shop's domain.
 */
export const template: TemplateDefinition = {
  id: 'template-source-shopify',
  type: 'source_webhook',
  name: 'Shopify',
  description: 'Receive Shopify webhooks, verify their HMAC and capture each as a "shopify <topic>" event.',
  category: ['Custom'],
  status: 'beta',
  icon_url: '/static/icons/webhook.svg',
  hog: `let expected := sha256Hmac(inputs.client_secret, request.stringBody, 'base64')
if (not constantTimeEquals(expected, request.headers['x-shopify-hmac-sha256'] ?? '')) {
  return {'httpStatus': 401, 'body': {'error': 'invalid signature'}}
}
let topic := request.headers['x-shopify-topic']
if (empty(topic) or typeof(request.body) != 'object') {
  return {'httpStatus': 400, 'body': {'error': 'not a Shopify webhook'}}
}
let properties := {}
for (let key, value in request.body) {
  properties[key] := value
}
properties['shopify_topic'] := topic
properties['shopify_shop_domain'] := request.headers['x-shopify-shop-domain']
properties['shopify_webhook_id'] := request.headers['x-shopify-webhook-id']
let distinctId := request.body.customer.id ?? request.body.email ?? request.body.id
if (empty(distinctId)) {
  distinctId := f'shopify_{request.headers['x-shopify-webhook-id']}'
}
postHogCapture({
  'event': f'shopify {topic}',
  'distinct_id': toString(distinctId),
  'properties': properties
})
`,
  inputs_schema: [
    { key: 'client_secret', type: 'string', label: 'Client secret', description: "The app's client secret that Shopify signs webhooks with.", secret: true, required: true },
  ],
};
