/**
 * One person-processing batch written on Postgres (`PostgresStore.commitPersonBatch`), inside the caller's
 * transaction. Batches of different partitions run at the same time and may touch the same persons (a
 * merge reaches across partitions), so a batch writes only if what it loaded is still what is stored:
 *
 * 1. The offset's fence (`writePartitionOffsets`): a batch of a partition we no longer own writes nothing.
 * 2. Lock what the batch reads or writes and compare it to `write.expect`: persons, then distinct ids, then
 *    groups, each `ORDER BY … FOR UPDATE` on its key. Every batch locks in this one order, so two batches
 *    wait for each other instead of deadlocking on these rows.
 * 3. Write. Rows that existed are locked and updated in place. Rows that did not exist cannot be locked:
 *    they are inserted with `ON CONFLICT DO NOTHING`, and a row that did not come back was inserted by a
 *    concurrent batch meanwhile — a conflict. Group types are inserted the same way and read back: a
 *    concurrent batch may have given the type another index.
 *
 * Any mismatch throws `PersonConflictError`, as does a deadlock, serialization failure or duplicate key
 * the database reports (the caller translates those): nothing is written, the caller reloads and redoes
 * the batch.
 */
import type pg from 'pg';
import type { PersonBatchWrite } from '../store.js';
import { PersonConflictError } from '../store.js';
import { writePartitionOffsets, xid8Param } from './partition-tables.js';

/** The batch with its JSON already serialized (outside the transaction, so a bad value never opens one). */
export interface PreparedPersonBatch {
  write: PersonBatchWrite;
  persons: PersonBatchWrite['upsertPersons'];
  distinctIds: PersonBatchWrite['setDistinctIds'];
  groups: PersonBatchWrite['upsertGroups'];
  enrichments: PersonBatchWrite['enrichments'];
  enrichedPersons: string[];
  enrichedGroups: string[];
  /** Per enrichment: the transformed event's JSON, or null when the stored event stands. */
  enrichedEvents: (string | null)[];
  /** Events a transformation dropped (each recorded without a person). */
  dropped: NonNullable<PersonBatchWrite['dropped']>;
}

const distinctKey = (projectId: number, distinctId: string) => `${projectId}\u0000${distinctId}`;
const groupKey = (projectId: number, index: number, key: string) => `${projectId}\u0000${index}\u0000${key}`;

export async function writePersonBatch(client: pg.PoolClient, batch: PreparedPersonBatch): Promise<void> {
  const { write } = batch;
  await writePartitionOffsets(client, [write.offset]);
  const existingPersons = await lockPersons(client, write);
  const existingDistinct = await lockDistinctIds(client, write);
  const existingGroups = await lockGroups(client, write);
  for (const id of write.deletePersonIds) existingPersons.delete(id);
  if (write.deletePersonIds.length > 0) {
    await client.query({ name: 'delete-persons', text: 'DELETE FROM persons WHERE id = ANY($1::text[])', values: [write.deletePersonIds] });
  }
  await writePersons(client, batch.persons, existingPersons);
  await writeDistinctIds(client, batch.distinctIds, existingDistinct);
  await writeGroupTypes(client, write.upsertGroupTypes);
  await writeGroups(client, batch.groups, existingGroups);
  await writeEnrichments(client, batch);
  if (write.downstream !== undefined && batch.enrichments.length === 0 && batch.dropped.length > 0) await passDropped(client, write.downstream, write.offset);
}

// ---- 2. lock and compare ---------------------------------------------------------------------------------

/** Locks the batch's persons (expected, written, deleted); returns the ids that exist. */
async function lockPersons(client: pg.PoolClient, write: PersonBatchWrite): Promise<Set<string>> {
  const ids = new Set<string>([...write.expect.persons.map((p) => p.id), ...write.upsertPersons.map((p) => p.id), ...write.deletePersonIds]);
  if (ids.size === 0) return new Set();
  const { rows } = await client.query<{ id: string; version: number }>({
    name: 'lock-persons',
    text: 'SELECT id, version FROM persons WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
    values: [[...ids]],
  });
  const versions = new Map(rows.map((r) => [r.id, r.version]));
  for (const expected of write.expect.persons) {
    const found = versions.get(expected.id) ?? null;
    if (found !== expected.version) {
      throw new PersonConflictError(`person ${expected.id} is at version ${found ?? 'none'}, the batch expected ${expected.version ?? 'none'}`);
    }
  }
  return new Set(versions.keys());
}

/** Locks the batch's distinct ids (expected and written); returns the keys that exist. */
async function lockDistinctIds(client: pg.PoolClient, write: PersonBatchWrite): Promise<Set<string>> {
  const keys = new Map<string, { projectId: number; distinctId: string }>();
  for (const d of [...write.expect.distinctIds, ...write.setDistinctIds]) keys.set(distinctKey(d.projectId, d.distinctId), d);
  if (keys.size === 0) return new Set();
  const { rows } = await client.query<{ project_id: number; distinct_id: string; person_id: string }>({
    name: 'lock-distinct-ids',
    text: `SELECT project_id, distinct_id, person_id FROM person_distinct_ids
           WHERE (project_id, distinct_id) IN (SELECT * FROM unnest($1::int[], $2::text[]))
           ORDER BY project_id, distinct_id FOR UPDATE`,
    values: [[...keys.values()].map((k) => k.projectId), [...keys.values()].map((k) => k.distinctId)],
  });
  const owners = new Map(rows.map((r) => [distinctKey(r.project_id, r.distinct_id), r.person_id]));
  for (const expected of write.expect.distinctIds) {
    const found = owners.get(distinctKey(expected.projectId, expected.distinctId)) ?? null;
    if (found !== expected.personId) {
      throw new PersonConflictError(`distinct id '${expected.distinctId}' belongs to ${found ?? 'no person'}, the batch expected ${expected.personId ?? 'none'}`);
    }
  }
  return new Set(owners.keys());
}

/** Locks the batch's groups (expected and written); returns the keys that exist. */
async function lockGroups(client: pg.PoolClient, write: PersonBatchWrite): Promise<Set<string>> {
  const keys = new Map<string, { projectId: number; groupTypeIndex: number; groupKey: string }>();
  for (const g of [...write.expect.groups, ...write.upsertGroups]) keys.set(groupKey(g.projectId, g.groupTypeIndex, g.groupKey), g);
  if (keys.size === 0) return new Set();
  const list = [...keys.values()];
  const { rows } = await client.query<{ project_id: number; group_type_index: number; group_key: string; version: number }>({
    name: 'lock-groups',
    text: `SELECT project_id, group_type_index, group_key, version FROM groups
           WHERE (project_id, group_type_index, group_key) IN (SELECT * FROM unnest($1::int[], $2::int[], $3::text[]))
           ORDER BY project_id, group_type_index, group_key FOR UPDATE`,
    values: [list.map((g) => g.projectId), list.map((g) => g.groupTypeIndex), list.map((g) => g.groupKey)],
  });
  const versions = new Map(rows.map((r) => [groupKey(r.project_id, r.group_type_index, r.group_key), r.version]));
  for (const expected of write.expect.groups) {
    const found = versions.get(groupKey(expected.projectId, expected.groupTypeIndex, expected.groupKey)) ?? null;
    if (found !== expected.version) {
      throw new PersonConflictError(`group '${expected.groupKey}' (type ${expected.groupTypeIndex}) is at version ${found ?? 'none'}, the batch expected ${expected.version ?? 'none'}`);
    }
  }
  return new Set(versions.keys());
}

// ---- 3. write ---------------------------------------------------------------------------------------------

/** Throws unless every key we inserted came back (a missing one was inserted concurrently by another batch). */
function checkInserted(what: string, wanted: string[], returned: string[]): void {
  if (returned.length === wanted.length) return;
  const got = new Set(returned);
  const lost = wanted.find((k) => !got.has(k)) ?? wanted[0];
  throw new PersonConflictError(`${what} '${lost?.split('\u0000').pop()}' was created by another batch meanwhile`);
}

async function writePersons(client: pg.PoolClient, persons: PersonBatchWrite['upsertPersons'], existing: Set<string>): Promise<void> {
  const updates = persons.filter((p) => existing.has(p.id));
  const inserts = persons.filter((p) => !existing.has(p.id));
  const columns = (list: typeof persons) => [
    list.map((p) => p.id),
    list.map((p) => p.projectId),
    list.map((p) => JSON.stringify(p.properties)),
    list.map((p) => p.isIdentified),
    list.map((p) => p.version),
    list.map((p) => p.createdAt),
  ];
  if (updates.length > 0) {
    await client.query({
      name: 'update-persons',
      text: `UPDATE persons p SET properties = u.properties, is_identified = u.is_identified, version = u.version
             FROM unnest($1::text[], $2::int[], $3::text[], $4::boolean[], $5::int[], $6::text[])
               AS u(id, project_id, properties, is_identified, version, created_at)
             WHERE p.id = u.id`,
      values: columns(updates),
    });
  }
  if (inserts.length > 0) {
    const { rows } = await client.query<{ id: string }>({
      name: 'insert-persons',
      text: `INSERT INTO persons (id, project_id, properties, is_identified, version, created_at)
             SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::boolean[], $5::int[], $6::text[])
             ON CONFLICT (id) DO NOTHING RETURNING id`,
      values: columns(inserts),
    });
    checkInserted('person', inserts.map((p) => p.id), rows.map((r) => r.id));
  }
}

/** New mappings are inserted in the batch's order: a person's distinct ids keep the order it gained them. */
async function writeDistinctIds(client: pg.PoolClient, mappings: PersonBatchWrite['setDistinctIds'], existing: Set<string>): Promise<void> {
  const updates = mappings.filter((d) => existing.has(distinctKey(d.projectId, d.distinctId)));
  const inserts = mappings.filter((d) => !existing.has(distinctKey(d.projectId, d.distinctId)));
  const columns = (list: typeof mappings) => [list.map((d) => d.projectId), list.map((d) => d.distinctId), list.map((d) => d.personId)];
  if (updates.length > 0) {
    await client.query({
      name: 'remap-distinct-ids',
      text: `UPDATE person_distinct_ids m SET person_id = u.person_id
             FROM unnest($1::int[], $2::text[], $3::text[]) AS u(project_id, distinct_id, person_id)
             WHERE m.project_id = u.project_id AND m.distinct_id = u.distinct_id`,
      values: columns(updates),
    });
  }
  if (inserts.length > 0) {
    const { rows } = await client.query<{ project_id: number; distinct_id: string }>({
      name: 'insert-distinct-ids',
      text: `INSERT INTO person_distinct_ids (project_id, distinct_id, person_id)
             SELECT project_id, distinct_id, person_id
             FROM unnest($1::int[], $2::text[], $3::text[]) WITH ORDINALITY AS d(project_id, distinct_id, person_id, n)
             ORDER BY n
             ON CONFLICT (project_id, distinct_id) DO NOTHING RETURNING project_id, distinct_id`,
      values: columns(inserts),
    });
    checkInserted(
      'distinct id',
      inserts.map((d) => distinctKey(d.projectId, d.distinctId)),
      rows.map((r) => distinctKey(r.project_id, r.distinct_id)),
    );
  }
}

/** A type another batch stored first under another index (or an index taken by another type) is a conflict. */
async function writeGroupTypes(client: pg.PoolClient, types: PersonBatchWrite['upsertGroupTypes']): Promise<void> {
  if (types.length === 0) return;
  const sorted = [...types].sort((a, b) => a.projectId - b.projectId || (a.groupType < b.groupType ? -1 : a.groupType > b.groupType ? 1 : 0));
  const columns = [sorted.map((t) => t.projectId), sorted.map((t) => t.groupType)];
  await client.query({
    name: 'insert-group-types',
    text: `INSERT INTO group_types (project_id, group_type, group_type_index)
           SELECT * FROM unnest($1::int[], $2::text[], $3::int[]) ON CONFLICT DO NOTHING`,
    values: [...columns, sorted.map((t) => t.groupTypeIndex)],
  });
  const { rows } = await client.query<{ project_id: number; group_type: string; group_type_index: number }>({
    name: 'stored-group-types',
    text: `SELECT project_id, group_type, group_type_index FROM group_types
           WHERE (project_id, group_type) IN (SELECT * FROM unnest($1::int[], $2::text[]))`,
    values: columns,
  });
  const stored = new Map(rows.map((r) => [`${r.project_id}\u0000${r.group_type}`, r.group_type_index]));
  for (const t of sorted) {
    const index = stored.get(`${t.projectId}\u0000${t.groupType}`);
    if (index !== t.groupTypeIndex) {
      throw new PersonConflictError(`group type '${t.groupType}' has index ${index ?? 'none'}, the batch assigned ${t.groupTypeIndex}`);
    }
  }
}

async function writeGroups(client: pg.PoolClient, groups: PersonBatchWrite['upsertGroups'], existing: Set<string>): Promise<void> {
  const isExisting = (g: (typeof groups)[number]) => existing.has(groupKey(g.projectId, g.groupTypeIndex, g.groupKey));
  const updates = groups.filter(isExisting);
  const inserts = groups.filter((g) => !isExisting(g));
  const columns = (list: typeof groups) => [
    list.map((g) => g.projectId),
    list.map((g) => g.groupTypeIndex),
    list.map((g) => g.groupKey),
    list.map((g) => JSON.stringify(g.properties)),
    list.map((g) => g.version),
    list.map((g) => g.createdAt),
  ];
  if (updates.length > 0) {
    await client.query({
      name: 'update-groups',
      text: `UPDATE groups g SET properties = u.properties, version = u.version
             FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::int[], $6::text[])
               AS u(project_id, group_type_index, group_key, properties, version, created_at)
             WHERE g.project_id = u.project_id AND g.group_type_index = u.group_type_index AND g.group_key = u.group_key`,
      values: columns(updates),
    });
  }
  if (inserts.length > 0) {
    const { rows } = await client.query<{ project_id: number; group_type_index: number; group_key: string }>({
      name: 'insert-groups',
      text: `INSERT INTO groups (project_id, group_type_index, group_key, properties, version, created_at)
             SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::int[], $6::text[])
             ON CONFLICT (project_id, group_type_index, group_key) DO NOTHING
             RETURNING project_id, group_type_index, group_key`,
      values: columns(inserts),
    });
    checkInserted(
      'group',
      inserts.map((g) => groupKey(g.projectId, g.groupTypeIndex, g.groupKey)),
      rows.map((r) => groupKey(r.project_id, r.group_type_index, r.group_key)),
    );
  }
}

/**
 * Each enrichment keeps its event's partition and position, the order the matcher reads them in. Dropped
 * events get a row too, marked `dropped`, without a person: the matcher never reads them.
 */
async function writeEnrichments(client: pg.PoolClient, batch: PreparedPersonBatch): Promise<void> {
  const { enrichments, dropped } = batch;
  if (enrichments.length === 0 && dropped.length === 0) return;
  const rows = [...enrichments, ...dropped];
  await client.query({
    name: 'insert-enriched',
    text: `INSERT INTO enriched_events (seq, project_id, person, groups, partition, tx, event_json, dropped)
           SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::smallint[], $6::xid8[], $7::text[], $8::boolean[])
           ON CONFLICT (seq) DO UPDATE SET project_id = excluded.project_id, person = excluded.person, groups = excluded.groups,
             partition = excluded.partition, tx = excluded.tx, event_json = excluded.event_json, dropped = excluded.dropped`,
    values: [
      rows.map((e) => e.seq),
      rows.map((e) => e.projectId),
      [...batch.enrichedPersons, ...dropped.map(() => 'null')],
      [...batch.enrichedGroups, ...dropped.map(() => '{}')],
      rows.map((e) => e.partition),
      rows.map((e) => xid8Param(e.position.tx)),
      [...batch.enrichedEvents, ...dropped.map(() => null)],
      [...enrichments.map(() => false), ...dropped.map(() => true)],
    ],
  });
}

/**
 * A batch that kept no event moves the downstream consumer's offset to its end too, when that consumer
 * has passed every kept event of the partition (`PersonBatchWrite.downstream`); never backwards. Only this
 * partition's lease holder writes its kept events, so none can appear between the check and the write.
 */
async function passDropped(client: pg.PoolClient, consumer: string, offset: PersonBatchWrite['offset']): Promise<void> {
  await client.query({
    name: 'pass-dropped',
    text: `WITH current AS (
             SELECT coalesce((SELECT o.tx FROM partition_offsets o WHERE o.consumer = $1 AND o.partition = $2::smallint), '0'::xid8) AS tx,
                    coalesce((SELECT o.seq FROM partition_offsets o WHERE o.consumer = $1 AND o.partition = $2::smallint), 0) AS seq
           )
           INSERT INTO partition_offsets (consumer, partition, tx, seq)
           SELECT $1, $2::smallint, $3::xid8, $4::bigint FROM current c
           WHERE NOT EXISTS (
             SELECT 1 FROM enriched_events x WHERE x.partition = $2::smallint AND NOT x.dropped AND (x.tx, x.seq) > (c.tx, c.seq)
           )
           ON CONFLICT (consumer, partition) DO UPDATE SET tx = excluded.tx, seq = excluded.seq
             WHERE (excluded.tx, excluded.seq) > (partition_offsets.tx, partition_offsets.seq)`,
    values: [consumer, offset.partition, xid8Param(offset.position.tx), offset.position.seq],
  });
}
