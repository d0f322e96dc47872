import type Database from 'better-sqlite3';
import { checkedIncrements, renewOf } from '../counter-batch.js';
import type { CounterIncrement, CounterValue, SharedCounters } from '../store.js';

/** {@link SharedCounters} in the `shared_counters` table (migration 0003). */
export class SqliteCounters implements SharedCounters {
  private readonly q;
  private readonly many: (increments: readonly CounterIncrement[], now: number) => CounterValue[];

  constructor(db: Database.Database) {
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
    this.many = db.transaction((increments: readonly CounterIncrement[], now: number) => {
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
    const row = this.q.increment.get({ key, by, now, expiresAt: now + ttlMs }) as { value: number; expires_at: number };
    return { value: row.value, expiresAt: row.expires_at };
  }

  async set(key: string, value: number, ttlMs: number, now: number): Promise<void> {
    this.q.set.run(key, value, now + ttlMs);
  }

  async get(key: string, now: number): Promise<CounterValue | null> {
    const row = this.q.get.get(key, now) as { value: number; expires_at: number } | undefined;
    return row ? { value: row.value, expiresAt: row.expires_at } : null;
  }

  async delete(key: string): Promise<void> {
    this.q.delete.run(key);
  }

  async sweep(now: number): Promise<number> {
    return this.q.sweep.run(now).changes;
  }
}
