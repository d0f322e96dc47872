/**
 * The store contract: one suite every adapter passes (`sqlite.test.ts`, `postgres.test.ts`). Each test
 * gets a fresh, empty store from the factory.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  DestinationHealth,
  DestinationHealthChange,
  LeaseFence,
  LogPosition,
  NewEvent,
  NewInvocation,
  PartitionOffsetWrite,
  PersonBatchWrite,
  RecentEventsQuery,
  Store,
  StoredEvent,
} from '../store.js';
import { comparePositions, LeaseLostError, PersonConflictError, START_POSITION } from '../store.js';
import { partitionOf } from '../partitions.js';

export interface StoreFactory {
  /** A fresh, empty store with `partitions` partitions; `dispose` closes it and removes its data. */
  open(options: { partitions: number }): Promise<{ store: Store; dispose(): Promise<void> }>;
}

/** P of every contract store: more than one, so partitioning shows on SQLite as on Postgres. */
const PARTITIONS = 4;

function event(uuid: string, distinctId = 'd', projectId = 1): NewEvent {
  return {
    projectId,
    uuid,
    event: 'e',
    distinct_id: distinctId,
    properties: { a: 1, z: 'last', b: [1, 2] },
    timestamp: '2026-01-01T00:00:00.000Z',
    receivedAt: '2026-01-01T00:00:00.000Z',
  };
}
const uuid = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;

/** Distinct ids of project 1 that land in `count` different partitions, one each (partition i ↦ ids[i]). */
function distinctIdsInPartitions(count: number): string[] {
  const byPartition = new Map<number, string>();
  for (let i = 0; byPartition.size < count; i++) {
    const p = partitionOf(1, `user-${i}`, PARTITIONS);
    if (!byPartition.has(p)) byPartition.set(p, `user-${i}`);
  }
  return [...byPartition.entries()].sort((a, b) => a[0] - b[0]).map(([, id]) => id);
}

/**
 * A partition's events after `after`, once every stored one is readable. On Postgres a partition read
 * stops below the oldest transaction still running on the server (other test files' included), so
 * an event just appended may show up a moment later; the test waits for that, never for a fixed time.
 */
async function readSettled(store: Store, partition: number, after: LogPosition = START_POSITION, limit = 10_000): Promise<StoredEvent[]> {
  const stored = (await store.readEvents(0, 100_000)).filter((e) => e.partition === partition && comparePositions(e.position, after) > 0);
  let rows: StoredEvent[] = [];
  await expect
    .poll(async () => (rows = await store.readPartition(partition, after, limit)).length, { timeout: 10_000, interval: 20 })
    .toBe(Math.min(stored.length, limit));
  return rows;
}

/** A person batch that changes nothing, expects nothing and moves `persons`' offset of partition 0. */
function emptyBatch(offset: Partial<PartitionOffsetWrite> = {}): PersonBatchWrite {
  return {
    upsertPersons: [],
    deletePersonIds: [],
    setDistinctIds: [],
    upsertGroupTypes: [],
    upsertGroups: [],
    enrichments: [],
    expect: { persons: [], distinctIds: [], groups: [] },
    offset: { consumer: 'persons', partition: 0, position: { tx: 0, seq: 0 }, ...offset },
  };
}

const snapshot = (id: string, distinctIds: string[]) => ({
  id,
  properties: { email: 'a@b' },
  distinct_ids: distinctIds,
  is_identified: true,
  created_at: 'now',
  processed: true,
});

let counter = 0;
function invocation(overrides: Partial<NewInvocation> = {}): NewInvocation {
  counter++;
  return {
    id: `inv-${String(counter).padStart(4, '0')}`,
    projectId: 1,
    destinationId: 'd1',
    mappingIndex: null,
    eventUuid: `event-${counter}`,
    globals: { event: { name: 'e' } },
    priority: 0,
    scheduledAt: 1_000,
    ...overrides,
  };
}

export function storeContract(name: string, factory: StoreFactory): void {
  describe(`${name} store (contract)`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await factory.open({ partitions: PARTITIONS }));
    });
    afterEach(async () => {
      await dispose();
    });
    afterAll(() => {
      counter = 0;
    });

    describe('events', () => {
      it('assigns increasing seqs and ignores a second copy of the same event uuid', async () => {
        const first = await store.appendEvents([event(uuid(1)), event(uuid(2))]);
        const second = await store.appendEvents([event(uuid(2)), event(uuid(3))]);
        expect(first.seqs).toEqual([1, 2]);
        // Postgres may skip numbers (a sequence: the ignored copy used one up); seqs only grow.
        expect(second.seqs[0]).toBeNull();
        expect(second.seqs[1]).toBeGreaterThan(2);
        expect((await store.readEvents(1, 10)).map((e) => e.uuid)).toEqual([uuid(2), uuid(3)]);
        expect(await store.lastEventSeq()).toBe(second.seqs[1]);
        expect(await store.countEvents()).toBe(3);
      });

      it('ignores a duplicate inside one batch and keeps seqs gap-free', async () => {
        const result = await store.appendEvents([event(uuid(1)), event(uuid(1)), event(uuid(2))]);
        expect(result.seqs).toEqual([1, null, 2]);
        expect((await store.appendEvents([event(uuid(3))])).seqs).toEqual([3]);
        expect((await store.appendEvents([])).seqs).toEqual([]);
      });

      it('keeps the same uuid apart in two projects', async () => {
        const result = await store.appendEvents([event(uuid(1), 'd', 1), event(uuid(1), 'd', 2)]);
        expect(result.seqs).toEqual([1, 2]);
        expect(await store.countEvents(2)).toBe(1);
        expect(await store.listEventUuids(2)).toEqual([uuid(1)]);
      });

      it('reads back events exactly as given, in seq order, with the JSON key order kept', async () => {
        const withChain = { ...event(uuid(1)), elements_chain: 'a:nth-child="1"', propertiesJson: '{"z":1,"a":{"y":2,"b":3}}' };
        await store.appendEvents([withChain, event(uuid(2))]);
        const [first, second] = await store.readEvents(0, 10);
        expect(first).toMatchObject({ seq: 1, projectId: 1, uuid: uuid(1), elements_chain: 'a:nth-child="1"' });
        expect(JSON.stringify(first!.properties)).toBe('{"z":1,"a":{"y":2,"b":3}}');
        expect(second!.elements_chain).toBeUndefined();
        expect(Object.keys(second!.properties)).toEqual(['a', 'z', 'b']);
        expect(await store.readEvents(0, 1)).toHaveLength(1);
      });

      it('lists a project\'s recent events newest first, by name, distinct id and time, within the scan window', async () => {
        const at = (n: number, name: string, distinctId: string, projectId = 1): NewEvent => ({
          ...event(uuid(n), distinctId, projectId),
          event: name,
          timestamp: `2026-01-01T00:00:0${n}.000Z`,
        });
        await store.appendEvents([at(1, 'signed_up', 'u1'), at(2, '$pageview', 'u2'), at(3, 'signed_up', 'u2'), at(4, 'other project', 'u1', 2), at(5, 'purchase', 'u1')]);
        const names = async (q: Partial<RecentEventsQuery>) =>
          (await store.listRecentEvents(1, { limit: 10, scan: 1_000, ...q })).map((e) => `${e.event}@${e.distinct_id}`);
        expect(await names({})).toEqual(['purchase@u1', 'signed_up@u2', '$pageview@u2', 'signed_up@u1']);
        expect(await names({ events: ['signed_up', 'purchase'] })).toEqual(['purchase@u1', 'signed_up@u2', 'signed_up@u1']);
        expect(await names({ distinctId: 'u2' })).toEqual(['signed_up@u2', '$pageview@u2']);
        expect(await names({ after: '2026-01-01T00:00:02.000Z', before: '2026-01-01T00:00:05.000Z' })).toEqual(['signed_up@u2', '$pageview@u2']);
        expect(await names({ limit: 1 })).toEqual(['purchase@u1']);
        // Only the newest 3 events of the log (one of them project 2's) are looked at.
        expect(await names({ scan: 3 })).toEqual(['purchase@u1', 'signed_up@u2']);
        const [latest] = await store.listRecentEvents(1, { limit: 1, scan: 10 });
        expect(latest).toMatchObject({ seq: 5, uuid: uuid(5), properties: { a: 1, z: 'last', b: [1, 2] } });
      });

      it('stores many events in one batch (group commit)', async () => {
        const batch = Array.from({ length: 5_000 }, (_, i) => event(uuid(i + 1), `d${i % 50}`));
        const { seqs } = await store.appendEvents(batch);
        expect(seqs[0]).toBe(1);
        expect(seqs[4_999]).toBe(5_000);
        expect(await store.countEvents(1)).toBe(5_000);
      });
    });

    describe('person processing', () => {
      it('writes person changes, enrichments and the offset together', async () => {
        await store.appendEvents([event(uuid(1), 'x')]);
        const [stored] = await store.readEvents(0, 1);
        const person = { id: 'p1', projectId: 1, properties: { email: 'a@b' }, isIdentified: true, version: 1, createdAt: 'now', distinctIds: ['x'] };
        const groups = { company: { key: 'acme', index: 0, properties: { n: 1 } } };
        await store.commitPersonBatch({
          upsertPersons: [person],
          deletePersonIds: [],
          setDistinctIds: [{ projectId: 1, distinctId: 'x', personId: 'p1' }],
          upsertGroupTypes: [{ projectId: 1, groupType: 'company', groupTypeIndex: 0 }],
          upsertGroups: [{ projectId: 1, groupTypeIndex: 0, groupKey: 'acme', properties: { n: 1 }, version: 1, createdAt: 'now' }],
          enrichments: [{ seq: 1, partition: stored!.partition, position: stored!.position, projectId: 1, person: snapshot('p1', ['x']), groups }],
          expect: {
            persons: [{ id: 'p1', version: null }],
            distinctIds: [{ projectId: 1, distinctId: 'x', personId: null }],
            groups: [{ projectId: 1, groupTypeIndex: 0, groupKey: 'acme', version: null }],
          },
          offset: { consumer: 'persons', partition: stored!.partition, position: stored!.position },
        });
        const offsets = await store.getPartitionOffsets('persons');
        expect(offsets[stored!.partition]).toEqual(stored!.position);
        expect(offsets.filter((o) => comparePositions(o, START_POSITION) === 0)).toHaveLength(PARTITIONS - 1);
        expect(await store.getPartitionOffsets('other')).toEqual(Array.from({ length: PARTITIONS }, () => START_POSITION));
        expect((await store.getPersonByDistinctId(1, 'x'))?.properties).toEqual({ email: 'a@b' });
        expect((await store.getPersonByDistinctId(1, 'x'))?.isIdentified).toBe(true);
        expect(await store.getPersonByDistinctId(2, 'x')).toBeNull();
        const loaded = await store.loadPersons(1, ['x', 'y']);
        expect([...loaded.keys()]).toEqual(['x']);
        expect(loaded.get('x')?.id).toBe('p1');
        expect(await store.listGroupTypes()).toEqual([{ projectId: 1, groupType: 'company', groupTypeIndex: 0 }]);
        expect(await store.loadGroups(1, [{ groupTypeIndex: 0, groupKey: 'acme' }, { groupTypeIndex: 0, groupKey: 'nope' }])).toHaveLength(1);
        expect(await store.listGroups(1, { groupTypeIndex: 0, limit: 10, offset: 0 })).toHaveLength(1);
        expect(await store.listGroups(1, { limit: 10, offset: 0 })).toHaveLength(1);
        const [enriched] = await store.readEnrichedEvents(0, 10);
        expect(enriched).toMatchObject({ seq: 1, partition: stored!.partition, position: stored!.position, projectId: 1, event: { uuid: uuid(1), distinct_id: 'x' }, person: { id: 'p1' } });
        expect(enriched!.groups).toEqual(groups);
        // The matcher's read: the partition's enriched events after a position.
        expect(await store.readEnrichedPartition(stored!.partition, START_POSITION, 10)).toEqual([enriched]);
        expect(await store.readEnrichedPartition(stored!.partition, stored!.position, 10)).toEqual([]);
        expect(await store.readEnrichedPartition((stored!.partition + 1) % PARTITIONS, START_POSITION, 10)).toEqual([]);
      });

      it('reads a partition\'s enriched events in position order, after a position, with a limit', async () => {
        const [id] = distinctIdsInPartitions(1);
        await store.appendEvents([event(uuid(1), id), event(uuid(2), id)]);
        await store.appendEvents([event(uuid(3), id)]);
        const stored = await store.readEvents(0, 10);
        const partition = stored[0]!.partition;
        const enrichment = (e: StoredEvent) => ({ seq: e.seq, partition: e.partition, position: e.position, projectId: 1, person: snapshot('p', [id!]), groups: {} });
        await store.commitPersonBatch({ ...emptyBatch({ partition, position: stored[1]!.position }), enrichments: stored.slice(0, 2).map(enrichment) });
        await store.commitPersonBatch({ ...emptyBatch({ partition, position: stored[2]!.position }), enrichments: [enrichment(stored[2]!)] });
        const all = await store.readEnrichedPartition(partition, START_POSITION, 10);
        expect(all.map((e) => e.event.uuid)).toEqual([uuid(1), uuid(2), uuid(3)]);
        expect(all.map((e) => e.position)).toEqual(stored.map((e) => e.position));
        expect((await store.readEnrichedPartition(partition, all[0]!.position, 1)).map((e) => e.event.uuid)).toEqual([uuid(2)]);
        expect(await store.readEnrichedPartition(partition, all[2]!.position, 10)).toEqual([]);
      });

      it('keeps a transformed event beside the stored one, and never hands out dropped events', async () => {
        const [id] = distinctIdsInPartitions(1);
        await store.appendEvents([1, 2, 3, 4].map((n) => ({ ...event(uuid(n), id), properties: { n, email: 'a@b.c' } })));
        const stored = await store.readEvents(0, 10);
        const partition = stored[0]!.partition;
        const enrichment = (e: StoredEvent) => ({ seq: e.seq, partition: e.partition, position: e.position, projectId: 1, person: snapshot('p', [id!]), groups: {} });
        const changed = { uuid: uuid(2), event: 'renamed', distinct_id: id!, properties: { n: 2, email: 'hashed', 'ü\u2028': [1, { deep: null }] }, timestamp: stored[1]!.timestamp, elements_chain: 'a:nth-child="1"' };
        // The second event comes with its properties already serialized (as the chain hands them over).
        const withJson = { ...changed, propertiesJson: JSON.stringify(changed.properties) };
        // Events 3 and 4 were dropped: the batch ends on dropped events and still moves the offset to the last.
        await store.commitPersonBatch({
          ...emptyBatch({ partition, position: stored[3]!.position }),
          enrichments: [enrichment(stored[0]!), { ...enrichment(stored[1]!), event: withJson }],
          dropped: stored.slice(2).map((e) => ({ seq: e.seq, partition: e.partition, position: e.position, projectId: 1 })),
        });

        expect((await store.getPartitionOffsets('persons'))[partition]).toEqual(stored[3]!.position);
        const read = await store.readEnrichedPartition(partition, START_POSITION, 10);
        expect(read.map((e) => e.seq)).toEqual([stored[0]!.seq, stored[1]!.seq]);
        expect(read[0]!.event).toEqual({ uuid: uuid(1), event: stored[0]!.event, distinct_id: id, properties: { n: 1, email: 'a@b.c' }, timestamp: stored[0]!.timestamp });
        expect(read[1]!.event).toEqual(changed);
        expect(read[1]!.position).toEqual(stored[1]!.position);
        expect(await store.readEnrichedEvents(0, 10)).toEqual(read);
        expect(await store.readEnrichedPartition(partition, read[1]!.position, 10)).toEqual([]);
        // The stored events are untouched.
        expect(await store.readEvents(0, 10)).toEqual(stored);

        // Dropped events wait for no later consumer: once the destinations' offset passes the last kept
        // event, nothing in the partition is pending for them, and their lag is 0.
        expect(await store.hasUnprocessed('destinations', stored[3]!.seq)).toBe(true);
        await store.commitOffsets([{ consumer: 'destinations', partition, position: read[1]!.position }]);
        expect(await store.hasUnprocessed('destinations', stored[3]!.seq)).toBe(false);
        const lag = await store.partitionLag(['persons', 'destinations'], 10);
        expect(lag.filter((l) => l.partition === partition).map((l) => [l.consumer, l.events])).toEqual([['persons', 0], ['destinations', 0]]);

        // A batch whose every event was dropped writes no enrichment and still moves the offset.
        await store.appendEvents([event(uuid(5), id)]);
        const [fifth] = await store.readEvents(stored[3]!.seq, 10);
        await store.commitPersonBatch({ ...emptyBatch({ partition, position: fifth!.position }), dropped: [{ seq: fifth!.seq, partition, position: fifth!.position, projectId: 1 }] });
        expect((await store.getPartitionOffsets('persons'))[partition]).toEqual(fifth!.position);
        expect(await store.readEnrichedPartition(partition, read[1]!.position, 10)).toEqual([]);
        expect(await store.hasUnprocessed('destinations', fifth!.seq)).toBe(false);
      });

      it('moves the downstream consumer past a batch of dropped events once it has read every kept one, never backwards', async () => {
        const [id] = distinctIdsInPartitions(1);
        await store.appendEvents([1, 2, 3, 4, 5].map((k) => event(uuid(k), id)));
        const [e1, e2, e3, e4, e5] = await store.readEvents(0, 10);
        const partition = e1!.partition;
        const dropped = (e: StoredEvent) => ({ seq: e.seq, partition: e.partition, position: e.position, projectId: 1 });
        const destinations = async () => (await store.getPartitionOffsets('destinations'))[partition];
        const batch = (last: StoredEvent) => ({ ...emptyBatch({ partition, position: last.position }), downstream: 'destinations' });

        // A batch that keeps an event leaves the downstream offset to the downstream consumer.
        await store.commitPersonBatch({
          ...batch(e2!),
          enrichments: [{ seq: e1!.seq, partition, position: e1!.position, projectId: 1, person: snapshot('p', [id!]), groups: {} }],
          dropped: [dropped(e2!)],
        });
        expect(await destinations()).toEqual(START_POSITION);
        // All dropped, but the kept e1 is still unread downstream: nothing moves.
        await store.commitPersonBatch({ ...batch(e3!), dropped: [dropped(e3!)] });
        expect(await destinations()).toEqual(START_POSITION);
        // Once downstream has read e1, the next all-dropped batch takes it to its end.
        await store.commitOffsets([{ consumer: 'destinations', partition, position: e1!.position }]);
        await store.commitPersonBatch({ ...batch(e4!), dropped: [dropped(e4!)] });
        expect(await destinations()).toEqual(e4!.position);
        expect(await store.partitionLag(['destinations'], 10)).toEqual(expect.arrayContaining([{ consumer: 'destinations', partition, events: 1 }]));
        // A downstream offset already further on stays where it is.
        await store.commitOffsets([{ consumer: 'destinations', partition, position: { tx: e5!.position.tx, seq: e5!.seq + 100 } }]);
        await store.commitPersonBatch({ ...batch(e5!), dropped: [dropped(e5!)] });
        expect((await destinations())!.seq).toBe(e5!.seq + 100);
      });

      it('merges persons: distinct ids keep the order they were gained in, the old person goes', async () => {
        const p = (id: string, distinctIds: string[], version = 1) => ({ id, projectId: 1, properties: {}, isIdentified: false, version, createdAt: 'now', distinctIds });
        await store.commitPersonBatch({
          ...emptyBatch({ position: { tx: 0, seq: 1 } }),
          upsertPersons: [p('a', ['a1']), p('b', ['b1', 'b2'])],
          setDistinctIds: [
            { projectId: 1, distinctId: 'a1', personId: 'a' },
            { projectId: 1, distinctId: 'b1', personId: 'b' },
            { projectId: 1, distinctId: 'b2', personId: 'b' },
          ],
          expect: {
            persons: [{ id: 'a', version: null }, { id: 'b', version: null }],
            distinctIds: ['a1', 'b1', 'b2'].map((distinctId) => ({ projectId: 1, distinctId, personId: null })),
            groups: [],
          },
        });
        await store.commitPersonBatch({
          ...emptyBatch({ position: { tx: 0, seq: 2 } }),
          upsertPersons: [p('a', ['a1', 'b1', 'b2'], 2)],
          deletePersonIds: ['b'],
          setDistinctIds: [
            { projectId: 1, distinctId: 'b1', personId: 'a' },
            { projectId: 1, distinctId: 'b2', personId: 'a' },
          ],
          expect: {
            persons: [{ id: 'a', version: 1 }, { id: 'b', version: 1 }],
            distinctIds: ['b1', 'b2'].map((distinctId) => ({ projectId: 1, distinctId, personId: 'b' })),
            groups: [],
          },
        });
        const merged = await store.getPersonByDistinctId(1, 'b2');
        expect(merged).toMatchObject({ id: 'a', version: 2 });
        expect(merged!.distinctIds).toEqual(['a1', 'b1', 'b2']);
        const loaded = await store.loadPersons(1, ['a1', 'b1']);
        expect(loaded.get('a1')).toBe(loaded.get('b1'));
        expect((await store.listPersons(1, { limit: 10, offset: 0 })).map((x) => x.id)).toEqual(['a']);
        expect((await store.getPartitionOffsets('persons'))[0]).toEqual({ tx: 0, seq: 2 });
      });

      it('rolls back a person batch that fails half way', async () => {
        const good = { id: 'p1', projectId: 1, properties: {}, isIdentified: false, version: 1, createdAt: 'now', distinctIds: [] };
        await expect(
          store.commitPersonBatch({
            ...emptyBatch({ position: { tx: 0, seq: 1 } }),
            upsertPersons: [good],
            // a NOT NULL column left null: the database refuses the row after the person was written
            setDistinctIds: [{ projectId: 1, distinctId: null as never, personId: 'p1' }],
          }),
        ).rejects.toThrow();
        expect(await store.getPartitionOffsets('persons')).toEqual(Array.from({ length: PARTITIONS }, () => START_POSITION));
        expect(await store.listPersons(1, { limit: 10, offset: 0 })).toEqual([]);
      });

      it('refuses a batch whose expectations no longer hold, writing nothing of it', async () => {
        const person = (id: string, version: number, properties = {}) => ({ id, projectId: 1, properties, isIdentified: false, version, createdAt: 'now', distinctIds: [] });
        const group = (version: number) => ({ projectId: 1, groupTypeIndex: 0, groupKey: 'acme', properties: { v: version }, version, createdAt: 'now' });
        await store.appendEvents([event(uuid(1), 'y')]);
        const [stored] = await store.readEvents(0, 1);
        await store.commitPersonBatch({
          ...emptyBatch(),
          upsertPersons: [person('p1', 1), person('gone', 1)],
          setDistinctIds: [{ projectId: 1, distinctId: 'x', personId: 'p1' }],
          upsertGroupTypes: [{ projectId: 1, groupType: 'company', groupTypeIndex: 0 }],
          upsertGroups: [group(1)],
          expect: {
            persons: [{ id: 'p1', version: null }, { id: 'gone', version: null }],
            distinctIds: [{ projectId: 1, distinctId: 'x', personId: null }],
            groups: [{ projectId: 1, groupTypeIndex: 0, groupKey: 'acme', version: null }],
          },
        });
        // Another partition's batch moves p1 on and deletes `gone`.
        await store.commitPersonBatch({
          ...emptyBatch({ partition: 1 }),
          upsertPersons: [person('p1', 2, { by: 'other' })],
          deletePersonIds: ['gone'],
          expect: { persons: [{ id: 'p1', version: 1 }, { id: 'gone', version: 1 }], distinctIds: [], groups: [] },
        });
        const stale: PersonBatchWrite['expect'][] = [
          { persons: [{ id: 'p1', version: 1 }], distinctIds: [], groups: [] },
          { persons: [{ id: 'p1', version: null }], distinctIds: [], groups: [] },
          { persons: [{ id: 'gone', version: 1 }], distinctIds: [], groups: [] },
          { persons: [], distinctIds: [{ projectId: 1, distinctId: 'x', personId: null }], groups: [] },
          { persons: [], distinctIds: [{ projectId: 1, distinctId: 'x', personId: 'p9' }], groups: [] },
          { persons: [], distinctIds: [], groups: [{ projectId: 1, groupTypeIndex: 0, groupKey: 'acme', version: null }] },
          { persons: [], distinctIds: [], groups: [{ projectId: 1, groupTypeIndex: 0, groupKey: 'acme', version: 5 }] },
        ];
        for (const expectation of stale) {
          const attempt = store.commitPersonBatch({
            upsertPersons: [person('p1', 3, { by: 'stale' }), person('p2', 1)],
            deletePersonIds: [],
            setDistinctIds: [{ projectId: 1, distinctId: 'y', personId: 'p2' }],
            upsertGroupTypes: [{ projectId: 1, groupType: 'team', groupTypeIndex: 1 }],
            upsertGroups: [group(9)],
            enrichments: [{ seq: stored!.seq, partition: stored!.partition, position: stored!.position, projectId: 1, person: snapshot('p2', ['y']), groups: {} }],
            expect: expectation,
            offset: { consumer: 'persons', partition: 2, position: { tx: 0, seq: 7 } },
          });
          await expect(attempt, JSON.stringify(expectation)).rejects.toBeInstanceOf(PersonConflictError);
        }
        expect((await store.getPersonByDistinctId(1, 'x'))).toMatchObject({ id: 'p1', version: 2, properties: { by: 'other' } });
        expect(await store.getPersonByDistinctId(1, 'y')).toBeNull();
        expect((await store.listPersons(1, { limit: 10, offset: 0 })).map((p) => p.id)).toEqual(['p1']);
        expect((await store.listGroupTypes()).map((t) => t.groupType)).toEqual(['company']);
        expect((await store.loadGroups(1, [{ groupTypeIndex: 0, groupKey: 'acme' }]))[0]?.version).toBe(1);
        expect(await store.readEnrichedEvents(0, 10)).toEqual([]);
        expect((await store.getPartitionOffsets('persons'))[2]).toEqual(START_POSITION);
      });

      it('refuses a group type that another batch stored under a different index', async () => {
        await store.commitPersonBatch({ ...emptyBatch(), upsertGroupTypes: [{ projectId: 1, groupType: 'company', groupTypeIndex: 0 }] });
        // A batch that loaded the types before that commit gives index 0 to another type …
        const clash = store.commitPersonBatch({ ...emptyBatch({ partition: 1 }), upsertGroupTypes: [{ projectId: 1, groupType: 'team', groupTypeIndex: 0 }] });
        await expect(clash).rejects.toBeInstanceOf(PersonConflictError);
        // … or another index to the same type.
        const moved = store.commitPersonBatch({ ...emptyBatch({ partition: 1 }), upsertGroupTypes: [{ projectId: 1, groupType: 'company', groupTypeIndex: 1 }] });
        await expect(moved).rejects.toBeInstanceOf(PersonConflictError);
        // Storing what is already there is fine.
        await store.commitPersonBatch({ ...emptyBatch({ partition: 1 }), upsertGroupTypes: [{ projectId: 1, groupType: 'company', groupTypeIndex: 0 }] });
        expect(await store.listGroupTypes()).toEqual([{ projectId: 1, groupType: 'company', groupTypeIndex: 0 }]);
      });

      it('pages persons and groups', async () => {
        const persons = ['a', 'b', 'c'].map((id, i) => ({ id, projectId: 1, properties: { i }, isIdentified: false, version: 1, createdAt: `t${i}`, distinctIds: [] }));
        await store.commitPersonBatch({
          ...emptyBatch(),
          upsertPersons: persons,
          upsertGroupTypes: [
            { projectId: 1, groupType: 'company', groupTypeIndex: 0 },
            { projectId: 1, groupType: 'team', groupTypeIndex: 1 },
          ],
          upsertGroups: [
            { projectId: 1, groupTypeIndex: 1, groupKey: 't', properties: {}, version: 1, createdAt: 'now' },
            { projectId: 1, groupTypeIndex: 0, groupKey: 'b', properties: {}, version: 1, createdAt: 'now' },
            { projectId: 1, groupTypeIndex: 0, groupKey: 'a', properties: {}, version: 1, createdAt: 'now' },
          ],
        });
        expect((await store.listPersons(1, { limit: 2, offset: 1 })).map((p) => p.id)).toEqual(['b', 'c']);
        expect((await store.listGroups(1, { limit: 10, offset: 0 })).map((g) => g.groupKey)).toEqual(['a', 'b', 't']);
        expect((await store.listGroups(1, { groupTypeIndex: 0, limit: 1, offset: 1 })).map((g) => g.groupKey)).toEqual(['b']);
      });
    });

    describe('the partitioned log', () => {
      const member = { id: 'm1', role: 'worker', host: 'host-a', pid: 101, startedAt: 5 };
      const fenced = (fence: LeaseFence, seq: number, consumer = 'persons'): PartitionOffsetWrite => ({
        consumer,
        partition: fence.partition,
        position: { tx: 0, seq },
        fence,
      });
      /** Waits until the store's clock (the database's, on Postgres) has passed `at`. */
      const clockPast = async (at: number) => {
        await expect.poll(() => store.heartbeat({ ...member, id: 'clock' }), { timeout: 10_000, interval: 10 }).toBeGreaterThan(at);
      };

      it('puts every event in the partition of its project and distinct id', async () => {
        expect(store.partitionCount).toBe(PARTITIONS);
        const ids = Array.from({ length: 12 }, (_, i) => `u${i}`);
        const { seqs, tx } = await store.appendEvents(ids.flatMap((id, i) => [event(uuid(2 * i + 1), id), event(uuid(2 * i + 2), id, 2)]));
        expect(seqs.every((s) => s !== null)).toBe(true);
        const stored = await store.readEvents(0, 100);
        expect(stored).toHaveLength(24);
        for (const e of stored) {
          expect(e.partition).toBe(partitionOf(e.projectId, e.distinct_id, PARTITIONS));
          // One append, one transaction: its `tx` is every event's.
          expect(e.position).toEqual({ tx, seq: e.seq });
        }
        expect(new Set(stored.map((e) => e.partition)).size).toBeGreaterThan(1);
        for (let p = 0; p < PARTITIONS; p++) {
          const read = await readSettled(store, p);
          expect(read.map((e) => e.uuid)).toEqual(stored.filter((e) => e.partition === p).map((e) => e.uuid));
          expect(read.every((e) => e.partition === p)).toBe(true);
        }
      });

      it('reads a partition in position order, after a position, with a limit', async () => {
        const [id, other] = distinctIdsInPartitions(2);
        await store.appendEvents([event(uuid(1), id), event(uuid(2), other), event(uuid(3), id)]);
        await store.appendEvents([event(uuid(4), id)]);
        const partition = partitionOf(1, id!, PARTITIONS);
        const all = await readSettled(store, partition);
        expect(all.map((e) => e.uuid)).toEqual([uuid(1), uuid(3), uuid(4)]);
        // Positions grow along the partition; a later append sorts after an earlier one.
        expect(comparePositions(all[0]!.position, all[1]!.position)).toBeLessThan(0);
        expect(comparePositions(all[1]!.position, all[2]!.position)).toBeLessThan(0);
        expect((await store.readPartition(partition, START_POSITION, 2)).map((e) => e.uuid)).toEqual([uuid(1), uuid(3)]);
        expect((await store.readPartition(partition, all[0]!.position, 1)).map((e) => e.uuid)).toEqual([uuid(3)]);
        expect((await store.readPartition(partition, all[1]!.position, 10)).map((e) => e.uuid)).toEqual([uuid(4)]);
        expect(await store.readPartition(partition, all[2]!.position, 10)).toEqual([]);
        expect(all[2]).toEqual((await store.readEvents(0, 10)).find((e) => e.uuid === uuid(4)));
      });

      it('keeps one offset per consumer and partition', async () => {
        const start = Array.from({ length: PARTITIONS }, () => START_POSITION);
        expect(await store.getPartitionOffsets('persons')).toEqual(start);
        await store.commitOffsets([
          { consumer: 'persons', partition: 1, position: { tx: 5, seq: 9 } },
          { consumer: 'destinations', partition: 3, position: { tx: 0, seq: 2 } },
        ]);
        expect(await store.getPartitionOffsets('persons')).toEqual([START_POSITION, { tx: 5, seq: 9 }, START_POSITION, START_POSITION]);
        expect(await store.getPartitionOffsets('destinations')).toEqual([START_POSITION, START_POSITION, START_POSITION, { tx: 0, seq: 2 }]);
        await store.commitOffsets([{ consumer: 'persons', partition: 1, position: { tx: 7, seq: 3 } }]);
        expect((await store.getPartitionOffsets('persons'))[1]).toEqual({ tx: 7, seq: 3 });
        await store.commitOffsets([]);
      });

      it('refuses an offset write fenced by a lease that was taken over, and writes nothing with it', async () => {
        const stale = (await store.acquireLease(0, 'a', 60_000))!;
        await store.releaseLease(stale);
        const current = (await store.acquireLease(0, 'b', 60_000))!;
        expect(current.epoch).toBe(stale.epoch + 1);
        const person = { id: 'late', projectId: 1, properties: {}, isIdentified: false, version: 1, createdAt: 'now', distinctIds: [] };

        await expect(store.commitOffsets([fenced(stale, 7)])).rejects.toBeInstanceOf(LeaseLostError);
        // One stale fence refuses the whole write, the valid offsets in it included.
        const other = (await store.acquireLease(1, 'a', 60_000))!;
        await expect(store.commitOffsets([fenced(other, 3), fenced(stale, 7)])).rejects.toBeInstanceOf(LeaseLostError);
        // The right epoch under another owner's name is no fence either.
        await expect(store.commitOffsets([fenced({ ...current, owner: 'a' }, 7)])).rejects.toBeInstanceOf(LeaseLostError);
        const staleBatch = { ...emptyBatch(fenced(stale, 7)), upsertPersons: [person], expect: { persons: [{ id: 'late', version: null }], distinctIds: [], groups: [] } };
        await expect(store.commitPersonBatch(staleBatch)).rejects.toBeInstanceOf(LeaseLostError);
        await expect(store.enqueueInvocations([invocation({ id: 'late' })], fenced(stale, 7, 'destinations'))).rejects.toBeInstanceOf(LeaseLostError);
        for (const consumer of ['persons', 'destinations']) {
          expect(await store.getPartitionOffsets(consumer)).toEqual(Array.from({ length: PARTITIONS }, () => START_POSITION));
        }
        expect(await store.listPersons(1, { limit: 10, offset: 0 })).toEqual([]);
        expect(await store.getInvocation('late')).toBeNull();

        // The current holder's writes go through.
        await store.commitOffsets([fenced(current, 7), fenced(other, 3)]);
        await store.commitPersonBatch({ ...staleBatch, offset: fenced(current, 8) });
        await store.enqueueInvocations([invocation({ id: 'late' })], fenced(current, 9, 'destinations'));
        expect((await store.getPartitionOffsets('persons')).slice(0, 2)).toEqual([{ tx: 0, seq: 8 }, { tx: 0, seq: 3 }]);
        expect((await store.getPartitionOffsets('destinations'))[0]).toEqual({ tx: 0, seq: 9 });
        expect((await store.listPersons(1, { limit: 10, offset: 0 })).map((p) => p.id)).toEqual(['late']);
        expect(await store.getInvocation('late')).not.toBeNull();
      });

      it('leases a partition to one owner at a time: acquire, renew, release', async () => {
        expect((await store.listLeases()).map((l) => [l.partition, l.owner, l.epoch])).toEqual([
          [0, null, 0],
          [1, null, 0],
          [2, null, 0],
          [3, null, 0],
        ]);
        const a0 = await store.acquireLease(0, 'a', 60_000);
        expect(a0).toEqual({ partition: 0, owner: 'a', epoch: 1 });
        expect(await store.acquireLease(0, 'b', 60_000)).toBeNull();
        // Already ours: the same epoch, a later expiry.
        expect(await store.acquireLease(0, 'a', 60_000)).toEqual(a0);
        expect(await store.renewLeases('a', [0, 1], 60_000)).toEqual([a0]);
        expect(await store.renewLeases('b', [0], 60_000)).toEqual([]);
        expect(await store.renewLeases('a', [], 60_000)).toEqual([]);
        // Releasing needs the current fence.
        await store.releaseLease({ ...a0!, epoch: 7 });
        expect((await store.listLeases())[0]).toMatchObject({ owner: 'a', epoch: 1 });
        await store.releaseLease(a0!);
        expect((await store.listLeases())[0]).toMatchObject({ owner: null, epoch: 1 });
        const b0 = await store.acquireLease(0, 'b', 60_000);
        expect(b0).toEqual({ partition: 0, owner: 'b', epoch: 2 });
        expect(await store.renewLeases('a', [0], 60_000)).toEqual([]);
        await expect(store.acquireLease(PARTITIONS, 'a', 60_000)).rejects.toThrow(/no partition 4/);
      });

      it('lets another owner take a lease once it expired on the store clock', async () => {
        const before = await store.heartbeat(member);
        const a1 = (await store.acquireLease(1, 'a', 200))!;
        const lease = (await store.listLeases())[1]!;
        expect(lease).toMatchObject({ owner: 'a', epoch: 1 });
        expect(lease.expiresAt).toBeGreaterThanOrEqual(before + 200);
        await clockPast(lease.expiresAt);
        expect(await store.acquireLease(1, 'b', 60_000)).toEqual({ partition: 1, owner: 'b', epoch: 2 });
        // The old owner finds out at its next renewal, and its fence no longer writes.
        expect(await store.renewLeases('a', [1], 60_000)).toEqual([]);
        await expect(store.commitOffsets([fenced(a1, 1)])).rejects.toBeInstanceOf(LeaseLostError);
        // An expired lease of the same owner is taken back without a new epoch.
        const b1 = (await store.acquireLease(2, 'b', 100))!;
        await clockPast((await store.listLeases())[2]!.expiresAt);
        expect(await store.acquireLease(2, 'b', 60_000)).toEqual(b1);
      });

      it('tells whether events up to a seq are still after a consumer\'s offsets', async () => {
        const [a, b, c] = distinctIdsInPartitions(3);
        await store.appendEvents([event(uuid(1), a), event(uuid(2), b), event(uuid(3), c), event(uuid(4), a)]);
        const stored = await store.readEvents(0, 10);
        const [e1, e2, e3, e4] = stored;
        expect(await store.hasUnprocessed('persons', 0)).toBe(false);
        expect(await store.hasUnprocessed('persons', e1!.seq)).toBe(true);
        // Offsets past e1 and e2 in their partitions: nothing up to e2's seq is pending, e3 is.
        await store.commitOffsets([
          { consumer: 'persons', partition: e1!.partition, position: e1!.position },
          { consumer: 'persons', partition: e2!.partition, position: e2!.position },
        ]);
        expect(await store.hasUnprocessed('persons', e2!.seq)).toBe(false);
        expect(await store.hasUnprocessed('persons', e3!.seq)).toBe(true);
        await store.commitOffsets([{ consumer: 'persons', partition: e3!.partition, position: e3!.position }]);
        expect(await store.hasUnprocessed('persons', e3!.seq)).toBe(false);
        expect(await store.hasUnprocessed('persons', e4!.seq)).toBe(true);
        expect(await store.hasUnprocessed('destinations', e1!.seq)).toBe(true);
      });

      it('counts each consumer\'s lag per partition, up to a cap', async () => {
        const [a, b] = distinctIdsInPartitions(2);
        const pa = partitionOf(1, a!, PARTITIONS);
        const pb = partitionOf(1, b!, PARTITIONS);
        await store.appendEvents([...[1, 2, 3, 4, 5].map((n) => event(uuid(n), a)), event(uuid(6), b), event(uuid(7), b)]);
        const lagOf = (lags: { consumer: string; partition: number; events: number }[], consumer: string) =>
          lags.filter((l) => l.consumer === consumer).map((l) => l.events);
        const expected = (inA: number, inB: number) => Array.from({ length: PARTITIONS }, (_, p) => (p === pa ? inA : p === pb ? inB : 0));
        let lags = await store.partitionLag(['persons', 'destinations'], 3);
        expect(lags.map((l) => [l.consumer, l.partition])).toEqual(
          ['persons', 'destinations'].flatMap((consumer) => Array.from({ length: PARTITIONS }, (_, p) => [consumer, p])),
        );
        expect(lagOf(lags, 'persons')).toEqual(expected(3, 2));
        const inA = (await store.readEvents(0, 10)).filter((e) => e.partition === pa);
        await store.commitOffsets([{ consumer: 'persons', partition: pa, position: inA[3]!.position }]);
        lags = await store.partitionLag(['persons', 'destinations'], 3);
        expect(lagOf(lags, 'persons')).toEqual(expected(1, 2));
        expect(lagOf(lags, 'destinations')).toEqual(expected(3, 2));
        expect(await store.partitionLag([], 3)).toEqual([]);
      });

      it('lists the processes that announced themselves recently, on the store clock', async () => {
        const at = await store.heartbeat(member);
        expect(Math.abs(at - Date.now())).toBeLessThan(60_000);
        expect(await store.listMembers(60_000)).toEqual([{ ...member, heartbeatAt: at }]);
        const again = await store.heartbeat({ ...member, role: 'all' });
        expect(again).toBeGreaterThanOrEqual(at);
        expect(await store.listMembers(60_000)).toEqual([{ ...member, role: 'all', heartbeatAt: again }]);
        // Once the clock moved on, a short window leaves the silent one out.
        await clockPast(again + 100);
        expect((await store.listMembers(50)).map((m) => m.id)).not.toContain('m1');
        expect((await store.listMembers(60_000)).map((m) => m.id)).toEqual(['clock', 'm1']);
        await store.removeMember('m1');
        expect((await store.listMembers(60_000)).map((m) => m.id)).toEqual(['clock']);
      });
    });

    describe('projects and keys', () => {
      it('finds projects by token and API keys by hash only', async () => {
        const project = await store.createProject({ name: 'P', apiToken: 'phc_x' });
        expect(project).toMatchObject({ name: 'P', apiToken: 'phc_x', settings: {} });
        expect((await store.getProjectByToken('phc_x'))?.id).toBe(project.id);
        expect((await store.getProject(project.id))?.name).toBe('P');
        expect(await store.getProjectByToken('phc_y')).toBeNull();
        expect((await store.listProjects()).map((p) => p.id)).toEqual([project.id]);
        await expect(store.createProject({ name: 'Q', apiToken: 'phc_x' })).rejects.toThrow();
        expect(await store.countApiKeys()).toBe(0);
        await store.createApiKey({ label: 'k', secureValue: 'abc', maskValue: '…1234', scopes: ['*'], projects: null });
        expect((await store.findApiKey('abc'))?.label).toBe('k');
        expect(await store.findApiKey('abd')).toBeNull();
        expect(await store.countApiKeys()).toBe(1);
      });

      it('keeps a key\'s scopes and projects, lists every key, and finds one by id', async () => {
        const admin = await store.createApiKey({ label: 'admin', secureValue: 'h1', maskValue: '…aaaa', scopes: ['*'], projects: null });
        const scoped = await store.createApiKey({ label: 'ci', secureValue: 'h2', maskValue: '…bbbb', scopes: ['hog_function:read', 'log:read'], projects: [3, 1] });
        expect(scoped).toMatchObject({ label: 'ci', maskValue: '…bbbb', scopes: ['hog_function:read', 'log:read'], projects: [3, 1], lastUsedAt: null, revokedAt: null });
        expect(admin).toMatchObject({ scopes: ['*'], projects: null });
        expect(await store.findApiKey('h2')).toEqual(scoped);
        expect(await store.getApiKey(scoped.id)).toEqual(scoped);
        expect(await store.getApiKey('no-such-key')).toBeNull();
        expect((await store.listApiKeys()).map((k) => k.label).sort()).toEqual(['admin', 'ci']);
        // The hash is never read back.
        expect(JSON.stringify(await store.listApiKeys())).not.toMatch(/"h[12]"/);
      });

      it('revokes a key once and keeps it in the list; the first revocation time stays', async () => {
        const key = await store.createApiKey({ label: 'k', secureValue: 'h', maskValue: '…1', scopes: ['event:read'], projects: null });
        const revoked = await store.revokeApiKey(key.id, '2026-03-01T10:00:00.000Z');
        expect(revoked).toMatchObject({ id: key.id, revokedAt: '2026-03-01T10:00:00.000Z' });
        expect((await store.revokeApiKey(key.id, '2026-03-02T10:00:00.000Z'))?.revokedAt).toBe('2026-03-01T10:00:00.000Z');
        expect((await store.findApiKey('h'))?.revokedAt).toBe('2026-03-01T10:00:00.000Z');
        expect((await store.listApiKeys()).map((k) => k.id)).toEqual([key.id]);
        expect(await store.revokeApiKey('no-such-key', '2026-03-01T10:00:00.000Z')).toBeNull();
      });

      it('records a key\'s last use only when the recorded one is older than the given bound', async () => {
        const key = await store.createApiKey({ label: 'k', secureValue: 'h', maskValue: '…1', scopes: ['*'], projects: null });
        await store.touchApiKey(key.id, '2026-03-01T10:00:00.000Z', '2026-03-01T09:59:00.000Z');
        expect((await store.getApiKey(key.id))?.lastUsedAt).toBe('2026-03-01T10:00:00.000Z');
        // Within the minute: left as is.
        await store.touchApiKey(key.id, '2026-03-01T10:00:30.000Z', '2026-03-01T09:59:30.000Z');
        expect((await store.getApiKey(key.id))?.lastUsedAt).toBe('2026-03-01T10:00:00.000Z');
        await store.touchApiKey(key.id, '2026-03-01T10:01:01.000Z', '2026-03-01T10:00:01.000Z');
        expect((await store.getApiKey(key.id))?.lastUsedAt).toBe('2026-03-01T10:01:01.000Z');
      });

      it('refuses a second key with the same hash', async () => {
        await store.createApiKey({ label: 'a', secureValue: 'same', maskValue: '…1', scopes: ['*'], projects: null });
        await expect(store.createApiKey({ label: 'b', secureValue: 'same', maskValue: '…1', scopes: ['*'], projects: null })).rejects.toThrow();
        expect(await store.countApiKeys()).toBe(1);
      });
    });

    describe('destinations', () => {
      it('saves, lists, updates and soft-deletes destinations, bumping the version on every write', async () => {
        expect(await store.destinationsVersion()).toBe(0);
        const a = await store.saveDestination({ id: 'a', projectId: 1, enabled: true, config: { name: 'A' } });
        const b = await store.saveDestination({ id: 'b', projectId: 1, enabled: false, config: { name: 'B' } });
        expect(a.version).toBeLessThan(b.version);
        expect(await store.destinationsVersion()).toBe(b.version);
        expect((await store.listDestinations(1)).map((d) => d.id)).toEqual(['a', 'b']);
        expect((await store.listEnabledDestinations()).map((d) => d.id)).toEqual(['a']);

        const a2 = await store.saveDestination({ id: 'a', projectId: 1, enabled: true, config: { name: 'A2' } });
        expect(a2.version).toBeGreaterThan(b.version);
        expect(a2.createdAt).toBe(a.createdAt);
        expect(a2.enabled).toBe(true);
        expect((await store.getDestination(1, 'a'))?.config).toEqual({ name: 'A2' });

        expect(await store.deleteDestination(1, 'a')).toBe(true);
        expect(await store.deleteDestination(1, 'a')).toBe(false);
        expect(await store.destinationsVersion()).toBeGreaterThan(a2.version);
        expect(await store.getDestination(1, 'a')).toBeNull();
        expect(await store.listEnabledDestinations()).toEqual([]);
      });

      it('finds a webhook source by id alone and leaves sources out of the matcher list', async () => {
        await store.saveDestination({ id: 'dest', projectId: 1, enabled: true, config: { name: 'D' } });
        await store.saveDestination({ id: 'src', projectId: 2, enabled: true, config: { name: 'S', type: 'source_webhook' } });
        expect((await store.getSource('src'))?.projectId).toBe(2);
        expect(await store.getSource('dest')).toBeNull();
        expect(await store.getSource('missing')).toBeNull();
        expect((await store.listEnabledDestinations()).map((d) => d.id)).toEqual(['dest']);
        expect((await store.getDestination(2, 'src'))?.config.type).toBe('source_webhook');
        await store.deleteDestination(2, 'src');
        expect(await store.getSource('src')).toBeNull();
      });

      it("never reads or overwrites another project's destination", async () => {
        await store.saveDestination({ id: 'a', projectId: 1, enabled: true, config: {} });
        const version = await store.destinationsVersion();
        expect(await store.getDestination(2, 'a')).toBeNull();
        expect(await store.deleteDestination(2, 'a')).toBe(false);
        await expect(store.saveDestination({ id: 'a', projectId: 2, enabled: true, config: {} })).rejects.toThrow(/another project/);
        expect(await store.destinationsVersion()).toBe(version);
      });

      it('tells listeners about destination writes', async () => {
        let calls = 0;
        const unsubscribe = store.onDestinationsChanged(() => calls++);
        // Postgres listens on its own connection: give it a moment to start.
        await new Promise((resolve) => setTimeout(resolve, 200));
        await store.saveDestination({ id: 'a', projectId: 1, enabled: true, config: {} });
        await expect.poll(() => calls, { timeout: 2_000 }).toBeGreaterThanOrEqual(1);
        const before = calls;
        await store.deleteDestination(1, 'a');
        await expect.poll(() => calls, { timeout: 2_000 }).toBeGreaterThan(before);
        unsubscribe();
        const after = calls;
        await store.saveDestination({ id: 'b', projectId: 1, enabled: true, config: {} });
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(calls).toBe(after);
      });
    });

    describe('the invocation queue', () => {
      it('claims by priority first, then by scheduled time', async () => {
        await store.enqueueInvocations([
          invocation({ id: 'late', scheduledAt: 300 }),
          invocation({ id: 'low-priority', priority: 5, scheduledAt: 100 }),
          invocation({ id: 'early', scheduledAt: 200 }),
        ]);
        const claimed = await store.claimInvocations({ workerId: 'w', limit: 10, now: 1_000, lockMs: 1_000 });
        expect(claimed.map((i) => i.id)).toEqual(['early', 'late', 'low-priority']);
        expect(claimed.every((i) => i.state === 'running' && i.lockedBy === 'w' && i.lockedUntil === 2_000)).toBe(true);
        expect(claimed[0]!.globals).toEqual({ event: { name: 'e' } });
        expect(await store.claimInvocations({ workerId: 'w2', limit: 10, now: 1_000, lockMs: 1_000 })).toEqual([]);
      });

      it('respects the limit and hands out the rest on the next claim', async () => {
        await store.enqueueInvocations([invocation({ id: 'a', scheduledAt: 1 }), invocation({ id: 'b', scheduledAt: 2 }), invocation({ id: 'c', scheduledAt: 3 })]);
        expect((await store.claimInvocations({ workerId: 'w', limit: 2, now: 10, lockMs: 100 })).map((i) => i.id)).toEqual(['a', 'b']);
        expect((await store.claimInvocations({ workerId: 'w', limit: 2, now: 10, lockMs: 100 })).map((i) => i.id)).toEqual(['c']);
        expect(await store.claimInvocations({ workerId: 'w', limit: 0, now: 10, lockMs: 100 })).toEqual([]);
      });

      it('leaves the invocations of skipped destinations, queued or stalled, for a later claim', async () => {
        await store.enqueueInvocations([
          invocation({ id: 'slow-1', destinationId: 'slow', scheduledAt: 1 }),
          invocation({ id: 'slow-2', destinationId: 'slow', scheduledAt: 2 }),
          invocation({ id: 'other', destinationId: 'other', scheduledAt: 3 }),
          invocation({ id: 'third', destinationId: 'third', scheduledAt: 4 }),
        ]);
        const skip = (ids: string[]) => ({ workerId: 'w', limit: 10, now: 10, lockMs: 100, skipDestinations: ids });
        expect((await store.claimInvocations(skip(['slow', 'third']))).map((i) => i.id)).toEqual(['other']);
        expect((await store.claimInvocations(skip(['slow']))).map((i) => i.id)).toEqual(['third']);
        // 'other' and 'third' are stalled after their lock expired: skipped as well while asked.
        expect((await store.claimInvocations({ ...skip(['other', 'third', 'slow']), now: 1_000 })).map((i) => i.id)).toEqual([]);
        expect((await store.claimInvocations({ ...skip([]), now: 1_000 })).map((i) => i.id)).toEqual(['slow-1', 'slow-2', 'other', 'third']);
      });

      it("applies a fenced update only while its worker holds the lock, so a stale worker cannot overwrite the new owner's outcome", async () => {
        await store.enqueueInvocations([invocation({ id: 'x', scheduledAt: 1 }), invocation({ id: 'y', scheduledAt: 2 })]);
        await store.claimInvocations({ workerId: 'w1', limit: 2, now: 10, lockMs: 100 });
        // w1 stalls past its lock; w2 reclaims both.
        expect((await store.claimInvocations({ workerId: 'w2', limit: 2, now: 500, lockMs: 100 })).map((i) => i.id)).toEqual(['x', 'y']);
        // w1's late outcome (in a batch, as the recorder writes, and alone) is refused; w2's own is applied.
        await store.commitInvocationBatch({
          updates: [
            { id: 'x', update: { state: 'succeeded', finishedAt: 600, lockedBy: 'w1' } },
            { id: 'y', update: { state: 'failed', error: 'late', finishedAt: 600, lockedBy: 'w1' } },
          ],
          logs: [],
          metrics: [],
        });
        await store.updateInvocation('x', { state: 'running', suspension: { encrypted: 'v1:stale' }, lockedBy: 'w1' });
        expect(await store.getInvocation('x')).toMatchObject({ state: 'running', lockedBy: 'w2', suspension: null });
        expect(await store.getInvocation('y')).toMatchObject({ state: 'running', lockedBy: 'w2', error: null });
        await store.commitInvocationBatch({ updates: [{ id: 'x', update: { state: 'failed', error: 'w2 saw a 400', finishedAt: 700, lockedBy: 'w2' } }], logs: [], metrics: [] });
        expect(await store.getInvocation('x')).toMatchObject({ state: 'failed', error: 'w2 saw a 400', lockedBy: null });
        // Once released, no worker's fenced update applies; an unfenced one (a replay) still does.
        await store.commitInvocationBatch({ updates: [{ id: 'x', update: { state: 'succeeded', finishedAt: 800, lockedBy: 'w2' } }], logs: [], metrics: [] });
        expect((await store.getInvocation('x'))?.state).toBe('failed');
        await store.updateInvocation('x', { state: 'queued', scheduledAt: 900 });
        expect((await store.getInvocation('x'))?.state).toBe('queued');
      });

      it('never hands one invocation to two concurrent claimers', async () => {
        await store.enqueueInvocations(Array.from({ length: 200 }, (_, i) => invocation({ id: `c${String(i).padStart(3, '0')}`, scheduledAt: i })));
        const claims = await Promise.all(
          Array.from({ length: 8 }, (_, w) => store.claimInvocations({ workerId: `w${w}`, limit: 40, now: 1_000, lockMs: 10_000 })),
        );
        const ids = claims.flat().map((i) => i.id);
        expect(new Set(ids).size).toBe(ids.length);
        const rest = await store.claimInvocations({ workerId: 'last', limit: 500, now: 1_000, lockMs: 10_000 });
        expect(ids.length + rest.length).toBe(200);
      });

      it('does not claim a retry before its scheduled time', async () => {
        await store.enqueueInvocations([invocation({ id: 'x', scheduledAt: 0 })]);
        await store.claimInvocations({ workerId: 'w', limit: 1, now: 0, lockMs: 100 });
        await store.updateInvocation('x', { state: 'queued', scheduledAt: 5_000, attempts: 1, suspension: { encrypted: 'v1:vm-1' } });
        expect(await store.claimInvocations({ workerId: 'w', limit: 1, now: 4_999, lockMs: 100 })).toEqual([]);
        const [again] = await store.claimInvocations({ workerId: 'w', limit: 1, now: 5_000, lockMs: 100 });
        expect(again?.id).toBe('x');
        expect(again?.attempts).toBe(1);
        expect(again?.suspension).toEqual({ encrypted: 'v1:vm-1' });
      });

      it('refuses to store a suspension that is not encrypted, on every update path', async () => {
        await store.enqueueInvocations([invocation({ id: 'x', scheduledAt: 0 })]);
        const plain = { request: { url: 'https://x.io', headers: { authorization: 'Bearer sk_live_plain' } } };
        await expect(store.updateInvocation('x', { state: 'running', suspension: plain })).rejects.toThrow(/encrypted/);
        await expect(store.updateInvocations([{ id: 'x', update: { state: 'queued', suspension: plain } }])).rejects.toThrow(/encrypted/);
        await expect(
          store.commitInvocationBatch({ updates: [{ id: 'x', update: { state: 'queued', suspension: { encrypted: 'sk_live_plain' } } }], logs: [], metrics: [] }),
        ).rejects.toThrow(/encrypted/);
        expect((await store.getInvocation('x'))?.suspension).toBeNull();
      });

      it('reclaims a running invocation only after its lock expired, and heartbeats keep it', async () => {
        await store.enqueueInvocations([invocation({ id: 'x', scheduledAt: 0 })]);
        await store.claimInvocations({ workerId: 'dead', limit: 1, now: 0, lockMs: 1_000 });
        expect(await store.claimInvocations({ workerId: 'other', limit: 1, now: 999, lockMs: 1_000 })).toEqual([]);
        await store.extendInvocationLocks({ workerId: 'dead', ids: ['x'], lockedUntil: 3_000 });
        expect(await store.claimInvocations({ workerId: 'other', limit: 1, now: 2_000, lockMs: 1_000 })).toEqual([]);
        const [stalled] = await store.claimInvocations({ workerId: 'other', limit: 1, now: 3_000, lockMs: 1_000 });
        expect(stalled?.lockedBy).toBe('other');
        // The dead worker's run counts as an attempt, so an invocation that kills its workers runs out of them.
        expect(stalled?.attempts).toBe(1);
        // The dead worker's heartbeat no longer touches a lock it lost.
        await store.extendInvocationLocks({ workerId: 'dead', ids: ['x'], lockedUntil: 99_000 });
        expect((await store.getInvocation('x'))?.lockedUntil).toBe(4_000);
      });

      it('stores invocations and the consumer offset in one transaction', async () => {
        const fence = (await store.acquireLease(2, 'matcher', 60_000))!;
        const offset = (seq: number): PartitionOffsetWrite => ({ consumer: 'destinations', partition: 2, position: { tx: 0, seq }, fence });
        const offsetOf = async () => (await store.getPartitionOffsets('destinations'))[2]!.seq;
        await store.enqueueInvocations([invocation({ id: 'a' }), invocation({ id: 'b' })], offset(42));
        expect(await offsetOf()).toBe(42);
        expect(await store.countInvocations({ states: ['queued'] })).toBe(2);
        // A duplicate id makes the whole write fail: neither the new invocation nor the offset moves.
        await expect(store.enqueueInvocations([invocation({ id: 'c' }), invocation({ id: 'a' })], offset(50))).rejects.toThrow();
        expect(await offsetOf()).toBe(42);
        expect(await store.getInvocation('c')).toBeNull();
        await store.enqueueInvocations([], offset(60));
        expect(await offsetOf()).toBe(60);
      });

      it('stores parked invocations and mapping indexes', async () => {
        await store.enqueueInvocations([invocation({ id: 'p', state: 'parked', mappingIndex: 2 })]);
        expect(await store.getInvocation('p')).toMatchObject({ state: 'parked', mappingIndex: 2, lockedBy: null, attempts: 0, suspension: null });
        expect(await store.claimInvocations({ workerId: 'w', limit: 1, now: 99_999, lockMs: 1 })).toEqual([]);
      });

      it('can store invocations already claimed by an in-process worker', async () => {
        await store.enqueueInvocations([invocation({ id: 'a', scheduledAt: 0 })], undefined, { workerId: 'local', lockedUntil: 500 });
        expect((await store.getInvocation('a'))?.state).toBe('running');
        expect(await store.claimInvocations({ workerId: 'w', limit: 1, now: 499, lockMs: 100 })).toEqual([]);
        const reclaimed = await store.claimInvocations({ workerId: 'w', limit: 1, now: 500, lockMs: 100 });
        expect(reclaimed.map((i) => [i.id, i.attempts])).toEqual([['a', 1]]);
      });

      it('releases the lock when an invocation finishes, and lists and counts by state', async () => {
        await store.enqueueInvocations([invocation({ id: 'a', scheduledAt: 0 }), invocation({ id: 'b', scheduledAt: 0 })]);
        await store.claimInvocations({ workerId: 'w', limit: 2, now: 0, lockMs: 100 });
        await store.updateInvocations([
          { id: 'a', update: { state: 'succeeded', finishedAt: 10, attempts: 1, suspension: null } },
          { id: 'b', update: { state: 'failed', finishedAt: 20, attempts: 1, error: 'boom' } },
        ]);
        const a = await store.getInvocation('a');
        expect(a).toMatchObject({ state: 'succeeded', lockedBy: null, lockedUntil: null, finishedAt: 10 });
        expect(await store.claimInvocations({ workerId: 'w', limit: 2, now: 1_000, lockMs: 100 })).toEqual([]);
        expect((await store.listInvocations(1, 'd1', { states: ['failed'], limit: 10 })).map((i) => [i.id, i.error])).toEqual([['b', 'boom']]);
        expect(await store.countInvocations({ projectId: 1, destinationId: 'd1' })).toBe(2);
        expect(await store.countInvocations({ states: ['succeeded', 'failed'] })).toBe(2);
        expect(await store.countInvocations({})).toBe(2);
      });

      it('applies several updates of one invocation in order, and keeps a running one locked', async () => {
        await store.enqueueInvocations([invocation({ id: 'a', scheduledAt: 0 })]);
        await store.claimInvocations({ workerId: 'w', limit: 1, now: 0, lockMs: 100 });
        await store.updateInvocations([
          { id: 'a', update: { state: 'running', suspension: { encrypted: 'v1:step-1' } } },
          { id: 'a', update: { state: 'running', suspension: { encrypted: 'v1:step-2' }, attempts: 1 } },
        ]);
        expect(await store.getInvocation('a')).toMatchObject({ state: 'running', lockedBy: 'w', suspension: { encrypted: 'v1:step-2' }, attempts: 1 });
        await store.commitInvocationBatch({
          updates: [
            { id: 'a', update: { state: 'queued', scheduledAt: 50, error: 'retry' } },
            { id: 'a', update: { state: 'succeeded', finishedAt: 60, suspension: null } },
          ],
          logs: [],
          metrics: [],
        });
        expect(await store.getInvocation('a')).toMatchObject({ state: 'succeeded', scheduledAt: 50, error: 'retry', finishedAt: 60, suspension: null, lockedBy: null });
      });

      it('lists invocations newest first, before a time', async () => {
        await store.enqueueInvocations([invocation({ id: 'a' })]);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await store.enqueueInvocations([invocation({ id: 'b' })]);
        const all = await store.listInvocations(1, 'd1', { limit: 10 });
        expect(all.map((i) => i.id)).toEqual(['b', 'a']);
        expect((await store.listInvocations(1, 'd1', { limit: 10, before: all[0]!.createdAt })).map((i) => i.id)).toEqual(['a']);
        expect(await store.listInvocations(1, 'other', { limit: 10 })).toEqual([]);
      });

      it('deletes only finished invocations older than the cut-off', async () => {
        await store.enqueueInvocations([invocation({ id: 'old', scheduledAt: 0 }), invocation({ id: 'new', scheduledAt: 0 }), invocation({ id: 'waiting' })]);
        await store.claimInvocations({ workerId: 'w', limit: 2, now: 0, lockMs: 100 });
        await store.updateInvocations([
          { id: 'old', update: { state: 'succeeded', finishedAt: 100 } },
          { id: 'new', update: { state: 'failed', finishedAt: 300 } },
        ]);
        expect(await store.deleteFinishedInvocations(200)).toBe(1);
        expect(await store.getInvocation('old')).toBeNull();
        expect(await store.getInvocation('new')).not.toBeNull();
        expect(await store.getInvocation('waiting')).not.toBeNull();
      });
    });

    describe('destination health', () => {
      const health = (overrides: Partial<DestinationHealth> = {}): DestinationHealth => ({
        projectId: 1,
        destinationId: 'd1',
        state: 'healthy',
        since: 1_000,
        reason: null,
        until: null,
        tokens: 10_000,
        tokensAt: 1_000,
        temporaryDisables: [],
        ...overrides,
      });

      it('stores the state per destination, replaces it, and keeps a history of changes', async () => {
        expect(await store.getDestinationHealth(1, 'd1')).toBeNull();
        await store.saveDestinationHealth(health({ tokens: 9_876.5 }));
        expect(await store.getDestinationHealth(1, 'd1')).toEqual(health({ tokens: 9_876.5 }));
        const disabled = health({ state: 'disabled_temporarily', since: 2_000, reason: 'empty bucket', until: 602_000, tokens: -5, tokensAt: 2_000, temporaryDisables: [2_000] });
        const change: DestinationHealthChange = { projectId: 1, destinationId: 'd1', at: 2_000, from: 'degraded', to: 'disabled_temporarily', reason: 'empty bucket', until: 602_000 };
        await store.saveDestinationHealth(disabled, change);
        await store.saveDestinationHealth(health({ destinationId: 'd2' }), { ...change, destinationId: 'd2', at: 1_500 });
        await store.saveDestinationHealth(health({ projectId: 2, destinationId: 'd3' }));
        expect(await store.getDestinationHealth(1, 'd1')).toEqual(disabled);
        expect(await store.getDestinationHealth(2, 'd1')).toBeNull();
        expect((await store.listDestinationHealth(1)).map((h) => h.destinationId)).toEqual(['d1', 'd2']);
        expect((await store.listDestinationHealth()).length).toBe(3);

        await store.saveDestinationHealth(health({ state: 'degraded', since: 3_000 }), { ...change, at: 3_000, from: 'disabled_temporarily', to: 'degraded', until: null });
        const changes = await store.listDestinationHealthChanges(1, 'd1', 10);
        expect(changes.map((c) => [c.at, c.from, c.to, c.until])).toEqual([
          [3_000, 'disabled_temporarily', 'degraded', null],
          [2_000, 'degraded', 'disabled_temporarily', 602_000],
        ]);
        expect(await store.listDestinationHealthChanges(1, 'd1', 1)).toHaveLength(1);
      });

      it('selects invocations by creation time, and deletes parked ones past their retention', async () => {
        await store.enqueueInvocations([invocation({ id: 'p1', state: 'parked' }), invocation({ id: 'q1' })]);
        const created = (await store.getInvocation('p1'))!.createdAt;
        await store.enqueueInvocations([invocation({ id: 'p2', state: 'parked' })]);
        expect((await store.getInvocation('p2'))!.state).toBe('parked');
        // Parked invocations are never claimed.
        expect((await store.claimInvocations({ workerId: 'w', limit: 10, now: 10_000, lockMs: 100 })).map((i) => i.id)).toEqual(['q1']);
        expect(await store.countInvocations({ projectId: 1, destinationId: 'd1', states: ['parked'], after: created })).toBe(2);
        expect(await store.countInvocations({ projectId: 1, destinationId: 'd1', states: ['parked'], after: created + 3_600_000 })).toBe(0);
        expect(await store.countInvocations({ projectId: 1, destinationId: 'd1', states: ['parked'], before: created })).toBe(0);
        expect(await store.countInvocations({ projectId: 1, destinationId: 'd1', states: ['parked'], after: created, before: created + 3_600_000 })).toBe(2);
        const listed = await store.listInvocations(1, 'd1', { states: ['parked'], after: created, before: created + 3_600_000, limit: 10 });
        expect(listed.map((i) => i.id).sort()).toEqual(['p1', 'p2']);
        expect(await store.listInvocations(1, 'd1', { after: created + 3_600_000, limit: 10 })).toEqual([]);

        expect(await store.deleteParkedInvocations(created)).toBe(0);
        expect(await store.deleteParkedInvocations(created + 3_600_000)).toBe(2);
        expect((await store.getInvocation('q1'))?.state).toBe('running');
      });

      it('updates project settings', async () => {
        const project = await store.createProject({ name: 'P', apiToken: 'phc_settings' });
        const updated = await store.updateProjectSettings(project.id, { health_webhook_url: 'https://example.com/hook' });
        expect(updated?.settings).toEqual({ health_webhook_url: 'https://example.com/hook' });
        expect((await store.getProject(project.id))?.settings).toEqual({ health_webhook_url: 'https://example.com/hook' });
        expect(await store.updateProjectSettings(project.id + 100, {})).toBeNull();
      });
    });

    describe('logs and metrics', () => {
      const log = (message: string, level: 'debug' | 'info' | 'warn' | 'error', second: number, invocationId: string | null = 'i1') => ({
        projectId: 1,
        destinationId: 'd1',
        invocationId,
        timestamp: `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z`,
        level,
        message,
      });

      it('queries logs newest first, by level, by case-insensitive search and by invocation', async () => {
        await store.appendLogs([
          log('Request sent', 'info', 1),
          log('Webhook FAILED with 500', 'error', 2),
          log('100% done_ok', 'debug', 3, 'i2'),
          { ...log('other destination', 'info', 4), destinationId: 'd2' },
        ]);
        const all = await store.queryLogs(1, 'd1', { limit: 10 });
        expect(all.map((l) => l.message)).toEqual(['100% done_ok', 'Webhook FAILED with 500', 'Request sent']);
        expect(all[0]).toEqual(log('100% done_ok', 'debug', 3, 'i2'));
        expect((await store.queryLogs(1, 'd1', { levels: ['error', 'warn'], limit: 10 })).map((l) => l.level)).toEqual(['error']);
        expect((await store.queryLogs(1, 'd1', { search: 'failed', limit: 10 })).map((l) => l.message)).toEqual(['Webhook FAILED with 500']);
        expect((await store.queryLogs(1, 'd1', { search: '0% d', limit: 10 })).length).toBe(1);
        expect((await store.queryLogs(1, 'd1', { search: '_', limit: 10 })).length).toBe(1);
        expect((await store.queryLogs(1, 'd1', { invocationId: 'i2', limit: 10 })).map((l) => l.message)).toEqual(['100% done_ok']);
        expect((await store.queryLogs(1, 'd1', { after: '2026-01-01T00:00:01.000Z', before: '2026-01-01T00:00:03.000Z', limit: 10 })).length).toBe(1);
        expect((await store.queryLogs(1, 'd1', { limit: 1 })).length).toBe(1);
      });

      it('deletes logs older than the cut-off', async () => {
        await store.appendLogs([log('old', 'info', 1), log('new', 'info', 5)]);
        expect(await store.deleteLogsBefore('2026-01-01T00:00:03.000Z')).toBe(1);
        expect((await store.queryLogs(1, 'd1', { limit: 10 })).map((l) => l.message)).toEqual(['new']);
      });

      it('adds metric increments into hourly buckets and sums them by day', async () => {
        const inc = (name: string, hour: string, count: number) => ({ projectId: 1, destinationId: 'd1', name, hour, count });
        await store.incrementMetrics([inc('succeeded', '2026-01-01T10:00:00.000Z', 2), inc('failed', '2026-01-01T10:00:00.000Z', 1)]);
        await store.incrementMetrics([inc('succeeded', '2026-01-01T10:00:00.000Z', 3), inc('succeeded', '2026-01-01T11:00:00.000Z', 4)]);
        await store.incrementMetrics([inc('succeeded', '2026-01-02T00:00:00.000Z', 1)]);
        await store.incrementMetrics([{ ...inc('succeeded', '2026-01-01T10:00:00.000Z', 100), destinationId: 'd2' }]);

        const range = { after: '2026-01-01T00:00:00.000Z', before: '2026-01-03T00:00:00.000Z' };
        expect(await store.queryMetrics(1, 'd1', { ...range, interval: 'hour' })).toEqual([
          { name: 'failed', bucket: '2026-01-01T10:00:00.000Z', count: 1 },
          { name: 'succeeded', bucket: '2026-01-01T10:00:00.000Z', count: 5 },
          { name: 'succeeded', bucket: '2026-01-01T11:00:00.000Z', count: 4 },
          { name: 'succeeded', bucket: '2026-01-02T00:00:00.000Z', count: 1 },
        ]);
        expect(await store.queryMetrics(1, 'd1', { ...range, interval: 'day', names: ['succeeded'] })).toEqual([
          { name: 'succeeded', bucket: '2026-01-01T00:00:00.000Z', count: 9 },
          { name: 'succeeded', bucket: '2026-01-02T00:00:00.000Z', count: 1 },
        ]);
        expect(await store.deleteMetricsBefore('2026-01-01T11:00:00.000Z')).toBe(3);
        expect((await store.queryMetrics(1, 'd1', { ...range, interval: 'hour' })).length).toBe(2);
      });

      it('stores U+0000 in a log line or an invocation error as U+FFFD (Postgres text cannot hold it), without failing the batch', async () => {
        await store.enqueueInvocations([invocation({ id: 'n', scheduledAt: 0 })]);
        await store.commitInvocationBatch({
          updates: [{ id: 'n', update: { state: 'failed', error: 'bad\u0000error', finishedAt: 1 } }],
          logs: [log('a\u0000b', 'info', 1, 'n'), log('fine', 'info', 2, 'n')],
          metrics: [],
        });
        await store.appendLogs([log('c\u0000d', 'warn', 3, 'n')]);
        expect((await store.queryLogs(1, 'd1', { invocationId: 'n', limit: 10 })).map((l) => l.message)).toEqual(['c\uFFFDd', 'fine', 'a\uFFFDb']);
        expect((await store.getInvocation('n'))?.error).toBe('bad\uFFFDerror');
      });

      it('sums repeated increments of one bucket within a batch, with updates and logs in one commit', async () => {
        const inc = { projectId: 1, destinationId: 'd1', name: 'fetch', hour: '2026-01-01T10:00:00.000Z', count: 1 };
        await store.enqueueInvocations([invocation({ id: 'z', scheduledAt: 0 })]);
        await store.commitInvocationBatch({
          updates: [{ id: 'z', update: { state: 'succeeded', finishedAt: 1 } }],
          logs: [log('done', 'info', 1, 'z')],
          metrics: [inc, inc, { ...inc, count: 3 }],
        });
        expect(await store.queryMetrics(1, 'd1', { after: '2026-01-01T00:00:00.000Z', before: '2026-01-02T00:00:00.000Z', interval: 'hour' })).toEqual([
          { name: 'fetch', bucket: '2026-01-01T10:00:00.000Z', count: 5 },
        ]);
        expect((await store.queryLogs(1, 'd1', { invocationId: 'z', limit: 10 })).map((l) => l.message)).toEqual(['done']);
        expect((await store.getInvocation('z'))?.state).toBe('succeeded');
      });
    });

    describe('coordination', () => {
      it('counts atomically with a time to live', async () => {
        const c = store.counters;
        expect(await c.get('k', 0)).toBeNull();
        expect(await c.increment('k', 1, 1_000, 0)).toEqual({ value: 1, expiresAt: 1_000 });
        expect(await c.increment('k', 2, 1_000, 500)).toEqual({ value: 3, expiresAt: 1_000 });
        expect(await c.get('k', 999)).toEqual({ value: 3, expiresAt: 1_000 });
        expect(await c.get('k', 1_000)).toBeNull();
        // expired: starts again with a new window
        expect(await c.increment('k', 1, 1_000, 1_000)).toEqual({ value: 1, expiresAt: 2_000 });
        const all = await Promise.all(Array.from({ length: 20 }, () => c.increment('many', 1, 10_000, 0)));
        expect(all.map((v) => v.value).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        await c.set('k', 10, 100, 5_000);
        expect(await c.get('k', 5_000)).toEqual({ value: 10, expiresAt: 5_100 });
        await c.delete('many');
        expect(await c.get('many', 0)).toBeNull();
        expect(await c.sweep(6_000)).toBe(1);
        expect(await c.get('k', 0)).toBeNull();
      });

      it('hands an exclusive role to one holder at a time', async () => {
        const first = await store.tryLead('persons');
        expect(first).not.toBeNull();
        expect(await store.tryLead('persons')).toBeNull();
        const other = await store.tryLead('matcher');
        expect(other).not.toBeNull();
        await first!.release();
        const second = await store.tryLead('persons');
        expect(second).not.toBeNull();
        await second!.release();
        await other!.release();
      });

      it('runs named critical sections one at a time', async () => {
        const order: string[] = [];
        const section = (name: string) =>
          store.withLock('bootstrap', async () => {
            order.push(`${name}+`);
            await new Promise((resolve) => setTimeout(resolve, 20));
            order.push(`${name}-`);
          });
        await Promise.all([section('a'), section('b'), section('c')]);
        for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i]!.replace('+', '-'));
      });
    });
  });
}
