/**
 * A poison invocation that kills the delivery thread running it cannot crash-loop Sluice: each death
 * costs it one attempt (retried by its policy, then `failed`), the thread is started again, and the
 * next normal event is delivered.
 *
 * The poison is real memory exhaustion: with `SLUICE_TEST_DELIVERY_THREAD_OOM_EVENT` set (tests only),
 * a delivery thread hoards memory on an invocation of that event until its heap limit
 * (`resourceLimits`, 64 MB here) ends the thread — what a run escaping the VM's limits would do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invocation } from '../../src/store/store.js';
import type { TestSluice } from '../ingest/helpers.js';
import { ensureBuilt } from '../helpers/cli.js';
import { createDestination, sendEvents, sleep, startRuntimeSluice, startSink, type Sink } from './helpers.js';

const POISON = 'poison-pill';

describe('a delivery thread that dies while running an invocation', () => {
  let sluice: TestSluice;
  let sink: Sink;

  beforeAll(async () => {
    ensureBuilt();
    sink = await startSink();
    process.env.SLUICE_TEST_DELIVERY_THREAD_OOM_EVENT = POISON;
    // Kept set while the test runs: restarted threads read it too.
    sluice = await startRuntimeSluice({ runtime: { worker: { pollMs: 50 }, deliveryThreads: 2, deliveryThreadMemoryMb: 64 } });
  });
  afterAll(async () => {
    delete process.env.SLUICE_TEST_DELIVERY_THREAD_OOM_EVENT;
    await sluice?.stop();
    await sink.close();
  });

  async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const value = await read();
      if (value !== undefined) return value;
      await sleep(50);
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  async function metric(id: string, name: string): Promise<number> {
    await sluice.runtime.recorder.flush();
    const points = await sluice.store.queryMetrics(1, id, { after: '2000-01-01T00:00:00Z', before: '2100-01-01T00:00:00Z', interval: 'day', names: [name] });
    return points.reduce((sum, p) => sum + p.count, 0);
  }

  it('fails the poison invocation after its attempts, restarts the thread, and delivers the next event', async () => {
    const poisoned = await createDestination(sluice, {
      template_id: 'template-webhook',
      name: 'poisoned',
      inputs: { url: { value: `${sink.url}/poisoned` } },
      filters: { events: [{ id: POISON, type: 'events' }] },
    });
    const normal = await createDestination(sluice, {
      template_id: 'template-webhook',
      name: 'normal',
      inputs: { url: { value: `${sink.url}/normal` }, body: { value: { n: '{event.properties.n}' } } },
      filters: { events: [{ id: 'normal', type: 'events' }] },
    });
    await sendEvents(sluice, [{ event: POISON, distinct_id: 'u1' }]);

    const failed = await until<Invocation>('the poison invocation to fail', async () => {
      const [invocation] = await sluice.store.listInvocations(1, poisoned, { limit: 1 });
      return invocation?.state === 'failed' ? invocation : undefined;
    });
    // Three attempts (the default policy), each one a thread killed by its heap limit.
    expect(failed.attempts).toBe(3);
    expect(failed.error).toMatch(/^the delivery thread running this invocation crashed: .*memory/);
    expect(failed.error).toContain('attempt 3 of 3');
    expect(await metric(poisoned, 'retried')).toBe(2);
    expect(await metric(poisoned, 'failed')).toBe(1);
    expect(sink.requests.filter((r) => r.path === '/poisoned')).toEqual([]);

    // The threads were started again and take normal work.
    const threads = sluice.runtime.deliveryThreads!;
    expect(threads.restarts).toBeGreaterThanOrEqual(2);
    await until('both threads to be back', async () => (threads.alive === 2 ? true : undefined));
    await sendEvents(sluice, [1, 2, 3].map((n) => ({ event: 'normal', distinct_id: `u${n}`, properties: { n } })));
    await sink.waitFor(3, 15_000);
    expect(sink.requests.map((r) => (r.json as { n: number }).n).sort()).toEqual([1, 2, 3]);
    await until('the normal deliveries to be recorded', async () => ((await metric(normal, 'succeeded')) === 3 ? true : undefined));
  }, 60_000);
});
