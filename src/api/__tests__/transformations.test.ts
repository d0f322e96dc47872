import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeyring, isEncryptedSecret, type Keyring } from '../../destinations/secrets.js';
import { GroupCommitWriter } from '../../ingest/group-commit.js';
import { Intake } from '../../ingest/intake.js';
import { openTestStore, type OpenedTestStore } from '../../store/__tests__/backends.js';
import type { Store } from '../../store/store.js';
import { TransformationRegistry } from '../../transformations/registry.js';
import { recordChainResult } from '../../transformations/record.js';
import { RuntimeRecorder } from '../../runtime/recorder.js';
import { bootstrap } from '../bootstrap.js';
import { buildServer } from '../server.js';
import { HealthMonitor } from '../../runtime/health-monitor.js';

const AUTH = { authorization: 'Bearer phx_k' };
const BASE = '/api/projects/1/hog_functions/';

const DOUBLE = "let e := event\ne.properties.x := event.properties.x * 2\nreturn e";
const ADD_ONE = "let e := event\ne.properties.x := event.properties.x + 1\nreturn e";

interface Fn {
  id: string;
  type: string;
  name: string;
  execution_order: number | null;
  allow_identity_changes?: boolean;
}

describe('transformations API (hog_functions of type transformation)', () => {
  let store: Store;
  let opened: OpenedTestStore;
  let app: FastifyInstance;
  let writer: GroupCommitWriter;
  let keyring: Keyring;
  let changes = 0;

  beforeEach(async () => {
    opened = await openTestStore();
    store = opened.store;
    await bootstrap(store, { SLUICE_BOOTSTRAP_PROJECT_TOKEN: 'phc_t', SLUICE_BOOTSTRAP_API_KEY: 'phx_k' });
    writer = new GroupCommitWriter(store, {});
    keyring = createKeyring([randomBytes(32)]);
    changes = 0;
    app = await buildServer({
      store,
      intake: new Intake({ store, writer }),
      health: new HealthMonitor({ store }),
      logger: false,
      keyring,
      onDestinationsChanged: () => changes++,
    });
  });
  afterEach(async () => {
    await app.close();
    await writer.close();
    await opened.dispose();
  });

  const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: AUTH, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

  async function create(body: Record<string, unknown>): Promise<Fn> {
    const res = await inject('POST', BASE, { type: 'transformation', ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  const listed = async () => (await inject('GET', `${BASE}?type=transformation`)).json().results as Fn[];

  it('creates transformations in order, lists them apart from destinations, and keeps them from the matcher', async () => {
    const first = await create({ name: 'Double', hog: DOUBLE });
    const second = await create({ name: 'Add one', hog: ADD_ONE });
    expect([first.execution_order, second.execution_order]).toEqual([0, 1]);
    expect(first).toMatchObject({ type: 'transformation', allow_identity_changes: false });
    expect((await listed()).map((f) => f.name)).toEqual(['Double', 'Add one']);
    expect((await inject('GET', BASE)).json().results).toEqual([]);
    expect(await store.listEnabledDestinations()).toEqual([]);
    const template = await inject('GET', '/api/projects/1/hog_function_templates/?type=transformation');
    expect(template.json().results.map((t: { id: string }) => t.id)).toContain('template-pii-hashing');
    expect(template.json().results.every((t: { type: string }) => t.type === 'transformation')).toBe(true);
  });

  it('refuses fetch, masking and a change of type, naming the field', async () => {
    const fetching = await inject('POST', BASE, { type: 'transformation', name: 'x', hog: "fetch('https://example.com')\nreturn event" });
    expect(fetching.statusCode).toBe(400);
    expect(fetching.json()).toMatchObject({ attr: 'hog', detail: expect.stringContaining('fetch() is not available in transformations') });
    const t = await create({ name: 'T', hog: 'return event' });
    const retype = await inject('PATCH', `${BASE}${t.id}/`, { type: 'destination' });
    expect(retype.json()).toMatchObject({ attr: 'type' });
    const badOrder = await inject('PATCH', `${BASE}${t.id}/`, { execution_order: -1 });
    expect(badOrder.json()).toMatchObject({ attr: 'execution_order' });
  });

  it('rearranges with {orders}, all or none, and the stage reads the new order', async () => {
    const double = await create({ name: 'Double', hog: DOUBLE });
    const addOne = await create({ name: 'Add one', hog: ADD_ONE });
    const registry = new TransformationRegistry({ store, keyring, checkIntervalMs: 0 });
    const event = { uuid: '01900000-0000-7000-8000-000000000001', event: 'x', distinct_id: 'u', properties: { x: 5 }, timestamp: '2026-01-01T00:00:00.000Z' };
    const apply = async () => (await registry.chainFor(1)).apply(event, { project: { id: 1, name: 'p' } }).event?.properties.x;
    expect(await apply()).toBe(11);

    const refused = await inject('POST', `${BASE}rearrange/`, { orders: { [addOne.id]: 0, nope: 1, [double.id]: 5 } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ attr: 'orders.nope' });
    expect((await listed()).map((f) => f.name)).toEqual(['Double', 'Add one']);

    changes = 0;
    const moved = await inject('POST', `${BASE}rearrange/`, { orders: { [addOne.id]: 0, [double.id]: 1 } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().results.map((f: Fn) => [f.name, f.execution_order])).toEqual([['Add one', 0], ['Double', 1]]);
    expect(changes).toBe(1);
    expect(await apply()).toBe(12);

    // PATCH (PostHog's method) and a single function's PATCH both move it too.
    await inject('PATCH', `${BASE}rearrange/`, { orders: { [double.id]: 0, [addOne.id]: 1 } });
    expect(await apply()).toBe(11);
    await inject('PATCH', `${BASE}${double.id}/`, { execution_order: 7 });
    expect((await listed()).map((f) => f.name)).toEqual(['Add one', 'Double']);
  });

  it('refuses a malformed rearrange body, and ids of other function types', async () => {
    const destination = (await inject('POST', BASE, { name: 'D', hog: 'return 1' })).json();
    expect((await inject('POST', `${BASE}rearrange/`, { orders: { [destination.id]: 0 } })).json()).toMatchObject({ attr: `orders.${destination.id}` });
    expect((await inject('POST', `${BASE}rearrange/`, { orders: { a: 'first' } })).statusCode).toBe(400);
    expect((await inject('POST', `${BASE}rearrange/`, { orders: [1, 2] })).statusCode).toBe(400);
    expect((await inject('POST', `${BASE}rearrange/`, {})).statusCode).toBe(400);
    const huge = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`id-${i}`, i]));
    expect((await inject('POST', `${BASE}rearrange/`, { orders: huge })).json().detail).toContain('at most 500');
  });

  it('test-runs an unsaved transformation: the event before and after, secrets redacted', async () => {
    const res = await inject('POST', `${BASE}new/invocations/`, {
      configuration: {
        type: 'transformation',
        name: 'Hash',
        template_id: 'template-pii-hashing',
        inputs: { salt: { value: 'pepper-secret-1' } },
      },
      globals: { event: { event: 'signed up', properties: { email: 'ann@example.com', leak: 'x' } } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.status).toBe('success');
    expect(body.transformation.before.properties).toEqual({ email: 'ann@example.com', leak: 'x' });
    expect(body.transformation.after.properties.email).toMatch(/^[0-9a-f]{64}$/);
    expect(body.transformation).toMatchObject({ chain: false, dropped: false, outcomes: [{ name: 'Hash', result: 'transformed', error: null }] });
    expect(JSON.stringify(body)).not.toContain('pepper-secret-1');
  });

  it('test-runs the whole chain with the unsaved configuration in place of the stored one', async () => {
    const double = await create({ name: 'Double', hog: DOUBLE });
    await create({ name: 'Add one', hog: ADD_ONE });
    await create({ name: 'Paused', hog: 'return null', enabled: false });
    const run = (chain: boolean) =>
      inject('POST', `${BASE}${double.id}/invocations/${chain ? '?chain=true' : ''}`, {
        configuration: { hog: "let e := event\ne.properties.x := event.properties.x * 10\nreturn e" },
        globals: { event: { event: 'x', properties: { x: 1 } } },
      });
    const alone = (await run(false)).json();
    expect(alone.transformation.after.properties.x).toBe(10);
    const chained = (await run(true)).json();
    expect(chained.transformation).toMatchObject({ chain: true, dropped: false, after: { properties: { x: 11 } } });
    expect(chained.transformation.outcomes.map((o: { name: string }) => o.name)).toEqual(['Double', 'Add one']);
    // Nothing was saved by the test runs.
    expect((await inject('GET', `${BASE}${double.id}/`)).json().hog).toBe(DOUBLE);
  });

  it('shows a drop and a failure in the test run without failing the request', async () => {
    const dropped = (await inject('POST', `${BASE}new/invocations/`, { configuration: { type: 'transformation', name: 'd', hog: 'return null' } })).json();
    expect(dropped.transformation).toMatchObject({ dropped: true, after: null });
    expect(dropped.result).toBeNull();
    const failing = (await inject('POST', `${BASE}new/invocations/`, { configuration: { type: 'transformation', name: 'f', hog: 'while (true) { let a := 1 }' } })).json();
    expect(failing.status).toBe('error');
    expect(failing.errors[0]).toContain('time limit of 50 ms');
    expect(failing.transformation.after).toEqual(failing.transformation.before);
  });

  it("records logs and metrics the stage hands to the runtime's recorder, readable through the routes", async () => {
    const t = await create({ name: 'Flaky', hog: "if (event.properties.bad) { throw Error('bad event') }\nlet e := event\ne.properties.ok := true\nreturn e" });
    const chain = await new TransformationRegistry({ store, keyring }).chainFor(1);
    const observed: string[] = [];
    const recorder = new RuntimeRecorder({ store, health: (_p, id, o) => void observed.push(`${id}:${o.kind}`) });
    for (const bad of [false, true, false]) {
      const uuid = `01900000-0000-7000-8000-00000000000${bad ? 9 : 1}`;
      recordChainResult(recorder, chain.apply({ uuid, event: 'x', distinct_id: 'u', properties: { bad }, timestamp: '2026-01-01T00:00:00.000Z' }, { project: { id: 1, name: 'p' } }));
    }
    await recorder.flush();
    expect(observed).toEqual([`${t.id}:hog`, `${t.id}:failed`, `${t.id}:hog`]);
    const metrics = (await inject('GET', `${BASE}${t.id}/metrics/`)).json();
    expect(metrics.totals).toMatchObject({ transformed: 2, failed: 1 });
    expect(metrics.totals.duration_us).toBeGreaterThan(0);
    const logs = (await inject('GET', `${BASE}${t.id}/logs/?level=error`)).json().results;
    expect(logs).toEqual([expect.objectContaining({ level: 'ERROR', instance_id: '01900000-0000-7000-8000-000000000009', message: expect.stringContaining('bad event') })]);
  });

  it('keeps secret inputs encrypted at rest and readable by the stage', async () => {
    const t = await create({ name: 'Hash', template_id: 'template-pii-hashing', inputs: { salt: { value: 'pepper-2' } } });
    const stored = await store.getDestination(1, t.id);
    expect(isEncryptedSecret((stored!.config as { inputs: { salt: { value: unknown } } }).inputs.salt.value)).toBe(true);
    const chain = await new TransformationRegistry({ store, keyring }).chainFor(1);
    const result = chain.apply({ uuid: '01900000-0000-7000-8000-000000000001', event: 'x', distinct_id: 'u', properties: { email: 'a@b.c' }, timestamp: '2026-01-01T00:00:00.000Z' }, { project: { id: 1, name: 'p' } });
    expect(result.outcomes[0]?.result).toBe('transformed');
  });
});
