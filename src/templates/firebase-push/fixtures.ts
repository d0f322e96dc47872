import type { TemplateFixture } from '../types.js';

const TOKEN = 'ya29.fcm-access-token';
const DEVICE = 'fcm-device-token-abc123';
const URL = 'https://fcm.googleapis.com/v1/projects/my-app/messages:send';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends the notification with the default title',
    event: { event: 'order_shipped', distinct_id: 'u1' },
    person: { id: 'p1', properties: { fcm_token: DEVICE } },
    inputs: { firebase_account: TOKEN, project_id: 'my-app', push_subscription: '{person.properties.fcm_token}' },
    responses: [{ status: 200, body: { name: 'projects/my-app/messages/0:1500415314455276%31bd1c9631bd1c96' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: { message: { token: DEVICE, notification: { title: 'Notification from order_shipped', body: '' } } },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'sends data as text, and logs without the token in debug mode',
    event: { event: 'order_shipped', distinct_id: 'u1', properties: { order_id: 42 } },
    inputs: {
      firebase_account: TOKEN,
      project_id: 'my-app',
      push_subscription: DEVICE,
      title: 'Your order is on its way',
      body: 'Order {event.properties.order_id}',
      data: { order_id: '{event.properties.order_id}', screen: 'orders' },
      debug: true,
    },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: {
            message: {
              token: DEVICE,
              notification: { title: 'Your order is on its way', body: 'Order 42' },
              data: { order_id: '42', screen: 'orders' },
            },
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'exchanges the refresh token for an access token first',
    event: { event: 'order_shipped', distinct_id: 'u1' },
    inputs: { project_id: 'my-app', push_subscription: DEVICE, refresh_token: '1//0fcm-refresh', client_id: 'client.apps.googleusercontent.com', client_secret: 'GOCSPX-fcm-secret' },
    responses: [{ status: 200, body: { access_token: TOKEN } }, { status: 200, body: { name: 'projects/my-app/messages/1' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://oauth2.googleapis.com/token',
          body: 'grant_type=refresh_token&client_id=client.apps.googleusercontent.com&client_secret=GOCSPX-fcm-secret&refresh_token=1%2F%2F0fcm-refresh',
        },
        { method: 'POST', url: URL, headers },
      ],
      logsMustNotContain: [TOKEN, '1//0fcm-refresh', 'GOCSPX-fcm-secret'],
    },
  },
  {
    name: 'fails before any request when the person has no device token',
    event: { event: 'order_shipped', distinct_id: 'u1' },
    person: { id: 'p1', properties: {} },
    inputs: { firebase_account: TOKEN, project_id: 'my-app', push_subscription: '{person.properties.fcm_token}' },
    expect: { status: 'failed', error: 'Firebase: no FCM device token', requests: [] },
  },
  {
    name: 'fails with FCM’s error for an unregistered device',
    event: { event: 'order_shipped', distinct_id: 'u1' },
    inputs: { firebase_account: TOKEN, project_id: 'my-app', push_subscription: DEVICE },
    responses: [{ status: 404, body: { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } } }],
    expect: {
      status: 'failed',
      error: 'Firebase Cloud Messaging error (status 404): NOT_FOUND Requested entity was not found.',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [TOKEN],
    },
  },
];
