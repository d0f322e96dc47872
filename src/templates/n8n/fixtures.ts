import type { TemplateFixture } from '../types.js';

const URL = 'https://n8n.example.com/webhook/3f1c2d4e-sluice';
const SECRET = 'Bearer sluice-n8n-header-secret';
const event = { event: '$pageview', distinct_id: 'u1', uuid: '0190a1b2-0000-7000-8000-00000000000a', properties: { $current_url: 'https://example.com/' } };
const person = { id: 'p1', properties: { email: 'max@example.com' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'posts a custom body with the Header Auth header',
    event,
    person,
    inputs: { url: URL, auth_header_name: 'X-N8N-Key', auth_header_value: SECRET, body: { event: '{event.event}', email: '{person.properties.email}' } },
    responses: [{ status: 200, body: { message: 'Workflow was started' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { 'content-type': 'application/json', 'x-n8n-key': SECRET },
          body: { event: '$pageview', email: 'max@example.com' },
        },
      ],
      logsMustNotContain: [SECRET, 'sluice-n8n-header-secret'],
    },
  },
  {
    name: 'sends the default event, person and groups with PUT and no auth',
    event,
    person,
    inputs: { url: URL, method: 'PUT', body: { event: '{event.event}', person: '{person.name}', groups: '{groups}' } },
    responses: [{ status: 200, body: { message: 'Workflow was started' } }],
    expect: {
      requests: [{ method: 'PUT', url: URL, headers: { 'content-type': 'application/json' }, body: { event: '$pageview', person: 'max@example.com', groups: {} } }],
    },
  },
  {
    name: 'fails clearly when the webhook is not registered (404), with a hint',
    event,
    person,
    inputs: { url: URL, auth_header_value: SECRET },
    responses: [
      {
        status: 404,
        body: { code: 404, message: 'The requested webhook "POST 3f1c2d4e-sluice" is not registered.', hint: 'The workflow must be active for a production URL to run successfully.' },
      },
    ],
    expect: {
      status: 'failed',
      error: 'n8n API error (status 404): The requested webhook "POST 3f1c2d4e-sluice" is not registered. (is the workflow active?)',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [SECRET],
    },
  },
  {
    name: 'explains a 404 on a test webhook URL',
    event,
    person,
    inputs: { url: 'https://n8n.example.com/webhook-test/3f1c2d4e-sluice' },
    responses: [{ status: 404, body: { code: 404, message: 'The requested webhook "3f1c2d4e-sluice" is not registered.' } }],
    expect: {
      status: 'failed',
      error: 'test webhooks only listen while',
      requests: [{ method: 'POST', url: 'https://n8n.example.com/webhook-test/3f1c2d4e-sluice' }],
    },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { ...event, event: '$identify' },
    person,
    inputs: { url: URL },
    expect: { status: 'skipped', requests: [] },
  },
];
