import type { TemplateDefinition } from '../types.js';

/**
 * Google Cloud Pub/Sub `topics.publish`: the payload as base64 JSON `data`, string attributes.
 * Authenticated with an OAuth 2.0 access token, or with a refresh token and its OAuth client, which the
 * template exchanges for an access token first (the invocation's two fetches: token, then publish).
 * Sluice has no Google service-account integration, and Hog cannot sign the RS256 JWT that a
 * service-account token exchange needs.
 */
export const template: TemplateDefinition = {
  id: 'template-google-pubsub',
  name: 'Google Pub/Sub',
  description: 'Publish each event as a JSON message to a Google Cloud Pub/Sub topic.',
  category: ['Custom', 'Data warehouse'],
  status: 'beta',
  icon_url: '/static/icons/google-pubsub.svg',
  hog: `let topic := trim(inputs.topic_id)
if (not startsWith(topic, 'projects/') or not ('/topics/' in topic)) {
  throw Error(f'Google Pub/Sub: the topic must be a full name, projects/PROJECT/topics/TOPIC, got {topic}')
}

let attributes := {}
for (let key, value in inputs.attributes ?? {}) {
  if (value != null) {
    attributes[key] := typeof(value) = 'string' ? value : jsonStringify(value)
  }
}

let message := {'data': base64Encode(jsonStringify(inputs.payload))}
if (notEmpty(attributes)) {
  message.attributes := attributes
}
if (notEmpty(inputs.ordering_key)) {
  message.orderingKey := inputs.ordering_key
}

let accessToken := inputs.access_token
if (empty(accessToken)) {
  if (empty(inputs.refresh_token) or empty(inputs.client_id) or empty(inputs.client_secret)) {
    throw Error('Google Pub/Sub: set an access token, or a refresh token with its OAuth client ID and secret')
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

let res := fetch(f'https://pubsub.googleapis.com/v1/{topic}:publish', {
  'method': 'POST',
  'headers': {'Authorization': f'Bearer {accessToken}', 'Content-Type': 'application/json'},
  'body': {'messages': [message]}
})

if (res.status < 200 or res.status >= 300) {
  throw Error(f'Google Pub/Sub API error (status {res.status}): {res.body.error.status ?? ''} {res.body.error.message ?? res.body}')
}
print(f'Published message {res.body.messageIds[1]} to {topic}')
`,
  inputs_schema: [
    {
      key: 'access_token',
      type: 'string',
      label: 'OAuth access token',
      description:
        'A token with the pubsub.topics.publish permission on the topic (scope https://www.googleapis.com/auth/pubsub). Google access tokens expire after about an hour: for a lasting setup leave this empty and fill in the refresh token and OAuth client below.',
      secret: true,
      templating: false,
      required: false,
    },
    { key: 'refresh_token', type: 'string', label: 'OAuth refresh token', description: 'Exchanged for an access token on each invocation.', secret: true, templating: false, required: false },
    { key: 'client_id', type: 'string', label: 'OAuth client ID', default: '', required: false },
    { key: 'client_secret', type: 'string', label: 'OAuth client secret', secret: true, templating: false, required: false },
    { key: 'topic_id', type: 'string', label: 'Topic', description: 'projects/PROJECT_ID/topics/TOPIC_ID', required: true },
    {
      key: 'payload',
      type: 'json',
      label: 'Message payload',
      default: { event: '{event}', person: '{person}' },
      required: true,
    },
    { key: 'attributes', type: 'dictionary', label: 'Attributes', default: { event: '{event.event}', distinct_id: '{event.distinct_id}' }, required: false },
    { key: 'ordering_key', type: 'string', label: 'Ordering key', description: 'Only for topics with message ordering enabled.', default: '', required: false },
  ],
  filters: {
    events: [],
    hog: "event.event != '$feature_flag_called'",
  },
};
