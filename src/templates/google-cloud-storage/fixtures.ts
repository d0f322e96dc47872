import type { TemplateFixture } from '../types.js';

const TOKEN = 'ya29.gcs-access-token';
const inputs = {
  auth: 'ACCESS_TOKEN',
  bucketName: 'my-bucket',
  filename: '2024-01-01/20240101-000000-event-id.csv',
  payload: 'uuid,event\nevent-id,event-name',
};
const URL = 'https://storage.googleapis.com/upload/storage/v1/b/my-bucket/o?uploadType=media&name=2024-01-01%2F20240101-000000-event-id.csv';

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: uploads the object',
    posthog: true,
    event: { event: 'event-name', distinct_id: 'distinct-id' },
    inputs,
    responses: [{ status: 200, body: { name: 'object' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: 'Bearer ACCESS_TOKEN', 'content-type': 'application/json' },
          body: 'uuid,event\nevent-id,event-name',
        },
      ],
      logsMustNotContain: ['ACCESS_TOKEN'],
    },
  },
  {
    name: 'PostHog: url-encodes the bucket and the object name',
    posthog: true,
    event: { event: 'event-name', distinct_id: 'distinct-id' },
    inputs: { ...inputs, bucketName: 'my bucket/prod', filename: 'a b/c+d.csv' },
    expect: {
      requests: [{ method: 'POST', url: 'https://storage.googleapis.com/upload/storage/v1/b/my%20bucket%2Fprod/o?uploadType=media&name=a%20b%2Fc%2Bd.csv' }],
    },
  },
  {
    name: 'PostHog: fails on a non-2xx answer',
    posthog: true,
    event: { event: 'event-name', distinct_id: 'distinct-id' },
    inputs,
    responses: [{ status: 403, body: { error: 'forbidden' } }],
    expect: { status: 'failed', error: 'Google Cloud Storage API error (status 403)', requests: [{ method: 'POST', url: URL }], logsMustNotContain: ['ACCESS_TOKEN'] },
  },
  {
    name: 'stores the event and person as JSON under a dated name by default',
    event: { event: 'signed_up', distinct_id: 'u1', uuid: '01900000-0000-7000-8000-0000000000a1', timestamp: '2026-01-02T03:04:05.000Z', properties: { plan: 'pro' } },
    person: { id: 'p1', properties: { email: 'max@example.com' } },
    inputs: { auth: TOKEN, bucketName: 'events' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://storage.googleapis.com/upload/storage/v1/b/events/o?uploadType=media&name=2026-01-02%2F2026-01-02T03%3A04%3A05.000Z-01900000-0000-7000-8000-0000000000a1.json',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: {
            event: {
              uuid: '01900000-0000-7000-8000-0000000000a1',
              event: 'signed_up',
              name: 'signed_up',
              distinct_id: 'u1',
              properties: { plan: 'pro' },
              timestamp: '2026-01-02T03:04:05.000Z',
              elements_chain: '',
              url: 'http://localhost:8040/projects/1/events/01900000-0000-7000-8000-0000000000a1',
            },
            person: {
              id: 'p1',
              uuid: 'p1',
              name: 'max@example.com',
              url: 'http://localhost:8040/projects/1/persons/p1',
              properties: { email: 'max@example.com' },
            },
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'exchanges the refresh token for an access token first',
    event: { event: 'event-name', distinct_id: 'distinct-id' },
    inputs: { ...inputs, auth: '', refresh_token: '1//0gcs-refresh', client_id: 'client.apps.googleusercontent.com', client_secret: 'GOCSPX-gcs-secret' },
    responses: [{ status: 200, body: { access_token: TOKEN, expires_in: 3599 } }, { status: 200, body: { name: 'object' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://oauth2.googleapis.com/token',
          body: 'grant_type=refresh_token&client_id=client.apps.googleusercontent.com&client_secret=GOCSPX-gcs-secret&refresh_token=1%2F%2F0gcs-refresh',
        },
        { method: 'POST', url: URL, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } },
      ],
      logsMustNotContain: [TOKEN, '1//0gcs-refresh', 'GOCSPX-gcs-secret'],
    },
  },
  {
    name: 'fails clearly when the refresh token is refused',
    event: { event: 'event-name', distinct_id: 'distinct-id' },
    inputs: { ...inputs, auth: '', refresh_token: '1//0gcs-refresh', client_id: 'client.apps.googleusercontent.com', client_secret: 'GOCSPX-gcs-secret' },
    responses: [{ status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } }],
    expect: {
      status: 'failed',
      error: 'Google OAuth error (status 400): invalid_grant: Token has been expired or revoked.',
      requests: [{ method: 'POST', url: 'https://oauth2.googleapis.com/token' }],
      logsMustNotContain: ['1//0gcs-refresh', 'GOCSPX-gcs-secret'],
    },
  },
];
