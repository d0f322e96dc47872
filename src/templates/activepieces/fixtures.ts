import type { TemplateFixture } from '../types.js';

const URL = 'https://cloud.activepieces.com/api/v1/webhooks/Xk3pQ9sLuice7Flow';
const SECRET = 'Basic c2x1aWNlOmFwLXdlYmhvb2stcGFzcw==';
const event = { event: 'trial_started', distinct_id: 'u4', uuid: '0190a1b2-0000-7000-8000-0000000000f2', properties: { plan: 'pro' } };
const person = { id: 'p4', properties: { email: 'kai@example.com' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'posts a custom body with the Basic auth header the trigger requires',
    event,
    person,
    inputs: { url: URL, auth_header_value: SECRET, body: { event: '{event.event}', email: '{person.properties.email}' } },
    responses: [{ status: 200, body: {} }],
    expect: {
      requests: [{ method: 'POST', url: URL, headers: { 'content-type': 'application/json', authorization: SECRET }, body: { event: 'trial_started', email: 'kai@example.com' } }],
      logsMustNotContain: [SECRET, 'c2x1aWNlOmFwLXdlYmhvb2stcGFzcw=='],
    },
  },
  {
    name: 'calls a self-hosted synchronous webhook with a named auth header',
    event,
    person,
    inputs: { url: 'https://flows.example.com/api/v1/webhooks/Xk3pQ9sLuice7Flow/sync', auth_header_name: 'X-Flow-Key', auth_header_value: 'k-123', body: { plan: '{event.properties.plan}' } },
    responses: [{ status: 200, body: { ok: true } }],
    expect: {
      requests: [{ method: 'POST', url: 'https://flows.example.com/api/v1/webhooks/Xk3pQ9sLuice7Flow/sync', headers: { 'content-type': 'application/json', 'x-flow-key': 'k-123' }, body: { plan: 'pro' } }],
    },
  },
  {
    name: 'fails with a hint when the flow is not published',
    event,
    inputs: { url: URL },
    responses: [{ status: 404, body: { statusCode: 404, message: 'Flow not found' } }],
    expect: { status: 'failed', error: 'Activepieces error (status 404): Flow not found (is the flow published and turned on?)', requests: [{ method: 'POST', url: URL }] },
  },
  {
    name: 'refuses a URL that is not a webhook trigger URL, without a request',
    event,
    inputs: { url: 'https://cloud.activepieces.com/flows/Xk3pQ9sLuice7Flow' },
    expect: { status: 'failed', error: 'must be the Webhook trigger URL', requests: [] },
  },
  {
    name: 'is skipped for internal events such as $identify',
    event: { event: '$identify', distinct_id: 'u4' },
    inputs: { url: URL },
    expect: { status: 'skipped', requests: [] },
  },
];
