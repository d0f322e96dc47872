/**
 * Destination health end to end: a real Sluice, real HTTP sinks on 127.0.0.1, and an injected clock for
 * the health watcher (the rest of the runtime runs on real time). A small bucket (1 000 tokens: degraded
 * at 800, disabled below 0) keeps the event counts small; the state machine with the default policy is
 * covered by src/runtime/__tests__/health.test.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthPolicy } from '../../src/runtime/health.js';
import type { TestSluice } from '../ingest/helpers.js';
import { API_KEY, createDestination, sendEvents, sleep, startRuntimeSluice, startSink, type Sink, type SinkAnswer } from './helpers.js';

const MINUTE = 60_000;

interface Status {
  state: string;
  since: string | null;
  reason: string | null;
  until: string | null;
}

async function api(sluice: TestSluice, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${sluice.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function statusOf(sluice: TestSluice, id: string): Promise<Status> {
  const { json } = await api(sluice, 'GET', `/api/projects/1/hog_functions/${id}/`);
  return json.status as Status;
}

async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await sleep(20);
  }
}

describe('destination health (end to end, injected clock)', () => {
  let sluice: TestSluice;
  let now = Date.UTC(2026, 2, 1, 12, 0, 0);
  let answer: SinkAnswer = { status: 400, body: '{"error":"bad"}' };
  let sink: Sink;
  let webhook: Sink;
  let seq = 0;

  beforeAll(async () => {
    sink = await startSink(() => answer);
    webhook = await startSink();
    sluice = await startRuntimeSluice({
      runtime: {
        worker: { pollMs: 20 },
        health: { now: () => now, policy: healthPolicy({ bucketSize: 1_000 }), tickMs: 20, persistMs: 50 },
      },
    });
    const patched = await api(sluice, 'PATCH', '/api/projects/1/', { health_webhook_url: `${webhook.url}/health` });
    expect(patched.json.health_webhook_url).toBe(`${webhook.url}/health`);
  });
  afterAll(async () => {
    await sluice.stop();
    await sink.close();
    await webhook.close();
  });

  async function send(id: string, count: number): Promise<void> {
    const events = Array.from({ length: count }, () => ({ event: 'order', distinct_id: 'u1', properties: { n: ++seq } }));
    await sendEvents(sluice, events);
    await sluice.runtime.worker.idle();
    await sluice.runtime.recorder.flush();
    await sluice.runtime.health.settled();
    void id;
  }

  /** Sends failing events one at a time until the state changes. */
  async function failUntil(id: string, state: string, max = 30): Promise<void> {
    for (let i = 0; i < max && sluice.runtime.health.stateOf(id) !== state; i++) await send(id, 1);
    expect(sluice.runtime.health.stateOf(id)).toBe(state);
  }

  async function advance(ms: number, id: string, state: string): Promise<void> {
    now += ms;
    await waitUntil(() => sluice.runtime.health.stateOf(id) === state);
    await sluice.runtime.health.settled();
  }

  let id = '';

  it('a destination failing every call: healthy → degraded → disabled temporarily → back after 10 min → … → disabled indefinitely', async () => {
    id = await createDestination(sluice, {
      template_id: 'template-webhook',
      name: 'Orders to a broken service',
      inputs: { url: { value: `${sink.url}/orders` } },
      filters: { events: [{ id: 'order', type: 'events' }] },
    });
    expect(await statusOf(sluice, id)).toEqual({ state: 'healthy', since: null, reason: null, until: null });

    await failUntil(id, 'degraded');
    const degraded = await statusOf(sluice, id);
    expect(degraded).toMatchObject({ state: 'degraded', since: new Date(now).toISOString(), until: null });
    expect(degraded.reason).toMatch(/token bucket at \d+ of 1,000 tokens .*last problem: failed invocation/);

    await failUntil(id, 'disabled_temporarily');
    expect(await statusOf(sluice, id)).toMatchObject({ state: 'disabled_temporarily', until: new Date(now + 10 * MINUTE).toISOString() });

    // While disabled, matching events are parked, not delivered.
    const delivered = sink.requests.length;
    await send(id, 3);
    expect(sink.requests.length).toBe(delivered);
    expect(await sluice.store.countInvocations({ projectId: 1, destinationId: id, states: ['parked'] })).toBe(3);

    // 9 minutes later still disabled; at 10 minutes back to degraded by itself.
    now += 9 * MINUTE;
    await sleep(100);
    expect(sluice.runtime.health.stateOf(id)).toBe('disabled_temporarily');
    await advance(1 * MINUTE, id, 'degraded');
    expect((await statusOf(sluice, id)).reason).toMatch(/temporary disable ended/);

    for (let n = 2; n <= 3; n++) {
      await failUntil(id, 'disabled_temporarily');
      await advance(10 * MINUTE, id, 'degraded');
    }
    await failUntil(id, 'disabled_permanently');
    const permanent = await statusOf(sluice, id);
    expect(permanent).toMatchObject({ state: 'disabled_permanently', until: null });
    expect(permanent.reason).toMatch(/after 3 temporary disables within 24 h/);
    await advance(48 * 60 * MINUTE, id, 'disabled_permanently');

    const health = await api(sluice, 'GET', `/api/projects/1/hog_functions/${id}/health/`);
    const changes = (health.json.changes as { from: string; to: string }[]).reverse().map((c) => `${c.from}→${c.to}`);
    expect(changes).toEqual([
      'healthy→degraded',
      'degraded→disabled_temporarily',
      'disabled_temporarily→degraded',
      'degraded→disabled_temporarily',
      'disabled_temporarily→degraded',
      'degraded→disabled_temporarily',
      'disabled_temporarily→degraded',
      'degraded→disabled_permanently',
    ]);
  });

  it('announces every change once: a log line, a metric, the project webhook and a $destination_status_changed event', async () => {
    const changes = sluice.runtime.health.changes.filter((c) => c.destinationId === id);
    expect(changes).toHaveLength(8);
    await waitUntil(() => webhook.requests.length >= 8);
    await sleep(100);
    expect(webhook.requests).toHaveLength(8);
    const bodies = webhook.requests.map((r) => r.json as Record<string, unknown>);
    expect(bodies.map((b) => `${b.from}→${b.to}`)).toEqual(changes.map((c) => `${c.from}→${c.to}`));
    expect(bodies[1]).toMatchObject({
      event: '$destination_status_changed',
      project_id: 1,
      destination_id: id,
      destination_name: 'Orders to a broken service',
      from: 'degraded',
      to: 'disabled_temporarily',
    });
    expect(typeof bodies[1]!.until).toBe('string');
    expect(webhook.requests.every((r) => r.path === '/health' && r.method === 'POST')).toBe(true);

    const logs = await sluice.store.queryLogs(1, id, { search: 'Destination health:', limit: 100 });
    expect(logs).toHaveLength(8);
    expect(logs.at(-1)!.message).toMatch(/^Destination health: healthy → degraded \(running at lower priority\): token bucket/);
    expect(logs.find((l) => l.message.includes('→ disabled until re-enabled'))?.level).toBe('warn');

    const metrics = await sluice.store.queryMetrics(1, id, {
      after: '2026-01-01T00:00:00.000Z',
      before: '2100-01-01T00:00:00.000Z',
      interval: 'day',
      names: ['degraded', 'disabled_temporarily', 'disabled_permanently', 'recovered', 'parked'],
    });
    const total = (name: string) => metrics.filter((m) => m.name === name).reduce((sum, m) => sum + m.count, 0);
    expect([total('degraded'), total('disabled_temporarily'), total('disabled_permanently'), total('recovered')]).toEqual([4, 3, 1, 0]);
    expect(total('parked')).toBeGreaterThanOrEqual(3);

    await waitUntil(async () => (await sluice.store.listEventUuids(1)).length > 0);
    await sluice.settle();
    const events = await sluice.store.readEvents(0, 10_000);
    const announced = events.filter((e) => e.event === '$destination_status_changed' && e.properties.destination_id === id);
    expect(announced.map((e) => `${e.properties.from}→${e.properties.to}`)).toEqual(changes.map((c) => `${c.from}→${c.to}`));
  });

  it('re-enable (POST …/enable/) brings it back to degraded; replaying the parked events delivers them once', async () => {
    answer = { status: 200 };
    const parked = await sluice.store.countInvocations({ projectId: 1, destinationId: id, states: ['parked'] });
    expect(parked).toBeGreaterThanOrEqual(3);

    const enabled = await api(sluice, 'POST', `/api/projects/1/hog_functions/${id}/enable/`, {});
    expect(enabled.status).toBe(200);
    expect(enabled.json.status).toMatchObject({ state: 'degraded', until: null });
    expect((enabled.json.status as Status).reason).toMatch(/Re-enabled by a user/);
    await waitUntil(() => sluice.runtime.health.stateOf(id) === 'degraded');
    await waitUntil(() => webhook.requests.length === 9);
    expect(webhook.requests[8]!.json).toMatchObject({ from: 'disabled_permanently', to: 'degraded' });

    const dry = await api(sluice, 'POST', `/api/projects/1/hog_functions/${id}/replay/`, { states: ['parked'], dry_run: true });
    expect(dry.json).toEqual({ dry_run: true, count: parked, states: ['parked'] });
    expect(await sluice.store.countInvocations({ projectId: 1, destinationId: id, states: ['parked'] })).toBe(parked);

    const before = sink.requests.length;
    const parkedIds = (await sluice.store.listInvocations(1, id, { states: ['parked'], limit: 1_000 })).map((i) => i.eventUuid).sort();
    const replay = await api(sluice, 'POST', `/api/projects/1/hog_functions/${id}/replay/`, { states: ['parked'] });
    expect(replay.json).toMatchObject({ dry_run: false, count: parked, replayed: parked, remaining: 0 });
    await sink.waitFor(before + parked, 5_000);
    await sleep(300);
    await sluice.runtime.worker.idle();
    expect(sink.requests.length).toBe(before + parked);
    const delivered = sink.requests.slice(before).map((r) => (r.json as { event: { uuid: string } }).event.uuid).sort();
    expect(delivered).toEqual(parkedIds);
    expect(await sluice.store.countInvocations({ projectId: 1, destinationId: id, states: ['parked'] })).toBe(0);
    // A second replay finds nothing more to do.
    expect((await api(sluice, 'POST', `/api/projects/1/hog_functions/${id}/replay/`, { states: ['parked'], dry_run: true })).json.count).toBe(0);

    await sluice.runtime.recorder.flush();
    const logs = await sluice.store.queryLogs(1, id, { search: 'Replay:', limit: 100 });
    expect(logs.filter((l) => l.invocationId !== null)).toHaveLength(parked);
    expect(logs.find((l) => l.invocationId === null)?.message).toMatch(new RegExp(`^Replay: ${parked} invocations \\(${parked} parked, 0 failed\\)`));
  });

  it('a recovering destination returns to healthy after the flapping lock, and says so', async () => {
    await send(id, 2);
    expect(sluice.runtime.health.stateOf(id)).toBe('degraded');
    await advance(6 * MINUTE, id, 'healthy');
    const status = await statusOf(sluice, id);
    expect(status.state).toBe('healthy');
    expect(status.reason).toMatch(/^recovered/);
    await waitUntil(() => webhook.requests.length === 10);
    expect(webhook.requests[9]!.json).toMatchObject({ from: 'degraded', to: 'healthy' });
  });

  it('saving the destination (PATCH) re-enables a disabled one', async () => {
    answer = { status: 400 };
    await failUntil(id, 'degraded');
    await failUntil(id, 'disabled_temporarily');
    const patched = await api(sluice, 'PATCH', `/api/projects/1/hog_functions/${id}/`, { description: 'fixed the URL' });
    expect(patched.status).toBe(200);
    expect(patched.json.status).toMatchObject({ state: 'degraded' });
    expect((patched.json.status as Status).reason).toMatch(/Re-enabled by saving/);
    await waitUntil(() => sluice.runtime.health.stateOf(id) === 'degraded');
    // A PATCH of a destination that is not disabled changes nothing.
    const again = await api(sluice, 'PATCH', `/api/projects/1/hog_functions/${id}/`, { description: 'again' });
    expect((again.json.status as Status).reason).toMatch(/Re-enabled by saving/);
    // The list shows the status too.
    const list = await api(sluice, 'GET', '/api/projects/1/hog_functions/');
    expect((list.json.results as { id: string; status: Status }[]).find((d) => d.id === id)?.status.state).toBe('degraded');
  });

  it('a degraded destination gets a higher priority number for new invocations', async () => {
    answer = { status: 200 };
    await send(id, 1);
    const [latest] = await sluice.store.listInvocations(1, id, { limit: 1 });
    expect(latest!.priority).toBe(1);
  });
});

describe('a slow destination (injected clock)', () => {
  let sluice: TestSluice;
  let server: Server;
  let url = '';
  let delayMs = 150;
  const now = Date.UTC(2026, 2, 1);

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), delayMs));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    sluice = await startRuntimeSluice({
      runtime: {
        worker: { pollMs: 20 },
        // Slow fetches count from 50 ms and cost 100 from 120 ms: each 150 ms answer costs 100 of 1 000.
        health: { now: () => now, policy: healthPolicy({ bucketSize: 1_000, costs: { slowFetch: { lowerMs: 50, upperMs: 120, max: 100 } } }), tickMs: 20 },
      },
    });
  });
  afterAll(async () => {
    await sluice.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('degrades when its answers are slow, though every call succeeds', async () => {
    const id = await createDestination(sluice, {
      template_id: 'template-webhook',
      inputs: { url: { value: url } },
      filters: { events: [{ id: 'slow', type: 'events' }] },
    });
    for (let i = 0; i < 5; i++) {
      await sendEvents(sluice, [{ event: 'slow', distinct_id: 'u' }]);
      await sluice.runtime.worker.idle();
    }
    await sluice.runtime.recorder.flush();
    await sluice.runtime.health.settled();
    expect(sluice.runtime.health.stateOf(id)).toBe('degraded');
    expect((await sluice.store.listInvocations(1, id, { limit: 10 })).every((i) => i.state === 'succeeded')).toBe(true);
    const [change] = await sluice.store.listDestinationHealthChanges(1, id, 1);
    expect(change!.reason).toMatch(/slow fetch \(\d+ ms\)/);
    delayMs = 0;
  });
});

describe('replay of failed invocations by time range', () => {
  let sluice: TestSluice;
  let answer: SinkAnswer = { status: 400 };
  let sink: Sink;

  beforeAll(async () => {
    sink = await startSink(() => answer);
    // A bucket large enough that 120 failures do not disable the destination (replays would be parked).
    // Matching in the main thread, whose matcher hands new invocations to the worker at once, so
    // `worker.idle()` after matching waits for them (a stage thread's are claimed from the queue).
    sluice = await startRuntimeSluice({ stageThreads: 0, runtime: { worker: { pollMs: 20 }, health: { policy: healthPolicy({ bucketSize: 1_000_000 }) } } });
  });
  afterAll(async () => {
    await sluice.stop();
    await sink.close();
  });

  it('re-runs only the failed invocations created in the window, from scratch, at the replay rate', async () => {
    const id = await createDestination(sluice, {
      template_id: 'template-webhook',
      inputs: { url: { value: sink.url } },
      filters: { events: [{ id: 'pay', type: 'events' }] },
    });
    await sendEvents(sluice, [{ event: 'pay', distinct_id: 'a', properties: { batch: 'early' } }]);
    await sluice.runtime.worker.idle();
    await sleep(30);
    const windowStart = Date.now();
    await sendEvents(sluice, [1, 2, 3].map((n) => ({ event: 'pay', distinct_id: 'b', properties: { batch: 'late', n } })));
    await sluice.runtime.worker.idle();
    await sluice.runtime.recorder.flush();
    expect(await sluice.store.countInvocations({ projectId: 1, destinationId: id, states: ['failed'] })).toBe(4);
    expect(sink.requests).toHaveLength(4);

    const path = `/api/projects/1/hog_functions/${id}/replay/`;
    const after = new Date(windowStart).toISOString();
    const bad = await api(sluice, 'POST', path, { after, before: after, dry_run: true });
    expect(bad.status).toBe(400);
    expect((await api(sluice, 'POST', path, { after, states: ['failed'], dry_run: true })).json.count).toBe(3);
    expect((await api(sluice, 'POST', path, { before: after, state: 'failed', dry_run: true })).json.count).toBe(1);
    expect((await api(sluice, 'POST', path, { dry_run: true })).json.count).toBe(4);

    answer = { status: 200 };
    const replay = await api(sluice, 'POST', path, { after, states: ['failed'] });
    expect(replay.json).toMatchObject({ replayed: 3, remaining: 0 });
    await sink.waitFor(7);
    await sleep(200);
    await sluice.runtime.worker.idle();
    await sluice.runtime.recorder.flush();
    expect(sink.requests).toHaveLength(7);
    expect(sink.requests.slice(4).map((r) => (r.json as { event: { properties: { batch: string } } }).event.properties.batch)).toEqual(['late', 'late', 'late']);
    const invocations = await sluice.store.listInvocations(1, id, { limit: 10 });
    expect(invocations.filter((i) => i.state === 'succeeded')).toHaveLength(3);
    expect(invocations.filter((i) => i.state === 'succeeded').every((i) => i.attempts === 1 && i.error === null)).toBe(true);
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
    const metrics = await sluice.store.queryMetrics(1, id, { after: hour, before: '2100-01-01T00:00:00.000Z', interval: 'hour', names: ['replayed'] });
    expect(metrics.reduce((n, m) => n + m.count, 0)).toBe(3);
  });

  it('spreads a large replay over time (rate limit)', async () => {
    const id = await createDestination(sluice, {
      template_id: 'template-webhook',
      inputs: { url: { value: sink.url } },
      filters: { events: [{ id: 'bulk', type: 'events' }] },
    });
    answer = { status: 400 };
    await sendEvents(sluice, Array.from({ length: 120 }, (_, n) => ({ event: 'bulk', distinct_id: 'c', properties: { n } })));
    await sluice.runtime.worker.idle();
    await sluice.runtime.recorder.flush();
    answer = { status: 200 };
    const start = Date.now();
    const replay = await api(sluice, 'POST', `/api/projects/1/hog_functions/${id}/replay/`, {});
    expect(replay.json.replayed).toBe(120);
    // 50 per second by default: the last 20 become due two seconds later.
    expect(Date.parse(replay.json.due_by as string) - start).toBeGreaterThanOrEqual(1_900);
    const queued = await sluice.store.listInvocations(1, id, { states: ['queued'], limit: 200 });
    expect(queued.length).toBeGreaterThan(0);
    await waitUntil(async () => (await sluice.store.countInvocations({ projectId: 1, destinationId: id, states: ['succeeded'] })) === 120, 8_000);
    expect(Date.now() - start).toBeGreaterThanOrEqual(1_900);
  });
});
