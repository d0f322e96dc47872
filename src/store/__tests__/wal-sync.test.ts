import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../sqlite/sqlite-store.js';
import { WalSync } from '../sqlite/wal-sync.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-walsync-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('syncing the WAL off the main thread', () => {
  it('syncs the file, and the new one after the file was replaced', async () => {
    const path = join(tempDir(), 'x-wal');
    writeFileSync(path, 'frames');
    const sync = new WalSync(path);
    await sync.sync();
    unlinkSync(path);
    writeFileSync(path, 'other frames');
    await sync.sync();
    sync.close();
  });

  it('fails a sync when there is no WAL file, without throwing synchronously', async () => {
    const sync = new WalSync(join(tempDir(), 'missing-wal'));
    await expect(sync.sync()).rejects.toThrow();
    sync.close();
  });

  it('acknowledges appends of a FULL store after the sync, and keeps them through a reopen', async () => {
    const file = join(tempDir(), 'sluice.db');
    const store = new SqliteStore({ filename: file });
    const events = Array.from({ length: 50 }, (_, i) => ({ projectId: 1, uuid: `u${i}`, event: 'e', distinct_id: 'd', properties: { i }, timestamp: 't', receivedAt: 't' }));
    const { seqs } = await store.appendEvents(events);
    expect(seqs).toEqual(events.map((_, i) => i + 1));
    await store.close();
    const reopened = new SqliteStore({ filename: file });
    expect(await reopened.lastEventSeq()).toBe(50);
    await reopened.close();
  });
});
