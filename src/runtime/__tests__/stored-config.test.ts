/**
 * One destination whose stored configuration no longer fits the schema (edited in the database) fails
 * alone in a running Sluice: the registry loads every other destination, which keeps delivering; the
 * broken one matches nothing, is logged once per stored version and listed as unloadable, and an
 * invocation of it already in the queue fails at once with a message naming the fields.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoredDestinationError } from '../../destinations/config-schema.js';
import type { JsonObject } from '../../store/store.js';
import { DEFAULT_RETRY_POLICY } from '../backoff.js';
import type { TestSluice } from '../../../test/ingest/helpers.js';
import { createDestination, sendEvents, startRuntimeSluice, startSink, waitUntil, type Sink } from '../../../test/runtime/helpers.js';

/** Globals of the shape `buildGlobals` gives. */
function validGlobals(): JsonObject {
  return {
    event: { uuid: 'e', event: 'order', name: 'order', distinct_id: 'u', properties: {}, timestamp: '2026-01-01T00:00:00.000Z', elements_chain: '', url: 'http://x/e' },
    person: null,
    groups: {},
    project: { id: 1, name: 'P', url: 'http://x/p' },
    source: { name: 'good', url: 'http://x/s' },
  };
}

interface LogLine {
  msg: string;
  destinationId?: string;
  problems?: string[];
}

describe('a destination whose stored configuration does not fit', () => {
  let sink: Sink;
  let sluice: TestSluice;
  const logged: LogLine[] = [];
  let good = '';
  let broken = '';
  let brokenConfig: JsonObject = {};

  const notLoaded = () => logged.filter((line) => line.msg.includes('not loaded'));
  const webhook = (name: string, path: string) => ({
    template_id: 'template-webhook',
    name,
    inputs: { url: { value: `${sink.url}/${path}` } },
    filters: { events: [{ id: 'order', type: 'events' }] },
  });

  beforeAll(async () => {
    sink = await startSink();
    const logger = pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line) as LogLine) });
    // Runs in the main thread, whose registry the test reloads (a delivery thread's notices a change within 200 ms).
    sluice = await startRuntimeSluice({ logger, runtime: { deliveryThreads: 0 } });
    good = await createDestination(sluice, webhook('good', 'good'));
    broken = await createDestination(sluice, webhook('broken', 'broken'));
    const stored = (await sluice.store.getDestination(1, broken))!;
    // Hostile: a type no input has, code that is no bytecode, and a deeply nested value where a string belongs.
    let deep: JsonObject = { end: true };
    for (let i = 0; i < 1_000; i++) deep = { deeper: deep };
    brokenConfig = { ...stored.config, inputs_schema: [{ key: 'url', type: 'telepathy' }], bytecode: 'no', name: deep };
    await sluice.store.saveDestination({ id: broken, projectId: 1, enabled: true, config: brokenConfig });
    await sluice.runtime.reload();
  });
  afterAll(async () => {
    await sluice?.stop();
    await sink?.close();
  });

  it('loads the others, which keep delivering, and leaves it out of matching', async () => {
    expect(sluice.runtime.registry.enabledIds()).toEqual([good]);
    await sendEvents(sluice, [1, 2, 3].map((n) => ({ event: 'order', distinct_id: `u${n}` })));
    await sink.waitFor(3, 15_000);
    expect(sink.requests.map((r) => r.path)).toEqual(['/good', '/good', '/good']);
    expect(await sluice.store.countInvocations({ destinationId: broken })).toBe(0);
  });

  it('is logged once per stored version, naming the fields, and listed as unloadable', async () => {
    expect(notLoaded()).toHaveLength(1);
    const line = notLoaded()[0]!;
    expect(line.destinationId).toBe(broken);
    expect(line.msg).toContain(`destination ${broken} not loaded: stored configuration of destination ${broken} (project 1) does not fit`);
    expect(line.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^\/name: /), expect.stringMatching(/^\/bytecode: /), expect.stringMatching(/^\/inputs_schema\/0\/type: /)]));
    expect(line.msg.length).toBeLessThan(2_000);
    // Another destination changes: the registry reloads, and the unchanged broken row is not logged again.
    await createDestination(sluice, webhook('third', 'third'));
    await sluice.runtime.reload();
    expect(notLoaded()).toHaveLength(1);
    expect(sluice.runtime.registry.unloadable().map((e) => e.destinationId)).toEqual([broken]);
    await expect(sluice.runtime.registry.get(1, broken)).rejects.toBeInstanceOf(StoredDestinationError);
    expect(await sluice.runtime.registry.retryPolicy(1, broken)).toEqual(DEFAULT_RETRY_POLICY);
  });

  it('fails an invocation of it already in the queue at once, with the reason in its logs', async () => {
    const id = '01900000-0000-7000-8000-00000000b0b0';
    const globals = { event: { uuid: 'e', event: 'order', distinct_id: 'u', properties: {}, timestamp: '2026-01-01T00:00:00.000Z' } };
    await sluice.store.enqueueInvocations([{ id, projectId: 1, destinationId: broken, mappingIndex: null, eventUuid: 'e', globals, priority: 0, scheduledAt: 0 }]);
    sluice.runtime.worker.wake();
    const failed = await waitUntil('the invocation fails', async () => {
      const invocation = await sluice.store.getInvocation(id);
      return invocation?.state === 'failed' ? invocation : null;
    });
    expect(failed.error).toMatch(new RegExp(`destination ${broken} \\(project 1\\) does not fit .*/inputs_schema/0/type`));
    const stored = await sluice.store.queryLogs(1, broken, { invocationId: id, limit: 10 });
    expect(stored.some((l) => l.level === 'error' && l.message.includes('does not fit'))).toBe(true);
  });

  it('fails an invocation whose stored globals do not have the shape the matcher gives them', async () => {
    const cases: [JsonObject, RegExp][] = [
      [{}, /globals\.event: expected an object with the strings uuid, event/],
      [{ event: { uuid: 'e', event: 'order', name: 'order', distinct_id: 'u', timestamp: 't', elements_chain: '', url: 'u', properties: [] } }, /globals\.event: /],
      [{ ...validGlobals(), person: 'nobody' }, /globals\.person: expected null or an object/],
      [{ ...validGlobals(), groups: { company: { id: 1 } } }, /globals\.groups: /],
      [{ ...validGlobals(), project: { id: '1', name: 'P', url: 'u' } }, /globals\.project: expected \{id, name, url\}/],
    ];
    for (const [index, [globals, problem]] of cases.entries()) {
      const id = `01900000-0000-7000-8000-00000000c0${index.toString().padStart(2, '0')}`;
      await sluice.store.enqueueInvocations([{ id, projectId: 1, destinationId: good, mappingIndex: null, eventUuid: 'e', globals, priority: 0, scheduledAt: 0 }]);
      sluice.runtime.worker.wake();
      const failed = await waitUntil(`invocation ${index} fails`, async () => {
        const invocation = await sluice.store.getInvocation(id);
        return invocation?.state === 'failed' ? invocation : null;
      });
      expect(failed.error, JSON.stringify(globals)).toMatch(new RegExp(`^the invocation's globals do not have the expected shape: ${problem.source}`));
    }
    // None of them reached the endpoint.
    expect(sink.requests.filter((r) => r.path === '/good')).toHaveLength(3);
  });

  it('loads again once the row is fixed, and is no longer listed', async () => {
    const fixed = { ...brokenConfig, inputs_schema: [{ key: 'url', type: 'string', label: 'Webhook URL', required: true }] };
    const valid = (await sluice.store.getDestination(1, good))!.config;
    await sluice.store.saveDestination({ id: broken, projectId: 1, enabled: true, config: { ...fixed, name: 'broken', bytecode: valid.bytecode ?? [] } });
    await sluice.runtime.reload();
    expect(sluice.runtime.registry.enabledIds()).toContain(broken);
    expect(sluice.runtime.registry.unloadable()).toEqual([]);
  });
});
