/**
 * The numbered `.sql` migrations of one store dialect: found on disk, parsed and checked. Applying them is
 * each adapter's own business (`sqlite/migrator.ts`, `postgres/migrator.ts`); the SQL differs by dialect.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A numbered migration file: `0001_init.sql` → version 1, name `init`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATION_FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

const LABEL = { sqlite: 'SQLite', postgres: 'Postgres' } as const;

/**
 * `<dialect>/migrations/` beside this module (scripts/copy-assets.mjs copies them into `dist/`), else the
 * source tree's folder of the same package (from `dist/src/store/`).
 */
function migrationsDir(dialect: 'sqlite' | 'postgres'): string {
  const candidates = [
    new URL(`./${dialect}/migrations/`, import.meta.url),
    new URL(`../../../src/store/${dialect}/migrations/`, import.meta.url),
  ];
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  throw new Error(`${LABEL[dialect]} migrations folder not found (looked in ${candidates.map((c) => fileURLToPath(c)).join(', ')})`);
}

/** The dialect's migrations in version order; they must be numbered 0001, 0002, … without gaps. */
export function loadMigrations(dialect: 'sqlite' | 'postgres'): Migration[] {
  const dir = migrationsDir(dialect);
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const match = MIGRATION_FILE.exec(file);
    if (!match) continue;
    migrations.push({ version: Number(match[1]), name: match[2]!, sql: readFileSync(`${dir}/${file}`, 'utf8') });
  }
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`${LABEL[dialect]} migrations must be numbered 0001, 0002, … without gaps (found ${m.version} at position ${i + 1})`);
    }
  });
  return migrations;
}
