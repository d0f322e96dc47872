/**
 * The connection layer of the Postgres store: one pool, typed the way the store wants (BIGINT and
 * NUMERIC as JavaScript numbers: seqs and epoch milliseconds stay far below 2^53), transactions with a
 * retry on deadlock or serialization failure, and the per-schema names advisory locks and
 * notification channels use (advisory locks are database-wide; two Sluice schemas in one database must
 * not share them).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** BIGINT (seq, epoch ms, counts) → number. */
const types: pg.CustomTypesConfig = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

export interface PgConnectOptions {
  connectionString: string;
  /** Schema for every connection (`search_path`); default: the server's default for the user. */
  schema?: string | undefined;
  /** Pool size. Default 6: enough for capture, person processing, matching and claiming to overlap on 2 cores. */
  poolSize?: number | undefined;
}

const RETRYABLE = new Set(['40P01', '40001']);

export type Queryable = pg.Pool | pg.PoolClient | pg.Client;

export class PgDb {
  readonly pool: pg.Pool;
  /** The schema tables live in (`current_schema()`), known after `init()`. */
  schema = 'public';
  private readonly clientConfig: pg.ClientConfig;

  constructor(private readonly options: PgConnectOptions) {
    this.clientConfig = {
      connectionString: options.connectionString,
      types,
      keepAlive: true,
      ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
    };
    this.pool = new pg.Pool({ ...this.clientConfig, max: options.poolSize ?? 6, idleTimeoutMillis: 30_000 });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => {});
  }

  async init(): Promise<void> {
    const { rows } = await this.pool.query<{ schema: string | null }>('SELECT current_schema() AS schema');
    if (!rows[0]?.schema) throw new Error('the Postgres search_path names no existing schema');
    this.schema = rows[0].schema;
  }

  /** A connection outside the pool (LISTEN, leadership): the caller ends it. */
  async dedicatedClient(): Promise<pg.Client> {
    const client = new pg.Client(this.clientConfig);
    client.on('error', () => {});
    await client.connect();
    return client;
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[], name?: string): Promise<pg.QueryResult<R>> {
    return this.pool.query<R>(name ? { name, text, values: values ?? [] } : { text, values: values ?? [] });
  }

  /** Runs `fn` in one transaction; retried (whole) after a deadlock or serialization failure. */
  async tx<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        const code = (error as { code?: string }).code;
        if (code !== undefined && RETRYABLE.has(code) && attempt < 5) {
          await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
          continue;
        }
        throw error;
      } finally {
        client.release(broken);
      }
    }
  }

  /** A 64-bit advisory lock key for `name` in this schema. */
  lockKey(name: string): string {
    return createHash('sha256').update(`${this.schema}\u0000${name}`).digest().readBigInt64BE(0).toString();
  }

  /** A notification channel name for `name` in this schema (an identifier, at most 63 bytes). */
  channel(name: string): string {
    const hash = createHash('sha256').update(this.schema).digest('hex').slice(0, 12);
    return `sluice_${name}_${hash}`;
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
