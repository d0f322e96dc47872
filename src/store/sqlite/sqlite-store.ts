import { randomUUID } from 'node:crypto';
import { chmodSync, closeSync, fdatasyncSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type {
  ApiKey,
  NewApiKey,
  AppendResult,
  DestinationHealth,
  DestinationHealthChange,
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
  LogEntry,
  LogQuery,
  MetricIncrement,
  MetricPoint,
  NewEvent,
  NewInvocation,
  Person,
  PersonBatchWrite,
  Project,
  Store,
  StoredDestination,
  StoredEvent,
  Leadership,
  SharedCounters,
  RecentEventsQuery,
  ClusterMember,
  LeaseFence,
  LogPosition,
  PartitionLag,
  PartitionLease,
  PartitionOffsetWrite,
} from '../store.js';
import { PersonConflictError } from '../store.js';
import { partitionOf } from '../partitions.js';
import { SqlitePartitionTables } from './partition-tables.js';
import { LocalCoordination } from '../local-coordination.js';
import { BackgroundCheckpointer, SAFETY_NET_BYTES } from './checkpointer.js';
import { SqliteCounters } from './shared-counters.js';
import { DestinationTables } from './destination-tables.js';
import { HealthTables } from './health-tables.js';
import { SqliteKeyTables } from './key-tables.js';
import { WalSync } from './wal-sync.js';
import { migrate } from './migrator.js';
import {
  SnapshotJson,
  toEnrichedEvent,
  transformedEventJson,
  toGroup,
  toGroupType,
  toPerson,
  toProject,
  recentEventsWhere,
  toStoredEvent,
  type EnrichedEventRow,
  type EventRow,
  type GroupRow,
  type GroupTypeRow,
  type PersonRow,
  type ProjectRow,
} from '../rows.js';

export interface SqliteStoreOptions {
  /** File path, or `:memory:` for tests. */
  filename: string;
  /**
   * `full` (default): every commit fsyncs the WAL, so an acknowledged event survives power loss as well as
   * a killed process. `normal`: survives a killed process, may lose the last commits on power loss.
   */
  synchronous?: 'full' | 'normal';
  /**
   * Checkpoint the WAL in a background thread (default, for files) instead of inside the commits of
   * this connection (`checkpointer.ts`). `false` for a second connection to a file another store owns.
   */
  backgroundCheckpoints?: boolean;
  /** P for a new store (`SLUICE_PARTITIONS`; default 1: one process, one writer). An existing store keeps its own. */
  partitions?: number;
}

/**
 * Only the owner may read the database: it holds events, persons and the queue. A new data directory is
 * made 0700; the database file is created 0600 before SQLite opens it (SQLite gives the `-wal` and `-shm`
 * files it creates the database file's mode), and files left by an older start are narrowed to 0600.
 * An existing directory keeps its mode: it may be shared, or not ours to change.
 */
function createPrivately(filename: string): void {
  mkdirSync(dirname(filename), { recursive: true, mode: 0o700 });
  closeSync(openSync(filename, 'a', 0o600));
  for (const file of [filename, `${filename}-wal`, `${filename}-shm`]) {
    try {
      chmodSync(file, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/**
 * Page size of a new database file: 16 KiB rather than SQLite's 4 KiB. Every commit writes each page it
 * changed to the WAL (two system calls a page) and every checkpoint copies it back; an invocation row
 * (about 1.2 KB, mostly its globals) is written twice, so with 4 KiB pages the queue alone cost a few page
 * writes per delivery. Larger pages write the same bytes in a quarter of the calls: measured, about a
 * quarter less CPU per invocation insert and update.
 */
const PAGE_SIZE = 16_384;

/** The SQLite implementation of {@link Store} on better-sqlite3: synchronous underneath, async outside. */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite';
  private readonly db: Database.Database;
  private readonly snapshotJson = new SnapshotJson();
  private readonly q;
  private readonly runtime: DestinationTables;
  private readonly health: HealthTables;
  private readonly keys: SqliteKeyTables;
  private readonly coordination = new LocalCoordination();
  private readonly partitions: SqlitePartitionTables;
  private readonly fsyncEveryCommit: boolean;
  readonly counters: SharedCounters;
  /** Runs the WAL checkpoints off this thread (files only). */
  readonly checkpointer: BackgroundCheckpointer | null = null;
  /**
   * Syncs the WAL off this thread for appends (`wal-sync.ts`): the connection that owns a file with
   * `synchronous=FULL`. Null otherwise, and after a sync failed (appends then commit at FULL again).
   */
  private walSync: WalSync | null = null;

  constructor(options: SqliteStoreOptions) {
    if (options.filename !== ':memory:') createPrivately(options.filename);
    this.db = new Database(options.filename);
    // Takes effect only while the file is new (a store keeps the page size it was created with).
    this.db.pragma(`page_size = ${PAGE_SIZE}`);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('cache_size = -65536');
    this.db.pragma('temp_store = MEMORY');
    if (options.filename !== ':memory:' && options.backgroundCheckpoints !== false) {
      this.db.pragma(`wal_autocheckpoint = ${Math.ceil(SAFETY_NET_BYTES / (this.db.pragma('page_size', { simple: true }) as number))}`);
      this.db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
      this.checkpointer = new BackgroundCheckpointer(options.filename);
      if (options.synchronous !== 'normal') this.walSync = new WalSync(`${options.filename}-wal`);
    }
    migrate(this.db);
    this.runtime = new DestinationTables(this.db, options.synchronous !== 'normal');
    this.health = new HealthTables(this.db);
    this.keys = new SqliteKeyTables(this.db);
    this.counters = new SqliteCounters(this.db, (fn) => this.relaxed(fn));
    this.fsyncEveryCommit = options.synchronous !== 'normal';
    this.partitions = new SqlitePartitionTables(this.db, options.partitions ?? 1, (fn) => this.relaxed(fn));
    if (options.backgroundCheckpoints !== false) this.partitions.forgetEarlierProcesses();
    const db = this.db;
    this.q = {
      insertProject: db.prepare('INSERT INTO projects (name, api_token, created_at) VALUES (?, ?, ?)'),
      projectById: db.prepare('SELECT * FROM projects WHERE id = ?'),
      projectByToken: db.prepare('SELECT * FROM projects WHERE api_token = ?'),
      updateProjectSettings: db.prepare('UPDATE projects SET settings = ? WHERE id = ?'),
      projects: db.prepare('SELECT * FROM projects ORDER BY id'),
      insertEvent: db.prepare(
        `INSERT OR IGNORE INTO events (project_id, uuid, event, distinct_id, properties, timestamp, elements_chain, received_at, partition)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      readEvents: db.prepare('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
      readPartition: db.prepare('SELECT * FROM events WHERE partition = ? AND seq > ? ORDER BY seq LIMIT ?'),
      countEvents: db.prepare('SELECT count(*) AS n FROM events'),
      countProjectEvents: db.prepare('SELECT count(*) AS n FROM events WHERE project_id = ?'),
      lastSeq: db.prepare('SELECT coalesce(max(seq), 0) AS n FROM events'),
      eventUuids: db.prepare('SELECT uuid FROM events WHERE project_id = ? ORDER BY seq'),
      personIdByDistinctId: db.prepare('SELECT person_id FROM person_distinct_ids WHERE project_id = ? AND distinct_id = ?'),
      personById: db.prepare('SELECT * FROM persons WHERE id = ?'),
      personVersion: db.prepare('SELECT version FROM persons WHERE id = ?'),
      groupVersion: db.prepare('SELECT version FROM groups WHERE project_id = ? AND group_type_index = ? AND group_key = ?'),
      distinctIdsOfPerson: db.prepare('SELECT distinct_id FROM person_distinct_ids WHERE person_id = ? ORDER BY rowid'),
      listPersons: db.prepare('SELECT * FROM persons WHERE project_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?'),
      upsertPerson: db.prepare(
        `INSERT INTO persons (id, project_id, properties, is_identified, version, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET properties = excluded.properties, is_identified = excluded.is_identified, version = excluded.version`,
      ),
      deletePerson: db.prepare('DELETE FROM persons WHERE id = ?'),
      setDistinctId: db.prepare(
        `INSERT INTO person_distinct_ids (project_id, distinct_id, person_id) VALUES (?, ?, ?)
         ON CONFLICT (project_id, distinct_id) DO UPDATE SET person_id = excluded.person_id`,
      ),
      groupTypes: db.prepare('SELECT project_id, group_type, group_type_index FROM group_types ORDER BY project_id, group_type_index'),
      upsertGroupType: db.prepare(
        'INSERT INTO group_types (project_id, group_type, group_type_index) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      group: db.prepare('SELECT * FROM groups WHERE project_id = ? AND group_type_index = ? AND group_key = ?'),
      groupTypeIndex: db.prepare('SELECT group_type_index FROM group_types WHERE project_id = ? AND group_type = ?'),
      listGroups: db.prepare('SELECT * FROM groups WHERE project_id = ? ORDER BY group_type_index, group_key LIMIT ? OFFSET ?'),
      listGroupsOfType: db.prepare(
        'SELECT * FROM groups WHERE project_id = ? AND group_type_index = ? ORDER BY group_key LIMIT ? OFFSET ?',
      ),
      upsertGroup: db.prepare(
        `INSERT INTO groups (project_id, group_type_index, group_key, properties, version, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (project_id, group_type_index, group_key) DO UPDATE SET properties = excluded.properties, version = excluded.version`,
      ),
      insertEnriched: db.prepare(
        'INSERT OR REPLACE INTO enriched_events (seq, project_id, person, groups, partition, event_json, dropped) VALUES (?, ?, ?, ?, ?, ?, 0)',
      ),
      // A dropped event keeps a row (person processing passed it) without a person: destinations never read it.
      insertDropped: db.prepare(
        "INSERT OR REPLACE INTO enriched_events (seq, project_id, person, groups, partition, event_json, dropped) VALUES (?, ?, 'null', '{}', ?, NULL, 1)",
      ),
      // The downstream consumer's offset moves to the end of a batch that kept nothing, when it has passed
      // every kept event of the partition (and never backwards).
      passDropped: db.prepare(
        `INSERT INTO partition_offsets (consumer, partition, tx, seq)
         SELECT @consumer, @partition, 0, @seq WHERE NOT EXISTS (
           SELECT 1 FROM enriched_events x
           WHERE x.partition = @partition AND x.dropped = 0
             AND x.seq > coalesce((SELECT o.seq FROM partition_offsets o WHERE o.consumer = @consumer AND o.partition = @partition), 0))
         ON CONFLICT (consumer, partition) DO UPDATE SET tx = excluded.tx, seq = excluded.seq WHERE excluded.seq > partition_offsets.seq`,
      ),
      readEnriched: db.prepare(
        `SELECT e.*, x.person AS x_person, x.groups AS x_groups, x.event_json AS x_event FROM enriched_events x JOIN events e ON e.seq = x.seq
         WHERE x.seq > ? AND x.dropped = 0 ORDER BY x.seq LIMIT ?`,
      ),
      readEnrichedPartition: db.prepare(
        `SELECT e.*, x.person AS x_person, x.groups AS x_groups, x.event_json AS x_event FROM enriched_events x JOIN events e ON e.seq = x.seq
         WHERE x.partition = ? AND x.seq > ? AND x.dropped = 0 ORDER BY x.seq LIMIT ?`,
      ),
    };
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    try {
      this.walSync?.close();
      await this.checkpointer?.stop();
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
  }

  async createProject(input: { name: string; apiToken: string }): Promise<Project> {
    const info = this.q.insertProject.run(input.name, input.apiToken, new Date().toISOString());
    return toProject(this.q.projectById.get(Number(info.lastInsertRowid)) as ProjectRow);
  }

  async listProjects(): Promise<Project[]> {
    return (this.q.projects.all() as ProjectRow[]).map(toProject);
  }

  async getProject(id: number): Promise<Project | null> {
    const row = this.q.projectById.get(id) as ProjectRow | undefined;
    return row ? toProject(row) : null;
  }

  async updateProjectSettings(id: number, settings: JsonObject): Promise<Project | null> {
    if (this.q.updateProjectSettings.run(JSON.stringify(settings), id).changes === 0) return null;
    return this.getProject(id);
  }

  async getProjectByToken(apiToken: string): Promise<Project | null> {
    const row = this.q.projectByToken.get(apiToken) as ProjectRow | undefined;
    return row ? toProject(row) : null;
  }

  // ---- personal API keys: ./key-tables.ts ----

  async createApiKey(input: NewApiKey): Promise<ApiKey> {
    return this.keys.createApiKey(input);
  }

  async findApiKey(secureValue: string): Promise<ApiKey | null> {
    return this.keys.findApiKey(secureValue);
  }

  async countApiKeys(): Promise<number> {
    return this.keys.countApiKeys();
  }

  async listApiKeys(): Promise<ApiKey[]> {
    return this.keys.listApiKeys();
  }

  async getApiKey(id: string): Promise<ApiKey | null> {
    return this.keys.getApiKey(id);
  }

  async revokeApiKey(id: string, at: string): Promise<ApiKey | null> {
    return this.keys.revokeApiKey(id, at);
  }

  async touchApiKey(id: string, at: string, notBefore: string): Promise<void> {
    this.keys.touchApiKey(id, at, notBefore);
  }

  /** One transaction for the whole group commit (its durability: `appendEvents`). */
  private readonly appendTx = (events: NewEvent[], commit: <T>(fn: () => T) => T): (number | null)[] => {
    const insert = this.q.insertEvent;
    const count = this.partitions.partitionCount;
    const seqs: (number | null)[] = new Array(events.length);
    commit(() => {
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        const info = insert.run(
          e.projectId,
          e.uuid,
          e.event,
          e.distinct_id,
          e.propertiesJson ?? JSON.stringify(e.properties),
          e.timestamp,
          e.elements_chain ?? null,
          e.receivedAt,
          partitionOf(e.projectId, e.distinct_id, count),
        );
        seqs[i] = info.changes === 1 ? Number(info.lastInsertRowid) : null;
      }
    });
    return seqs;
  };

  /**
   * Resolves once the events are durable: committed without an fsync and then synced off this thread
   * (`wal-sync.ts`) when the store can, else committed at `synchronous=FULL` (or `normal`, as configured).
   */
  async appendEvents(events: NewEvent[]): Promise<AppendResult> {
    const walSync = this.walSync;
    if (walSync === null) return { seqs: this.appendTx(events, (fn) => this.db.transaction(fn)()), tx: 0 };
    const seqs = this.appendTx(events, (fn) => this.relaxed(fn));
    try {
      await walSync.sync();
    } catch {
      // The events are committed, so this append must not fail (a retry would find them stored and they
      // would never be handed on): sync in this thread instead, and commit later appends at FULL, where a
      // failing disk fails the commit itself.
      this.walSync = null;
      walSync.close();
      this.syncWalHere();
    }
    return { seqs, tx: 0 };
  }

  /** Syncs the WAL file in this thread: its own descriptor, else a full checkpoint (which syncs it first). */
  private syncWalHere(): void {
    try {
      const fd = openSync(`${this.db.name}-wal`, 'r');
      try {
        fdatasyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch {
      this.db.pragma('wal_checkpoint(FULL)');
    }
  }

  // ---- the partitioned log ------------------------------------------------------------------------------

  get partitionCount(): number {
    return this.partitions.partitionCount;
  }

  async readPartition(partition: number, after: LogPosition, limit: number): Promise<StoredEvent[]> {
    return (this.q.readPartition.all(partition, after.seq, limit) as EventRow[]).map(toStoredEvent);
  }

  async readEnrichedPartition(partition: number, after: LogPosition, limit: number): Promise<EnrichedEvent[]> {
    return (this.q.readEnrichedPartition.all(partition, after.seq, limit) as EnrichedEventRow[]).map(toEnrichedEvent);
  }

  async getPartitionOffsets(consumer: string): Promise<LogPosition[]> {
    return this.partitions.offsets(consumer);
  }

  async commitOffsets(offsets: PartitionOffsetWrite[]): Promise<void> {
    this.relaxed(() => {
      for (const offset of offsets) this.partitions.writeOffset(offset);
    });
  }

  async hasUnprocessed(consumer: string, seq: number): Promise<boolean> {
    return this.partitions.hasUnprocessed(consumer, seq);
  }

  async partitionLag(consumers: string[], cap: number): Promise<PartitionLag[]> {
    return this.partitions.lag(consumers, cap);
  }

  async heartbeat(member: Omit<ClusterMember, 'heartbeatAt'>): Promise<number> {
    return this.partitions.heartbeat(member);
  }

  async listMembers(withinMs: number): Promise<ClusterMember[]> {
    return this.partitions.members(withinMs);
  }

  async removeMember(id: string): Promise<void> {
    this.partitions.removeMember(id);
  }

  async listLeases(): Promise<PartitionLease[]> {
    return this.partitions.leases();
  }

  async acquireLease(partition: number, owner: string, ttlMs: number): Promise<LeaseFence | null> {
    return this.partitions.acquire(partition, owner, ttlMs);
  }

  async renewLeases(owner: string, partitions: number[], ttlMs: number): Promise<LeaseFence[]> {
    return this.partitions.renew(owner, partitions, ttlMs);
  }

  async releaseLease(fence: LeaseFence): Promise<void> {
    this.partitions.release(fence);
  }

  async readEvents(afterSeq: number, limit: number): Promise<StoredEvent[]> {
    return (this.q.readEvents.all(afterSeq, limit) as EventRow[]).map(toStoredEvent);
  }

  async countEvents(projectId?: number): Promise<number> {
    const row = (projectId === undefined ? this.q.countEvents.get() : this.q.countProjectEvents.get(projectId)) as { n: number };
    return row.n;
  }

  async lastEventSeq(): Promise<number> {
    return (this.q.lastSeq.get() as { n: number }).n;
  }

  async listRecentEvents(projectId: number, query: RecentEventsQuery): Promise<StoredEvent[]> {
    const { where, values } = recentEventsWhere(query, () => '?');
    const lastSeq = (this.q.lastSeq.get() as { n: number }).n;
    const sql = `SELECT * FROM events WHERE seq > ? AND project_id = ?${where} ORDER BY seq DESC LIMIT ?`;
    return (this.db.prepare(sql).all(lastSeq - query.scan, projectId, ...values, query.limit) as EventRow[]).map(toStoredEvent);
  }

  async listEventUuids(projectId: number): Promise<string[]> {
    return (this.q.eventUuids.all(projectId) as { uuid: string }[]).map((r) => r.uuid);
  }

  private personById(id: string): Person | null {
    const row = this.q.personById.get(id) as PersonRow | undefined;
    if (!row) return null;
    return toPerson(row, (this.q.distinctIdsOfPerson.all(row.id) as { distinct_id: string }[]).map((r) => r.distinct_id));
  }

  async loadPersons(projectId: number, distinctIds: string[]): Promise<Map<string, Person>> {
    const found = new Map<string, Person>();
    const byId = new Map<string, Person>();
    for (const distinctId of distinctIds) {
      const row = this.q.personIdByDistinctId.get(projectId, distinctId) as { person_id: string } | undefined;
      if (!row) continue;
      let person = byId.get(row.person_id);
      if (!person) {
        person = this.personById(row.person_id) ?? undefined;
        if (!person) continue;
        byId.set(person.id, person);
      }
      found.set(distinctId, person);
    }
    return found;
  }

  async listGroupTypes(): Promise<GroupType[]> {
    return (this.q.groupTypes.all() as GroupTypeRow[]).map(toGroupType);
  }

  async loadGroups(projectId: number, refs: GroupRef[]): Promise<Group[]> {
    const out: Group[] = [];
    for (const ref of refs) {
      const row = this.q.group.get(projectId, ref.groupTypeIndex, ref.groupKey) as GroupRow | undefined;
      if (row) out.push(toGroup(row));
    }
    return out;
  }

  /**
   * Runs `fn` in a transaction committed without an fsync (`synchronous=NORMAL` for this commit) when the
   * store fsyncs every commit otherwise. For what can be derived again from fsynced data: person batches
   * and the queue are computed from stored events, and their offsets move in the same transaction, so
   * after a power loss the last of them are simply redone (at-least-once); capture's appends stay
   * fsynced. A killed process loses nothing either way (WAL).
   */
  private relaxed<T>(fn: () => T): T {
    const tx = this.db.transaction(fn);
    if (!this.fsyncEveryCommit) return tx();
    this.db.pragma('synchronous = NORMAL');
    try {
      return tx();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  private readonly commitPersonTx = (write: PersonBatchWrite): void => {
    const q = this.q;
    this.relaxed(() => {
      this.checkPersonExpectations(write.expect);
      for (const id of write.deletePersonIds) q.deletePerson.run(id);
      for (const p of write.upsertPersons) {
        q.upsertPerson.run(p.id, p.projectId, JSON.stringify(p.properties), p.isIdentified ? 1 : 0, p.version, p.createdAt);
      }
      for (const d of write.setDistinctIds) q.setDistinctId.run(d.projectId, d.distinctId, d.personId);
      for (const t of write.upsertGroupTypes) {
        q.upsertGroupType.run(t.projectId, t.groupType, t.groupTypeIndex);
        // Another partition's batch may have given the type, or the index, to something else first.
        const stored = q.groupTypeIndex.get(t.projectId, t.groupType) as { group_type_index: number } | undefined;
        if (stored?.group_type_index !== t.groupTypeIndex) throw new PersonConflictError(`group type '${t.groupType}' was assigned concurrently`);
      }
      for (const g of write.upsertGroups) {
        q.upsertGroup.run(g.projectId, g.groupTypeIndex, g.groupKey, JSON.stringify(g.properties), g.version, g.createdAt);
      }
      let lastGroups: object | undefined;
      let lastGroupsJson = '{}';
      for (const e of write.enrichments) {
        if (e.groups !== lastGroups) {
          lastGroups = e.groups;
          lastGroupsJson = JSON.stringify(e.groups);
        }
        q.insertEnriched.run(e.seq, e.projectId, this.snapshotJson.of(e.person), lastGroupsJson, e.partition, e.event ? transformedEventJson(e.event) : null);
      }
      for (const d of write.dropped ?? []) q.insertDropped.run(d.seq, d.projectId, d.partition);
      this.partitions.writeOffset(write.offset);
      if (write.downstream !== undefined && write.enrichments.length === 0 && (write.dropped?.length ?? 0) > 0) {
        q.passDropped.run({ consumer: write.downstream, partition: write.offset.partition, seq: write.offset.position.seq });
      }
    });
  };

  /** Inside the batch's transaction: what it loaded is still what the store holds (see `PersonBatchWrite`). */
  private checkPersonExpectations(expect: PersonBatchWrite['expect']): void {
    const q = this.q;
    for (const p of expect.persons) {
      const row = q.personVersion.get(p.id) as { version: number } | undefined;
      if ((row?.version ?? null) !== p.version) throw new PersonConflictError(`person ${p.id} is at version ${row?.version ?? 'none'}, expected ${p.version ?? 'none'}`);
    }
    for (const d of expect.distinctIds) {
      const row = q.personIdByDistinctId.get(d.projectId, d.distinctId) as { person_id: string } | undefined;
      if ((row?.person_id ?? null) !== d.personId) throw new PersonConflictError(`distinct id '${d.distinctId}' changed person`);
    }
    for (const g of expect.groups) {
      const row = q.groupVersion.get(g.projectId, g.groupTypeIndex, g.groupKey) as { version: number } | undefined;
      if ((row?.version ?? null) !== g.version) throw new PersonConflictError(`group '${g.groupKey}' changed`);
    }
  }

  async commitPersonBatch(write: PersonBatchWrite): Promise<void> {
    this.commitPersonTx(write);
  }

  async readEnrichedEvents(afterSeq: number, limit: number): Promise<EnrichedEvent[]> {
    return (this.q.readEnriched.all(afterSeq, limit) as EnrichedEventRow[]).map(toEnrichedEvent);
  }

  async getPersonByDistinctId(projectId: number, distinctId: string): Promise<Person | null> {
    const row = this.q.personIdByDistinctId.get(projectId, distinctId) as { person_id: string } | undefined;
    return row ? this.personById(row.person_id) : null;
  }

  async listPersons(projectId: number, page: { limit: number; offset: number }): Promise<Person[]> {
    const rows = this.q.listPersons.all(projectId, page.limit, page.offset) as PersonRow[];
    return rows.map((row) => this.personById(row.id)).filter((p): p is Person => p !== null);
  }

  async listGroups(projectId: number, filter: { groupTypeIndex?: number; limit: number; offset: number }): Promise<Group[]> {
    const rows = (
      filter.groupTypeIndex === undefined
        ? this.q.listGroups.all(projectId, filter.limit, filter.offset)
        : this.q.listGroupsOfType.all(projectId, filter.groupTypeIndex, filter.limit, filter.offset)
    ) as GroupRow[];
    return rows.map(toGroup);
  }
  // ---- destinations, invocations, logs, metrics: ./destination-tables.ts ----------------------------------

  async saveDestination(input: { id: string; projectId: number; enabled: boolean; config: JsonObject }): Promise<StoredDestination> {
    const saved = this.runtime.saveDestination(input);
    this.coordination.notifyDestinationsChanged();
    return saved;
  }

  async getDestination(projectId: number, id: string): Promise<StoredDestination | null> {
    return this.runtime.getDestination(projectId, id);
  }

  async getSource(id: string): Promise<StoredDestination | null> {
    return this.runtime.getSource(id);
  }

  async listDestinations(projectId: number): Promise<StoredDestination[]> {
    return this.runtime.listDestinations(projectId);
  }

  async deleteDestination(projectId: number, id: string): Promise<boolean> {
    const deleted = this.runtime.deleteDestination(projectId, id);
    if (deleted) this.coordination.notifyDestinationsChanged();
    return deleted;
  }

  async listEnabledDestinations(): Promise<StoredDestination[]> {
    return this.runtime.listEnabledDestinations();
  }

  async destinationsVersion(): Promise<number> {
    return this.runtime.destinationsVersion();
  }

  async enqueueInvocations(
    invocations: NewInvocation[],
    offset?: PartitionOffsetWrite,
    claim?: { workerId: string; lockedUntil: number },
  ): Promise<void> {
    this.runtime.enqueueInvocations(invocations, offset ? () => this.partitions.writeOffset(offset) : undefined, claim);
  }

  async claimInvocations(input: ClaimRequest): Promise<Invocation[]> {
    return this.runtime.claimInvocations(input);
  }

  async extendInvocationLocks(input: { workerId: string; ids: string[]; lockedUntil: number }): Promise<void> {
    this.runtime.extendInvocationLocks(input);
  }

  async updateInvocation(id: string, update: InvocationUpdate): Promise<void> {
    this.runtime.updateInvocations([{ id, update }]);
  }

  async updateInvocations(updates: { id: string; update: InvocationUpdate }[]): Promise<void> {
    this.runtime.updateInvocations(updates);
  }

  async commitInvocationBatch(batch: InvocationBatchWrite): Promise<void> {
    this.runtime.commitInvocationBatch(batch);
  }

  async getInvocation(id: string): Promise<Invocation | null> {
    return this.runtime.getInvocation(id);
  }

  async listInvocations(
    projectId: number,
    destinationId: string,
    query: { states?: InvocationState[]; limit: number; before?: number; after?: number },
  ): Promise<Invocation[]> {
    return this.runtime.listInvocations(projectId, destinationId, query);
  }

  async countInvocations(query: { projectId?: number; destinationId?: string; states?: InvocationState[]; after?: number; before?: number }): Promise<number> {
    return this.runtime.countInvocations(query);
  }

  async deleteFinishedInvocations(before: number): Promise<number> {
    return this.runtime.deleteFinishedInvocations(before);
  }

  async deleteParkedInvocations(before: number): Promise<number> {
    return this.health.deleteParkedInvocations(before);
  }

  // ---- destination health: ./health-tables.ts ------------------------------------------------------------

  async getDestinationHealth(projectId: number, destinationId: string): Promise<DestinationHealth | null> {
    return this.health.getDestinationHealth(projectId, destinationId);
  }

  async listDestinationHealth(projectId?: number): Promise<DestinationHealth[]> {
    return this.health.listDestinationHealth(projectId);
  }

  async saveDestinationHealth(health: DestinationHealth, change?: DestinationHealthChange): Promise<void> {
    this.health.saveDestinationHealth(health, change);
  }

  async listDestinationHealthChanges(projectId: number, destinationId: string, limit: number): Promise<DestinationHealthChange[]> {
    return this.health.listDestinationHealthChanges(projectId, destinationId, limit);
  }

  async appendLogs(entries: LogEntry[]): Promise<void> {
    this.runtime.appendLogs(entries);
  }

  async queryLogs(projectId: number, destinationId: string, query: LogQuery): Promise<LogEntry[]> {
    return this.runtime.queryLogs(projectId, destinationId, query);
  }

  async deleteLogsBefore(timestamp: string): Promise<number> {
    return this.runtime.deleteLogsBefore(timestamp);
  }

  async incrementMetrics(increments: MetricIncrement[]): Promise<void> {
    this.runtime.incrementMetrics(increments);
  }

  async queryMetrics(
    projectId: number,
    destinationId: string,
    query: { after: string; before: string; interval: 'hour' | 'day'; names?: string[] },
  ): Promise<MetricPoint[]> {
    return this.runtime.queryMetrics(projectId, destinationId, query);
  }

  async deleteMetricsBefore(hour: string): Promise<number> {
    return this.runtime.deleteMetricsBefore(hour);
  }

  // ---- coordination: one process, answered in memory ----------------------------------------------------

  onDestinationsChanged(listener: () => void): () => void {
    return this.coordination.onDestinationsChanged(listener);
  }

  tryLead(name: string): Promise<Leadership | null> {
    return this.coordination.tryLead(name);
  }

  withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return this.coordination.withLock(name, fn);
  }
}
