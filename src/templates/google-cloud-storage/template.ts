import type { TemplateDefinition } from '../types.js';

/**
 * Google Cloud Storage simple upload (`POST /upload/storage/v1/b/{bucket}/o?uploadType=media&name=…`):
 * one object per event, its contents the `payload` text. Bucket and object name are percent-encoded.
 *
 * PostHog's template takes a Google Cloud service account through an integration (`auth`, giving an
 * `access_token`). Sluice has no integration accounts, and Hog cannot sign the RS256 JWT of a
 * service-account exchange, so `auth` here is an OAuth access token (a secret string under the same key).
 * Google access tokens last about an hour: for a lasting setup leave `auth` empty and give a refresh token
 * with its OAuth client; the template then asks Google for an access token first (the second fetch).
 */
export const template: TemplateDefinition = {
  id: 'template-google-cloud-storage',
  name: 'Google Cloud Storage',
  description:
    'Store each event as its own file in a Google Cloud Storage bucket. Takes an OAuth access token, or a refresh token with its OAuth client (Sluice has no service-account integration).',
  category: ['Custom', 'Data warehouse'],
  status: 'beta',
  icon_url: '/static/icons/google-cloud-storage.svg',
  hog: `let accessToken := inputs.auth
if (empty(accessToken)) {
  if (empty(inputs.refresh_token) or empty(inputs.client_id) or empty(inputs.client_secret)) {
    throw Error('Google Cloud Storage: set an access token, or a refresh token with its OAuth client ID and secret')
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

let url := f'https://storage.googleapis.com/upload/storage/v1/b/{encodeURLComponent(inputs.bucketName)}/o?uploadType=media&name={encodeURLComponent(inputs.filename)}'
let res := fetch(url, {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {accessToken}',
    'Content-Type': 'application/json'
  },
  'body': inputs.payload
})

if (res.status < 200 or res.status >= 300) {
  throw Error(f'Google Cloud Storage API error (status {res.status}): {res.body.error.message ?? res.body}')
}
print(f'Stored gs://{inputs.bucketName}/{inputs.filename}')
`,
  inputs_schema: [
    {
      key: 'auth',
      type: 'string',
      label: 'OAuth access token',
      description:
        'A token allowed to create objects in the bucket (scope https://www.googleapis.com/auth/devstorage.read_write). PostHog takes a service account here; Sluice takes a token. It expires after about an hour: leave this empty and fill in the refresh token and OAuth client below for a lasting setup.',
      secret: true,
      templating: false,
      required: false,
    },
    { key: 'refresh_token', type: 'string', label: 'OAuth refresh token', description: 'Exchanged for an access token on each invocation when the access token is empty.', secret: true, templating: false, required: false },
    { key: 'client_id', type: 'string', label: 'OAuth client ID', default: '', templating: false, required: false },
    { key: 'client_secret', type: 'string', label: 'OAuth client secret', secret: true, templating: false, required: false },
    { key: 'bucketName', type: 'string', label: 'Bucket', description: 'The bucket name, without gs://.', secret: false, required: true },
    {
      key: 'filename',
      type: 'string',
      label: 'Object name',
      description: 'Slashes make folders in the console. Keep it unique per event, or each upload replaces the last.',
      default: '{toDate(event.timestamp)}/{event.timestamp}-{event.uuid}.json',
      secret: false,
      required: true,
    },
    {
      key: 'payload',
      type: 'string',
      label: 'File contents',
      description: 'The text stored, sent as application/json.',
      default: "{jsonStringify({ 'event': event, 'person': person })}",
      secret: false,
      required: true,
    },
  ],
};
