import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { bootstrap } from '../bootstrap.js';
import { buildServer } from '../server.js';
import { HealthMonitor } from '../../runtime/health-monitor.js';
import { GroupCommitWriter } from '../../ingest/group-commit.js';
import { Intake } from '../../ingest/intake.js';
import { PersonPipeline } from '../../ingest/pipeline.js';
import { openTestStore, type OpenedTestStore } from '../../store/__tests__/backends.js';
import type { Store } from '../../store/store.js';
import type { EnrichedEvent } from '../../store/store.js';

describe('HTTP API on an in-memory store', () => {
  let store: Store;
  let opened: OpenedTestStore;
  let app: FastifyInstance;
  let pipeline: PersonPipeline;
  let writer: GroupCommitWriter;
  const seen: EnrichedEvent[] = [];

  beforeEach(async () => {
    opened = await openTestStore();
    store = opened.store;
    await bootstrap(store, { SLUICE_BOOTSTRAP_PROJECT_TOKEN: 'phc_t', SLUICE_BOOTSTRAP_API_KEY: 'phx_k' });
    pipeline = new PersonPipeline({ store });
    pipeline.onEnriched((batch) => {
      seen.push(...batch);
    });
    writer = new GroupCommitWriter(store, { onCommitted: (e) => pipeline.push(e) });
    await pipeline.start();
    app = await buildServer({ store, intake: new Intake({ store, writer }), health: new HealthMonitor({ store }), logger: false });
  });
  afterEach(async () => {
    await app.close();
    await writer.close();
    await pipeline.stop();
    await opened.dispose();
    seen.length = 0;
  });

  it('compiles every request and response schema of the API (up front, as a start did before they became lazy)', async () => {
    const upFront = await buildServer({ store, intake: new Intake({ store, writer }), health: new HealthMonitor({ store }), logger: false, compileSchemasUpFront: true });
    await expect(upFront.ready()).resolves.toBeDefined();
    await upFront.close();
  });

  it('still validates a request and serializes a response with schemas compiled at first use', async () => {
    const bad = await app.inject({ method: 'GET', url: '/api/projects/not-a-number/hog_functions/', headers: { authorization: 'Bearer phx_k' } });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('project_id');
    // Twice: the second call uses the validator compiled by the first.
    const again = await app.inject({ method: 'GET', url: '/api/projects/not-a-number/hog_functions/', headers: { authorization: 'Bearer phx_k' } });
    expect(again.json()).toEqual(bad.json());
    const listed = await app.inject({ method: 'GET', url: '/api/projects/', headers: { authorization: 'Bearer phx_k' } });
    expect(listed.json().results[0]).toMatchObject({ id: 1, api_token: 'phc_t' });
    const health = await app.inject({ method: 'GET', url: '/_health' });
    expect(health.body).toBe('{"status":"ok"}');
  });

  it('answers the health check', async () => {
    const res = await app.inject({ method: 'GET', url: '/_health' });
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('refuses the management API without a personal API key', async () => {
    const none = await app.inject({ method: 'GET', url: '/api/projects/' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ type: 'authentication_error', code: 'not_authenticated' });
    const wrong = await app.inject({ method: 'GET', url: '/api/projects/', headers: { authorization: 'Bearer phx_nope' } });
    expect(wrong.statusCode).toBe(401);
  });

  it('lists projects with the bootstrap token for a valid key, with or without trailing slash', async () => {
    for (const url of ['/api/projects/', '/api/projects']) {
      const res = await app.inject({ method: 'GET', url, headers: { authorization: 'Bearer phx_k' } });
      expect(res.statusCode).toBe(200);
      expect(res.json().results).toEqual([expect.objectContaining({ id: 1, api_token: 'phc_t' })]);
    }
  });

  it('sends nosniff, no framing and no referrer on every response, and a deny-all CSP outside the UI', async () => {
    const requests = [
      { method: 'GET', url: '/_health' },
      { method: 'GET', url: '/api/projects/' },
      { method: 'GET', url: '/api/projects/', headers: { authorization: 'Bearer phx_k' } },
      { method: 'POST', url: '/batch/', payload: { api_key: 'phc_t', batch: [] } },
      { method: 'GET', url: '/static/icons/webhook.svg' },
      { method: 'GET', url: '/nope' },
    ] as const;
    for (const request of requests) {
      const res = await app.inject(request);
      expect(res.headers['x-content-type-options'], request.url).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    }
  });

  it("serves the UI's pages with their own strict CSP: scripts from this server only, styles by nonce", async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    const policy = String(res.headers['content-security-policy']);
    expect(policy).toMatch(/^default-src 'self'; script-src 'self'; style-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'; img-src 'self' https: data:;/);
    expect(policy).toContain("frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'");
    expect(policy).not.toContain('unsafe');
    const nonce = /'nonce-([^']+)'/.exec(policy)![1]!;
    expect(res.body).toContain(`nonce="${nonce}"`);
    expect(res.body).not.toContain('__SLUICE_CSP_NONCE__');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('answers 404 in the error shape for an unknown project or route', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/projects/99/persons/', headers: { authorization: 'Bearer phx_k' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ type: 'invalid_request', code: 'not_found' });
    expect((await app.inject({ method: 'GET', url: '/nope' })).json().code).toBe('not_found');
  });

  it('delivers enriched events to onEnriched subscribers with the event\'s own person changes', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/batch/',
      headers: { 'content-type': 'application/json' },
      payload: { api_key: 'phc_t', batch: [{ event: '$identify', distinct_id: 'max', properties: { $set: { first_name: 'Max' } } }] },
    });
    expect(res.statusCode).toBe(200);
    await pipeline.waitFor(await store.lastEventSeq());
    expect(seen).toHaveLength(1);
    expect(seen[0]!.event.event).toBe('$identify');
    expect(seen[0]!.person.properties.first_name).toBe('Max');
    const persons = await app.inject({ method: 'GET', url: '/api/projects/1/persons/?distinct_id=max', headers: { authorization: 'Bearer phx_k' } });
    expect(persons.json().results[0].properties.first_name).toBe('Max');
  });
});

describe('person pipeline restarts', () => {
  it('resumes from its committed offset and processes each event once', async () => {
    const opened = await openTestStore();
    const store = opened.store;
    await store.createProject({ name: 'p', apiToken: 't' });
    const mk = (i: number) => ({ projectId: 1, uuid: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`, event: 'e', distinct_id: 'd', properties: { $set: { n: i } }, timestamp: 't', receivedAt: 't' });
    await store.appendEvents([mk(1), mk(2)]);
    const first = new PersonPipeline({ store });
    await first.start();
    await first.waitFor(2);
    await first.stop();
    await store.appendEvents([mk(3)]); // stored while no pipeline ran
    const second = new PersonPipeline({ store });
    const batches: number[][] = [];
    second.onEnriched((b) => {
      batches.push(b.map((e) => e.seq));
    });
    await second.start();
    await second.waitFor(3);
    await second.stop();
    expect(batches).toEqual([[3]]);
    expect((await store.getPersonByDistinctId(1, 'd'))!.properties.n).toBe(3);
    expect(await store.readEnrichedEvents(0, 10)).toHaveLength(3);
    await opened.dispose();
  });
});
