/**
 * The SQLite side of personal API keys (migrations 0001 and 0007): only a key's hash is stored, with its
 * scopes, projects, last use and revocation. `SqliteStore` delegates here.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ApiKey, NewApiKey } from '../store.js';
import { API_KEY_COLUMNS, toApiKey, type ApiKeyRow } from '../rows.js';

export class SqliteKeyTables {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO api_keys (id, label, secure_value, mask_value, created_at, scopes, scoped_projects)
         VALUES (@id, @label, @secureValue, @maskValue, @createdAt, @scopes, @projects)`,
      ),
      bySecure: db.prepare(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE secure_value = ?`),
      byId: db.prepare(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE id = ?`),
      list: db.prepare(`SELECT ${API_KEY_COLUMNS} FROM api_keys ORDER BY created_at, id`),
      count: db.prepare('SELECT count(*) AS n FROM api_keys'),
      revoke: db.prepare('UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?'),
      touch: db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)'),
    };
  }

  createApiKey(input: NewApiKey): ApiKey {
    const id = randomUUID();
    this.q.insert.run({
      id,
      label: input.label,
      secureValue: input.secureValue,
      maskValue: input.maskValue,
      createdAt: new Date().toISOString(),
      scopes: JSON.stringify(input.scopes),
      projects: input.projects === null ? null : JSON.stringify(input.projects),
    });
    return this.getApiKey(id)!;
  }

  findApiKey(secureValue: string): ApiKey | null {
    const row = this.q.bySecure.get(secureValue) as ApiKeyRow | undefined;
    return row ? toApiKey(row) : null;
  }

  getApiKey(id: string): ApiKey | null {
    const row = this.q.byId.get(id) as ApiKeyRow | undefined;
    return row ? toApiKey(row) : null;
  }

  listApiKeys(): ApiKey[] {
    return (this.q.list.all() as ApiKeyRow[]).map(toApiKey);
  }

  countApiKeys(): number {
    return (this.q.count.get() as { n: number }).n;
  }

  revokeApiKey(id: string, at: string): ApiKey | null {
    if (this.q.revoke.run(at, id).changes === 0) return null;
    return this.getApiKey(id);
  }

  touchApiKey(id: string, at: string, notBefore: string): void {
    this.q.touch.run(at, id, notBefore);
  }
}
