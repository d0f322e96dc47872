import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewEvent } from '../store.js';
import { SqliteStore } from '../sqlite/sqlite-store.js';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-store-'));
  dirs.push(dir);
  return join(dir, 'sluice.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function event(uuid: string, distinctId = 'd'): NewEvent {
  return { projectId: 1, uuid, event: 'e', distinct_id: distinctId, properties: { a: 1 }, timestamp: '2026-01-01T00:00:00.000Z', receivedAt: '2026-01-01T00:00:00.000Z' };
}
const uuid = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('SQLite store', () => {
  it('applies numbered migrations once and records them', async () => {
    const file = tempFile();
    await new SqliteStore({ filename: file }).close();
    await new SqliteStore({ filename: file }).close();
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT version, name FROM schema_migrations').all();
    expect(rows).toEqual([
      { version: 1, name: 'init' },
      { version: 2, name: 'destinations' },
    ]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('assigns increasing seqs and ignores a second copy of the same event uuid', async () => {
    const store = new SqliteStore({ filename: ':memory:' });
    const first = await store.appendEvents([event(uuid(1)), event(uuid(2))]);
    const second = await store.appendEvents([event(uuid(2)), event(uuid(3))]);
    expect(first.seqs).toEqual([1, 2]);
    expect(second.seqs).toEqual([null, 3]);
    expect((await store.readEvents(1, 10)).map((e) => e.uuid)).toEqual([uuid(2), uuid(3)]);
    await store.close();
  });

  it('writes person changes, enrichments and the offset together', async () => {
    const store = new SqliteStore({ filename: ':memory:' });
    await store.appendEvents([event(uuid(1), 'x')]);
    const person = { id: 'p1', projectId: 1, properties: { email: 'a@b' }, isIdentified: true, version: 1, createdAt: 'now', distinctIds: ['x'] };
    await store.commitPersonBatch({
      upsertPersons: [person],
      deletePersonIds: [],
      setDistinctIds: [{ projectId: 1, distinctId: 'x', personId: 'p1' }],
      upsertGroupTypes: [{ projectId: 1, groupType: 'company', groupTypeIndex: 0 }],
      upsertGroups: [{ projectId: 1, groupTypeIndex: 0, groupKey: 'acme', properties: { n: 1 }, version: 1, createdAt: 'now' }],
      enrichments: [{ seq: 1, projectId: 1, person: { id: 'p1', properties: { email: 'a@b' }, distinct_ids: ['x'], is_identified: true, created_at: 'now', processed: true }, groups: {} }],
      offset: { consumer: 'persons', seq: 1 },
    });
    expect(await store.getOffset('persons')).toBe(1);
    expect((await store.getPersonByDistinctId(1, 'x'))?.properties).toEqual({ email: 'a@b' });
    expect((await store.loadPersons(1, ['x', 'y'])).get('x')?.id).toBe('p1');
    expect(await store.listGroups(1, { groupTypeIndex: 0, limit: 10, offset: 0 })).toHaveLength(1);
    const [enriched] = await store.readEnrichedEvents(0, 10);
    expect(enriched).toMatchObject({ seq: 1, event: { uuid: uuid(1), distinct_id: 'x' }, person: { id: 'p1' } });
    await store.close();
  });

  it('rolls back a person batch that fails half way', async () => {
    const store = new SqliteStore({ filename: ':memory:' });
    const bad = { id: 'p1', projectId: 1, properties: {}, isIdentified: false, version: 1, createdAt: 'now', distinctIds: [] };
    await expect(
      store.commitPersonBatch({
        upsertPersons: [bad],
        deletePersonIds: [],
        setDistinctIds: [],
        upsertGroupTypes: [
          { projectId: 1, groupType: 'a', groupTypeIndex: 0 },
          { projectId: 1, groupType: 'b', groupTypeIndex: 0 },
        ],
        upsertGroups: [],
        enrichments: [{ seq: 1, projectId: 1, person: null as never, groups: {} }],
        offset: { consumer: 'persons', seq: 1 },
      }),
    ).rejects.toThrow();
    expect(await store.getOffset('persons')).toBe(0);
    expect(await store.listPersons(1, { limit: 10, offset: 0 })).toEqual([]);
    await store.close();
  });

  it('finds projects by token and API keys by hash only', async () => {
    const store = new SqliteStore({ filename: ':memory:' });
    const project = await store.createProject({ name: 'P', apiToken: 'phc_x' });
    expect((await store.getProjectByToken('phc_x'))?.id).toBe(project.id);
    expect(await store.getProjectByToken('phc_y')).toBeNull();
    await store.createApiKey({ label: 'k', secureValue: 'abc', maskValue: '…1234' });
    expect((await store.findApiKey('abc'))?.label).toBe('k');
    expect(await store.countApiKeys()).toBe(1);
    await store.close();
  });
});
