import { checkedIncrements, renewOf } from '../counter-batch.js';
import type { CounterIncrement, CounterValue, SharedCounters } from '../store.js';
import type { PgDb } from './db.js';

/** {@link SharedCounters} in the `shared_counters` table (migration 0003); each call is one atomic statement. */
export class PgCounters implements SharedCounters {
  constructor(private readonly db: PgDb) {}

  async increment(key: string, by: number, ttlMs: number, now: number): Promise<CounterValue> {
    const { rows } = await this.db.query<{ value: number; expires_at: number }>(
      `INSERT INTO shared_counters AS c (key, value, expires_at) VALUES ($1, $2, $4)
       ON CONFLICT (key) DO UPDATE SET
         value = CASE WHEN c.expires_at <= $3 THEN $2 ELSE c.value + $2 END,
         expires_at = CASE WHEN c.expires_at <= $3 THEN $4 ELSE c.expires_at END
       RETURNING value, expires_at`,
      [key, by, now, now + ttlMs],
      'counter-increment',
    );
    return { value: rows[0]!.value, expiresAt: rows[0]!.expires_at };
  }

  /**
   * One statement for the whole batch, rows in key order (two processes never lock the same rows in
   * opposite orders). `renewEvery` is not a column, so the update reads it back from the input arrays.
   */
  async incrementMany(increments: readonly CounterIncrement[], now: number): Promise<CounterValue[]> {
    if (increments.length === 0) return [];
    const ordered = checkedIncrements(increments);
    const keys = ordered.map((o) => o.increment.key);
    const { rows } = await this.db.query<{ key: string; value: number; expires_at: number }>(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) WITH ORDINALITY AS u(key, by, ttl, renew, ord)
       )
       INSERT INTO shared_counters AS c (key, value, expires_at)
       SELECT key, by, $5::bigint + ttl FROM input ORDER BY ord
       ON CONFLICT (key) DO UPDATE SET
         value = CASE WHEN c.expires_at <= $5 THEN excluded.value ELSE c.value + excluded.value END,
         expires_at = CASE
           WHEN c.expires_at <= $5 THEN excluded.expires_at
           WHEN (SELECT i.renew FROM input i WHERE i.key = excluded.key) > 0
             AND (c.value + excluded.value - 1) / (SELECT i.renew FROM input i WHERE i.key = excluded.key)
               > (c.value - 1) / (SELECT i.renew FROM input i WHERE i.key = excluded.key)
             THEN excluded.expires_at
           ELSE c.expires_at END
       RETURNING key, value, expires_at`,
      [keys, ordered.map((o) => o.increment.by), ordered.map((o) => o.increment.ttlMs), ordered.map((o) => renewOf(o.increment)), now],
      'counter-increment-many',
    );
    const byKey = new Map(rows.map((r) => [r.key, { value: Number(r.value), expiresAt: Number(r.expires_at) }]));
    return increments.map((inc) => byKey.get(inc.key)!);
  }

  async set(key: string, value: number, ttlMs: number, now: number): Promise<void> {
    await this.db.query(
      `INSERT INTO shared_counters (key, value, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      [key, value, now + ttlMs],
      'counter-set',
    );
  }

  async get(key: string, now: number): Promise<CounterValue | null> {
    const { rows } = await this.db.query<{ value: number; expires_at: number }>(
      'SELECT value, expires_at FROM shared_counters WHERE key = $1 AND expires_at > $2',
      [key, now],
      'counter-get',
    );
    return rows[0] ? { value: rows[0].value, expiresAt: rows[0].expires_at } : null;
  }

  async delete(key: string): Promise<void> {
    await this.db.query('DELETE FROM shared_counters WHERE key = $1', [key]);
  }

  async sweep(now: number): Promise<number> {
    return (await this.db.query('DELETE FROM shared_counters WHERE expires_at <= $1', [now])).rowCount ?? 0;
  }
}
