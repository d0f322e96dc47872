import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestSluice } from '../ingest/helpers.js';
import { createDestination, sendEvents, sleep, startRuntimeSluice, startSink, type Sink, type SinkAnswer } from './helpers.js';

describe('delivery threads (deliveryThreads: 2)', () => {
  let sluice: TestSluice;
  const sinks: Sink[] = [];

  beforeAll(async () => {
    sluice = await startRuntimeSluice({ runtime: { worker: { pollMs: 50 }, deliveryThreads: 2 } });
  });
  afterAll(async () => {
    await sluice.stop();
  });
  afterEach(async () => {
    for (const sink of sinks.splice(0)) await sink.close();
    for (const d of await sluice.store.listDestinations(1)) await sluice.store.deleteDestination(1, d.id);
    await sluice.runtime.reload();
  });

  async function newSink(answer?: (request: Sink['requests'][number], index: number) => SinkAnswer): Promise<Sink> {
    const sink = await startSink(answer);
    sinks.push(sink);
    return sink;
  }

  async function webhookTo(url: string, event: string): Promise<string> {
    return createDestination(sluice, {
      template_id: 'template-webhook',
      inputs: { url: { value: url }, body: { value: { n: '{event.properties.n}', event: '{event.event}' } } },
      filters: { events: [{ id: event, type: 'events' }] },
    });
  }

  /** Waits until the threads recorded every invocation of the destination as finished. */
  async function finished(id: string, count: number): Promise<{ state: string; attempts: number }[]> {
    for (let i = 0; i < 200; i++) {
      const all = await sluice.store.listInvocations(1, id, { limit: count + 10 });
      if (all.length === count && all.every((x) => x.state === 'succeeded' || x.state === 'failed')) return all;
      await sleep(50);
    }
    throw new Error('invocations did not finish');
  }

  const numbersOf = (sink: Sink) => sink.requests.map((r) => Number((r.json as { n: string }).n)).sort((a, b) => a - b);
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);

  it('delivers exactly the matching events, run in both threads and recorded by the main thread', async () => {
    expect(sluice.runtime.deliveryThreads?.size).toBe(2);
    const sink = await newSink();
    const id = await webhookTo(sink.url, 'threaded');
    const events = range(300).map((n) => ({ event: n % 2 === 0 ? 'threaded' : 'other', distinct_id: `u${n % 7}`, properties: { n } }));
    await sendEvents(sluice, events);
    await sink.waitFor(150, 10_000);
    const invocations = await finished(id, 150);
    await sleep(200);
    expect(numbersOf(sink)).toEqual(range(150).map((n) => n * 2));
    expect(invocations.every((i) => i.state === 'succeeded' && i.attempts === 1)).toBe(true);
    // The main thread's worker scheduled them; the threads ran them (both of them, least busy first).
    expect(sluice.runtime.worker.stats).toMatchObject({ succeeded: 150, failed: 0, fetches: 150 });
    const ran = sluice.runtime.deliveryThreads!.ranPerThread;
    expect(ran.reduce((a, b) => a + b, 0)).toBe(150);
    expect(Math.min(...ran)).toBeGreaterThan(0);
  });

  it('retries a 503 in the threads and delivers each event exactly once more', async () => {
    const seen = new Set<string>();
    const sink = await newSink((request) => {
      const n = (request.json as { n: string }).n;
      if (seen.has(n)) return { status: 200 };
      seen.add(n);
      return { status: 503 };
    });
    const id = await webhookTo(sink.url, 'threaded-retry');
    await sendEvents(sluice, range(40).map((n) => ({ event: 'threaded-retry', distinct_id: `u${n}`, properties: { n } })));
    await sink.waitFor(80, 15_000);
    const invocations = await finished(id, 40);
    await sleep(300);
    expect(numbersOf(sink)).toEqual(range(40).flatMap((n) => [n, n]));
    expect(invocations.every((i) => i.state === 'succeeded' && i.attempts === 2)).toBe(true);
  });
});
