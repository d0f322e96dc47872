/**
 * State that several processes share through `store.counters`: one health bucket per destination drained
 * by every worker (two monitors on two stores of one Postgres schema — skipped visibly without Postgres,
 * mandatory with CI=true), and masking windows that outlive a restart of the whole Sluice (SQLite data dir).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HEALTH_COUNTER_PREFIX, HealthMonitor } from '../../src/runtime/health-monitor.js';
import { healthPolicy } from '../../src/runtime/health.js';
import { openStore } from '../../src/store/index.js';
import { createTestSchema, postgresSkipReason, testBackend } from '../../src/store/__tests__/backends.js';
import type { Store } from '../../src/store/store.js';
import { createDestination, sendEvents, startRuntimeSluice, startSink } from './helpers.js';

// 1 000 tokens, no refill: degraded at 800, disabled below 0; a failed invocation takes 100.
const policy = healthPolicy({ bucketSize: 1_000, refillPerSecond: 0 });
const failed = { kind: 'failed', error: 'boom' } as const;

function monitor(store: Store, now: () => number): HealthMonitor {
  return new HealthMonitor({ store, policy, now, tickMs: 3_600_000, persistMs: 3_600_000 });
}

const skipReason = await postgresSkipReason();
if (skipReason !== null) {
  console.warn(`[sluice] ${skipReason}`);
  describe('shared health bucket on Postgres', () => it.skip(skipReason, () => {}));
} else {
  describe('shared health bucket on Postgres', () => {
    const drops: (() => Promise<void>)[] = [];
    afterAll(async () => {
      await Promise.all(drops.map((d) => d()));
    });

    it('drains one bucket per destination with the failures both workers observe', async () => {
      const schema = await createTestSchema();
      drops.push(() => schema.drop());
      const storeA = await openStore({ dataDir: ':memory:', databaseUrl: schema.url, poolSize: 2 });
      const storeB = await openStore({ dataDir: ':memory:', databaseUrl: schema.url, poolSize: 2 });
      let clock = 1_000_000;
      const now = () => clock;
      const a = monitor(storeA, now);
      const b = monitor(storeB, now);
      try {
        await a.start();
        await b.start();
        for (let i = 0; i < 3; i++) a.observe(1, 'd1', failed);
        for (let i = 0; i < 3; i++) b.observe(1, 'd1', failed);
        // each alone: 700 tokens, degraded
        expect([a.stateOf('d1'), b.stateOf('d1')]).toEqual(['degraded', 'degraded']);
        await a.share();
        await b.share(); // B takes A's 300
        await a.share(); // A takes B's 300
        expect((await storeA.counters.get(`${HEALTH_COUNTER_PREFIX}d1`, clock))?.value).toBe(600_000);
        // 5 more failures on A: 400 - 500 < 0 (alone, A would be at 200 and still running)
        clock += 1_000;
        for (let i = 0; i < 5; i++) a.observe(1, 'd1', failed);
        expect(a.stateOf('d1')).toBe('disabled_temporarily');
        expect(b.stateOf('d1')).toBe('degraded');
        await a.share();
        await b.share();
        expect(b.stateOf('d1')).toBe('disabled_temporarily');
        expect(b.changes.at(-1)).toMatchObject({ from: 'degraded', to: 'disabled_temporarily', destinationId: 'd1' });
        expect(b.changes.at(-1)!.reason).toMatch(/token bucket empty/);
      } finally {
        await a.stop();
        await b.stop();
        await storeA.close();
        await storeB.close();
      }
      // a third worker starting now counts what is stored, not the counter's past over again
      const storeC = await openStore({ dataDir: ':memory:', databaseUrl: schema.url, poolSize: 2 });
      const c = monitor(storeC, now);
      try {
        await c.start();
        expect(c.stateOf('d1')).toBe('disabled_temporarily');
        clock += policy.temporaryDisableMs;
        c.tick();
        await c.share();
        expect(c.stateOf('d1')).toBe('degraded'); // back at 800 tokens, no old failures taken again
      } finally {
        await c.stop();
        await storeC.close();
      }
    });
  });
}

describe('shared state across a restart', () => {
  it.skipIf(testBackend() !== 'sqlite')('keeps masking windows when Sluice restarts on the same data dir (SQLite)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-restart-'));
    const sink = await startSink();
    try {
      let sluice = await startRuntimeSluice({ dataDir });
      const id = await createDestination(sluice, {
        template_id: 'template-webhook',
        inputs: { url: { value: sink.url } },
        filters: { events: [{ id: 'masked-event', type: 'events' }] },
        masking: { ttl: 600, hash: '{person.id}', threshold: null },
      });
      await sendEvents(sluice, [{ event: 'masked-event', distinct_id: 'p1' }]);
      await sink.waitFor(1);
      await sluice.runtime.worker.idle();
      await sluice.close();

      sluice = await startRuntimeSluice({ dataDir });
      try {
        await sendEvents(sluice, [
          { event: 'masked-event', distinct_id: 'p1' },
          { event: 'masked-event', distinct_id: 'p2' },
        ]);
        await sink.waitFor(2);
        await sluice.runtime.worker.idle();
        await sluice.runtime.recorder.flush();
        expect(sink.requests).toHaveLength(2);
        const points = await sluice.store.queryMetrics(1, id, { after: '2000-01-01T00:00:00.000Z', before: '2100-01-01T00:00:00.000Z', interval: 'day', names: ['masked'] });
        expect(points.reduce((sum, p) => sum + p.count, 0)).toBe(1);
      } finally {
        await sluice.close();
      }
    } finally {
      await sink.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
