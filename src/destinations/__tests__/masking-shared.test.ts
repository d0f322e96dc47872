/**
 * `SharedMaskingGate`: `MaskingGate`'s decisions on the store's shared counters, batched, surviving a
 * restart (SQLite file) and shared by two stores on one Postgres schema (skipped visibly without Postgres,
 * mandatory with CI=true).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../store/index.js';
import { createTestSchema, postgresSkipReason } from '../../store/__tests__/backends.js';
import { MaskingGate, maskingRuns, SharedMaskingGate, type MaskingCheck } from '../masking.js';

const masking = { ttl: 60, threshold: null };
const check = (key: string, m: MaskingCheck['masking'] = masking, destinationId = 'd1', version = 1): MaskingCheck => ({ destinationId, version, key, masking: m });

describe('maskingRuns', () => {
  it('runs the first event of a window, and every n-th after it with a threshold', () => {
    expect(maskingRuns(0, 3, null)).toEqual([true, false, false]);
    expect(maskingRuns(2, 2, null)).toEqual([false, false]);
    expect(maskingRuns(0, 7, 3)).toEqual([true, false, false, true, false, false, true]);
    expect(maskingRuns(2, 3, 3)).toEqual([false, true, false]);
  });
});

describe('SharedMaskingGate', () => {
  it('decides like MaskingGate, whatever the batching (SQLite)', async () => {
    const store = await openStore({ dataDir: ':memory:' });
    try {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              key: fc.constantFrom('a', 'b', 'c'),
              destination: fc.constantFrom('d1', 'd2'),
              advanceMs: fc.constantFrom(0, 0, 1_000, 30_000, 61_000),
              batchEnd: fc.boolean(),
            }),
            { maxLength: 40 },
          ),
          fc.constantFrom(null, 1, 2, 3),
          async (events, threshold) => {
            run++;
            const m = { ttl: 60, threshold };
            const memory = new MaskingGate();
            const shared = new SharedMaskingGate(store.counters, `mask-${run}:`);
            let now = 1_000_000;
            const expected: boolean[] = [];
            const actual: boolean[] = [];
            let batch: MaskingCheck[] = [];
            const flush = async () => {
              actual.push(...(await shared.decide(batch, now)));
              batch = [];
            };
            for (const e of events) {
              // a batch is decided at one time: the clock moves between batches only
              if (e.advanceMs > 0 && batch.length > 0) await flush();
              now += e.advanceMs;
              expected.push(memory.shouldRun(e.destination, e.key, now, m));
              batch.push(check(e.key, m, e.destination));
              if (e.batchEnd) await flush();
            }
            await flush();
            expect(actual).toEqual(expected);
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      await store.close();
    }
  });

  it('starts fresh windows for a new destination version', async () => {
    const store = await openStore({ dataDir: ':memory:' });
    const gate = new SharedMaskingGate(store.counters);
    expect(await gate.decide([check('k'), check('k')], 0)).toEqual([true, false]);
    expect(await gate.decide([check('k', masking, 'd1', 2)], 1)).toEqual([true]);
    await store.close();
  });

  it('holds across a restart (SQLite file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-masking-'));
    try {
      let store = await openStore({ dataDir: dir });
      expect(await new SharedMaskingGate(store.counters).decide([check('p1')], 1_000)).toEqual([true]);
      await store.close();
      store = await openStore({ dataDir: dir });
      const gate = new SharedMaskingGate(store.counters);
      expect(await gate.decide([check('p1'), check('p2')], 30_000)).toEqual([false, true]);
      expect(await gate.decide([check('p1')], 61_000)).toEqual([true]);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const skipReason = await postgresSkipReason();
if (skipReason !== null) {
  console.warn(`[sluice] ${skipReason}`);
  describe('SharedMaskingGate on Postgres', () => it.skip(skipReason, () => {}));
} else {
  describe('SharedMaskingGate on Postgres', () => {
    const drops: (() => Promise<void>)[] = [];
    afterAll(async () => {
      await Promise.all(drops.map((d) => d()));
    });

    it('is the same for two stores (processes) on one schema', async () => {
      const schema = await createTestSchema();
      drops.push(() => schema.drop());
      const a = await openStore({ dataDir: ':memory:', databaseUrl: schema.url, poolSize: 2 });
      const b = await openStore({ dataDir: ':memory:', databaseUrl: schema.url, poolSize: 2 });
      try {
        const gateA = new SharedMaskingGate(a.counters);
        const gateB = new SharedMaskingGate(b.counters);
        expect(await gateA.decide([check('p1')], 1_000)).toEqual([true]);
        expect(await gateB.decide([check('p1'), check('p2')], 2_000)).toEqual([false, true]);
        // threshold 3: runs 1, 4, 7 of a window, counted across both
        const t = { ttl: 60, threshold: 3 };
        const decisions = [
          ...(await gateA.decide([check('t', t), check('t', t)], 3_000)),
          ...(await gateB.decide([check('t', t), check('t', t)], 3_000)),
          ...(await gateA.decide([check('t', t), check('t', t), check('t', t)], 3_000)),
        ];
        expect(decisions).toEqual([true, false, false, true, false, false, true]);
        // concurrent batches from both: exactly one run for a fresh key
        const both = await Promise.all([gateA.decide([check('c')], 4_000), gateB.decide([check('c')], 4_000)]);
        expect(both.flat().filter(Boolean)).toHaveLength(1);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
}
