import type { TemplateDefinition } from '../types.js';

/**
 * Firebase Cloud Messaging HTTP v1: `POST https://fcm.googleapis.com/v1/projects/{project}/messages:send`
 * with one message to one device token.
 *
 * PostHog's template takes a Firebase project through an integration (`firebase_account`, giving
 * `project_id` and `access_token`) and the device through a push-subscription picker. Sluice has neither:
 * `firebase_account` here is an OAuth access token (a secret string under the same key), the project ID is
 * its own input, and `push_subscription` is the FCM registration token as text (usually templated from a
 * person property). PostHog's earlier key for it, `fcm_token`, is read as `push_subscription`. Title and
 * body are Hog templates (`{event.event}`), where PostHog's use Liquid. Google access tokens last about an
 * hour: for a lasting setup leave `firebase_account` empty and give a refresh token with its OAuth client
 * (the second fetch). FCM wants string data values: others are sent as JSON text.
 */
export const template: TemplateDefinition = {
  id: 'template-firebase-push',
  name: 'Firebase Push Notification',
  description:
    'Send a push notification to a device through Firebase Cloud Messaging. Takes an OAuth access token, or a refresh token with its OAuth client (Sluice has no Firebase integration).',
  category: ['SMS & Push'],
  status: 'alpha',
  icon_url: '/static/icons/firebase-push.svg',
  hog: `let deviceToken := inputs.push_subscription
if (empty(deviceToken)) {
  throw Error('Firebase: no FCM device token (push_subscription) for this event')
}
if (empty(inputs.title)) {
  throw Error('Firebase: the notification title is empty')
}
let projectId := trim(toString(inputs.project_id ?? ''))
if (empty(projectId)) {
  throw Error('Firebase: set the Firebase project ID')
}

let accessToken := inputs.firebase_account
if (empty(accessToken)) {
  if (empty(inputs.refresh_token) or empty(inputs.client_id) or empty(inputs.client_secret)) {
    throw Error('Firebase: set an access token, or a refresh token with its OAuth client ID and secret')
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

let message := {
  'token': deviceToken,
  'notification': {'title': inputs.title, 'body': inputs.body ?? ''}
}
if (notEmpty(inputs.data)) {
  let data := {}
  for (let key, value in inputs.data) {
    data[key] := typeof(value) = 'string' ? value : jsonStringify(value)
  }
  message.data := data
}

let url := f'https://fcm.googleapis.com/v1/projects/{projectId}/messages:send'
if (inputs.debug) {
  print('FCM request', url, {'message': message})
}
let res := fetch(url, {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {accessToken}',
    'Content-Type': 'application/json'
  },
  'body': {'message': message}
})
if (inputs.debug) {
  print('FCM response', res.status, res.body)
}

if (res.status < 200 or res.status >= 300) {
  throw Error(f'Firebase Cloud Messaging error (status {res.status}): {res.body.error.status ?? ''} {res.body.error.message ?? res.body}')
}
`,
  inputs_schema: [
    {
      key: 'firebase_account',
      type: 'string',
      label: 'OAuth access token',
      description:
        'A token with the https://www.googleapis.com/auth/firebase.messaging scope. PostHog takes a connected Firebase project here; Sluice takes a token. It expires after about an hour: leave this empty and fill in the refresh token and OAuth client below for a lasting setup.',
      secret: true,
      templating: false,
      required: false,
    },
    { key: 'project_id', type: 'string', label: 'Firebase project ID', description: 'Project settings → General → Project ID.', secret: false, templating: false, required: true },
    { key: 'refresh_token', type: 'string', label: 'OAuth refresh token', description: 'Exchanged for an access token on each invocation when the access token is empty.', secret: true, templating: false, required: false },
    { key: 'client_id', type: 'string', label: 'OAuth client ID', default: '', templating: false, required: false },
    { key: 'client_secret', type: 'string', label: 'OAuth client secret', secret: true, templating: false, required: false },
    {
      key: 'push_subscription',
      type: 'string',
      label: 'FCM device token',
      description: 'The registration token of the device, e.g. {person.properties.fcm_token}. Events where it is empty fail.',
      secret: false,
      required: true,
    },
    { key: 'title', type: 'string', label: 'Title', default: 'Notification from {event.event}', secret: false, required: true },
    { key: 'body', type: 'string', label: 'Body', default: '', secret: false, required: false },
    {
      key: 'data',
      type: 'json',
      label: 'Data',
      description: 'Key-value data for the app to handle; values are sent as text.',
      default: {},
      secret: false,
      required: false,
    },
    { key: 'debug', type: 'boolean', label: 'Log requests and responses', description: 'Logs the message and FCM’s answer (never the token).', default: false, secret: false, required: false },
  ],
  renamed_inputs: { fcm_token: 'push_subscription' },
};
