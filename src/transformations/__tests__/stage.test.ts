/**
 * `PipelineTransformations`, the transformations step of person processing: each project's chain from
 * the store, recompiled when a function changes; what it produced recorded through the recorder (health
 * observations at once, metrics and log lines summed per batch once the batch commits); disabled
 * transformations skipped; the event loop kept free during long batches. The chain's own rules are in
 * chain.test.ts; the whole pipeline in test/runtime/transformations-e2e.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildGlobals } from '../../destinations/globals.js';
import { validateDestination } from '../../destinations/validation.js';
import { DEFAULT_HEALTH_POLICY, type HealthObservation } from '../../runtime/health.js';
import type { RuntimeMetric } from '../../runtime/recorder.js';
import { openTestStore, type OpenedTestStore } from '../../store/__tests__/backends.js';
import type { JsonObject, Store, StoredEvent } from '../../store/store.js';
import type { ChainRecorder } from '../record.js';
import { PipelineTransformations } from '../stage.js';

/** Everything handed to the recorder, in order. */
class CapturingRecorder implements ChainRecorder {
  readonly calls: ({ kind: 'metric'; id: string; name: RuntimeMetric; count: number } | { kind: 'observe'; id: string; observation: HealthObservation } | { kind: 'log'; id: string; message: string })[] = [];

  metric(_projectId: number, destinationId: string, name: RuntimeMetric, count = 1): void {
    this.calls.push({ kind: 'metric', id: destinationId, name, count });
  }

  observe(_projectId: number, destinationId: string, observation: HealthObservation): void {
    this.calls.push({ kind: 'observe', id: destinationId, observation });
  }

  logSteps(_projectId: number, destinationId: string, _invocationId: string, lines: { message: string }[]): void {
    for (const line of lines) this.calls.push({ kind: 'log', id: destinationId, message: line.message });
  }

  metrics(): Record<string, number> {
    const sums: Record<string, number> = {};
    for (const c of this.calls) if (c.kind === 'metric' && c.name !== 'duration_us') sums[`${c.id}:${c.name}`] = (sums[`${c.id}:${c.name}`] ?? 0) + c.count;
    return sums;
  }
}

let n = 0;
function storedEvent(properties: JsonObject, projectId = 1): StoredEvent {
  n++;
  return {
    seq: n,
    partition: 0,
    position: { tx: 0, seq: n },
    projectId,
    uuid: `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    event: 'viewed',
    distinct_id: 'u1',
    properties,
    timestamp: '2026-01-01T00:00:00.000Z',
    receivedAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('transformations in the pipeline (PipelineTransformations)', () => {
  let opened: OpenedTestStore;
  let store: Store;
  let recorder: CapturingRecorder;
  let disabled: Set<string>;
  let refreshed: string[][];

  beforeEach(async () => {
    opened = await openTestStore();
    store = opened.store;
    await store.createProject({ name: 'Shop', apiToken: 'phc_shop' });
    recorder = new CapturingRecorder();
    disabled = new Set();
    refreshed = [];
  });
  afterEach(async () => {
    await opened.dispose();
  });

  function stage(options: { maxSliceMs?: number } = {}): PipelineTransformations {
    const transformations = new PipelineTransformations({
      store,
      health: { isDisabled: (id) => disabled.has(id), refresh: async (ids) => void refreshed.push(ids) },
      siteUrl: () => 'https://sluice.example',
      checkIntervalMs: 60_000,
      ...options,
    });
    transformations.attach(recorder);
    return transformations;
  }

  async function save(name: string, hog: string, order: number, extra: Record<string, unknown> = {}): Promise<string> {
    const result = validateDestination({ type: 'transformation', name, hog, execution_order: order, ...extra });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    await store.saveDestination({ id: result.destination.id, projectId: 1, enabled: true, config: { ...result.destination } });
    return result.destination.id;
  }

  it('runs the chain in order, hands unchanged events back as they were, and records metrics only once committed', async () => {
    const drop = await save('Drop bots', 'return null', 0, { filters: { properties: [{ key: 'bot', type: 'event', operator: 'exact', value: [true] }] } });
    const tag = await save('Tag', "if (event.properties.tag) {\n  let e := event\n  e.properties.tagged := true\n  return e\n}\nreturn event", 1);
    const transformations = stage();
    const events = [storedEvent({ tag: true }), storedEvent({ bot: true }), storedEvent({ plain: 1 })];
    const result = await transformations.transform(1, events);

    expect(result.events[0]).toMatchObject({ seq: events[0]!.seq, properties: { tag: true, tagged: true } });
    expect(result.events[1]).toBeNull();
    expect(result.events[2]).toBe(events[2]);
    expect(events[0]!.properties).toEqual({ tag: true });
    // Health observations went out at once (the dropped event never reached Tag); nothing else yet.
    expect(recorder.calls.every((c) => c.kind === 'observe')).toBe(true);
    expect(recorder.calls.filter((c) => c.id === tag)).toHaveLength(2);

    result.committed();
    expect(recorder.metrics()).toEqual({ [`${drop}:filtered`]: 2, [`${drop}:dropped`]: 1, [`${tag}:transformed`]: 1, [`${tag}:unchanged`]: 1 });
    // One recorder call per transformation and metric for the whole batch.
    const metricCalls = recorder.calls.filter((c) => c.kind === 'metric');
    expect(new Set(metricCalls.map((c) => c.kind === 'metric' && `${c.id}:${c.name}`)).size).toBe(metricCalls.length);
    expect(refreshed).toEqual([[drop, tag]]);
  });

  it('passes events through a project without transformations untouched, recording nothing', async () => {
    const events = [storedEvent({ a: 1 })];
    const result = await stage().transform(1, events);
    expect(result.events).toBe(events);
    result.committed();
    expect(recorder.calls).toEqual([]);
  });

  it('skips a transformation the health watcher has disabled', async () => {
    const tag = await save('Tag', "let e := event\ne.properties.tagged := true\nreturn e", 0);
    disabled.add(tag);
    const event = storedEvent({ a: 1 });
    const result = await stage().transform(1, [event]);
    expect(result.events[0]).toBe(event);
    result.committed();
    expect(recorder.calls).toEqual([]);
  });

  it('logs, counts and reports to health a transformation that fails, passing the event on', async () => {
    const failing = await save('Fails', "throw Error('no way')", 0);
    const event = storedEvent({ a: 1 });
    const result = await stage().transform(1, [event]);
    expect(result.events[0]).toBe(event);
    expect(recorder.calls).toEqual([{ kind: 'observe', id: failing, observation: { kind: 'failed', error: 'no way' } }]);
    result.committed();
    expect(recorder.metrics()).toEqual({ [`${failing}:failed`]: 1 });
    expect(recorder.calls.filter((c) => c.kind === 'log').map((c) => c.kind === 'log' && c.message)).toEqual([
      `Transformation failed on event ${event.uuid}; the event passes on unchanged: no way`,
    ]);
  });

  it('sends the health watcher only what costs tokens, unless a metrics tap wants every timing', async () => {
    const failing = await save('Fails on b', "if (event.properties.b) {\n  throw Error('b')\n}\nreturn event", 0);
    const events = () => [storedEvent({ a: 1 }), storedEvent({ b: 1 })];
    const health = { isDisabled: () => false, policy: DEFAULT_HEALTH_POLICY };
    const quiet = new PipelineTransformations({ store, health });
    quiet.attach(recorder);
    await quiet.transform(1, events());
    // The fast run costs nothing: only the failure is observed.
    expect(recorder.calls).toEqual([{ kind: 'observe', id: failing, observation: { kind: 'failed', error: 'b' } }]);

    const tapped = Object.assign(new CapturingRecorder(), { tap: { metric() {}, observe() {}, ran() {} } });
    const withTap = new PipelineTransformations({ store, health });
    withTap.attach(tapped);
    await withTap.transform(1, events());
    expect(tapped.calls.map((c) => c.kind === 'observe' && c.observation.kind)).toEqual(['hog', 'failed']);
  });

  it('uses a function saved between two batches from the next batch on, in every concurrent caller', async () => {
    const transformations = stage();
    const before = storedEvent({ a: 1 });
    expect((await transformations.transform(1, [before])).events[0]).toBe(before);
    await save('Tag', "let e := event\ne.properties.tagged := true\nreturn e", 0);
    transformations.invalidate();
    // Two partitions' batches at once: neither may run the old chain.
    const [first, second] = await Promise.all([transformations.transform(1, [storedEvent({ a: 2 })]), transformations.transform(1, [storedEvent({ a: 3 })])]);
    expect(first.events[0]?.properties.tagged).toBe(true);
    expect(second.events[0]?.properties.tagged).toBe(true);
  });

  it('refuses to run before the recorder is attached, so no event passes untransformed by mistake', async () => {
    await save('Tag', 'return event', 0);
    const unattached = new PipelineTransformations({ store });
    await expect(unattached.transform(1, [storedEvent({})])).rejects.toThrow(/no recorder yet/);
  });

  it('yields to the event loop during a long batch of a slow transformation', async () => {
    await save('Endless', 'while (true) {\n}\nreturn event', 0);
    const events = Array.from({ length: 8 }, (_, i) => storedEvent({ i }));
    let timerRan = false;
    setTimeout(() => (timerRan = true), 0);
    const result = await stage({ maxSliceMs: 5 }).transform(1, events);
    // Every event passed on unchanged after the time limit; a timer due meanwhile got its turn.
    expect(result.events).toEqual(events);
    expect(timerRan).toBe(true);
  });

  it('gives the code the same globals as a destination\'s, less the person and groups it does not have yet', async () => {
    await save('Show globals', "let e := event\ne.properties := {'seen': {'event': event, 'person': person, 'groups': groups, 'project': project}}\nreturn e", 0);
    const event = storedEvent({ a: [1, { b: null }] });
    event.elements_chain = 'a:nth-child="1"';
    const [transformed] = (await stage().transform(1, [event])).events;
    const expected = buildGlobals({ event, person: null, groups: null, project: { id: 1, name: 'Shop' }, source: { name: 'x' }, siteUrl: 'https://sluice.example' });
    expect(transformed?.properties.seen).toEqual({ event: expected.event, person: null, groups: {}, project: expected.project });
  });
});
