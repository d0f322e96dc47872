/**
 * The Postgres side of personal API keys (migrations 0001 and 0007): only a key's hash is stored, with its
 * scopes, projects, last use and revocation. `PostgresStore` delegates here.
 */
import { randomUUID } from 'node:crypto';
import type { ApiKey, NewApiKey } from '../store.js';
import { API_KEY_COLUMNS, toApiKey, type ApiKeyRow } from '../rows.js';
import type { PgDb } from './db.js';

export class PgKeyTables {
  constructor(private readonly db: PgDb) {}

  async createApiKey(input: NewApiKey): Promise<ApiKey> {
    const { rows } = await this.db.query<ApiKeyRow>(
      `INSERT INTO api_keys (id, label, secure_value, mask_value, created_at, scopes, scoped_projects)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${API_KEY_COLUMNS}`,
      [
        randomUUID(),
        input.label,
        input.secureValue,
        input.maskValue,
        new Date().toISOString(),
        JSON.stringify(input.scopes),
        input.projects === null ? null : JSON.stringify(input.projects),
      ],
    );
    return toApiKey(rows[0]!);
  }

  async findApiKey(secureValue: string): Promise<ApiKey | null> {
    const { rows } = await this.db.query<ApiKeyRow>(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE secure_value = $1`, [secureValue], 'key-by-secure');
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  async getApiKey(id: string): Promise<ApiKey | null> {
    const { rows } = await this.db.query<ApiKeyRow>(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE id = $1`, [id], 'key-by-id');
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  async listApiKeys(): Promise<ApiKey[]> {
    const { rows } = await this.db.query<ApiKeyRow>(`SELECT ${API_KEY_COLUMNS} FROM api_keys ORDER BY created_at, id`);
    return rows.map(toApiKey);
  }

  async countApiKeys(): Promise<number> {
    return (await this.db.query<{ n: number }>('SELECT count(*) AS n FROM api_keys')).rows[0]!.n;
  }

  async revokeApiKey(id: string, at: string): Promise<ApiKey | null> {
    const { rows } = await this.db.query<ApiKeyRow>(
      `UPDATE api_keys SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2 RETURNING ${API_KEY_COLUMNS}`,
      [at, id],
    );
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  async touchApiKey(id: string, at: string, notBefore: string): Promise<void> {
    await this.db.query(
      'UPDATE api_keys SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)',
      [at, id, notBefore],
      'touch-key',
    );
  }
}
