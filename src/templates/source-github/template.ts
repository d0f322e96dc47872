import type { TemplateDefinition } from '../types.js';

/**
 * GitHub webhooks: verifies `X-Hub-Signature-256` (`sha256=<hex HMAC-SHA256 of the raw body under the
 * webhook secret>`) and captures `github <X-GitHub-Event>` with the action, repository and sender.
 * The `ping` GitHub sends when the webhook is created is answered without an event.
 */
export const template: TemplateDefinition = {
  id: 'template-source-github',
  type: 'source_webhook',
  name: 'GitHub',
  description: 'Receive GitHub webhooks, verify their signature and capture each as a "github <event>" event.',
  category: ['Custom'],
  status: 'beta',
  icon_url: '/static/icons/webhook.svg',
  hog: `let expected := f'sha256={sha256HmacHex(inputs.webhook_secret, request.stringBody)}'
if (not constantTimeEquals(expected, request.headers['x-hub-signature-256'] ?? '')) {
  return {'httpStatus': 401, 'body': {'error': 'invalid signature'}}
}
let kind := request.headers['x-github-event']
if (empty(kind) or typeof(request.body) != 'object') {
  return {'httpStatus': 400, 'body': {'error': 'not a GitHub webhook'}}
}
if (kind == 'ping') {
  return {'httpStatus': 200, 'body': {'status': 'pong'}}
}
let payload := request.body
let sender := payload.sender.login
postHogCapture({
  'event': f'github {kind}',
  'distinct_id': empty(sender) ? f'github_{request.headers['x-github-delivery']}' : sender,
  'properties': {
    'action': payload.action,
    'repository': payload.repository.full_name,
    'organization': payload.organization.login,
    'sender': sender,
    'github_delivery': request.headers['x-github-delivery']
  }
})
`,
  inputs_schema: [
    { key: 'webhook_secret', type: 'string', label: 'Webhook secret', description: 'The secret set on the GitHub webhook.', secret: true, required: true },
  ],
};
