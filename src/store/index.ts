import { join } from 'node:path';
import type { Store } from './store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

export type { Store } from './store.js';

export interface OpenStoreOptions {
  /** Folder for the database file; `:memory:` for an in-memory store (tests). Unused with `databaseUrl`. */
  dataDir: string;
  synchronous?: 'full' | 'normal';
  /** `postgres://…` (`SLUICE_DATABASE_URL`): the Postgres store instead of SQLite. */
  databaseUrl?: string | undefined;
  /** Postgres connections per process (`SLUICE_DATABASE_POOL_SIZE`). Default 6. */
  poolSize?: number | undefined;
  /** Postgres schema (`search_path`), when not the user's default. */
  schema?: string | undefined;
}

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url.trim());
}

/** Opens the configured store (Postgres when `databaseUrl` is a postgres:// URL, else SQLite) and applies pending migrations. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.databaseUrl !== undefined && options.databaseUrl.trim() !== '') {
    if (!isPostgresUrl(options.databaseUrl)) throw new Error(`SLUICE_DATABASE_URL must be a postgres:// URL, not '${options.databaseUrl}'`);
    const { PostgresStore } = await import('./postgres/postgres-store.js');
    return PostgresStore.open({ connectionString: options.databaseUrl.trim(), schema: options.schema, poolSize: options.poolSize });
  }
  const filename = options.dataDir === ':memory:' ? ':memory:' : join(options.dataDir, 'sluice.db');
  return new SqliteStore({ filename, synchronous: options.synchronous ?? 'full' });
}
