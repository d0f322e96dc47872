import type { TemplateFixture } from '../types.js';

const TOKEN = 'ya29.pubsub-access-token-xyz';
const REFRESH = '1//0refresh-token/abc';
const CLIENT_SECRET = 'GOCSPX-client-secret';
const URL = 'https://pubsub.googleapis.com/v1/projects/acme/topics/events:publish';

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64');
}

// PostHog's test inputs and its harness's default event and person.
const phInputs = { auth: { access_token: 'ACCESS_TOKEN' }, topicId: 'projects/posthog/topics/events', payload: { event: 'event-name' }, attributes: { source: 'posthog' } };
const phEvent = { uuid: 'event-id', event: 'event-name', distinct_id: 'distinct-id', timestamp: '2024-01-01T00:00:00Z', properties: { $current_url: 'https://example.com' } };
const phPerson = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const PH_URL = 'https://pubsub.googleapis.com/v1/projects/posthog/topics/events:publish';

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: publishes the message',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 200, body: { messageIds: ['1'] } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: PH_URL,
          headers: { authorization: 'Bearer ACCESS_TOKEN', 'content-type': 'application/json' },
          body: { messages: [{ messageId: 'event-id', data: 'eyJldmVudCI6ImV2ZW50LW5hbWUifQ==', attributes: { source: 'posthog' } }] },
        },
      ],
      logsMustNotContain: ['ACCESS_TOKEN'],
    },
  },
  {
    name: 'PostHog: fails on a non-2xx answer',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 404, body: { error: 'topic not found' } }],
    expect: { status: 'failed', error: 'Google Pub/Sub API error (status 404)', requests: [{ method: 'POST', url: PH_URL }], logsMustNotContain: ['ACCESS_TOKEN'] },
  },
  {
    name: 'publishes the payload as base64 JSON with string attributes, with an access token',
    event: { event: 'purchase', distinct_id: 'user-42', uuid: '0190a1b2-0000-7000-8000-0000000000f1', properties: { amount: 49 } },
    inputs: {
      access_token: TOKEN,
      topicId: 'projects/acme/topics/events',
      payload: { name: '{event.event}', amount: '{event.properties.amount}', uuid: '{event.uuid}' },
      attributes: { event: '{event.event}', amount: '{event.properties.amount}', missing: '{event.properties.nope}' },
    },
    responses: [{ status: 200, body: { messageIds: ['4711'] } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: {
            messages: [
              {
                messageId: '0190a1b2-0000-7000-8000-0000000000f1',
                data: b64({ name: 'purchase', amount: 49, uuid: '0190a1b2-0000-7000-8000-0000000000f1' }),
                attributes: { event: 'purchase', amount: '49' },
              },
            ],
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails clearly when the topic does not exist',
    event: { event: 'purchase', distinct_id: 'user-42' },
    inputs: { auth: { access_token: TOKEN }, topicId: 'projects/acme/topics/events' },
    responses: [{ status: 404, body: { error: { code: 404, message: 'Resource not found (resource=events).', status: 'NOT_FOUND' } } }],
    expect: {
      status: 'failed',
      error: 'Google Pub/Sub API error (status 404): NOT_FOUND Resource not found (resource=events).',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails clearly when the access token has expired',
    event: { event: 'purchase', distinct_id: 'user-42' },
    inputs: { access_token: TOKEN, topicId: 'projects/acme/topics/events' },
    responses: [{ status: 401, body: { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } } }],
    expect: { status: 'failed', error: 'Google Pub/Sub API error (status 401): UNAUTHENTICATED', requests: [{ method: 'POST', url: URL }], logsMustNotContain: [TOKEN] },
  },
  {
    name: 'exchanges the refresh token for an access token first when no token is set',
    event: { event: 'purchase', distinct_id: 'user-42' },
    inputs: { refresh_token: REFRESH, client_id: 'client-1', client_secret: CLIENT_SECRET, topicId: 'projects/acme/topics/events' },
    responses: [{ status: 200, body: { access_token: 'ya29.fresh-token', expires_in: 3599 } }, { status: 200, body: { messageIds: ['1'] } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://oauth2.googleapis.com/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `grant_type=refresh_token&client_id=client-1&client_secret=${CLIENT_SECRET}&refresh_token=${encodeURIComponent(REFRESH)}`,
        },
        { method: 'POST', url: URL, headers: { authorization: 'Bearer ya29.fresh-token', 'content-type': 'application/json' } },
      ],
      logsMustNotContain: [REFRESH, CLIENT_SECRET],
    },
  },
  {
    name: 'fails without a request when there are no credentials',
    event: { event: 'purchase', distinct_id: 'user-42' },
    inputs: { topicId: 'projects/acme/topics/events' },
    expect: { status: 'failed', error: 'set the auth object, an access token, or a refresh token', requests: [] },
  },
  {
    name: 'fails without a request on a short topic name',
    event: { event: 'purchase', distinct_id: 'user-42' },
    inputs: { access_token: TOKEN, topicId: 'events' },
    expect: { status: 'failed', error: 'the topic must be a full name', requests: [] },
  },
  {
    name: 'is skipped for $feature_flag_called by default',
    event: { event: '$feature_flag_called', distinct_id: 'user-42' },
    inputs: { access_token: TOKEN, topicId: 'projects/acme/topics/events' },
    expect: { status: 'skipped', requests: [] },
  },
];
