/**
 * One health monitor per process, shared by the API and the runtime. The store here drops every health
 * write, so nothing can travel between the two through a stored row: what the API reports of a disable
 * the runtime decided, and what the runtime's gate does after a re-enable made through the API, can only
 * come from the one instance they share.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthPolicy } from '../../src/runtime/health.js';
import { testBackend } from '../../src/store/__tests__/backends.js';
import { startTestSluice, type TestSluice } from '../ingest/helpers.js';
import { API_KEY, createDestination, sendEvents, startRuntimeSluice, startSink, waitUntil, type Sink, type SinkAnswer } from './helpers.js';

async function api(sluice: TestSluice, method: string, path: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${sluice.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    ...(method === 'POST' ? { body: '{}' } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('the API and the runtime share one health monitor', () => {
  let sluice: TestSluice;
  let sink: Sink;
  let answer: SinkAnswer = { status: 400, body: '{"error":"bad"}' };
  let droppedWrites = 0;
  let id = '';
  let n = 0;
  // A still clock: the bucket never refills and a temporary disable never ends by itself.
  const now = Date.UTC(2026, 2, 1, 12, 0, 0);

  beforeAll(async () => {
    sink = await startSink(() => answer);
    sluice = await startRuntimeSluice({
      runtime: { deliveryThreads: 0, worker: { pollMs: 20 }, health: { now: () => now, policy: healthPolicy({ bucketSize: 1_000 }), tickMs: 20, persistMs: 50 } },
    });
    sluice.store.saveDestinationHealth = async () => {
      droppedWrites++;
    };
    id = await createDestination(sluice, {
      template_id: 'template-webhook',
      name: 'Orders',
      inputs: { url: { value: `${sink.url}/orders` } },
      filters: { events: [{ id: 'order', type: 'events' }] },
    });
  });
  afterAll(async () => {
    await sluice.stop();
    await sink.close();
  });

  async function sendOne(): Promise<void> {
    await sendEvents(sluice, [{ event: 'order', distinct_id: 'u1', properties: { n: ++n } }]);
    await sluice.runtime.worker.idle();
    await sluice.runtime.recorder.flush();
    await sluice.runtime.health.settled();
  }

  it('a destination the runtime disabled is reported disabled by the API at once, with nothing stored', async () => {
    for (let i = 0; i < 30 && sluice.runtime.health.stateOf(id) !== 'disabled_temporarily'; i++) await sendOne();
    expect(sluice.runtime.health.stateOf(id)).toBe('disabled_temporarily');
    expect(droppedWrites).toBeGreaterThan(0);
    expect(await sluice.store.getDestinationHealth(1, id)).toBeNull();

    const health = await api(sluice, 'GET', `/api/projects/1/hog_functions/${id}/health/`);
    expect(health.status).toBe(200);
    expect(health.json.status).toMatchObject({ state: 'disabled_temporarily', until: new Date(now + 10 * 60_000).toISOString() });
    const view = await api(sluice, 'GET', `/api/projects/1/hog_functions/${id}/`);
    expect(view.json.status).toMatchObject({ state: 'disabled_temporarily' });
  });

  it("the API's re-enable is obeyed by the runtime's gate at once: the next event is delivered, not parked", async () => {
    answer = { status: 200 };
    const enabled = await api(sluice, 'POST', `/api/projects/1/hog_functions/${id}/enable/`);
    expect(enabled.status).toBe(200);
    expect(enabled.json.status).toMatchObject({ state: 'degraded', until: null });
    expect(sluice.runtime.health.stateOf(id)).toBe('degraded');
    expect(await sluice.store.getDestinationHealth(1, id)).toBeNull();

    const delivered = sink.requests.length;
    await sendOne();
    await waitUntil('the event after the re-enable to be delivered', () => sink.requests.length > delivered, 5_000);
    expect(await sluice.store.countInvocations({ projectId: 1, destinationId: id, states: ['parked'] })).toBe(0);
  });
});

// Several roles need a shared database: Postgres only.
describe.runIf(testBackend() === 'postgres')('a process with role api (no runtime) has its health monitor too', () => {
  it('reports and re-enables a destination the workers disabled', async () => {
    const sluice = await startTestSluice({ role: 'api' });
    try {
      expect(() => sluice.runtime).toThrow(/no destinations runtime/);
      const id = await createDestination(sluice, { template_id: 'template-webhook', name: 'Orders', inputs: { url: { value: 'https://example.com/orders' } } });
      const at = Date.now();
      await sluice.store.saveDestinationHealth({
        projectId: 1,
        destinationId: id,
        state: 'disabled_permanently',
        since: at,
        reason: 'disabled by a worker',
        until: null,
        tokens: -50,
        tokensAt: at,
        temporaryDisables: [],
      });
      const before = await api(sluice, 'GET', `/api/projects/1/hog_functions/${id}/health/`);
      expect(before.json.status).toMatchObject({ state: 'disabled_permanently', reason: 'disabled by a worker' });

      const enabled = await api(sluice, 'POST', `/api/projects/1/hog_functions/${id}/enable/`);
      expect(enabled.json.status).toMatchObject({ state: 'degraded', until: null });
      expect(await sluice.store.getDestinationHealth(1, id)).toMatchObject({ state: 'degraded', temporaryDisables: [] });
      const replay = await api(sluice, 'POST', `/api/projects/1/hog_functions/${id}/replay/`);
      expect(replay.json).toMatchObject({ dry_run: false, count: 0, status: { state: 'degraded' } });
    } finally {
      await sluice.stop();
    }
  });
});
