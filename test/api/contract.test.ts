/**
 * The API contract, checked against a real server: every route of the management API is called with
 * realistic requests, and every answer (successes and errors) must fit the response schema that the
 * published OpenAPI document (`/api/schema/`) gives for that route and status — no field it does not
 * describe, no status it does not list. Every documented operation must declare its responses, and every
 * `/api/` route the server has must be in the document and be called here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestSluice } from '../ingest/helpers.js';
import { API_KEY, sendEvents, startRuntimeSluice, startSink, TOKEN, waitUntil, type Sink } from '../runtime/helpers.js';
import { ContractChecker, HTTP_METHODS, type OpenApiDocument } from './openapi.js';

interface Call {
  /** The path as the document writes it: `/api/projects/{id}/`. */
  path: string;
  params?: Record<string, string | number>;
  query?: Record<string, string | number | boolean>;
  body?: unknown;
  /** Default: the admin key. `null`: no Authorization header. */
  key?: string | null;
}

interface Answer {
  status: number;
  body: any;
}

describe('the API contract (OpenAPI document vs real answers)', () => {
  let sluice: TestSluice;
  let sink: Sink;
  let checker: ContractChecker;
  let document: OpenApiDocument;
  const called = new Set<string>();
  let destinationId = '';

  beforeAll(async () => {
    sink = await startSink();
    sluice = await startRuntimeSluice({ runtime: { deliveryThreads: 0 } });
    const res = await fetch(`${sluice.url}/api/schema/`);
    document = (await res.json()) as OpenApiDocument;
    checker = new ContractChecker(document);
  });
  afterAll(async () => {
    await sluice?.stop();
    await sink?.close();
  });

  /** Calls a route, checks the answer against the document, and returns it. */
  async function call(method: string, call: Call, expectedStatus: number): Promise<Answer> {
    let url = call.path;
    for (const [name, value] of Object.entries(call.params ?? {})) url = url.replace(`{${name}}`, encodeURIComponent(String(value)));
    const query = new URLSearchParams(Object.entries(call.query ?? {}).map(([k, v]) => [k, String(v)])).toString();
    const key = call.key === undefined ? API_KEY : call.key;
    const headers: Record<string, string> = key === null ? {} : { authorization: `Bearer ${key}` };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${sluice.url}${url}${query ? `?${query}` : ''}`, {
      method,
      headers,
      ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
    });
    const text = await res.text();
    const body: unknown = text === '' ? null : JSON.parse(text);
    expect(res.status, `${method} ${url}: ${text.slice(0, 500)}`).toBe(expectedStatus);
    expect(checker.check(method, call.path, res.status, res.headers.get('content-type'), body)).toBeNull();
    called.add(`${method.toUpperCase()} ${call.path}`);
    return { status: res.status, body };
  }

  const FUNCTIONS = '/api/projects/{project_id}/hog_functions/';
  const FUNCTION = '/api/projects/{project_id}/hog_functions/{id}/';
  const one = () => ({ project_id: 1, id: destinationId });

  it('documents a success and the errors of every operation', () => {
    const missing: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const method of HTTP_METHODS) {
        const operation = operations[method];
        if (operation === undefined) continue;
        const codes = Object.keys(operation.responses ?? {});
        if (!codes.some((c) => /^2/.test(c))) missing.push(`${method.toUpperCase()} ${path}: no success response`);
        if (method !== 'options' && !codes.includes('4XX')) missing.push(`${method.toUpperCase()} ${path}: no error response`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('projects: list, read, change, and the errors', async () => {
    const list = await call('GET', { path: '/api/projects/' }, 200);
    expect(list.body.results[0]).toMatchObject({ id: 1, name: 'Default project' });
    await call('GET', { path: '/api/projects/', key: null }, 401);
    await call('GET', { path: '/api/projects/', key: 'phx_not_a_key' }, 401);
    await call('GET', { path: '/api/projects/{id}/', params: { id: 1 } }, 200);
    await call('GET', { path: '/api/projects/{id}/', params: { id: 999 } }, 404);
    await call('GET', { path: '/api/projects/{id}/', params: { id: 'one' } }, 400);
    const patched = await call('PATCH', { path: '/api/projects/{id}/', params: { id: 1 }, body: { health_webhook_url: `${sink.url}/health` } }, 200);
    expect(patched.body.health_webhook_url).toBe(`${sink.url}/health`);
    await call('PATCH', { path: '/api/projects/{id}/', params: { id: 1 }, body: { health_webhook_url: 'ftp://example.com' } }, 400);
    await call('PATCH', { path: '/api/projects/{id}/', params: { id: 1 }, body: { health_webhook_url: null } }, 200);
  });

  it('templates: the gallery, one template, an unknown one', async () => {
    const list = await call('GET', { path: '/api/projects/{project_id}/hog_function_templates/', params: { project_id: 1 }, query: { search: 'webhook' } }, 200);
    expect(list.body.results[0].id).toBe('template-webhook');
    await call('GET', { path: '/api/projects/{project_id}/hog_function_templates/', params: { project_id: 1 }, query: { type: 'source_webhook' } }, 200);
    await call('GET', { path: '/api/projects/{project_id}/hog_function_templates/', params: { project_id: 1 }, query: { type: 'nonsense' } }, 400);
    await call('GET', { path: '/api/projects/{project_id}/hog_function_templates/{id}/', params: { project_id: 1, id: 'template-slack' } }, 200);
    await call('GET', { path: '/api/projects/{project_id}/hog_function_templates/{id}/', params: { project_id: 1, id: 'template-nope' } }, 404);
  });

  it('hog: compiles code and reports its errors', async () => {
    const ok = await call('POST', { path: '/api/projects/{project_id}/hog/compile/', params: { project_id: 1 }, body: { source: "print('hi')" } }, 200);
    expect(ok.body).toEqual({ ok: true, diagnostics: [] });
    const bad = await call('POST', { path: '/api/projects/{project_id}/hog/compile/', params: { project_id: 1 }, body: { source: 'let x := ', kind: 'program' } }, 200);
    expect(bad.body.ok).toBe(false);
    await call('POST', { path: '/api/projects/{project_id}/hog/compile/', params: { project_id: 1 }, body: { kind: 'program' } }, 400);
  });

  it('functions: create from a template, read, list, change, and refuse bad ones', async () => {
    const created = await call(
      'POST',
      {
        path: FUNCTIONS,
        params: { project_id: 1 },
        body: { template_id: 'template-webhook', name: 'Contract hook', inputs: { url: { value: `${sink.url}/hook` } }, filters: { events: [{ id: 'signed_up', type: 'events' }] } },
      },
      201,
    );
    destinationId = created.body.id;
    expect(created.body).toMatchObject({ name: 'Contract hook', type: 'destination', status: { state: 'healthy' } });
    const invalid = await call('POST', { path: FUNCTIONS, params: { project_id: 1 }, body: { name: 'x', hog: 'let := 1' } }, 400);
    expect(invalid.body.errors[0]).toMatchObject({ attr: 'hog' });
    await call('POST', { path: FUNCTIONS, params: { project_id: 1 }, body: { name: 'x', hog: "print('x')", enabeld: true } }, 400);
    await call('POST', { path: FUNCTIONS, params: { project_id: 1 }, body: [1, 2] }, 400);
    await call('GET', { path: FUNCTION, params: one() }, 200);
    await call('GET', { path: FUNCTION, params: { project_id: 1, id: 'nope' } }, 404);
    const list = await call('GET', { path: FUNCTIONS, params: { project_id: 1 }, query: { search: 'contract', enabled: true } }, 200);
    expect(list.body.results.map((d: { id: string }) => d.id)).toEqual([destinationId]);
    await call('GET', { path: FUNCTIONS, params: { project_id: 1 }, query: { type: 'source_webhook' } }, 200);
    const patched = await call('PATCH', { path: FUNCTION, params: one(), body: { description: 'Checked by the contract test', masking: { ttl: 60, hash: '{person.id}' } } }, 200);
    expect(patched.body.masking).toEqual({ ttl: 60, hash: '{person.id}', threshold: null });
    const put = await call('PUT', { path: FUNCTION, params: one(), body: { ...patched.body, masking: null } }, 200);
    expect(put.body.description).toBe('Checked by the contract test');
    await call('PATCH', { path: FUNCTION, params: one(), body: { inputs: { url: { value: 42 } } } }, 400);
  });

  it('test runs: of the saved function, of an unsaved one, and a refused configuration', async () => {
    const run = await call(
      'POST',
      { path: '/api/projects/{project_id}/hog_functions/{id}/invocations/', params: one(), body: { globals: { event: { event: 'signed_up', properties: { plan: 'pro' } } } } },
      200,
    );
    expect(run.body).toMatchObject({ status: 'success', requests: [{ method: 'POST' }] });
    const skipped = await call('POST', { path: '/api/projects/{project_id}/hog_functions/{id}/invocations/', params: one(), body: { globals: { event: { event: 'other' } } } }, 200);
    expect(skipped.body.status).toBe('skipped');
    const unsaved = await call(
      'POST',
      { path: '/api/projects/{project_id}/hog_functions/{id}/invocations/', params: { project_id: 1, id: 'new' }, body: { configuration: { name: 'Draft', hog: "throw Error('nope')" } } },
      200,
    );
    expect(unsaved.body.status).toBe('error');
    await call('POST', { path: '/api/projects/{project_id}/hog_functions/{id}/invocations/', params: { project_id: 1, id: 'new' }, body: { configuration: { hog: 5 } } }, 400);
  });

  it('capture, then what the function did: invocations, logs, metrics, health, events, persons, groups', async () => {
    await call('POST', { path: '/batch', key: null, body: { api_key: TOKEN, batch: [{ event: 'nothing' }] } }, 400);
    await sendEvents(sluice, [
      { event: 'signed_up', distinct_id: 'u1', properties: { $set: { email: 'one@example.com' }, $groups: { company: 'acme' } } },
      { event: '$groupidentify', distinct_id: 'u1', properties: { $group_type: 'company', $group_key: 'acme', $group_set: { name: 'Acme' } } },
    ]);
    await sink.waitFor(1);
    const path = (tail: string) => `/api/projects/{project_id}/hog_functions/{id}/${tail}/`;
    await waitUntil('the invocation to succeed', async () => {
      const res = await fetch(`${sluice.url}/api/projects/1/hog_functions/${destinationId}/invocations/?state=succeeded`, { headers: { authorization: `Bearer ${API_KEY}` } });
      return ((await res.json()) as { results: unknown[] }).results.length > 0;
    });
    const invocations = await call('GET', { path: path('invocations'), params: one(), query: { limit: 10 } }, 200);
    expect(invocations.body.results[0]).toMatchObject({ state: 'succeeded', attempts: 1 });
    await call('GET', { path: path('invocations'), params: one(), query: { state: 'sleeping' } }, 400);
    await call('GET', { path: path('logs'), params: one() }, 200);
    await call('GET', { path: path('logs'), params: one(), query: { level: 'info,error', after: '2020-01-01T00:00:00Z' } }, 200);
    await call('GET', { path: path('logs'), params: one(), query: { after: 'yesterday' } }, 400);
    const metrics = await call('GET', { path: path('metrics'), params: one(), query: { interval: 'day' } }, 200);
    expect(metrics.body.totals.succeeded).toBeGreaterThanOrEqual(1);
    await call('GET', { path: path('metrics'), params: one(), query: { interval: 'week' } }, 400);
    const health = await call('GET', { path: path('health'), params: one() }, 200);
    expect(health.body.status.state).toBe('healthy');
    await call('POST', { path: path('enable'), params: one() }, 200);
    const dryRun = await call('POST', { path: path('replay'), params: one(), body: { dry_run: true } }, 200);
    expect(dryRun.body).toEqual({ dry_run: true, count: 0, states: ['parked', 'failed'] });
    await call('POST', { path: path('replay'), params: one(), body: { states: ['failed'] } }, 200);
    await call('POST', { path: path('replay'), params: one(), body: { after: 'soon' } }, 400);

    const events = await call('GET', { path: '/api/projects/{id}/events/', params: { id: 1 }, query: { event: 'signed_up' } }, 200);
    expect(events.body.results[0]).toMatchObject({ event: 'signed_up', distinct_id: 'u1' });
    const matching = await call('GET', { path: '/api/projects/{id}/events/', params: { id: 1 }, query: { hog_function: destinationId, limit: 1 } }, 200);
    expect(matching.body.results[0].person).toMatchObject({ distinct_ids: ['u1'] });
    await call('GET', { path: '/api/projects/{id}/events/', params: { id: 1 }, query: { hog_function: 'nope' } }, 404);
    await call('GET', { path: '/api/projects/{id}/events/', params: { id: 1 }, query: { limit: 1000 } }, 400);
    const persons = await call('GET', { path: '/api/projects/{id}/persons/', params: { id: 1 }, query: { distinct_id: 'u1' } }, 200);
    expect(persons.body.results[0].properties.email).toBe('one@example.com');
    await call('GET', { path: '/api/projects/{id}/persons/', params: { id: 1 } }, 200);
    const groups = await call('GET', { path: '/api/projects/{id}/groups/', params: { id: 1 }, query: { group_type: 'company' } }, 200);
    expect(groups.body.results[0]).toMatchObject({ group_key: 'acme', group_type: 'company' });
    await call('GET', { path: '/api/projects/{id}/groups/', params: { id: 1 }, query: { group_type_index: -1 } }, 400);
  });

  it('import: a dry run of a PostHog export, then the import, and a body that is no export', async () => {
    const exported = { results: [{ id: 'ph-1', name: 'From PostHog', hog: "print('imported')", enabled: true, inputs_schema: [], inputs: {}, filters: {} }] };
    const route = '/api/projects/{project_id}/hog_functions/import/';
    const dry = await call('POST', { path: route, params: { project_id: 1 }, query: { dry_run: true }, body: exported }, 200);
    expect(dry.body).toMatchObject({ dry_run: true, counts: { created: 1 } });
    const done = await call('POST', { path: route, params: { project_id: 1 }, body: exported }, 200);
    expect(done.body.results[0]).toMatchObject({ status: 'created', posthog_id: 'ph-1' });
    await call('POST', { path: route, params: { project_id: 1 }, body: 'hog functions' }, 400);
  });

  it('transformations: create one, set the order of the chain, refuse an unknown one', async () => {
    const created = await call('POST', { path: FUNCTIONS, params: { project_id: 1 }, body: { type: 'transformation', name: 'Keep as is', hog: 'return event' } }, 201);
    const route = '/api/projects/{project_id}/hog_functions/rearrange/';
    const moved = await call('POST', { path: route, params: { project_id: 1 }, body: { orders: { [created.body.id]: 3 } } }, 200);
    expect(moved.body.results[0]).toMatchObject({ id: created.body.id, execution_order: 3 });
    await call('PATCH', { path: route, params: { project_id: 1 }, body: { orders: { [created.body.id]: 1 } } }, 200);
    await call('PATCH', { path: route, params: { project_id: 1 }, body: { orders: { nope: 1 } } }, 400);
    await call('DELETE', { path: FUNCTION, params: { project_id: 1, id: created.body.id } }, 204);
  });

  it('personal API keys: list, read, create, revoke', async () => {
    await call('GET', { path: '/api/personal_api_keys/' }, 200);
    await call('GET', { path: '/api/personal_api_keys/{id}/', params: { id: '@current' } }, 200);
    const created = await call('POST', { path: '/api/personal_api_keys/', body: { label: 'contract', scopes: ['project:read'] } }, 201);
    expect(created.body.value).toMatch(/^phx_/);
    await call('GET', { path: '/api/projects/{id}/events/', params: { id: 1 }, key: created.body.value }, 403);
    await call('GET', { path: '/api/cluster/', key: created.body.value }, 403);
    await call('GET', { path: '/api/personal_api_keys/', key: created.body.value }, 403);
    await call('DELETE', { path: '/api/personal_api_keys/{id}/', params: { id: '@current' }, key: null }, 401);
    await call('POST', { path: '/api/personal_api_keys/', body: { label: 'contract', scopes: ['everything'] } }, 400);
    await call('DELETE', { path: '/api/personal_api_keys/{id}/', params: { id: created.body.id } }, 204);
    await call('GET', { path: '/api/personal_api_keys/{id}/', params: { id: 'nope' } }, 404);
  });

  it('cluster: the live processes', async () => {
    const cluster = await call('GET', { path: '/api/cluster/' }, 200);
    expect(cluster.body.partition_count).toBeGreaterThanOrEqual(1);
    expect(cluster.body.partitions[0].lag).toEqual({ persons: expect.any(Number), matching: expect.any(Number) });
    await call('GET', { path: '/api/cluster/', key: 'phx_not_a_key' }, 401);
  });

  it('functions: delete, then it is gone', async () => {
    await call('DELETE', { path: FUNCTION, params: one() }, 204);
    await call('DELETE', { path: FUNCTION, params: one() }, 404);
  });

  it('has every /api/ route of the server in the document, and called each of them here', () => {
    const documented = new Set<string>();
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const method of HTTP_METHODS) if (operations[method] !== undefined) documented.add(`${method.toUpperCase()} ${path}`);
    }
    const served = routesOf(sluice.app.printRoutes({ commonPrefix: false })).filter((route) => route.includes(' /api/') && route !== 'GET /api/schema/');
    expect(served.filter((route) => !documented.has(route))).toEqual([]);
    expect([...documented].filter((route) => route.includes(' /api/') && !called.has(route))).toEqual([]);
  });
});

/** `METHOD /path/{param}/` for every route in Fastify's route listing (HEAD left out: GET's twin). */
function routesOf(listing: string): string[] {
  const routes: string[] = [];
  for (const line of listing.split('\n')) {
    const match = /(\/\S*) \(([A-Z, ]+)\)/.exec(line);
    if (match === null) continue;
    const path = match[1]!.replace(/:([A-Za-z_]+)/g, '{$1}');
    for (const method of match[2]!.split(', ')) if (method !== 'HEAD') routes.push(`${method} ${path}`);
  }
  return routes;
}
