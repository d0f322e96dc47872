import { join } from 'node:path';
import type { Store } from './store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

export type { Store } from './store.js';

export interface OpenStoreOptions {
  /** Folder for the database file; `:memory:` for an in-memory store (tests). */
  dataDir: string;
  synchronous?: 'full' | 'normal';
}

/** Opens the configured store and applies pending migrations. Only SQLite exists today. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const filename = options.dataDir === ':memory:' ? ':memory:' : join(options.dataDir, 'sluice.db');
  return new SqliteStore({ filename, synchronous: options.synchronous ?? 'full' });
}
