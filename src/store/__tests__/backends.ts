/**
 * The store under test: SQLite (always) or Postgres (when `SLUICE_TEST_BACKEND=postgres`, or in the
 * Postgres contract run). Postgres stores live in fresh random schemas of the test database
 * (`SLUICE_TEST_DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/test`), dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { openStore } from '../index.js';
import { createSchema, dropSchema, probePostgres, urlWithSchema } from '../postgres/schemas.js';
import type { Store } from '../store.js';

export type TestBackend = 'sqlite' | 'postgres';

export const POSTGRES_TEST_URL = process.env.SLUICE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The backend the whole suite runs against (`SLUICE_TEST_BACKEND`, default sqlite). */
export function testBackend(): TestBackend {
  const value = (process.env.SLUICE_TEST_BACKEND ?? 'sqlite').toLowerCase();
  if (value !== 'sqlite' && value !== 'postgres') throw new Error(`SLUICE_TEST_BACKEND must be sqlite or postgres, not '${value}'`);
  return value;
}

export function postgresRequired(): boolean {
  return process.env.CI === 'true' || testBackend() === 'postgres';
}

let probed: Promise<{ ok: true } | { ok: false; error: string }> | null = null;

/**
 * Whether Postgres tests run here: `null` when they do, else why they are skipped. Throws when they
 * are mandatory (`CI=true`, or `SLUICE_TEST_BACKEND=postgres`) and Postgres is unreachable.
 */
export async function postgresSkipReason(): Promise<string | null> {
  probed ??= probePostgres(POSTGRES_TEST_URL);
  const result = await probed;
  if (result.ok) return null;
  const reason = `Postgres is not reachable at ${POSTGRES_TEST_URL.replace(/\/\/[^@/]*@/, '//…@')} (${result.error})`;
  if (postgresRequired()) throw new Error(`${reason}; the Postgres tests are mandatory here (CI=true or SLUICE_TEST_BACKEND=postgres)`);
  return `${reason}: Postgres tests skipped (set SLUICE_TEST_DATABASE_URL to run them)`;
}

export interface TestSchema {
  schema: string;
  /** The test database URL with `search_path` set to this schema. */
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty schema in the test database. */
export async function createTestSchema(prefix = 'sluice_test'): Promise<TestSchema> {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  await createSchema(POSTGRES_TEST_URL, schema);
  return { schema, url: urlWithSchema(POSTGRES_TEST_URL, schema), drop: () => dropSchema(POSTGRES_TEST_URL, schema) };
}

export interface OpenedTestStore {
  store: Store;
  backend: TestBackend;
  /** Postgres: the schema's URL, to open more stores (other "processes") on the same data. */
  url: string | null;
  /** Closes the store and drops its schema. */
  dispose(): Promise<void>;
}

/** A fresh, empty store of the backend under test (with `partitions`: P for the new store). */
export async function openTestStore(backend: TestBackend = testBackend(), options: { partitions?: number } = {}): Promise<OpenedTestStore> {
  if (backend === 'sqlite') {
    const store = await openStore({ dataDir: ':memory:', partitions: options.partitions });
    return { store, backend, url: null, dispose: () => store.close() };
  }
  const schema = await createTestSchema();
  const store = await openStore({ dataDir: ':memory:', databaseUrl: schema.url, poolSize: 4, partitions: options.partitions });
  return {
    store,
    backend,
    url: schema.url,
    async dispose() {
      await store.close();
      await schema.drop();
    },
  };
}
