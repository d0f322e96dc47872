import { join } from 'node:path';
import type { SharedCounters, Store } from './store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

export type { Store } from './store.js';

export interface OpenStoreOptions {
  /** Folder for the database file; `:memory:` for an in-memory store (tests). Unused with `databaseUrl`. */
  dataDir: string;
  synchronous?: 'full' | 'normal';
  /** SQLite: checkpoint the WAL in a background thread (default). `false` for a second connection to the same file. */
  backgroundCheckpoints?: boolean;
  /** `postgres://…` (`SLUICE_DATABASE_URL`): the Postgres store instead of SQLite. */
  databaseUrl?: string | undefined;
  /** Postgres connections per process (`SLUICE_DATABASE_POOL_SIZE`). Default 6. */
  poolSize?: number | undefined;
  /** Postgres schema (`search_path`), when not the user's default. */
  schema?: string | undefined;
  /**
   * P, the number of partitions of a new store (`SLUICE_PARTITIONS`). Default 16 on Postgres (room for up
   * to 16 worker processes), 1 on SQLite (one process, one writer). An existing store keeps the P it was
   * created with.
   */
  partitions?: number | undefined;
  /** `redis://…` (`SLUICE_REDIS_URL`): the shared counters (masking, health buckets) live in Redis. */
  redisUrl?: string | undefined;
  /** Prefix of the Redis keys. Default `sluice:counter:`. */
  redisPrefix?: string | undefined;
}

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url.trim());
}

/**
 * Opens the configured store (Postgres when `databaseUrl` is a postgres:// URL, else SQLite) and applies
 * pending migrations; with `redisUrl`, its `counters` are Redis's.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const store = await openDatabase(options);
  if (options.redisUrl === undefined || options.redisUrl.trim() === '') return store;
  if (!/^rediss?:\/\//i.test(options.redisUrl.trim())) {
    await store.close();
    throw new Error(`SLUICE_REDIS_URL must be a redis:// or rediss:// URL`);
  }
  const { RedisCounters } = await import('./redis/redis-counters.js');
  let counters;
  try {
    counters = await RedisCounters.open({ url: options.redisUrl.trim(), ...(options.redisPrefix ? { prefix: options.redisPrefix } : {}) });
  } catch (error) {
    await store.close();
    throw error;
  }
  return withCounters(store, counters, () => counters.close());
}

/** The store with other counters; closing it closes them too. */
function withCounters(store: Store, counters: SharedCounters, closeCounters: () => Promise<void>): Store {
  const close = async (): Promise<void> => {
    try {
      await store.close();
    } finally {
      await closeCounters();
    }
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'counters') return counters;
      if (property === 'close') return close;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function openDatabase(options: OpenStoreOptions): Promise<Store> {
  if (options.databaseUrl !== undefined && options.databaseUrl.trim() !== '') {
    if (!isPostgresUrl(options.databaseUrl)) throw new Error(`SLUICE_DATABASE_URL must be a postgres:// URL, not '${options.databaseUrl}'`);
    const { PostgresStore } = await import('./postgres/postgres-store.js');
    return PostgresStore.open({ connectionString: options.databaseUrl.trim(), schema: options.schema, poolSize: options.poolSize, partitions: options.partitions ?? 16 });
  }
  const filename = options.dataDir === ':memory:' ? ':memory:' : join(options.dataDir, 'sluice.db');
  return new SqliteStore({
    filename,
    synchronous: options.synchronous ?? 'full',
    partitions: options.partitions ?? 1,
    ...(options.backgroundCheckpoints === false ? { backgroundCheckpoints: false } : {}),
  });
}
