/**
 * A fake PostHog project's hog functions, shaped like PostHog's `GET /api/projects/:id/hog_functions/`
 * answers them (field names from its API; values, code and vendors written here): webhooks, chat
 * notifications, CRM calls with secret keys PostHog will not export, mappings, masking, disabled ones,
 * a transformation (not a destination), a deleted one and one whose code does not compile.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const WEBHOOK_HOG = `let res := fetch(inputs.url, {'method': inputs.method, 'headers': inputs.headers, 'body': inputs.body})
if (res.status >= 400) {
  throw Error(f'Webhook answered {res.status}')
}`;

const CHAT_HOG = `let res := fetch(inputs.webhook, {'method': 'POST', 'headers': {'Content-Type': 'application/json'}, 'body': {'text': inputs.text}})
if (res.status >= 400) {
  throw Error(f'Chat webhook answered {res.status}')
}`;

const CRM_HOG = `let res := fetch(f'https://api.crm.example/v2/contacts/{inputs.email}', {
  'method': 'PUT',
  'headers': {'Authorization': f'Bearer {inputs.api_key}', 'Content-Type': 'application/json'},
  'body': {'email': inputs.email, 'properties': inputs.properties}
})
if (res.status >= 400) {
  throw Error(f'CRM answered {res.status}')
}`;

const ADS_HOG = `fetch(f'https://ads.example/v1/conversions?account={inputs.account_id}', {
  'method': 'POST',
  'headers': {'Authorization': f'Bearer {inputs.access_token}'},
  'body': {'event_name': inputs.event_name, 'value': inputs.value}
})`;

function uuid(n: number): string {
  return `0190${String(n).padStart(4, '0')}-aaaa-7bbb-8ccc-${String(n).padStart(12, '0')}`;
}

function base(n: number, name: string): Record<string, unknown> {
  return {
    id: uuid(n),
    type: 'destination',
    name,
    description: '',
    created_at: '2026-01-05T10:00:00Z',
    created_by: { id: 1, first_name: 'Max', email: 'max@example.com' },
    updated_at: '2026-02-01T10:00:00Z',
    enabled: true,
    deleted: false,
    bytecode: ['_H', 1, 32, 'compiled elsewhere'],
    transpiled: null,
    execution_order: null,
    status: { state: 1, tokens: 10000 },
    icon_url: null,
    template: null,
  };
}

function eventFilter(event: string): Record<string, unknown> {
  return { source: 'events', events: [{ id: event, name: event, type: 'events', order: 0 }], actions: [], filter_test_accounts: false, bytecode: ['_H', 1, 29] };
}

function webhook(n: number, event: string, enabled = true): Record<string, unknown> {
  return {
    ...base(n, `Webhook for ${event}`),
    enabled,
    template_id: 'template-webhook',
    hog: WEBHOOK_HOG,
    inputs_schema: [
      { key: 'url', type: 'string', label: 'Webhook URL', required: true, secret: false },
      { key: 'method', type: 'choice', label: 'Method', default: 'POST', required: false, choices: [{ label: 'POST', value: 'POST' }, { label: 'PUT', value: 'PUT' }] },
      { key: 'body', type: 'json', label: 'Body', default: { event: '{event}', person: '{person}' }, required: false },
      { key: 'headers', type: 'dictionary', label: 'Headers', default: { 'Content-Type': 'application/json' }, required: false },
    ],
    inputs: {
      url: { value: `https://hooks.example.com/in/${n}` },
      method: { value: 'POST' },
      body: { value: { name: '{event.event}', user: '{person.properties.email}', n } },
      headers: { value: { 'Content-Type': 'application/json', 'X-Source': 'posthog' } },
    },
    filters: eventFilter(event),
    masking: null,
    mappings: null,
  };
}

function chat(n: number, channel: string): Record<string, unknown> {
  return {
    ...base(n, `Notify #${channel}`),
    template_id: 'template-chat-webhook-not-in-sluice',
    hog: CHAT_HOG,
    inputs_schema: [
      { key: 'webhook', type: 'string', label: 'Incoming webhook URL', required: true, secret: false },
      { key: 'text', type: 'string', label: 'Message', default: '*{person.name}* triggered {event.event}', required: true },
    ],
    inputs: { webhook: { value: `https://chat.example.com/hooks/${channel}` }, text: { value: `{person.properties.email} did {event.event} (${channel})` } },
    filters: eventFilter('signed_up'),
    masking: { ttl: 3600, hash: '{person.id}', bytecode: ['_H', 1], threshold: null },
    mappings: null,
  };
}

/** PostHog answers a secret input as `{"secret": true}` — or leaves it out (`omit`). */
function crm(n: number, omit: boolean): Record<string, unknown> {
  return {
    ...base(n, `CRM contact sync ${n}`),
    template_id: null,
    hog: CRM_HOG,
    inputs_schema: [
      { key: 'api_key', type: 'string', label: 'API key', required: true, secret: true },
      { key: 'email', type: 'string', label: 'Email', default: '{person.properties.email}', required: true },
      { key: 'properties', type: 'dictionary', label: 'Properties', default: {}, required: false },
    ],
    inputs: {
      ...(omit ? {} : { api_key: { secret: true } }),
      email: { value: '{person.properties.email}' },
      properties: { value: { plan: '{person.properties.plan}', source: 'posthog' } },
    },
    filters: { ...eventFilter('$identify'), filter_test_accounts: true },
    masking: null,
    mappings: null,
  };
}

/** One destination, several mappings (each its own event and inputs): an ads conversion API. */
function ads(n: number): Record<string, unknown> {
  return {
    ...base(n, `Ads conversions ${n}`),
    template_id: null,
    hog: ADS_HOG,
    inputs_schema: [
      { key: 'access_token', type: 'string', label: 'Access token', required: true, secret: true },
      { key: 'account_id', type: 'string', label: 'Account', required: true },
    ],
    inputs: { access_token: { secret: true }, account_id: { value: `act_${n}` } },
    filters: { source: 'events', events: [], actions: [], bytecode: ['_H', 1] },
    masking: null,
    mappings: [
      {
        name: 'Purchase',
        inputs_schema: [
          { key: 'event_name', type: 'string', label: 'Event name', required: true },
          { key: 'value', type: 'string', label: 'Value', default: '{event.properties.revenue}', required: false },
        ],
        inputs: { event_name: { value: 'Purchase' }, value: { value: '{event.properties.revenue}' } },
        filters: { events: [{ id: 'purchase', type: 'events' }], bytecode: ['_H', 1] },
      },
      {
        name: 'Lead',
        inputs_schema: [
          { key: 'event_name', type: 'string', label: 'Event name', required: true },
          { key: 'value', type: 'string', label: 'Value', required: false },
        ],
        inputs: { event_name: { value: 'Lead' } },
        filters: { events: [{ id: 'signed_up', type: 'events' }] },
      },
    ],
  };
}

/** 36 functions: 33 destinations that import, a transformation, a deleted destination and broken code. */
export function posthogExport(): Record<string, unknown>[] {
  const functions: Record<string, unknown>[] = [];
  let n = 1;
  for (const event of ['$pageview', 'signed_up', 'purchase', 'churned', 'invited', 'exported', 'upgraded', 'downgraded', 'logged_in', 'logged_out', 'trial_started', 'trial_ended']) {
    functions.push(webhook(n++, event, n % 4 !== 0));
  }
  for (const channel of ['growth', 'sales', 'support', 'alerts', 'random', 'eng', 'ops', 'marketing']) functions.push(chat(n++, channel));
  for (let i = 0; i < 8; i++) functions.push(crm(n++, i % 2 === 0));
  for (let i = 0; i < 5; i++) functions.push(ads(n++));
  functions.push({ ...webhook(n++, 'geoip'), type: 'transformation', name: 'GeoIP enrichment' });
  functions.push({ ...webhook(n++, 'gone'), deleted: true, name: 'Deleted webhook' });
  functions.push({ ...webhook(n++, 'broken'), name: 'Broken code', hog: 'let x := (' });
  return functions;
}

export interface FakePostHog {
  url: string;
  /** Paths requested so far, with the Authorization header each carried. */
  requests: { path: string; authorization: string | undefined }[];
  functions: Record<string, unknown>[];
  close(): Promise<void>;
}

/** PostHog's list endpoint for project 42 on 127.0.0.1, ten per page with absolute `next` links. */
export async function startFakePostHog(apiKey: string, functions = posthogExport()): Promise<FakePostHog> {
  const requests: FakePostHog['requests'] = [];
  let origin = '';
  const server: Server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', authorization: req.headers.authorization });
    const url = new URL(req.url ?? '/', origin);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${apiKey}`) return send(401, { type: 'authentication_error', detail: 'Invalid personal API key.' });
    if (url.pathname !== '/api/projects/42/hog_functions/') return send(404, { detail: 'Not found.' });
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const page = functions.slice(offset, offset + 10);
    const next = offset + 10 < functions.length ? `${origin}/api/projects/42/hog_functions/?limit=10&offset=${offset + 10}` : null;
    send(200, { count: functions.length, next, previous: null, results: page });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    requests,
    functions,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
