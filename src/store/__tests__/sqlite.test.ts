import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  async open({ partitions }) {
    const store = new SqliteStore({ filename: ':memory:', partitions });
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
      { version: 5, name: 'function_type' },
      { version: 6, name: 'scrub_plaintext_suspensions' },
      { version: 7, name: 'scoped_keys' },
      { version: 8, name: 'partitions' },
      { version: 9, name: 'transformed_events' },
    ]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('keeps a key made before scoped keys working as an admin key: every scope, every project', async () => {
    const file = tempFile();
    await new SqliteStore({ filename: file, backgroundCheckpoints: false }).close();
    // The key table as an older Sluice left it: before migration 7, one key.
    const db = new Database(file);
    db.prepare('DELETE FROM schema_migrations WHERE version = 7').run();
    for (const column of ['scopes', 'scoped_projects', 'last_used_at', 'revoked_at']) db.exec(`ALTER TABLE api_keys DROP COLUMN ${column}`);
    db.prepare("INSERT INTO api_keys (id, label, secure_value, mask_value, created_at) VALUES ('old', 'admin', 'hash', '…abcd', '2025-01-01T00:00:00.000Z')").run();
    db.close();

    const store = new SqliteStore({ filename: file, backgroundCheckpoints: false });
    expect(await store.findApiKey('hash')).toEqual({
      id: 'old',
      label: 'admin',
      maskValue: '…abcd',
      createdAt: '2025-01-01T00:00:00.000Z',
      scopes: ['*'],
      projects: null,
      lastUsedAt: null,
      revokedAt: null,
    });
    await store.close();
  });

  it('scrubs the plaintext suspensions an older Sluice stored, from the rows and from the file, and keeps sealed ones', async () => {
    const file = tempFile();
    await new SqliteStore({ filename: file, backgroundCheckpoints: false }).close();
    // The database as an older Sluice left it: before migration 6, with a suspension stored in plaintext.
    const db = new Database(file);
    db.prepare('DELETE FROM schema_migrations WHERE version = 6').run();
    const insert = db.prepare(
      `INSERT INTO invocations (id, project_id, destination_id, event_uuid, globals, priority, scheduled_at, state, suspension, created_at)
       VALUES (?, 1, 'd', 'e', '{}', 0, 0, 'queued', ?, 0)`,
    );
    const plaintext = JSON.stringify({ request: { url: 'https://api.example.com', headers: { Authorization: 'Bearer sk_live_plaintext_4242' } } });
    const sealed = JSON.stringify({ encrypted: 'v1:abcd1234:iv:tag:ciphertext' });
    insert.run('plain', plaintext);
    insert.run('sealed', sealed);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();

    await new SqliteStore({ filename: file, backgroundCheckpoints: false }).close();
    const after = new Database(file, { readonly: true });
    const rows = after.prepare('SELECT id, suspension FROM invocations ORDER BY id').all();
    after.close();
    expect(rows).toEqual([
      { id: 'plain', suspension: null },
      { id: 'sealed', suspension: sealed },
    ]);
    expect(readFileSync(file).includes('sk_live_plaintext_4242')).toBe(false);
  });

  it('creates a new data directory 0700 and the database, WAL and shared-memory files 0600', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'sluice-store-'));
    dirs.push(parent);
    const file = join(parent, 'data', 'sluice.db');
    const store = new SqliteStore({ filename: file, backgroundCheckpoints: false });
    await store.appendEvents([{ projectId: 1, uuid: 'u1', event: 'e', distinct_id: 'd', properties: {}, timestamp: 't', receivedAt: 't' }]);
    const modeOf = (path: string) => statSync(path).mode & 0o777;
    expect(modeOf(join(parent, 'data'))).toBe(0o700);
    expect([modeOf(file), modeOf(`${file}-wal`), modeOf(`${file}-shm`)]).toEqual([0o600, 0o600, 0o600]);
    await store.close();
  });

  it('narrows database files left readable by an older start to 0600 when it opens them', async () => {
    const file = tempFile();
    await new SqliteStore({ filename: file, backgroundCheckpoints: false }).close();
    chmodSync(file, 0o644);
    writeFileSync(`${file}-wal`, '', { mode: 0o644 });
    chmodSync(`${file}-wal`, 0o644);
    const store = new SqliteStore({ filename: file, backgroundCheckpoints: false });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    await store.close();
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

  it('checkpoints the WAL in its background thread, not in the commits of the main connection', async () => {
    const file = tempFile();
    const store = new SqliteStore({ filename: file });
    const db = (store as unknown as { db: Database.Database }).db;
    // A new file gets 16 KiB pages; the main connection's own threshold is only a safety net, ~80 MB of
    // WAL, far above SQLite's default of 1,000 pages.
    expect(db.pragma('page_size', { simple: true })).toBe(16_384);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(5_120);
    const padding = 'x'.repeat(2_000);
    for (let batch = 0; batch < 40; batch++) {
      const events = Array.from({ length: 100 }, (_, i) => ({ projectId: 1, uuid: `u${batch}-${i}`, event: 'e', distinct_id: 'd', properties: { padding }, timestamp: 't', receivedAt: 't' }));
      await store.appendEvents(events);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // ~8 MB went through the WAL; the file stayed a fraction of that, so it was restarted behind the thread's
    // checkpoints (this connection would not checkpoint before 5,120 pages, ~80 MB).
    expect(statSync(`${file}-wal`).size).toBeLessThan(4 * 1024 * 1024);
    expect(await store.checkpointer!.count()).toBeGreaterThan(0);
    expect(store.checkpointer!.lastError).toBeNull();
    await store.close();
    const reopened = new SqliteStore({ filename: file, backgroundCheckpoints: false });
    expect(reopened.checkpointer).toBeNull();
    expect(await reopened.lastEventSeq()).toBe(4_000);
    await reopened.close();
  });
});
