/**
 * The {@link SharedCounters} contract, the same for the SQL tables and Redis: `now` is the caller's
 * clock on every backend, so the tests use small fake times.
 */
import { describe, expect, it } from 'vitest';
import type { SharedCounters } from '../store.js';

export interface CountersFactory {
  /** Fresh counters (a new store, or a new random Redis prefix) and how to close them. */
  open(): Promise<{ counters: SharedCounters; close(): Promise<void> }>;
}

export function countersContract(name: string, factory: CountersFactory): void {
  describe(`${name} shared counters (contract)`, () => {
    const withCounters = (test: (c: SharedCounters) => Promise<void>) => async () => {
      const { counters, close } = await factory.open();
      try {
        await test(counters);
      } finally {
        await close();
      }
    };

    it(
      'counts atomically with a time to live',
      withCounters(async (c) => {
        expect(await c.get('k', 0)).toBeNull();
        expect(await c.increment('k', 1, 1_000, 0)).toEqual({ value: 1, expiresAt: 1_000 });
        expect(await c.increment('k', 2, 1_000, 500)).toEqual({ value: 3, expiresAt: 1_000 });
        expect(await c.get('k', 999)).toEqual({ value: 3, expiresAt: 1_000 });
        expect(await c.get('k', 1_000)).toBeNull();
        expect(await c.increment('k', 1, 1_000, 1_000)).toEqual({ value: 1, expiresAt: 2_000 });
        const all = await Promise.all(Array.from({ length: 20 }, () => c.increment('many', 1, 10_000, 0)));
        expect(all.map((v) => v.value).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        await c.set('k', 10, 100, 5_000);
        expect(await c.get('k', 5_000)).toEqual({ value: 10, expiresAt: 5_100 });
        await c.delete('many');
        expect(await c.get('many', 0)).toBeNull();
        expect(await c.sweep(6_000)).toBeGreaterThanOrEqual(0);
        expect(await c.get('k', 6_000)).toBeNull();
      }),
    );

    it(
      'increments a batch in one call, values in the order given',
      withCounters(async (c) => {
        expect(await c.incrementMany([], 0)).toEqual([]);
        await c.increment('b', 5, 1_000, 0);
        const values = await c.incrementMany(
          [
            { key: 'c', by: 2, ttlMs: 500 },
            { key: 'b', by: 1, ttlMs: 1_000 },
            { key: 'a', by: 3, ttlMs: 2_000 },
          ],
          100,
        );
        expect(values).toEqual([
          { value: 2, expiresAt: 600 },
          { value: 6, expiresAt: 1_000 },
          { value: 3, expiresAt: 2_100 },
        ]);
        // an expired counter starts again inside a batch too
        expect(await c.incrementMany([{ key: 'c', by: 1, ttlMs: 500 }], 600)).toEqual([{ value: 1, expiresAt: 1_100 }]);
        await expect(c.incrementMany([{ key: 'x', by: 1, ttlMs: 10 }, { key: 'x', by: 1, ttlMs: 10 }], 0)).rejects.toThrow(/repeated/);
        // by 0 reads (and opens a window when there is none)
        expect(await c.incrementMany([{ key: 'b', by: 0, ttlMs: 1_000 }, { key: 'z', by: 0, ttlMs: 50 }], 700)).toEqual([
          { value: 6, expiresAt: 1_000 },
          { value: 0, expiresAt: 750 },
        ]);
      }),
    );

    it(
      'renews the expiry when a count enters a new block of renewEvery (masking threshold)',
      withCounters(async (c) => {
        const inc = (by: number, now: number) => c.incrementMany([{ key: 'm', by, ttlMs: 1_000, renewEvery: 3 }], now);
        expect(await inc(1, 0)).toEqual([{ value: 1, expiresAt: 1_000 }]);
        expect(await inc(2, 100)).toEqual([{ value: 3, expiresAt: 1_000 }]); // 2, 3: same block
        expect(await inc(1, 200)).toEqual([{ value: 4, expiresAt: 1_200 }]); // 4 = 1 + 3: new block
        expect(await inc(5, 300)).toEqual([{ value: 9, expiresAt: 1_300 }]); // 5..9 holds 7 = 1 + 2·3
        expect(await inc(1, 400)).toEqual([{ value: 10, expiresAt: 1_400 }]); // 10 = 1 + 3·3
        expect(await inc(1, 500)).toEqual([{ value: 11, expiresAt: 1_400 }]);
        // several thresholds and none in one batch
        const mixed = (now: number) =>
          c.incrementMany(
            [
              { key: 'r2', by: 2, ttlMs: 1_000, renewEvery: 2 },
              { key: 'none', by: 2, ttlMs: 1_000 },
              { key: 'r3', by: 2, ttlMs: 1_000, renewEvery: 3 },
            ],
            now,
          );
        expect(await mixed(0)).toEqual([
          { value: 2, expiresAt: 1_000 },
          { value: 2, expiresAt: 1_000 },
          { value: 2, expiresAt: 1_000 },
        ]);
        expect(await mixed(100)).toEqual([
          { value: 4, expiresAt: 1_100 }, // 3 = 1 + 2
          { value: 4, expiresAt: 1_000 },
          { value: 4, expiresAt: 1_100 }, // 4 = 1 + 3
        ]);
      }),
    );

    it(
      'keeps concurrent batches on the same keys exact',
      withCounters(async (c) => {
        const keys = ['p', 'q', 'r'];
        const results = await Promise.all(
          Array.from({ length: 15 }, (_, i) =>
            c.incrementMany(
              (i % 2 === 0 ? keys : [...keys].reverse()).map((key) => ({ key, by: 1, ttlMs: 60_000 })),
              0,
            ),
          ),
        );
        for (const key of keys) expect((await c.get(key, 0))?.value).toBe(15);
        const seenP = results.map((r, i) => r[i % 2 === 0 ? 0 : 2]!.value).sort((a, b) => a - b);
        expect(seenP).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
      }),
    );
  });
}
