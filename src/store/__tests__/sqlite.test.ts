import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../sqlite/sqlite-store.js';
import { storeContract } from './store.contract.js';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-store-'));
  dirs.push(dir);
  return join(dir, 'sluice.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

storeContract('SQLite', {
  async open() {
    const store = new SqliteStore({ filename: ':memory:' });
    return { store, dispose: () => store.close() };
  },
});

describe('SQLite store (dialect)', () => {
  it('applies numbered migrations once and records them', async () => {
    const file = tempFile();
    await new SqliteStore({ filename: file }).close();
    await new SqliteStore({ filename: file }).close();
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT version, name FROM schema_migrations').all();
    expect(rows).toEqual([
      { version: 1, name: 'init' },
      { version: 2, name: 'destinations' },
      { version: 3, name: 'shared_counters' },
      { version: 4, name: 'destination_health' },
    ]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('keeps events across a reopen', async () => {
    const file = tempFile();
    const first = new SqliteStore({ filename: file });
    await first.appendEvents([{ projectId: 1, uuid: 'u1', event: 'e', distinct_id: 'd', properties: {}, timestamp: 't', receivedAt: 't' }]);
    await first.close();
    const second = new SqliteStore({ filename: file });
    expect((await second.appendEvents([{ projectId: 1, uuid: 'u2', event: 'e', distinct_id: 'd', properties: {}, timestamp: 't', receivedAt: 't' }])).seqs).toEqual([2]);
    await second.close();
  });
});
