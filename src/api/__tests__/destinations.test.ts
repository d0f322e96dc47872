import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeyring, isEncryptedSecret } from '../../destinations/secrets.js';
import { GroupCommitWriter } from '../../ingest/group-commit.js';
import { Intake } from '../../ingest/intake.js';
import { openTestStore, type OpenedTestStore } from '../../store/__tests__/backends.js';
import type { Store } from '../../store/store.js';
import { findTemplate } from '../../templates/index.js';
import { bootstrap } from '../bootstrap.js';
import { buildServer } from '../server.js';
import { HealthMonitor } from '../../runtime/health-monitor.js';

const AUTH = { authorization: 'Bearer phx_k' };
const BASE = '/api/projects/1/hog_functions/';

const SECRET_DESTINATION = {
  name: 'Secret hook',
  hog: `let res := fetch(inputs.url, {'method': 'POST', 'headers': {'Authorization': f'Bearer {inputs.token}'}, 'body': inputs.body})
print('sent with', inputs.token)
if (res.status >= 400) {
  throw Error(f'failed: {res.status}')
}`,
  inputs_schema: [
    { key: 'url', type: 'string', required: true },
    { key: 'token', type: 'string', secret: true, required: true },
    { key: 'body', type: 'json', default: { event: '{event.event}' } },
  ],
  inputs: { url: { value: 'https://hooks.example.com/x' }, token: { value: 'tok_supersecret_123' } },
};

describe('destinations API (hog_functions)', () => {
  let store: Store;
  let opened: OpenedTestStore;
  let app: FastifyInstance;
  let writer: GroupCommitWriter;
  let changes = 0;

  beforeEach(async () => {
    opened = await openTestStore();
    store = opened.store;
    await bootstrap(store, { SLUICE_BOOTSTRAP_PROJECT_TOKEN: 'phc_t', SLUICE_BOOTSTRAP_API_KEY: 'phx_k' });
    writer = new GroupCommitWriter(store, {});
    changes = 0;
    app = await buildServer({
      store,
      intake: new Intake({ store, writer }),
      health: new HealthMonitor({ store }),
      logger: false,
      keyring: createKeyring([randomBytes(32)]),
      onDestinationsChanged: () => changes++,
    });
  });
  afterEach(async () => {
    await app.close();
    await writer.close();
    await opened.dispose();
  });

  async function create(body: unknown) {
    return app.inject({ method: 'POST', url: BASE, headers: AUTH, payload: body as Record<string, unknown> });
  }

  it('creates a destination from a template id and inputs alone, copying its code and schema', async () => {
    const res = await create({ template_id: 'template-webhook', inputs: { url: { value: 'https://example.com/hook' } } });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    const template = findTemplate('template-webhook')!;
    expect(body).toMatchObject({ name: template.name, hog: template.hog, template_id: 'template-webhook', enabled: true });
    expect(body.inputs_schema).toEqual(template.inputs_schema);
    expect(body.inputs.url).toEqual({ value: 'https://example.com/hook' });
    expect(body.inputs.method).toEqual({ value: 'POST' });
    expect(changes).toBe(1);
    const list = await app.inject({ method: 'GET', url: BASE, headers: AUTH });
    expect(list.json().results.map((d: { id: string }) => d.id)).toEqual([body.id]);
  });

  it("takes a configuration written for a template's old input names, and PostHog's names as they are", async () => {
    const old = await create({ template_id: 'template-discord', inputs: { webhook_url: { value: 'https://discord.com/api/webhooks/1/abc' } } });
    expect(old.statusCode).toBe(201);
    expect(Object.keys(old.json().inputs)).toContain('webhookUrl');
    expect(Object.keys(old.json().inputs)).not.toContain('webhook_url');
    const posthog = await create({ template_id: 'template-discord', inputs: { webhookUrl: { value: 'https://discord.com/api/webhooks/2/def' } } });
    expect(posthog.statusCode).toBe(201);
    const templates = await app.inject({ method: 'GET', url: '/api/projects/1/hog_function_templates/?limit=1000', headers: AUTH });
    expect(templates.json().results.filter((t: { type?: string }) => (t.type ?? 'destination') === 'destination').length).toBeGreaterThanOrEqual(100);
  });

  it('stores secret inputs encrypted and returns only the secret marker', async () => {
    const res = await create(SECRET_DESTINATION);
    expect(res.statusCode).toBe(201);
    const { id } = res.json();
    expect(res.json().inputs.token).toEqual({ secret: true });
    expect(res.body).not.toContain('tok_supersecret_123');
    const stored = await store.getDestination(1, id);
    const storedInputs = (stored!.config as { inputs: Record<string, { value: unknown; bytecode?: unknown }> }).inputs;
    expect(isEncryptedSecret(storedInputs.token!.value)).toBe(true);
    expect(JSON.stringify(stored!.config)).not.toContain('tok_supersecret_123');
    const fetched = await app.inject({ method: 'GET', url: `${BASE}${id}/`, headers: AUTH });
    expect(fetched.json().inputs.token).toEqual({ secret: true });
  });

  it('keeps the stored secret when the marker is sent back, and uses it in test runs with it redacted', async () => {
    const { id } = (await create(SECRET_DESTINATION)).json();
    const patched = await app.inject({
      method: 'PATCH',
      url: `${BASE}${id}/`,
      headers: AUTH,
      payload: { name: 'Renamed', inputs: { url: { value: 'https://hooks.example.com/y' }, token: { secret: true } } },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().name).toBe('Renamed');
    const run = await app.inject({
      method: 'POST',
      url: `${BASE}${id}/invocations/`,
      headers: AUTH,
      payload: { globals: { event: { event: 'signed_up', distinct_id: 'u1' } } },
    });
    expect(run.statusCode).toBe(200);
    const result = run.json();
    expect(result.status).toBe('success');
    expect(run.body).not.toContain('tok_supersecret_123');
    const mocked = result.logs.find((l: { message: string }) => l.message.includes('was mocked'));
    expect(mocked.message).toContain('https://hooks.example.com/y');
    expect(mocked.message).toContain('"event":"signed_up"');
    expect(result.logs.map((l: { message: string }) => l.message)).toContain('sent with ***');
  });

  it('gives skipped when the example event does not match the filters', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `${BASE}new/invocations/`,
      headers: AUTH,
      payload: {
        configuration: { template_id: 'template-webhook', inputs: { url: { value: 'https://example.com' } }, filters: { events: [{ id: 'purchase', type: 'events' }] } },
        globals: { event: { event: '$pageview' } },
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'skipped', requests: [] });
  });

  it('gives error with the message and the line when the Hog code throws', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `${BASE}new/invocations/`,
      headers: AUTH,
      payload: { configuration: { name: 'Thrower', hog: "print('start')\nthrow Error('broken on purpose')" } },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('error');
    expect(body.errors[0]).toContain('broken on purpose');
    expect(body.errors[0]).toContain('(line 2)');
    expect(body.logs.map((l: { message: string }) => l.message)).toContain('start');
  });

  it.each([
    ['invalid Hog', { name: 'x', hog: 'let a := (1 + ' }, 'hog', /at 1:\d+/],
    ['an invalid template', { ...SECRET_DESTINATION, inputs: { ...SECRET_DESTINATION.inputs, body: { value: { a: '{event.' } } } }, 'inputs.body.value.a', /./],
    ['an unknown input type', { name: 'x', hog: 'print(1)', inputs_schema: [{ key: 'a', type: 'telepathy' }] }, 'inputs_schema[0].type', /telepathy|type/],
    ['a missing required input', { ...SECRET_DESTINATION, inputs: { token: { value: 'abcdef' } } }, 'inputs.url.value', /required/],
    ['a wrong type', { name: 'x', hog: 'print(1)', inputs_schema: [{ key: 'n', type: 'number' }], inputs: { n: { value: 'many' } } }, 'inputs.n.value', /number/],
    ['a secret marker with nothing stored', { ...SECRET_DESTINATION, inputs: { url: { value: 'https://a.b' }, token: { secret: true } } }, 'inputs.token.value', /secret/],
  ])('refuses %s with a 400 naming the field, and stores nothing', async (_what, body, attr, detail) => {
    const res = await create(body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ type: 'validation_error', attr });
    expect(res.json().detail).toMatch(detail);
    expect(res.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ attr })]));
    const list = await app.inject({ method: 'GET', url: BASE, headers: AUTH });
    expect(list.json().count).toBe(0);
    expect(changes).toBe(0);
  });

  it.each([
    ['an invalid regex in a property filter', { ...SECRET_DESTINATION, filters: { properties: [{ type: 'event', key: 'a', value: 'x' }, { type: 'event', key: 'b', value: 'y' }, { type: 'event', key: '$current_url', operator: 'regex', value: '[a-' }] } }, 'filters.properties[2].value', /Invalid regular expression '\[a-'/],
    ['a call to an unknown function in the code', { ...SECRET_DESTINATION, hog: "let x := 1\nlet y := toUpper('a')" }, 'hog', /unknown function 'toUpper'; did you mean 'upper'\? \(at 2:10\)$/],
    ['a call to an unknown function in an input template', { ...SECRET_DESTINATION, inputs: { ...SECRET_DESTINATION.inputs, url: { value: 'https://a.b/{slugify(event.event)}' } } }, 'inputs.url.value', /unknown function 'slugify' \(at 1:14\)$/],
    ['a call to an unknown function in filters.hog', { ...SECRET_DESTINATION, filters: { hog: 'isBot(person)' } }, 'filters.hog', /unknown function 'isBot' \(at 1:1\)$/],
    ['a call to an unknown function in the masking hash', { ...SECRET_DESTINATION, masking: { ttl: 60, hash: '{hashOf(person.id)}' } }, 'masking.hash', /unknown function 'hashOf'/],
    ['a javascript: icon_url', { ...SECRET_DESTINATION, icon_url: 'javascript:alert(document.cookie)' }, 'icon_url', /https URL or a relative path/],
    ['a data: icon_url', { ...SECRET_DESTINATION, icon_url: 'data:image/svg+xml;base64,PHN2Zz4=' }, 'icon_url', /https URL or a relative path/],
    ['an http: icon_url', { ...SECRET_DESTINATION, icon_url: 'http://example.com/a.png' }, 'icon_url', /https URL or a relative path/],
    ['an unknown field', { ...SECRET_DESTINATION, enabeld: false }, 'enabeld', /unknown field 'enabeld'/],
  ])('refuses at save %s with a 400 naming the field and where', async (_what, body, attr, detail) => {
    const res = await create(body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ type: 'validation_error', attr });
    expect(res.json().detail).toMatch(detail);
    expect((await app.inject({ method: 'GET', url: BASE, headers: AUTH })).json().count).toBe(0);
  });

  it('refuses unknown fields on PATCH and PUT with a 400 naming them, and changes nothing', async () => {
    const { id } = (await create(SECRET_DESTINATION)).json();
    for (const method of ['PATCH', 'PUT'] as const) {
      const res = await app.inject({ method, url: `${BASE}${id}/`, headers: AUTH, payload: { name: 'Renamed', enable: false } });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ type: 'validation_error', attr: 'enable' });
      expect(res.json().detail).toContain("unknown field 'enable'");
    }
    const stored = (await app.inject({ method: 'GET', url: `${BASE}${id}/`, headers: AUTH })).json();
    expect(stored).toMatchObject({ name: 'Secret hook', enabled: true });
  });

  it('accepts a destination sent back as the API returned it (read-only fields included)', async () => {
    const { id } = (await create(SECRET_DESTINATION)).json();
    const shown = (await app.inject({ method: 'GET', url: `${BASE}${id}/`, headers: AUTH })).json();
    const res = await app.inject({ method: 'PATCH', url: `${BASE}${id}/`, headers: AUTH, payload: { ...shown, name: 'Renamed' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().name).toBe('Renamed');
    const { id: _id, ...copy } = shown;
    void _id;
    expect((await create({ ...copy, inputs: SECRET_DESTINATION.inputs })).statusCode).toBe(201);
  });

  it("answers 404 for another project's destination and leaves it unchanged", async () => {
    const other = await store.createProject({ name: 'Other', apiToken: 'phc_other' });
    const { id } = (await app.inject({ method: 'POST', url: `/api/projects/${other.id}/hog_functions/`, headers: AUTH, payload: SECRET_DESTINATION })).json();
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const res = await app.inject({ method, url: `${BASE}${id}/`, headers: AUTH, payload: method === 'PATCH' ? { name: 'stolen' } : undefined });
      expect(res.statusCode).toBe(404);
    }
    expect((await store.getDestination(other.id, id))!.config.name).toBe('Secret hook');
  });

  it('deletes a destination', async () => {
    const { id } = (await create(SECRET_DESTINATION)).json();
    expect((await app.inject({ method: 'DELETE', url: `${BASE}${id}/`, headers: AUTH })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: `${BASE}${id}/`, headers: AUTH })).statusCode).toBe(404);
  });

  it('lists templates with search and category filters', async () => {
    const all = await app.inject({ method: 'GET', url: '/api/projects/1/hog_function_templates/', headers: AUTH });
    expect(all.json().results[0].id).toBe('template-webhook');
    const searched = await app.inject({ method: 'GET', url: '/api/projects/1/hog_function_templates/?search=webhook', headers: AUTH });
    expect(searched.json().results.map((t: { id: string }) => t.id)).toContain('template-webhook');
    const none = await app.inject({ method: 'GET', url: '/api/projects/1/hog_function_templates/?search=zzzznothing', headers: AUTH });
    expect(none.json().count).toBe(0);
    const custom = await app.inject({ method: 'GET', url: '/api/projects/1/hog_function_templates/?category=Custom', headers: AUTH });
    expect(custom.json().results.every((t: { category: string[] }) => t.category.includes('Custom'))).toBe(true);
  });

  it('requires a personal API key', async () => {
    expect((await app.inject({ method: 'GET', url: BASE })).statusCode).toBe(401);
  });

  it('publishes an OpenAPI document listing the management routes', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/schema/' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/projects/{project_id}/hog_functions/', '/api/projects/{project_id}/hog_function_templates/']));
  });
});
