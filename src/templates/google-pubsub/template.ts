import type { TemplateDefinition } from '../types.js';

/**
 * Google Cloud Pub/Sub `topics.publish`: the payload as base64 JSON `data`, the event uuid as messageId,
 * string attributes. Input keys, defaults and the request follow PostHog's Pub/Sub destination: the token
 * comes from `auth`, the object a PostHog Google Cloud integration provides (`{access_token}`).
 * Sluice has no Google integration and Hog cannot sign the RS256 JWT that a service-account token
 * exchange needs, so there are two more ways to authenticate: an OAuth access token, or a refresh token
 * with its OAuth client, which is exchanged for an access token first (the invocation's two fetches).
 */
export const template: TemplateDefinition = {
  id: 'template-google-pubsub',
  name: 'Google Pub/Sub',
  description: 'Publish each event as a JSON message to a Google Cloud Pub/Sub topic.',
  category: ['Custom', 'Data warehouse'],
  status: 'beta',
  icon_url: '/static/icons/google-pubsub.svg',
  hog: `let topic := trim(inputs.topicId)
if (not startsWith(topic, 'projects/') or not ('/topics/' in topic)) {
  throw Error(f'Google Pub/Sub: the topic must be a full name, projects/PROJECT/topics/TOPIC, got {topic}')
}

// Pub/Sub takes string attribute values: other values are sent as JSON text, missing ones left out.
let attributes := {}
for (let key, value in inputs.attributes ?? {}) {
  if (value != null) {
    attributes[key] := typeof(value) = 'string' ? value : jsonStringify(value)
  }
}

let message := {'messageId': event.uuid, 'data': base64Encode(jsonStringify(inputs.payload)), 'attributes': attributes}
if (notEmpty(inputs.ordering_key)) {
  message.orderingKey := inputs.ordering_key
}

let accessToken := inputs.auth.access_token ?? inputs.access_token
if (empty(accessToken)) {
  if (empty(inputs.refresh_token) or empty(inputs.client_id) or empty(inputs.client_secret)) {
    throw Error('Google Pub/Sub: set the auth object, an access token, or a refresh token with its OAuth client ID and secret')
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
      key: 'auth',
      type: 'integration',
      integration: 'google-pubsub',
      label: 'Google Cloud credentials',
      description:
        'An object with an access_token, as a PostHog Google Cloud integration provides it. Leave it empty to use the access token or refresh token below.',
      secret: true,
      templating: false,
      required: false,
    },
    { key: 'topicId', type: 'string', label: 'Topic', description: 'The full topic name: projects/PROJECT_ID/topics/TOPIC_ID', secret: false, required: true },
    {
      key: 'payload',
      type: 'json',
      label: 'Message payload',
      default: { event: '{event}', person: '{person}' },
      secret: false,
      required: false,
    },
    { key: 'attributes', type: 'json', label: 'Attributes', description: 'Message attributes; values are sent as strings.', default: {}, secret: false, required: false },
    {
      key: 'access_token',
      type: 'string',
      label: 'OAuth access token',
      description:
        'Instead of the credentials object: a token with the pubsub.topics.publish permission on the topic (scope https://www.googleapis.com/auth/pubsub). Google access tokens expire after about an hour: for a lasting setup use the refresh token and OAuth client below.',
      secret: true,
      templating: false,
      required: false,
    },
    { key: 'refresh_token', type: 'string', label: 'OAuth refresh token', description: 'Exchanged for an access token on each invocation.', secret: true, templating: false, required: false },
    { key: 'client_id', type: 'string', label: 'OAuth client ID', default: '', required: false },
    { key: 'client_secret', type: 'string', label: 'OAuth client secret', secret: true, templating: false, required: false },
    { key: 'ordering_key', type: 'string', label: 'Ordering key', description: 'Only for topics with message ordering enabled.', default: '', required: false },
  ],
  renamed_inputs: { topic_id: 'topicId' },
  filters: {
    events: [],
    hog: "event.event != '$feature_flag_called'",
  },
};
