import { loadMigrations } from '../migrations.js';
import type { PgDb } from './db.js';

/**
 * Applies every migration not yet in `schema_migrations`, each in its own transaction. Several processes
 * starting at once take turns on an advisory lock, so each migration runs exactly once.
 */
export async function migratePostgres(db: PgDb): Promise<number[]> {
  const client = await db.pool.connect();
  const key = db.lockKey('migrations');
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const done: number[] = [];
    for (const migration of loadMigrations('postgres')) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          new Date().toISOString(),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Postgres migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`);
      }
      done.push(migration.version);
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => {});
    client.release();
  }
}
