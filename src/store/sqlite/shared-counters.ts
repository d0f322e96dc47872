import type Database from 'better-sqlite3';
import { checkedIncrements, renewOf } from '../counter-batch.js';
import type { CounterIncrement, CounterValue, SharedCounters } from '../store.js';

/**
 * {@link SharedCounters} in the `shared_counters` table (migration 0003). Writes commit without an fsync
 * of their own (`relaxed`): the counters are masking windows and health-bucket shares, which a power loss
 * may set back by the last commits at most (the next fsynced commit makes them durable), while an fsync
 * each would stall the thread that asks — the main thread, every health tick and matcher batch.
 */
export class SqliteCounters implements SharedCounters {
  private readonly q;
  private readonly many: (increments: readonly CounterIncrement[], now: number) => CounterValue[];

  constructor(
    db: Database.Database,
    private readonly relaxed: <T>(fn: () => T) => T = (fn) => db.transaction(fn)(),
  ) {
    this.q = {
      // `renewEvery` (@renew > 0): a new block of n counts moves the expiry (integer division: JS numbers bind as REAL).
      incrementRenew: db.prepare(
        `INSERT INTO shared_counters (key, value, expires_at) VALUES (@key, @by, @expiresAt)
         ON CONFLICT (key) DO UPDATE SET
           value = CASE WHEN shared_counters.expires_at <= @now THEN @by ELSE shared_counters.value + @by END,
           expires_at = CASE
             WHEN shared_counters.expires_at <= @now THEN @expiresAt
             WHEN @renew > 0
               AND (shared_counters.value + CAST(@by AS INTEGER) - 1) / CAST(@renew AS INTEGER) > (shared_counters.value - 1) / CAST(@renew AS INTEGER)
               THEN @expiresAt
             ELSE shared_counters.expires_at END
         RETURNING value, expires_at`,
      ),
      increment: db.prepare(
        `INSERT INTO shared_counters (key, value, expires_at) VALUES (@key, @by, @expiresAt)
         ON CONFLICT (key) DO UPDATE SET
           value = CASE WHEN shared_counters.expires_at <= @now THEN @by ELSE shared_counters.value + @by END,
           expires_at = CASE WHEN shared_counters.expires_at <= @now THEN @expiresAt ELSE shared_counters.expires_at END
         RETURNING value, expires_at`,
      ),
      set: db.prepare(
        `INSERT INTO shared_counters (key, value, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      ),
      get: db.prepare('SELECT value, expires_at FROM shared_counters WHERE key = ? AND expires_at > ?'),
      delete: db.prepare('DELETE FROM shared_counters WHERE key = ?'),
      sweep: db.prepare('DELETE FROM shared_counters WHERE expires_at <= ?'),
    };
    this.many = (increments, now) => this.relaxed(() => {
      const out: CounterValue[] = new Array<CounterValue>(increments.length);
      for (const { increment, index } of checkedIncrements(increments)) {
        const row = this.q.incrementRenew.get({
          key: increment.key,
          by: increment.by,
          now,
          expiresAt: now + increment.ttlMs,
          renew: renewOf(increment),
        }) as { value: number; expires_at: number };
        out[index] = { value: row.value, expiresAt: row.expires_at };
      }
      return out;
    });
  }

  async incrementMany(increments: readonly CounterIncrement[], now: number): Promise<CounterValue[]> {
    if (increments.length === 0) return [];
    return this.many(increments, now);
  }

  async increment(key: string, by: number, ttlMs: number, now: number): Promise<CounterValue> {
    const row = this.relaxed(() => this.q.increment.get({ key, by, now, expiresAt: now + ttlMs }) as { value: number; expires_at: number });
    return { value: row.value, expiresAt: row.expires_at };
  }

  async set(key: string, value: number, ttlMs: number, now: number): Promise<void> {
    this.relaxed(() => this.q.set.run(key, value, now + ttlMs));
  }

  async get(key: string, now: number): Promise<CounterValue | null> {
    const row = this.q.get.get(key, now) as { value: number; expires_at: number } | undefined;
    return row ? { value: row.value, expiresAt: row.expires_at } : null;
  }

  async delete(key: string): Promise<void> {
    this.relaxed(() => this.q.delete.run(key));
  }

  async sweep(now: number): Promise<number> {
    return this.relaxed(() => this.q.sweep.run(now).changes);
  }
}
