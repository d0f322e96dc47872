import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PgDb } from './db.js';

interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATION_FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** `migrations/` beside this module (copied into dist by scripts/copy-assets.mjs), else the source tree's. */
function migrationsDir(): string {
  const candidates = [
    new URL('./migrations/', import.meta.url),
    new URL('../../../../src/store/postgres/migrations/', import.meta.url),
  ];
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  throw new Error(`Postgres migrations folder not found (looked in ${candidates.map((c) => fileURLToPath(c)).join(', ')})`);
}

export function loadPostgresMigrations(): Migration[] {
  const dir = migrationsDir();
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const match = MIGRATION_FILE.exec(file);
    if (!match) continue;
    migrations.push({ version: Number(match[1]), name: match[2]!, sql: readFileSync(`${dir}/${file}`, 'utf8') });
  }
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Postgres migrations must be numbered 0001, 0002, … without gaps (found ${m.version} at position ${i + 1})`);
  });
  return migrations;
}

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
    for (const migration of loadPostgresMigrations()) {
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
