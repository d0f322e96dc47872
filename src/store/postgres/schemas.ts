/**
 * Schema helpers for tests, benchmarks and operators running several Sluice installations in one
 * database: each in its own schema, selected with the connection string's `options=-c search_path=…`.
 */
import pg from 'pg';
import { quoteIdent } from './db.js';

/** The connection string with `search_path` set to `schema` (every connection of every process uses it). */
export function urlWithSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>, connectTimeoutMs = 5_000): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Whether a Postgres server answers at `url` (within `timeoutMs`); the error text when not. */
export async function probePostgres(url: string, timeoutMs = 3_000): Promise<{ ok: true } | { ok: false; error: string }> {
  try {
    await withClient(url, (c) => c.query('SELECT 1'), timeoutMs);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message || String(error) };
  }
}

export async function createSchema(url: string, schema: string): Promise<void> {
  await withClient(url, (c) => c.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`));
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  await withClient(url, (c) => c.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`));
}

/** Runs `sql` once on a fresh connection (test fixtures that need something the Store cannot express). */
export async function runSql<R extends pg.QueryResultRow = pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<R[]> {
  return withClient(url, async (c) => (await c.query<R>(sql, values)).rows);
}
