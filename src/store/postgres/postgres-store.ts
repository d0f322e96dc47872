/**
 * The Postgres implementation of {@link Store} (`pg`), for several Sluice processes on one database.
 * Same tables, migrations numbers and behaviour as the SQLite store; the differences are how order and
 * exclusivity are kept when many processes write at once:
 *
 * - Appends take no shared lock. An append is one `INSERT … ON CONFLICT (project_id, uuid) DO NOTHING`:
 *   `seq` comes from the `events_seq` sequence (unique and growing, but handed out at insert, so seqs
 *   may commit out of order and a rolled-back or duplicate row leaves a gap), `partition` is
 *   `partitionOf(project, distinct id, P)` computed here, and `tx` is the appending transaction's id
 *   (`pg_current_xact_id()`, the column default). Two appends wait on each other only when they insert
 *   the same (project, uuid); the later one then finds the row and reports `null` for it.
 * - Reading a partition: events with `(tx, seq) > offset` and `tx < xmin`, in `(tx, seq)` order, where
 *   xmin is `pg_snapshot_xmin(pg_current_snapshot())`, the oldest transaction still running when the
 *   read's snapshot was taken. Every transaction with an id below xmin has finished, so the read sees
 *   all its rows or none ever will; any transaction that commits later has an id ≥ xmin, so its rows sort
 *   after every position the read returned, hence after any offset a consumer commits from it. A late
 *   commit can therefore never land behind an offset. The cost: a long-running writing transaction
 *   anywhere on the Postgres server (any database; a forgotten `BEGIN` in psql, a long migration, a
 *   prepared transaction) holds xmin back, and consumers wait for it to end. They are delayed, never
 *   wrong: nothing is lost or skipped.
 * - Enriched events need no xmin bound: one lease holder writes a partition's enrichments, batch after
 *   batch in position order, so a reader never finds a later batch committed before an earlier one.
 * - Offsets and leases (`partition-tables.ts`): a write that moves an offset locks its partition's lease
 *   row `FOR SHARE` and checks owner and epoch in the same transaction; a takeover's UPDATE waits for it.
 * - Person batches of different partitions may touch the same persons (merges): each batch locks what it
 *   read (persons, then distinct ids, then groups, each sorted: the same order in every transaction) and
 *   compares it to what it loaded; any difference, or a deadlock, serialization failure or duplicate key
 *   inside the batch, fails it with `PersonConflictError` and the caller reloads and redoes it.
 * - Leadership (`tryLead`) is a session advisory lock held on a dedicated connection: when the holder
 *   dies its connection closes and Postgres releases the lock at once.
 * - Destination writes bump a counter row and `NOTIFY` in the same transaction; `onDestinationsChanged`
 *   listens on one dedicated connection.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type {
  DestinationHealth,
  DestinationHealthChange,
  ApiKey,
  NewApiKey,
  AppendResult,
  ClusterMember,
  EnrichedEvent,
  Group,
  GroupRef,
  GroupType,
  ClaimRequest,
  Invocation,
  InvocationBatchWrite,
  InvocationState,
  InvocationUpdate,
  JsonObject,
  Leadership,
  LeaseFence,
  LogEntry,
  LogPosition,
  LogQuery,
  MetricIncrement,
  MetricPoint,
  NewEvent,
  NewInvocation,
  PartitionLag,
  PartitionLease,
  PartitionOffsetWrite,
  Person,
  PersonBatchWrite,
  Project,
  SharedCounters,
  Store,
  StoredDestination,
  StoredEvent,
  RecentEventsQuery,
} from '../store.js';
import { PersonConflictError } from '../store.js';
import { partitionOf } from '../partitions.js';
import { PgDb, type PgConnectOptions, type Queryable } from './db.js';
import { PgDestinationTables } from './destination-tables.js';
import { PgHealthTables } from './health-tables.js';
import { PgKeyTables } from './key-tables.js';
import { migratePostgres } from './migrator.js';
import { PgPartitionTables, setUpPartitions, xid8Param } from './partition-tables.js';
import { writePersonBatch, type PreparedPersonBatch } from './person-batch.js';
import { PgCounters } from './shared-counters.js';
import {
  SnapshotJson,
  toEnrichedEvent,
  transformedEventJson,
  toGroup,
  toGroupType,
  toPerson,
  toProject,
  toStoredEvent,
  type EnrichedEventRow,
  type EventRow,
  type GroupRow,
  type GroupTypeRow,
  type PersonRow,
  type ProjectRow,
  recentEventsWhere,
} from '../rows.js';

export interface PostgresStoreOptions extends PgConnectOptions {
  /** P for a new store (`SLUICE_PARTITIONS`; default 16). A store that has its partitions keeps its own P. */
  partitions?: number | undefined;
}

/** An event row as read back: `tx` as text (`xid8`), turned into a number by `toStoredEvent`. */
const EVENT_COLUMNS = 'seq, partition, tx::text AS tx, project_id, uuid, event, distinct_id, properties, timestamp, elements_chain, received_at';

/**
 * A partition's events after ($2 tx, $3 seq), at most $4, below the oldest running transaction (file
 * comment). `events.tx` in ORDER BY: a bare `tx` would name the selected text column and sort '10' < '9'.
 */
export const READ_PARTITION_SQL = `SELECT ${EVENT_COLUMNS} FROM events
  WHERE partition = $1::smallint AND (tx, seq) > ($2::xid8, $3::bigint) AND tx < pg_snapshot_xmin(pg_current_snapshot())
  ORDER BY events.tx, events.seq LIMIT $4`;

/** SQLSTATEs that mean "another transaction got there first": deadlock, serialization failure, unique violation. */
const CONFLICT_CODES = new Set(['40P01', '40001', '23505']);

/**
 * Appends events in one statement on `q` (the pool: its own transaction; a client inside BEGIN: that
 * transaction, which tests use to hold an append open). Takes no lock beyond the rows it inserts.
 * Duplicates — already stored, or repeated in the batch (first copy wins) — get `null`. `tx` is 0 when
 * nothing was stored.
 */
export async function appendEventsOn(q: Queryable, events: NewEvent[], partitionCount: number): Promise<AppendResult> {
  const keyOf = (projectId: number, uuid: string) => `${projectId}\u0000${uuid}`;
  const firstIndex = new Map<string, number>();
  events.forEach((e, i) => {
    const key = keyOf(e.projectId, e.uuid);
    if (!firstIndex.has(key)) firstIndex.set(key, i);
  });
  const unique = events.length === firstIndex.size ? events : [...firstIndex.values()].map((i) => events[i]!);
  const seqs: (number | null)[] = new Array<number | null>(events.length).fill(null);
  if (unique.length === 0) return { seqs, tx: 0 };
  const { rows } = await q.query<{ seq: number | string; project_id: number; uuid: string; tx: string }>({
    name: 'append-events',
    // ORDER BY n: seqs grow in input order. A row whose (project, uuid) exists, or is being inserted by a
    // concurrent append (we wait for it), is skipped and comes back missing from RETURNING.
    text: `INSERT INTO events (project_id, uuid, event, distinct_id, properties, timestamp, elements_chain, received_at, partition)
           SELECT project_id, uuid, event, distinct_id, properties, timestamp, elements_chain, received_at, partition
           FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::smallint[])
             WITH ORDINALITY AS i(project_id, uuid, event, distinct_id, properties, timestamp, elements_chain, received_at, partition, n)
           ORDER BY n
           ON CONFLICT (project_id, uuid) DO NOTHING
           RETURNING seq, project_id, uuid, tx::text AS tx`,
    values: [
      unique.map((e) => e.projectId),
      unique.map((e) => e.uuid),
      unique.map((e) => e.event),
      unique.map((e) => e.distinct_id),
      unique.map((e) => e.propertiesJson ?? JSON.stringify(e.properties)),
      unique.map((e) => e.timestamp),
      unique.map((e) => e.elements_chain ?? null),
      unique.map((e) => e.receivedAt),
      unique.map((e) => partitionOf(e.projectId, e.distinct_id, partitionCount)),
    ],
  });
  // Number(): `q` may be a connection without the store's BIGINT parser (tests holding an append open).
  for (const row of rows) seqs[firstIndex.get(keyOf(row.project_id, row.uuid))!] = Number(row.seq);
  return { seqs, tx: rows.length > 0 ? Number(rows[0]!.tx) : 0 };
}

/** The last entry per key wins, in the order of last appearance (what applying them one by one leaves). */
function lastByKey<T>(items: T[], key: (item: T) => string): T[] {
  if (items.length < 2) return items;
  const map = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    map.delete(k);
    map.set(k, item);
  }
  return map.size === items.length ? items : [...map.values()];
}

export class PostgresStore implements Store {
  readonly dialect = 'postgres';
  readonly counters: SharedCounters;
  private readonly db: PgDb;
  private readonly runtime: PgDestinationTables;
  private readonly health: PgHealthTables;
  private readonly keys: PgKeyTables;
  private readonly partitions: PgPartitionTables;
  private readonly snapshotJson = new SnapshotJson();
  private readonly leases = new Set<pg.Client>();
  private readonly changeListeners = new Set<() => void>();
  private listenClient: pg.Client | null = null;
  private listenStarting: Promise<void> | null = null;
  private listenRetry: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(db: PgDb, partitionCount: number) {
    this.db = db;
    this.runtime = new PgDestinationTables(db);
    this.health = new PgHealthTables(db);
    this.keys = new PgKeyTables(db);
    this.partitions = new PgPartitionTables(db, partitionCount);
    this.counters = new PgCounters(db);
  }

  /** Connects, applies pending migrations, sets the partitions up on first open and returns the store. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const db = new PgDb(options);
    let partitionCount: number;
    try {
      await db.init();
      await migratePostgres(db);
      partitionCount = await setUpPartitions(db, options.partitions ?? 16);
    } catch (error) {
      await db.end().catch(() => {});
      throw error;
    }
    return new PostgresStore(db, partitionCount);
  }

  /** The schema the tables live in. */
  get schema(): string {
    return this.db.schema;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.listenRetry) clearTimeout(this.listenRetry);
    await this.listenStarting?.catch(() => {});
    const clients = [...this.leases, ...(this.listenClient ? [this.listenClient] : [])];
    this.leases.clear();
    this.listenClient = null;
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
    await this.db.end();
  }

  // ---- projects and keys --------------------------------------------------------------------------------

  async createProject(input: { name: string; apiToken: string }): Promise<Project> {
    const { rows } = await this.db.query<ProjectRow>(
      'INSERT INTO projects (name, api_token, created_at) VALUES ($1, $2, $3) RETURNING *',
      [input.name, input.apiToken, new Date().toISOString()],
    );
    return toProject(rows[0]!);
  }

  async listProjects(): Promise<Project[]> {
    return (await this.db.query<ProjectRow>('SELECT * FROM projects ORDER BY id')).rows.map(toProject);
  }

  async getProject(id: number): Promise<Project | null> {
    const { rows } = await this.db.query<ProjectRow>('SELECT * FROM projects WHERE id = $1', [id], 'project-by-id');
    return rows[0] ? toProject(rows[0]) : null;
  }

  async updateProjectSettings(id: number, settings: JsonObject): Promise<Project | null> {
    const { rows } = await this.db.query<ProjectRow>('UPDATE projects SET settings = $1 WHERE id = $2 RETURNING *', [JSON.stringify(settings), id]);
    return rows[0] ? toProject(rows[0]) : null;
  }

  async getProjectByToken(apiToken: string): Promise<Project | null> {
    const { rows } = await this.db.query<ProjectRow>('SELECT * FROM projects WHERE api_token = $1', [apiToken], 'project-by-token');
    return rows[0] ? toProject(rows[0]) : null;
  }

  // personal API keys: ./key-tables.ts

  createApiKey(input: NewApiKey): Promise<ApiKey> {
    return this.keys.createApiKey(input);
  }

  findApiKey(secureValue: string): Promise<ApiKey | null> {
    return this.keys.findApiKey(secureValue);
  }

  countApiKeys(): Promise<number> {
    return this.keys.countApiKeys();
  }

  listApiKeys(): Promise<ApiKey[]> {
    return this.keys.listApiKeys();
  }

  getApiKey(id: string): Promise<ApiKey | null> {
    return this.keys.getApiKey(id);
  }

  revokeApiKey(id: string, at: string): Promise<ApiKey | null> {
    return this.keys.revokeApiKey(id, at);
  }

  touchApiKey(id: string, at: string, notBefore: string): Promise<void> {
    return this.keys.touchApiKey(id, at, notBefore);
  }

  // ---- events -------------------------------------------------------------------------------------------

  /** One statement, no shared lock (see the file comment and `appendEventsOn`). */
  async appendEvents(events: NewEvent[]): Promise<AppendResult> {
    return appendEventsOn(this.db.pool, events, this.partitions.partitionCount);
  }

  async readEvents(afterSeq: number, limit: number): Promise<StoredEvent[]> {
    const { rows } = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [afterSeq, limit],
      'read-events',
    );
    return rows.map(toStoredEvent);
  }

  async countEvents(projectId?: number): Promise<number> {
    const { rows } =
      projectId === undefined
        ? await this.db.query<{ n: number }>('SELECT count(*) AS n FROM events')
        : await this.db.query<{ n: number }>('SELECT count(*) AS n FROM events WHERE project_id = $1', [projectId]);
    return rows[0]!.n;
  }

  async lastEventSeq(): Promise<number> {
    return (await this.db.query<{ n: number }>('SELECT coalesce(max(seq), 0) AS n FROM events', [], 'last-seq')).rows[0]!.n;
  }

  async listRecentEvents(projectId: number, query: RecentEventsQuery): Promise<StoredEvent[]> {
    let n = 2;
    const { where, values } = recentEventsWhere(query, () => `$${++n}`);
    const { rows } = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE seq > (SELECT coalesce(max(seq), 0) FROM events) - $1 AND project_id = $2${where}
       ORDER BY seq DESC LIMIT $${n + 1}`,
      [query.scan, projectId, ...values, query.limit],
    );
    return rows.map(toStoredEvent);
  }

  async listEventUuids(projectId: number): Promise<string[]> {
    const { rows } = await this.db.query<{ uuid: string }>('SELECT uuid FROM events WHERE project_id = $1 ORDER BY seq', [projectId]);
    return rows.map((r) => r.uuid);
  }

  // ---- the partitioned log ------------------------------------------------------------------------------

  get partitionCount(): number {
    return this.partitions.partitionCount;
  }

  /**
   * Only events of transactions below the snapshot's xmin (all finished): a transaction still running
   * may commit rows that sort before later ones, so nothing at or after it is returned yet (file comment).
   * The index (partition, tx, seq) serves the whole condition.
   */
  async readPartition(partition: number, after: LogPosition, limit: number): Promise<StoredEvent[]> {
    const { rows } = await this.db.query<EventRow>(READ_PARTITION_SQL, [partition, xid8Param(after.tx), after.seq, limit], 'read-partition');
    return rows.map(toStoredEvent);
  }

  /** No xmin bound: one lease holder writes a partition's enrichments, batch after batch in order. */
  async readEnrichedPartition(partition: number, after: LogPosition, limit: number): Promise<EnrichedEvent[]> {
    const { rows } = await this.db.query<EnrichedEventRow>(
      `SELECT e.seq, x.partition, x.tx::text AS tx, e.project_id, e.uuid, e.event, e.distinct_id, e.properties, e.timestamp,
              e.elements_chain, e.received_at, x.person AS x_person, x.groups AS x_groups, x.event_json AS x_event
       FROM enriched_events x JOIN events e ON e.seq = x.seq
       WHERE x.partition = $1::smallint AND (x.tx, x.seq) > ($2::xid8, $3::bigint) AND NOT x.dropped
       ORDER BY x.tx, x.seq LIMIT $4`,
      [partition, xid8Param(after.tx), after.seq, limit],
      'read-enriched-partition',
    );
    return rows.map(toEnrichedEvent);
  }

  getPartitionOffsets(consumer: string): Promise<LogPosition[]> {
    return this.partitions.offsets(consumer);
  }

  commitOffsets(offsets: PartitionOffsetWrite[]): Promise<void> {
    return this.partitions.commitOffsets(offsets);
  }

  hasUnprocessed(consumer: string, seq: number): Promise<boolean> {
    return this.partitions.hasUnprocessed(consumer, seq);
  }

  partitionLag(consumers: string[], cap: number): Promise<PartitionLag[]> {
    return this.partitions.lag(consumers, cap);
  }

  // ---- partition ownership: ./partition-tables.ts ---------------------------------------------------------

  heartbeat(member: Omit<ClusterMember, 'heartbeatAt'>): Promise<number> {
    return this.partitions.heartbeat(member);
  }

  listMembers(withinMs: number): Promise<ClusterMember[]> {
    return this.partitions.members(withinMs);
  }

  removeMember(id: string): Promise<void> {
    return this.partitions.removeMember(id);
  }

  listLeases(): Promise<PartitionLease[]> {
    return this.partitions.leases();
  }

  acquireLease(partition: number, owner: string, ttlMs: number): Promise<LeaseFence | null> {
    return this.partitions.acquire(partition, owner, ttlMs);
  }

  renewLeases(owner: string, partitions: number[], ttlMs: number): Promise<LeaseFence[]> {
    return this.partitions.renew(owner, partitions, ttlMs);
  }

  releaseLease(fence: LeaseFence): Promise<void> {
    return this.partitions.release(fence);
  }

  // ---- person processing --------------------------------------------------------------------------------

  /** Persons by id, each with its distinct ids in the order it gained them. */
  private async personsById(ids: string[]): Promise<Map<string, Person>> {
    const out = new Map<string, Person>();
    if (ids.length === 0) return out;
    const [persons, distinct] = await Promise.all([
      this.db.query<PersonRow>('SELECT * FROM persons WHERE id = ANY($1::text[])', [ids], 'persons-by-id'),
      this.db.query<{ person_id: string; distinct_id: string }>(
        'SELECT person_id, distinct_id FROM person_distinct_ids WHERE person_id = ANY($1::text[]) ORDER BY ord',
        [ids],
        'distinct-ids-of-persons',
      ),
    ]);
    for (const row of persons.rows) {
      out.set(row.id, toPerson(row, []));
    }
    for (const row of distinct.rows) out.get(row.person_id)?.distinctIds.push(row.distinct_id);
    return out;
  }

  async loadPersons(projectId: number, distinctIds: string[]): Promise<Map<string, Person>> {
    const found = new Map<string, Person>();
    if (distinctIds.length === 0) return found;
    const { rows } = await this.db.query<{ distinct_id: string; person_id: string }>(
      'SELECT distinct_id, person_id FROM person_distinct_ids WHERE project_id = $1 AND distinct_id = ANY($2::text[])',
      [projectId, distinctIds],
      'person-ids-of-distinct-ids',
    );
    const persons = await this.personsById([...new Set(rows.map((r) => r.person_id))]);
    for (const row of rows) {
      const person = persons.get(row.person_id);
      if (person) found.set(row.distinct_id, person);
    }
    return found;
  }

  async listGroupTypes(): Promise<GroupType[]> {
    const { rows } = await this.db.query<GroupTypeRow>(
      'SELECT project_id, group_type, group_type_index FROM group_types ORDER BY project_id, group_type_index',
    );
    return rows.map(toGroupType);
  }

  async loadGroups(projectId: number, refs: GroupRef[]): Promise<Group[]> {
    if (refs.length === 0) return [];
    const { rows } = await this.db.query<GroupRow>(
      `SELECT g.* FROM groups g JOIN unnest($2::int[], $3::text[]) AS r(group_type_index, group_key)
         ON g.group_type_index = r.group_type_index AND g.group_key = r.group_key
       WHERE g.project_id = $1`,
      [projectId, refs.map((r) => r.groupTypeIndex), refs.map((r) => r.groupKey)],
      'load-groups',
    );
    return rows.map(toGroup);
  }

  async commitPersonBatch(write: PersonBatchWrite): Promise<void> {
    // Serialize before the transaction: a bad value fails here and the transaction never starts.
    const persons = lastByKey(write.upsertPersons, (p) => p.id);
    const distinct = lastByKey(write.setDistinctIds, (d) => `${d.projectId}\u0000${d.distinctId}`);
    const groups = lastByKey(write.upsertGroups, (g) => `${g.projectId}\u0000${g.groupTypeIndex}\u0000${g.groupKey}`);
    const enrichments = lastByKey(write.enrichments, (e) => String(e.seq));
    const enrichedPersons: string[] = new Array(enrichments.length);
    const enrichedGroups: string[] = new Array(enrichments.length);
    const enrichedEvents: (string | null)[] = new Array(enrichments.length);
    let lastGroups: object | undefined;
    let lastGroupsJson = '{}';
    enrichments.forEach((e, i) => {
      if (e.groups !== lastGroups) {
        lastGroups = e.groups;
        lastGroupsJson = JSON.stringify(e.groups);
      }
      enrichedPersons[i] = this.snapshotJson.of(e.person);
      enrichedGroups[i] = lastGroupsJson;
      enrichedEvents[i] = e.event ? transformedEventJson(e.event) : null;
    });
    const dropped = lastByKey(write.dropped ?? [], (d) => String(d.seq));

    const batch: PreparedPersonBatch = { write, persons, distinctIds: distinct, groups, enrichments, enrichedPersons, enrichedGroups, enrichedEvents, dropped };
    await this.db.tx(async (client) => {
      try {
        await writePersonBatch(client, batch);
      } catch (error) {
        // Translated here, not left to `db.tx`'s retry: another batch changed these rows, so the caller
        // must reload them before redoing the batch.
        const code = (error as { code?: string }).code;
        if (code !== undefined && CONFLICT_CODES.has(code)) throw new PersonConflictError(`${(error as Error).message} (SQLSTATE ${code})`);
        throw error;
      }
    });
  }

  async readEnrichedEvents(afterSeq: number, limit: number): Promise<EnrichedEvent[]> {
    const { rows } = await this.db.query<EnrichedEventRow>(
      `SELECT e.seq, x.partition, x.tx::text AS tx, e.project_id, e.uuid, e.event, e.distinct_id, e.properties, e.timestamp,
              e.elements_chain, e.received_at, x.person AS x_person, x.groups AS x_groups, x.event_json AS x_event
       FROM enriched_events x JOIN events e ON e.seq = x.seq
       WHERE x.seq > $1 AND NOT x.dropped ORDER BY x.seq LIMIT $2`,
      [afterSeq, limit],
      'read-enriched',
    );
    return rows.map(toEnrichedEvent);
  }

  // ---- management reads ---------------------------------------------------------------------------------

  async getPersonByDistinctId(projectId: number, distinctId: string): Promise<Person | null> {
    return (await this.loadPersons(projectId, [distinctId])).get(distinctId) ?? null;
  }

  async listPersons(projectId: number, page: { limit: number; offset: number }): Promise<Person[]> {
    const { rows } = await this.db.query<{ id: string }>(
      'SELECT id FROM persons WHERE project_id = $1 ORDER BY created_at, id LIMIT $2 OFFSET $3',
      [projectId, page.limit, page.offset],
    );
    const persons = await this.personsById(rows.map((r) => r.id));
    return rows.map((r) => persons.get(r.id)).filter((p): p is Person => p !== undefined);
  }

  async listGroups(projectId: number, filter: { groupTypeIndex?: number; limit: number; offset: number }): Promise<Group[]> {
    const { rows } =
      filter.groupTypeIndex === undefined
        ? await this.db.query<GroupRow>(
            'SELECT * FROM groups WHERE project_id = $1 ORDER BY group_type_index, group_key LIMIT $2 OFFSET $3',
            [projectId, filter.limit, filter.offset],
          )
        : await this.db.query<GroupRow>(
            'SELECT * FROM groups WHERE project_id = $1 AND group_type_index = $2 ORDER BY group_key LIMIT $3 OFFSET $4',
            [projectId, filter.groupTypeIndex, filter.limit, filter.offset],
          );
    return rows.map(toGroup);
  }

  // ---- destinations, invocations, logs, metrics: ./destination-tables.ts ----------------------------------

  saveDestination(input: { id: string; projectId: number; enabled: boolean; config: JsonObject }): Promise<StoredDestination> {
    return this.runtime.saveDestination(input);
  }

  getDestination(projectId: number, id: string): Promise<StoredDestination | null> {
    return this.runtime.getDestination(projectId, id);
  }

  getSource(id: string): Promise<StoredDestination | null> {
    return this.runtime.getSource(id);
  }

  listDestinations(projectId: number): Promise<StoredDestination[]> {
    return this.runtime.listDestinations(projectId);
  }

  deleteDestination(projectId: number, id: string): Promise<boolean> {
    return this.runtime.deleteDestination(projectId, id);
  }

  listEnabledDestinations(): Promise<StoredDestination[]> {
    return this.runtime.listEnabledDestinations();
  }

  destinationsVersion(): Promise<number> {
    return this.runtime.destinationsVersion();
  }

  enqueueInvocations(
    invocations: NewInvocation[],
    offset?: PartitionOffsetWrite,
    claim?: { workerId: string; lockedUntil: number },
  ): Promise<void> {
    return this.runtime.enqueueInvocations(invocations, offset, claim);
  }

  claimInvocations(input: ClaimRequest): Promise<Invocation[]> {
    return this.runtime.claimInvocations(input);
  }

  extendInvocationLocks(input: { workerId: string; ids: string[]; lockedUntil: number }): Promise<void> {
    return this.runtime.extendInvocationLocks(input);
  }

  updateInvocation(id: string, update: InvocationUpdate): Promise<void> {
    return this.runtime.updateInvocations([{ id, update }]);
  }

  updateInvocations(updates: { id: string; update: InvocationUpdate }[]): Promise<void> {
    return this.runtime.updateInvocations(updates);
  }

  commitInvocationBatch(batch: InvocationBatchWrite): Promise<void> {
    return this.runtime.commitInvocationBatch(batch);
  }

  getInvocation(id: string): Promise<Invocation | null> {
    return this.runtime.getInvocation(id);
  }

  listInvocations(
    projectId: number,
    destinationId: string,
    query: { states?: InvocationState[]; limit: number; before?: number; after?: number },
  ): Promise<Invocation[]> {
    return this.runtime.listInvocations(projectId, destinationId, query);
  }

  countInvocations(query: { projectId?: number; destinationId?: string; states?: InvocationState[]; after?: number; before?: number }): Promise<number> {
    return this.runtime.countInvocations(query);
  }

  deleteFinishedInvocations(before: number): Promise<number> {
    return this.runtime.deleteFinishedInvocations(before);
  }

  deleteParkedInvocations(before: number): Promise<number> {
    return this.health.deleteParkedInvocations(before);
  }

  // ---- destination health: ./health-tables.ts ------------------------------------------------------------

  getDestinationHealth(projectId: number, destinationId: string): Promise<DestinationHealth | null> {
    return this.health.getDestinationHealth(projectId, destinationId);
  }

  listDestinationHealth(projectId?: number): Promise<DestinationHealth[]> {
    return this.health.listDestinationHealth(projectId);
  }

  saveDestinationHealth(health: DestinationHealth, change?: DestinationHealthChange): Promise<void> {
    return this.health.saveDestinationHealth(health, change);
  }

  listDestinationHealthChanges(projectId: number, destinationId: string, limit: number): Promise<DestinationHealthChange[]> {
    return this.health.listDestinationHealthChanges(projectId, destinationId, limit);
  }

  appendLogs(entries: LogEntry[]): Promise<void> {
    return this.runtime.appendLogs(entries);
  }

  queryLogs(projectId: number, destinationId: string, query: LogQuery): Promise<LogEntry[]> {
    return this.runtime.queryLogs(projectId, destinationId, query);
  }

  deleteLogsBefore(timestamp: string): Promise<number> {
    return this.runtime.deleteLogsBefore(timestamp);
  }

  incrementMetrics(increments: MetricIncrement[]): Promise<void> {
    return this.runtime.incrementMetrics(increments);
  }

  queryMetrics(
    projectId: number,
    destinationId: string,
    query: { after: string; before: string; interval: 'hour' | 'day'; names?: string[] },
  ): Promise<MetricPoint[]> {
    return this.runtime.queryMetrics(projectId, destinationId, query);
  }

  deleteMetricsBefore(hour: string): Promise<number> {
    return this.runtime.deleteMetricsBefore(hour);
  }

  // ---- coordination across processes --------------------------------------------------------------------

  onDestinationsChanged(listener: () => void): () => void {
    this.changeListeners.add(listener);
    if (!this.listenClient && !this.listenStarting) this.listenStarting = this.startListening();
    return () => this.changeListeners.delete(listener);
  }

  private emitDestinationsChanged(): void {
    for (const listener of this.changeListeners) {
      try {
        listener();
      } catch {
        // the listener's own failure
      }
    }
  }

  /** One LISTEN connection per store; after losing it, reconnect within a second and report a change
   *  (notifications sent meanwhile are lost, so listeners reload to be sure). */
  private async startListening(): Promise<void> {
    try {
      const client = await this.db.dedicatedClient();
      if (this.closed) {
        await client.end();
        return;
      }
      const channel = this.db.channel('destinations');
      client.on('notification', (message) => {
        if (message.channel === channel) this.emitDestinationsChanged();
      });
      const lost = () => {
        if (this.listenClient !== client) return;
        this.listenClient = null;
        client.end().catch(() => {});
        this.scheduleListen(true);
      };
      client.on('error', lost);
      client.on('end', lost);
      await client.query(`LISTEN ${channel}`);
      this.listenClient = client;
    } catch {
      this.scheduleListen(true);
    } finally {
      this.listenStarting = null;
    }
  }

  private scheduleListen(reportChange: boolean): void {
    if (this.closed || this.listenRetry) return;
    this.listenRetry = setTimeout(() => {
      this.listenRetry = null;
      if (this.closed) return;
      this.listenStarting = this.startListening().then(() => {
        if (reportChange && this.listenClient) this.emitDestinationsChanged();
      });
    }, 1_000);
    this.listenRetry.unref?.();
  }

  /** The advisory lock key of a leadership (operators can find its holder in `pg_locks`). */
  leaseKey(name: string): string {
    return this.db.lockKey(`lead:${name}`);
  }

  async tryLead(name: string): Promise<Leadership | null> {
    if (this.closed) return null;
    const key = this.leaseKey(name);
    const client = await this.db.dedicatedClient();
    let got = false;
    try {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [key]);
      got = rows[0]?.ok === true;
    } finally {
      if (!got) await client.end().catch(() => {});
    }
    if (!got) return null;
    this.leases.add(client);
    let released = false;
    let markLost!: () => void;
    const lost = new Promise<void>((resolve) => (markLost = resolve));
    // A dead connection shows up as an error or end event; a silent one (network partition) is found by
    // the heartbeat. Either way Postgres has released (or will release) the lock: stop acting as holder.
    const onLost = () => {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      this.leases.delete(client);
      client.end().catch(() => {});
      markLost();
    };
    client.on('error', onLost);
    client.on('end', onLost);
    const heartbeat = setInterval(() => {
      client.query('SELECT 1').catch(onLost);
    }, 5_000);
    heartbeat.unref?.();
    return {
      name,
      lost,
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(heartbeat);
        this.leases.delete(client);
        await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => {});
        await client.end().catch(() => {});
      },
    };
  }

  async withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const key = this.db.lockKey(`lock:${name}`);
    const client = await this.db.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
      }
    } finally {
      client.release();
    }
  }
}
