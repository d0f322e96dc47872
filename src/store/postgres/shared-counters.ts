import type { CounterValue, SharedCounters } from '../store.js';
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
