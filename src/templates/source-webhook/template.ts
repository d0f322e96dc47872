import type { TemplateDefinition } from '../types.js';

/**
 * The generic JSON webhook source: the event name, distinct id and properties are inputs templated
 * from the request (`{request.body.user.id}`), so most JSON senders need no code change.
 */
export const template: TemplateDefinition = {
  id: 'template-source-webhook',
  type: 'source_webhook',
  name: 'HTTP Incoming Webhook',
  description: 'Receive JSON webhooks at a public URL and turn each request into an event.',
  category: ['Custom'],
  status: 'beta',
  icon_url: '/static/icons/webhook.svg',
  hog: `if (not empty(inputs.auth_header) and not constantTimeEquals(request.headers['authorization'] ?? '', inputs.auth_header)) {
  return {'httpStatus': 401, 'body': {'error': 'unauthorized'}}
}
if (empty(inputs.event)) {
  return {'httpStatus': 400, 'body': {'error': 'the event name is missing from the request'}}
}
if (empty(inputs.distinct_id)) {
  return {'httpStatus': 400, 'body': {'error': 'the distinct id is missing from the request'}}
}
if (inputs.debug) {
  print('Incoming request', request.method, request.body)
}
postHogCapture({
  'event': inputs.event,
  'distinct_id': inputs.distinct_id,
  'properties': inputs.properties
})
`,
  inputs_schema: [
    { key: 'event', type: 'string', label: 'Event name', default: '{request.body.event}', required: true },
    { key: 'distinct_id', type: 'string', label: 'Distinct ID', default: '{request.body.distinct_id}', required: true },
    {
      key: 'properties',
      type: 'json',
      label: 'Event properties',
      default: '{request.body.properties}',
      required: false,
    },
    {
      key: 'auth_header',
      type: 'string',
      label: 'Required Authorization header',
      description: 'When set, requests must send exactly this Authorization header (e.g. "Bearer …"); others get 401.',
      secret: true,
      required: false,
    },
    { key: 'debug', type: 'boolean', label: 'Log each request', default: false, required: false },
  ],
};
