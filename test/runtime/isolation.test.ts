/**
 * Isolation: one of ten destinations times out on every request; the other nine keep their delivery
 * rate. Stated bound (docs/health.md): with the bad destination timing out, the nine deliver at ≥ 80% of
 * the rate they reach without it — measured ≈100%. The assertion is looser (≥ 50%, p95 within 3× +
 * 500 ms) because two short runs on a loaded 2-core CI machine vary by ±20% on their own; it still
 * fails clearly for the failure it guards against (without the cap the nine fall to ≈7%).
 *
 * The worst case is measured: the health watcher's bucket is made so large that the bad destination is
 * never degraded or disabled during the run, so only the per-destination concurrency cap (a quarter of
 * the worker's slots) keeps it from holding every slot. (With the default policy it would also be
 * disabled after about 100 timeouts and its invocations parked.) Fetch timeout 2 s, 40 worker slots.
 *
 * Measured (2 cores, loaded): nine alone ≈2 200 deliveries/s, p95 1.6 s for a 400-event burst; with the
 * tenth timing out ≈2 960/s (the run-to-run noise is larger than the effect), p95 1.2 s. The same run
 * without the cap (`maxPerDestination: 40`) drops to ≈195/s (7%), p95 18 s: every slot waits on a timeout.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetchExecutor, type FetchExecutor } from '../../src/runtime/fetch.js';
import { healthPolicy } from '../../src/runtime/health.js';
import type { TestSluice } from '../ingest/helpers.js';
import { createDestination, sendEvents, startRuntimeSluice, startSink, type Sink } from './helpers.js';

const EVENTS = 400;
const TIMEOUT_MS = 2_000;
/** Worker slots; the cap per destination is a quarter (10). */
const CONCURRENCY = 40;

describe('isolation: one destination timing out among ten', () => {
  let sluice: TestSluice;
  let fetcher: FetchExecutor;
  const good: Sink[] = [];
  let silent: Server;
  let silentUrl = '';
  let hung = 0;

  beforeAll(async () => {
    for (let i = 0; i < 9; i++) good.push(await startSink());
    // Reads the request, never answers.
    silent = createServer((req) => {
      hung++;
      req.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    fetcher = createFetchExecutor({ timeoutMs: TIMEOUT_MS, allowList: '127.0.0.1' });
    sluice = await startRuntimeSluice({
      runtime: { fetcher, worker: { pollMs: 20, concurrency: CONCURRENCY }, health: { policy: healthPolicy({ bucketSize: 1e12 }) } },
    });
    for (let i = 0; i < 9; i++) {
      await createDestination(sluice, {
        template_id: 'template-webhook',
        name: `good ${i}`,
        inputs: { url: { value: `${good[i]!.url}/good` } },
        filters: { events: [{ id: 'load', type: 'events' }] },
      });
    }
  });
  afterAll(async () => {
    await sluice.stop();
    await fetcher.close();
    for (const sink of good) await sink.close();
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });

  /** Sends `EVENTS` events; resolves with the nine sinks' delivery rate and p95 latency. */
  async function round(label: string): Promise<{ rate: number; p95: number }> {
    const before = good.map((s) => s.requests.length);
    const target = before.map((n) => n + EVENTS);
    const started = Date.now();
    const events = Array.from({ length: EVENTS }, (_, n) => ({ event: 'load', distinct_id: `u${n % 20}`, properties: { label, sent_at: Date.now() } }));
    await sendEvents(sluice, events);
    await Promise.all(good.map((s, i) => s.waitFor(target[i]!, 30_000)));
    const elapsed = (Date.now() - started) / 1000;
    const latencies = good.flatMap((s, i) => s.requests.slice(before[i]!).map((r) => r.at - started)).sort((a, b) => a - b);
    const p95 = latencies[Math.floor(latencies.length * 0.95)]!;
    return { rate: (9 * EVENTS) / elapsed, p95 };
  }

  it('the nine keep ≥ 80% of their delivery rate while the tenth times out on every request', async () => {
    await round('warm-up');
    const alone = await round('nine alone');

    const bad = await createDestination(sluice, {
      template_id: 'template-webhook',
      name: 'times out',
      inputs: { url: { value: `${silentUrl}/never` } },
      filters: { events: [{ id: 'load', type: 'events' }] },
    });
    const withBad = await round('with the bad one');
    const stats = sluice.runtime.worker.stats;
    console.log(
      `[isolation] nine alone: ${alone.rate.toFixed(0)} deliveries/s, p95 ${alone.p95} ms; ` +
        `with one timing out: ${withBad.rate.toFixed(0)} deliveries/s (${((withBad.rate / alone.rate) * 100).toFixed(0)}%), p95 ${withBad.p95} ms; ` +
        `requests left hanging: ${hung}, retries so far: ${stats.retried}, bad destination health: ${sluice.runtime.health.stateOf(bad)}`,
    );
    expect(hung).toBeGreaterThan(0);
    expect(withBad.rate).toBeGreaterThanOrEqual(0.5 * alone.rate);
    expect(withBad.p95).toBeLessThanOrEqual(3 * alone.p95 + 500);
  });
});
