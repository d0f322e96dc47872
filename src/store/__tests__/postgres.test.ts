/**
 * The store contract on Postgres, plus what only several processes on one database can show: concurrent
 * appenders read back whole and in order per partition, claims across connections, NOTIFY between stores,
 * leadership failover (the partitioned log's own cases: postgres-partitions.test.ts).
 * Mandatory when `CI=true`; elsewhere skipped, visibly, when no Postgres answers.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../index.js';
import { PostgresStore } from '../postgres/postgres-store.js';
import { runSql } from '../postgres/schemas.js';
import type { NewEvent, Store, StoredEvent } from '../store.js';
import { START_POSITION } from '../store.js';
import { createTestSchema, postgresSkipReason, type TestSchema } from './backends.js';
import { storeContract } from './store.contract.js';

const skipReason = await postgresSkipReason();

if (skipReason !== null) {
  console.warn(`[sluice] ${skipReason}`);
  describe('Postgres store', () => {
    it.skip(skipReason, () => {});
  });
} else {
  const schemas: TestSchema[] = [];
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
  const open = async (url: string, poolSize = 4, partitions?: number): Promise<Store> => openStore({ dataDir: ':memory:', databaseUrl: url, poolSize, partitions });

  storeContract('Postgres', {
    async open({ partitions }) {
      const schema = await freshSchema();
      const store = await open(schema.url, 4, partitions);
      return { store, dispose: () => store.close() };
    },
  });

  const event = (i: number, writer: number): NewEvent => ({
    projectId: 1,
    uuid: `w${writer}-${i}`,
    event: 'e',
    distinct_id: `d${i % 7}`,
    properties: { i },
    timestamp: '2026-01-01T00:00:00.000Z',
    receivedAt: '2026-01-01T00:00:00.000Z',
  });

  describe('Postgres store (dialect and several processes)', () => {
    it('applies numbered migrations once, even when several processes start together', async () => {
      const schema = await freshSchema();
      const stores = await Promise.all([open(schema.url), open(schema.url), open(schema.url)]);
      await Promise.all(stores.map((s) => s.close()));
      await (await open(schema.url)).close();
      const rows = await runSql(schema.url, 'SELECT version, name FROM schema_migrations ORDER BY version');
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
    });

    it('selects Postgres from the URL and reports its schema', async () => {
      const schema = await freshSchema();
      const store = await open(schema.url);
      expect(store.dialect).toBe('postgres');
      expect((store as PostgresStore).schema).toBe(schema.schema);
      await store.close();
      await expect(openStore({ dataDir: ':memory:', databaseUrl: 'mysql://x' })).rejects.toThrow(/postgres:\/\//);
    });

    it('lets concurrent appenders run side by side, and partition readers still see every event once, in order', async () => {
      const schema = await freshSchema();
      const writers = await Promise.all([open(schema.url), open(schema.url), open(schema.url)]);
      const reader = await open(schema.url);
      const perWriter = 40;
      const batch = 25;
      const total = writers.length * perWriter * batch;
      let writing = true;
      const seen: StoredEvent[] = [];
      // A consumer like person processing: reads each partition after its offset and moves the offset to the
      // last row read. Seqs commit out of order here; reading by (tx, seq) below xmin must still skip nothing.
      const consume = (async () => {
        const offsets = Array.from({ length: reader.partitionCount }, () => START_POSITION);
        while (writing || seen.length < total) {
          let read = 0;
          for (let p = 0; p < offsets.length; p++) {
            const rows = await reader.readPartition(p, offsets[p]!, 500);
            seen.push(...rows);
            read += rows.length;
            if (rows.length > 0) offsets[p] = rows[rows.length - 1]!.position;
          }
          if (read === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      await Promise.all(
        writers.map(async (store, w) => {
          for (let b = 0; b < perWriter; b++) {
            await store.appendEvents(Array.from({ length: batch }, (_, i) => event(b * batch + i, w)));
          }
        }),
      );
      writing = false;
      await consume;
      expect(seen.length).toBe(total);
      expect(new Set(seen.map((e) => e.uuid)).size).toBe(total);
      expect(new Set(seen.map((e) => e.seq)).size).toBe(total);
      // Each writer's events of one distinct id come out in the order it appended them.
      const order = new Map<string, number>();
      for (const e of seen) {
        const key = `${e.uuid.split('-')[0]}:${e.distinct_id}`;
        const i = (e.properties as { i: number }).i;
        expect(i).toBeGreaterThan(order.get(key) ?? -1);
        order.set(key, i);
      }
      // Retried batches (a client's retry reaching another capture process) store nothing twice.
      const retry = await writers[1]!.appendEvents([event(0, 0), event(1, 2)]);
      expect(retry.seqs).toEqual([null, null]);
      await Promise.all([...writers, reader].map((s) => s.close()));
    });

    it('gives each invocation to one of several processes claiming at once', async () => {
      const schema = await freshSchema();
      const stores = await Promise.all([open(schema.url), open(schema.url), open(schema.url), open(schema.url)]);
      await stores[0]!.enqueueInvocations(
        Array.from({ length: 1_000 }, (_, i) => ({
          id: `i${String(i).padStart(4, '0')}`,
          projectId: 1,
          destinationId: 'd',
          mappingIndex: null,
          eventUuid: `e${i}`,
          globals: {},
          priority: i % 3,
          scheduledAt: i,
        })),
      );
      const claimed: string[] = [];
      await Promise.all(
        stores.map(async (store, w) => {
          for (;;) {
            const got = await store.claimInvocations({ workerId: `w${w}`, limit: 25, now: 10_000, lockMs: 60_000 });
            if (got.length === 0) return;
            for (const inv of got) claimed.push(inv.id);
            await store.updateInvocations(got.map((inv) => ({ id: inv.id, update: { state: 'succeeded' as const, finishedAt: 1 } })));
          }
        }),
      );
      expect(claimed.length).toBe(1_000);
      expect(new Set(claimed).size).toBe(1_000);
      expect(await stores[1]!.countInvocations({ states: ['succeeded'] })).toBe(1_000);
      await Promise.all(stores.map((s) => s.close()));
    });

    it('tells every process about a destination saved in another within a second', async () => {
      const schema = await freshSchema();
      const [writer, listenerA, listenerB] = await Promise.all([open(schema.url), open(schema.url), open(schema.url)]);
      const heard: number[] = [];
      listenerA.onDestinationsChanged(() => heard.push(Date.now()));
      listenerB.onDestinationsChanged(() => heard.push(Date.now()));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const savedAt = Date.now();
      await writer.saveDestination({ id: 'x', projectId: 1, enabled: true, config: {} });
      await expect.poll(() => heard.length, { timeout: 1_000, interval: 10 }).toBeGreaterThanOrEqual(2);
      expect(Math.max(...heard) - savedAt).toBeLessThan(1_000);
      // A failed write notifies nobody (NOTIFY is part of the rolled-back transaction).
      const before = heard.length;
      await expect(writer.saveDestination({ id: 'x', projectId: 2, enabled: true, config: {} })).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(heard.length).toBe(before);
      await Promise.all([writer, listenerA, listenerB].map((s) => s.close()));
    });

    it('moves leadership to another process when the holder dies', async () => {
      const schema = await freshSchema();
      const [a, b] = await Promise.all([open(schema.url), open(schema.url)]);
      const lease = await a.tryLead('persons');
      expect(lease).not.toBeNull();
      expect(await b.tryLead('persons')).toBeNull();
      // Leadership is per schema: another installation in the same database has its own.
      const other = await freshSchema();
      const c = await open(other.url);
      const elsewhere = await c.tryLead('persons');
      expect(elsewhere).not.toBeNull();
      await elsewhere!.release();
      await c.close();
      // Kill the holder's connection as a crash would (the server side ends it).
      await terminateHolder(schema.url, (a as PostgresStore).leaseKey('persons'));
      await lease!.lost;
      const taken = await b.tryLead('persons');
      expect(taken).not.toBeNull();
      await taken!.release();
      await Promise.all([a.close(), b.close()]);
    });

    it('keeps masking and health counters shared between processes', async () => {
      const schema = await freshSchema();
      const [a, b] = await Promise.all([open(schema.url), open(schema.url)]);
      await Promise.all([
        ...Array.from({ length: 10 }, () => a.counters.increment('mask:d1:k', 1, 60_000, 0)),
        ...Array.from({ length: 10 }, () => b.counters.increment('mask:d1:k', 1, 60_000, 0)),
      ]);
      expect(await a.counters.get('mask:d1:k', 1)).toEqual({ value: 20, expiresAt: 60_000 });
      await Promise.all([a.close(), b.close()]);
    });
  });
}

/** Terminates the backend holding the advisory lock `key` (a lease connection), as a crashed holder's would end. */
async function terminateHolder(url: string, key: string): Promise<void> {
  const rows = await runSql<{ ok: boolean }>(
    url,
    `SELECT pg_terminate_backend(pid) AS ok FROM pg_locks
     WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
    [key],
  );
  expect(rows).toEqual([{ ok: true }]);
}
