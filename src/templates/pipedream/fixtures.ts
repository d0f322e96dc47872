import type { TemplateFixture } from '../types.js';

const URL = 'https://eo1a2b3c4d5e6f7.m.pipedream.net';
const TOKEN = 'pd-trigger-token-5c2e91';
const event = { event: 'order_placed', distinct_id: 'u2', uuid: '0190a1b2-0000-7000-8000-0000000000f1', properties: { total: 30 } };
const person = { id: 'p2', properties: { email: 'li@example.com' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'posts a custom body with the Bearer token the trigger requires',
    event,
    person,
    inputs: { url: URL, token: TOKEN, body: { name: '{event.event}', total: '{event.properties.total}', email: '{person.properties.email}' } },
    responses: [{ status: 200, body: { success: true } }],
    expect: {
      requests: [
        { method: 'POST', url: URL, headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: { name: 'order_placed', total: 30, email: 'li@example.com' } },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'sends the default body with PUT and no token',
    event,
    person,
    inputs: { url: URL, method: 'PUT', body: { event: '{event.event}', groups: '{groups}' } },
    expect: { requests: [{ method: 'PUT', url: URL, headers: { 'content-type': 'application/json' }, body: { event: 'order_placed', groups: {} } }] },
  },
  {
    name: 'fails with a hint when the endpoint no longer exists',
    event,
    inputs: { url: URL, token: TOKEN },
    responses: [{ status: 404, body: 'Not Found' }],
    expect: { status: 'failed', error: 'Pipedream error (status 404): Not Found (was the workflow or its trigger deleted?)', requests: [{ method: 'POST', url: URL }], logsMustNotContain: [TOKEN] },
  },
  {
    name: 'refuses a plain http URL without a request',
    event,
    inputs: { url: 'http://eo1a2b3c4d5e6f7.m.pipedream.net' },
    expect: { status: 'failed', error: 'must be the https endpoint', requests: [] },
  },
  {
    name: 'is skipped for internal events such as $identify',
    event: { event: '$identify', distinct_id: 'u2' },
    inputs: { url: URL },
    expect: { status: 'skipped', requests: [] },
  },
];
