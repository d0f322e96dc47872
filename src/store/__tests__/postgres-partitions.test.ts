/**
 * The partitioned log on Postgres, where only several connections show it: appends that never wait for
 * each other, a late commit that is never skipped, lease takeovers against in-flight writes, person batches
 * of two processes touching the same person, the one-time partition setup and the upgrade from the single
 * ordered log. Transactions are held open on connections of their own; tests wait for conditions (a
 * backend blocked by another, rows becoming readable), never for a fixed time.
 */
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadMigrations } from '../migrations.js';
import { openStore } from '../index.js';
import { partitionOf } from '../partitions.js';
import { runSql } from '../postgres/schemas.js';
import { appendEventsOn, READ_PARTITION_SQL } from '../postgres/postgres-store.js';
import { writePartitionOffsets } from '../postgres/partition-tables.js';
import type { NewEvent, PersonBatchWrite, Store, StoredEvent } from '../store.js';
import { LeaseLostError, PersonConflictError, START_POSITION } from '../store.js';
import { createTestSchema, postgresSkipReason, type TestSchema } from './backends.js';

const skipReason = await postgresSkipReason();

if (skipReason !== null) {
  describe('Postgres partitioned log', () => {
    it.skip(skipReason, () => {});
  });
} else {
  const schemas: TestSchema[] = [];
  const clients: pg.Client[] = [];
  const stores: Store[] = [];
  afterEach(async () => {
    // A test that failed half way must not leave a transaction open: it would hold every reader back.
    await Promise.all(clients.splice(0).map((c) => c.end().catch(() => {})));
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    // One at a time: a schema's DROP … CASCADE locks every table and index in it, and dozens at once
    // overflowed Postgres's shared lock table ("out of shared memory") while other suites ran.
    for (const schema of schemas.splice(0)) await schema.drop();
  });

  async function freshSchema(): Promise<TestSchema> {
    const schema = await createTestSchema();
    schemas.push(schema);
    return schema;
  }

  async function open(url: string, partitions = 4): Promise<Store> {
    const store = await openStore({ dataDir: ':memory:', databaseUrl: url, poolSize: 3, partitions });
    stores.push(store);
    return store;
  }

  /** A connection of its own, to hold a transaction open. */
  async function connection(url: string): Promise<pg.Client & { backendPid: number }> {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {});
    await client.connect();
    clients.push(client);
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return Object.assign(client, { backendPid: rows[0]!.pid });
  }

  /** How many backends are waiting for a lock `holder` has. */
  async function blockedBy(url: string, holder: { backendPid: number }): Promise<number> {
    const rows = await runSql<{ n: string }>(url, 'SELECT count(*) AS n FROM pg_stat_activity WHERE $1::int = ANY(pg_blocking_pids(pid))', [holder.backendPid]);
    return Number(rows[0]!.n);
  }

  /** `promise`, or a failure naming what did not happen within `ms`. */
  function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  /** Reads a partition until it holds `count` events (a just-committed event waits for older transactions). */
  async function readUntil(store: Store, partition: number, count: number): Promise<StoredEvent[]> {
    let rows: StoredEvent[] = [];
    await expect.poll(async () => (rows = await store.readPartition(partition, START_POSITION, 100)).length, { timeout: 10_000, interval: 20 }).toBe(count);
    return rows;
  }

  const event = (uuid: string, distinctId: string): NewEvent => ({
    projectId: 1,
    uuid,
    event: 'e',
    distinct_id: distinctId,
    properties: { uuid },
    timestamp: '2026-01-01T00:00:00.000Z',
    receivedAt: '2026-01-01T00:00:00.000Z',
  });

  describe('Postgres partitioned log', () => {
    it('lets two appends on two connections run at once; only the same uuid waits', async () => {
      const { url } = await freshSchema();
      const store = await open(url);
      const held = await connection(url);
      await held.query('BEGIN');
      const first = await appendEventsOn(held, [event('held', 'alice')], store.partitionCount);
      expect(first.seqs[0]).toBeGreaterThan(0);
      expect(first.tx).toBeGreaterThan(0);
      // Same partition even: the second append commits while the first transaction is still open.
      const second = await within(store.appendEvents([event('free-1', 'alice'), event('free-2', 'bob')]), 10_000, 'an append next to an open one');
      expect(second.seqs[0]).toBeGreaterThan(first.seqs[0]!);
      expect(second.seqs[1]).toBeGreaterThan(second.seqs[0]!);
      expect(second.tx).toBeGreaterThan(first.tx);
      // A copy of the held event's uuid has to wait: stored or not depends on the held transaction.
      const duplicate = store.appendEvents([event('held', 'alice'), event('free-3', 'alice')]);
      await expect.poll(() => blockedBy(url, held), { timeout: 10_000 }).toBe(1);
      await held.query('COMMIT');
      const result = await duplicate;
      expect(result.seqs[0]).toBeNull();
      expect(result.seqs[1]).toBeGreaterThan(0);
      expect(await store.countEvents()).toBe(4);
    });

    it('never lets an offset pass an append that commits late', async () => {
      const { url } = await freshSchema();
      const store = await open(url);
      const partition = partitionOf(1, 'alice', store.partitionCount);
      // A: numbered first, commits last.
      const held = await connection(url);
      await held.query('BEGIN');
      const a = await appendEventsOn(held, [event('a', 'alice')], store.partitionCount);
      // B: numbered and committed after A was numbered.
      const b = await store.appendEvents([event('b', 'alice')]);
      expect(b.seqs[0]).toBeGreaterThan(a.seqs[0]!);
      expect(await store.readEvents(0, 10)).toHaveLength(1);
      // A reader sees B stored but must not return it: A, still running, will sort before it. Had it
      // returned B, the consumer's offset would now be past A's position for good.
      expect(await store.readPartition(partition, START_POSITION, 10)).toEqual([]);
      await held.query('COMMIT');
      const rows = await readUntil(store, partition, 2);
      expect(rows.map((e) => e.uuid)).toEqual(['a', 'b']);
      expect(rows.map((e) => e.position)).toEqual([
        { tx: a.tx, seq: a.seqs[0] },
        { tx: b.tx, seq: b.seqs[0] },
      ]);
    });

    it('orders by the appending transaction, not by seq, when a transaction began before a later-numbered one', async () => {
      const { url } = await freshSchema();
      const store = await open(url);
      const partition = partitionOf(1, 'alice', store.partitionCount);
      const held = await connection(url);
      await held.query('BEGIN');
      await held.query('SELECT pg_current_xact_id()');
      const b = await store.appendEvents([event('b', 'alice')]);
      const a = await appendEventsOn(held, [event('a', 'alice')], store.partitionCount);
      expect(a.seqs[0]).toBeGreaterThan(b.seqs[0]!);
      expect(await store.readPartition(partition, START_POSITION, 10)).toEqual([]);
      await held.query('COMMIT');
      // A's transaction began first, so it comes first though its seq is higher: an offset taken at B
      // would lie after it, and A was never returned before B.
      expect((await readUntil(store, partition, 2)).map((e) => e.uuid)).toEqual(['a', 'b']);
    });

    it('compares transaction ids as numbers (9 before 10), using the (partition, tx, seq) index', async () => {
      const { url } = await freshSchema();
      const store = await open(url, 1);
      await runSql(
        url,
        `INSERT INTO events (project_id, uuid, event, distinct_id, properties, timestamp, received_at, partition, tx)
         VALUES (1, 'ten', 'e', 'd', '{}', 't', 't', 0, '10'), (1, 'nine', 'e', 'd', '{}', 't', 't', 0, '9')`,
      );
      const rows = await store.readPartition(0, START_POSITION, 10);
      expect(rows.map((e) => [e.uuid, e.position.tx])).toEqual([
        ['nine', 9],
        ['ten', 10],
      ]);
      expect((await store.readPartition(0, rows[0]!.position, 10)).map((e) => e.uuid)).toEqual(['ten']);
      // The enriched events keep their events' positions and the same order.
      await store.commitPersonBatch({
        upsertPersons: [],
        deletePersonIds: [],
        setDistinctIds: [],
        upsertGroupTypes: [],
        upsertGroups: [],
        enrichments: [...rows].reverse().map((e) => ({ seq: e.seq, partition: 0, position: e.position, projectId: 1, person: { id: 'p', properties: {}, distinct_ids: ['d'], is_identified: false, created_at: 't', processed: true }, groups: {} })),
        expect: { persons: [], distinctIds: [], groups: [] },
        offset: { consumer: 'persons', partition: 0, position: rows[1]!.position },
      });
      expect((await store.readEnrichedPartition(0, START_POSITION, 10)).map((e) => [e.event.uuid, e.position.tx])).toEqual([
        ['nine', 9],
        ['ten', 10],
      ]);
      expect((await store.getPartitionOffsets('persons'))[0]).toEqual(rows[1]!.position);
      // Two rows are cheaper to scan whole: ask whether the index can serve the query at all, and how.
      const planner = await connection(url);
      await planner.query('SET enable_seqscan = off');
      await planner.query('SET enable_bitmapscan = off');
      const values = ['0', "'5'", '7', '100'];
      const plan = await planner.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${READ_PARTITION_SQL.replace(/\$(\d)/g, (_, n: string) => values[Number(n) - 1]!)}`);
      const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).toMatch(/Index Scan using events_partition_tx_seq/);
      expect(text).toMatch(/Index Cond: .*partition = .*ROW\(tx, seq\) > ROW.*tx < pg_snapshot_xmin/);
      expect(text).not.toMatch(/Sort/);
    });

    it('makes a takeover wait for a stale owner\'s write in flight, which then stays the last one', async () => {
      const { url } = await freshSchema();
      const [owner, taker] = [await open(url), await open(url)];
      const stale = (await owner.acquireLease(0, 'a', 60_000))!;
      // 'a' stalls past its lease: make it expire now.
      await runSql(url, 'UPDATE partition_leases SET expires_at = 0 WHERE partition = 0');
      const inFlight = await connection(url);
      await inFlight.query('BEGIN');
      await writePartitionOffsets(inFlight, [{ consumer: 'persons', partition: 0, position: { tx: 0, seq: 5 }, fence: stale }]);
      const takeover = taker.acquireLease(0, 'b', 60_000);
      await expect.poll(() => blockedBy(url, inFlight), { timeout: 10_000 }).toBe(1);
      await inFlight.query('COMMIT');
      expect(await takeover).toEqual({ partition: 0, owner: 'b', epoch: 2 });
      // The new owner starts from the stale owner's last write; the stale fence writes nothing more.
      expect((await taker.getPartitionOffsets('persons'))[0]).toEqual({ tx: 0, seq: 5 });
      await expect(owner.commitOffsets([{ consumer: 'persons', partition: 0, position: { tx: 0, seq: 6 }, fence: stale }])).rejects.toBeInstanceOf(LeaseLostError);
      expect((await taker.getPartitionOffsets('persons'))[0]).toEqual({ tx: 0, seq: 5 });
    });

    it('refuses a stale owner\'s write that waited for a takeover in flight', async () => {
      const { url } = await freshSchema();
      const owner = await open(url);
      const stale = (await owner.acquireLease(1, 'a', 60_000))!;
      const takeover = await connection(url);
      await takeover.query('BEGIN');
      await takeover.query("UPDATE partition_leases SET owner = 'b', epoch = epoch + 1 WHERE partition = 1");
      const write = owner.commitPersonBatch({
        upsertPersons: [{ id: 'p', projectId: 1, properties: {}, isIdentified: false, version: 1, createdAt: 'now', distinctIds: ['x'] }],
        deletePersonIds: [],
        setDistinctIds: [{ projectId: 1, distinctId: 'x', personId: 'p' }],
        upsertGroupTypes: [],
        upsertGroups: [],
        enrichments: [],
        expect: { persons: [{ id: 'p', version: null }], distinctIds: [{ projectId: 1, distinctId: 'x', personId: null }], groups: [] },
        offset: { consumer: 'persons', partition: 1, position: { tx: 0, seq: 3 }, fence: stale },
      });
      await expect.poll(() => blockedBy(url, takeover), { timeout: 10_000 }).toBe(1);
      await takeover.query('COMMIT');
      await expect(write).rejects.toBeInstanceOf(LeaseLostError);
      expect(await owner.getPersonByDistinctId(1, 'x')).toBeNull();
      expect((await owner.getPartitionOffsets('persons'))[1]).toEqual(START_POSITION);
    });

    it('lets only one of two processes\' batches change the same person; the other must reload', async () => {
      const { url } = await freshSchema();
      const [one, two] = [await open(url), await open(url)];
      const fences = [(await one.acquireLease(0, 'one', 60_000))!, (await two.acquireLease(1, 'two', 60_000))!];
      const batch = (n: number, round: number, body: Partial<PersonBatchWrite>): PersonBatchWrite => ({
        upsertPersons: [],
        deletePersonIds: [],
        setDistinctIds: [],
        upsertGroupTypes: [],
        upsertGroups: [],
        enrichments: [],
        expect: { persons: [], distinctIds: [], groups: [] },
        offset: { consumer: 'persons', partition: n, position: { tx: 0, seq: round }, fence: fences[n]! },
        ...body,
      });
      const person = (id: string, version: number, by: string) => ({ id, projectId: 1, properties: { by }, isIdentified: false, version, createdAt: 'now', distinctIds: [] });
      for (let round = 1; round <= 5; round++) {
        // Both saw distinct id `x<round>` without a person and create one for it.
        const create = (n: number) =>
          batch(n, round, {
            upsertPersons: [person(`p${round}-${n}`, 1, String(n))],
            setDistinctIds: [{ projectId: 1, distinctId: `x${round}`, personId: `p${round}-${n}` }],
            expect: { persons: [{ id: `p${round}-${n}`, version: null }], distinctIds: [{ projectId: 1, distinctId: `x${round}`, personId: null }], groups: [] },
          });
        const created = await Promise.allSettled([one.commitPersonBatch(create(0)), two.commitPersonBatch(create(1))]);
        expect(created.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const refused = created.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
        expect(refused.reason).toBeInstanceOf(PersonConflictError);
        const winner = (await one.getPersonByDistinctId(1, `x${round}`))!;
        expect(winner.distinctIds).toEqual([`x${round}`]);
        expect((await one.listPersons(1, { limit: 100, offset: 0 })).filter((p) => p.id.startsWith(`p${round}-`))).toHaveLength(1);
        // Both loaded the winner at version 1 and update it.
        const update = (n: number) =>
          batch(n, round, { upsertPersons: [person(winner.id, 2, `update ${n}`)], expect: { persons: [{ id: winner.id, version: 1 }], distinctIds: [], groups: [] } });
        const updated = await Promise.allSettled([one.commitPersonBatch(update(0)), two.commitPersonBatch(update(1))]);
        expect(updated.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect((updated.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(PersonConflictError);
        const loser = updated[0]!.status === 'rejected' ? 0 : 1;
        expect((await two.getPersonByDistinctId(1, `x${round}`))?.properties).toEqual({ by: `update ${1 - loser}` });
      }
    });

    it('sets the partitions up once when several processes open a fresh database, and keeps P afterwards', async () => {
      const { url } = await freshSchema();
      const opened = await Promise.all([open(url, 8), open(url, 8), open(url, 8)]);
      expect(opened.map((s) => s.partitionCount)).toEqual([8, 8, 8]);
      expect(await runSql(url, 'SELECT partition, owner, epoch FROM partition_leases ORDER BY partition')).toEqual(
        Array.from({ length: 8 }, (_, p) => ({ partition: p, owner: null, epoch: '0' })),
      );
      // P is the store's, not the opener's: changing it needs a migration of the data (docs/deploy.md).
      expect((await open(url, 3)).partitionCount).toBe(8);
      await expect(open(url, 0)).rejects.toThrow(/partition count must be a whole number from 1 to 1024, not 0/);
    });

    it('upgrades a database of the single ordered log: old events, offsets and seqs carry over', async () => {
      const { url } = await freshSchema();
      // The database as an older Sluice left it: migrations up to 7, events numbered from `event_seq`.
      const old = await connection(url);
      await old.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
      for (const migration of loadMigrations('postgres').filter((m) => m.version <= 7)) {
        await old.query(migration.sql);
        await old.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 'then')", [migration.version, migration.name]);
      }
      await old.query(
        `INSERT INTO events (seq, project_id, uuid, event, distinct_id, properties, timestamp, received_at)
         SELECT n, 1, 'old-' || n, 'e', 'd' || n, '{}', 't', 't' FROM generate_series(1, 5) AS n`,
      );
      await old.query('UPDATE event_seq SET last = 5');
      await old.query("INSERT INTO consumer_offsets (consumer, seq) VALUES ('persons', 3), ('destinations', 2)");
      const store = await open(url, 2);
      expect(await store.getPartitionOffsets('persons')).toEqual([
        { tx: 0, seq: 3 },
        { tx: 0, seq: 3 },
      ]);
      expect(await store.getPartitionOffsets('destinations')).toEqual([
        { tx: 0, seq: 2 },
        { tx: 0, seq: 2 },
      ]);
      // Old events sit in partition 0 at tx 0: before anything appended from now on.
      const { seqs } = await store.appendEvents([event('new', 'd1')]);
      expect(seqs).toEqual([6]);
      const partition = partitionOf(1, 'd1', 2);
      const rows = await readUntil(store, 0, partition === 0 ? 6 : 5);
      expect(rows.slice(0, 5).map((e) => [e.uuid, e.position.tx])).toEqual([1, 2, 3, 4, 5].map((n) => [`old-${n}`, 0]));
      expect((await store.readPartition(0, { tx: 0, seq: 3 }, 10)).map((e) => e.uuid).slice(0, 2)).toEqual(['old-4', 'old-5']);
      expect(await store.hasUnprocessed('persons', 3)).toBe(false);
      expect(await store.hasUnprocessed('persons', 4)).toBe(true);
    });

    it('refuses positions that are not whole numbers, saying which part is wrong', async () => {
      const { url } = await freshSchema();
      const store = await open(url);
      await expect(store.readPartition(0, { tx: -1, seq: 0 }, 10)).rejects.toThrow(/tx must be a whole number ≥ 0, not -1/);
      await expect(store.commitOffsets([{ consumer: 'c', partition: 0, position: { tx: 0, seq: 1.5 } }])).rejects.toThrow(/seq must be a whole number ≥ 0, not 1.5/);
      await expect(store.commitOffsets([{ consumer: 'c', partition: 0, position: { tx: 2 ** 60, seq: 1 } }])).rejects.toThrow(/tx must be a whole number/);
      expect(await store.getPartitionOffsets('c')).toEqual(Array.from({ length: 4 }, () => START_POSITION));
    });
  });
}
