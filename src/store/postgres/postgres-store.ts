/**
 * The Postgres implementation of {@link Store} (`pg`), for several Sluice processes on one database.
 * Same tables, migrations numbers and behaviour as the SQLite store; the differences are how order and
 * exclusivity are kept when many processes write at once:
 *
 * - Event `seq`: every append transaction first locks the one `event_seq` row and takes its numbers from
 *   it; the lock holds until commit. Appends therefore commit one after another in seq order, so a
 *   consumer that read `seq > offset` can never later find a row below its offset (a Postgres sequence
 *   would allow that: numbers are handed out at insert, not at commit). Duplicates are found under the
 *   same lock before numbering, so seqs stay gap-free, and a rolled-back append gives its numbers back.
 *   The cost is that appends are serialized; group commit makes each one carry many events.
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
  AppendResult,
  EnrichedEvent,
  Group,
  GroupRef,
  GroupType,
  Invocation,
  InvocationBatchWrite,
  InvocationState,
  InvocationUpdate,
  JsonObject,
  Leadership,
  LogEntry,
  LogQuery,
  MetricIncrement,
  MetricPoint,
  NewEvent,
  NewInvocation,
  Person,
  PersonBatchWrite,
  Project,
  SharedCounters,
  Store,
  StoredDestination,
  StoredEvent,
  RecentEventsQuery,
} from '../store.js';
import { OffsetMovedError } from '../store.js';
import { PgDb, type PgConnectOptions } from './db.js';
import { PgDestinationTables } from './destination-tables.js';
import { PgHealthTables } from './health-tables.js';
import { migratePostgres } from './migrator.js';
import { PgCounters } from './shared-counters.js';
import {
  SnapshotJson,
  toApiKey,
  toEnrichedEvent,
  toGroup,
  toGroupType,
  toPerson,
  toProject,
  toStoredEvent,
  type ApiKeyRow,
  type EnrichedEventRow,
  type EventRow,
  type GroupRow,
  type GroupTypeRow,
  type PersonRow,
  type ProjectRow,
  recentEventsWhere,
} from '../rows.js';

export type PostgresStoreOptions = PgConnectOptions;

const EVENT_COLUMNS = 'seq, project_id, uuid, event, distinct_id, properties, timestamp, elements_chain, received_at';

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
  private readonly snapshotJson = new SnapshotJson();
  private readonly leases = new Set<pg.Client>();
  private readonly changeListeners = new Set<() => void>();
  private listenClient: pg.Client | null = null;
  private listenStarting: Promise<void> | null = null;
  private listenRetry: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(db: PgDb) {
    this.db = db;
    this.runtime = new PgDestinationTables(db);
    this.health = new PgHealthTables(db);
    this.counters = new PgCounters(db);
  }

  /** Connects, applies pending migrations and returns the store. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const db = new PgDb(options);
    try {
      await db.init();
      await migratePostgres(db);
    } catch (error) {
      await db.end().catch(() => {});
      throw error;
    }
    return new PostgresStore(db);
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

  async createApiKey(input: { label: string; secureValue: string; maskValue: string }): Promise<ApiKey> {
    const key: ApiKey = { id: randomUUID(), label: input.label, maskValue: input.maskValue, createdAt: new Date().toISOString() };
    await this.db.query('INSERT INTO api_keys (id, label, secure_value, mask_value, created_at) VALUES ($1, $2, $3, $4, $5)', [
      key.id,
      key.label,
      input.secureValue,
      key.maskValue,
      key.createdAt,
    ]);
    return key;
  }

  async findApiKey(secureValue: string): Promise<ApiKey | null> {
    const { rows } = await this.db.query<ApiKeyRow>(
      'SELECT id, label, mask_value, created_at FROM api_keys WHERE secure_value = $1',
      [secureValue],
      'key-by-secure',
    );
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  async countApiKeys(): Promise<number> {
    return (await this.db.query<{ n: number }>('SELECT count(*) AS n FROM api_keys')).rows[0]!.n;
  }

  // ---- events -------------------------------------------------------------------------------------------

  async appendEvents(events: NewEvent[]): Promise<AppendResult> {
    if (events.length === 0) return { seqs: [] };
    const seqs = await this.db.tx(async (client) => {
      // 1. The seq row lock: from here to COMMIT no other append runs (see the file comment).
      const { rows } = await client.query<{ last: number }>({ name: 'seq-lock', text: 'SELECT last FROM event_seq WHERE id = 1 FOR UPDATE' });
      let last = rows[0]!.last;

      // 2. Duplicates (already stored, or twice in this batch) get no seq, as SQLite's INSERT OR IGNORE.
      const stored = new Set<string>();
      const existing = await client.query<{ project_id: number; uuid: string }>({
        name: 'seq-existing',
        text: `SELECT e.project_id, e.uuid FROM events e
               JOIN unnest($1::int[], $2::text[]) AS n(project_id, uuid) ON e.project_id = n.project_id AND e.uuid = n.uuid`,
        values: [events.map((e) => e.projectId), events.map((e) => e.uuid)],
      });
      for (const row of existing.rows) stored.add(`${row.project_id}\u0000${row.uuid}`);

      const out: (number | null)[] = new Array(events.length);
      const cols = { seq: [] as number[], project: [] as number[], uuid: [] as string[], event: [] as string[], distinct: [] as string[] };
      const props: string[] = [];
      const timestamps: string[] = [];
      const chains: (string | null)[] = [];
      const received: string[] = [];
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        const key = `${e.projectId}\u0000${e.uuid}`;
        if (stored.has(key)) {
          out[i] = null;
          continue;
        }
        stored.add(key);
        last++;
        out[i] = last;
        cols.seq.push(last);
        cols.project.push(e.projectId);
        cols.uuid.push(e.uuid);
        cols.event.push(e.event);
        cols.distinct.push(e.distinct_id);
        props.push(e.propertiesJson ?? JSON.stringify(e.properties));
        timestamps.push(e.timestamp);
        chains.push(e.elements_chain ?? null);
        received.push(e.receivedAt);
      }
      if (cols.seq.length > 0) {
        await client.query({
          name: 'insert-events',
          text: `INSERT INTO events (${EVENT_COLUMNS})
                 SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])`,
          values: [cols.seq, cols.project, cols.uuid, cols.event, cols.distinct, props, timestamps, chains, received],
        });
        await client.query({ name: 'seq-set', text: 'UPDATE event_seq SET last = $1 WHERE id = 1', values: [last] });
      }
      return out;
    });
    return { seqs };
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

  // ---- person processing --------------------------------------------------------------------------------

  async getOffset(consumer: string): Promise<number> {
    const { rows } = await this.db.query<{ seq: number }>('SELECT seq FROM consumer_offsets WHERE consumer = $1', [consumer], 'get-offset');
    return rows[0]?.seq ?? 0;
  }

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
    let lastGroups: object | undefined;
    let lastGroupsJson = '{}';
    enrichments.forEach((e, i) => {
      if (e.groups !== lastGroups) {
        lastGroups = e.groups;
        lastGroupsJson = JSON.stringify(e.groups);
      }
      enrichedPersons[i] = this.snapshotJson.of(e.person);
      enrichedGroups[i] = lastGroupsJson;
    });

    await this.db.tx(async (client) => {
      const { consumer, seq, from } = write.offset;
      if (from !== undefined) {
        const { rows } = await client.query<{ seq: number }>('SELECT seq FROM consumer_offsets WHERE consumer = $1 FOR UPDATE', [consumer]);
        const current = rows[0]?.seq ?? 0;
        if (current !== from) throw new OffsetMovedError(consumer, from, current);
      }
      if (write.deletePersonIds.length > 0) {
        await client.query('DELETE FROM persons WHERE id = ANY($1::text[])', [write.deletePersonIds]);
      }
      if (persons.length > 0) {
        await client.query({
          name: 'upsert-persons',
          text: `INSERT INTO persons (id, project_id, properties, is_identified, version, created_at)
                 SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::boolean[], $5::int[], $6::text[])
                 ON CONFLICT (id) DO UPDATE SET properties = excluded.properties, is_identified = excluded.is_identified,
                   version = excluded.version`,
          values: [
            persons.map((p) => p.id),
            persons.map((p) => p.projectId),
            persons.map((p) => JSON.stringify(p.properties)),
            persons.map((p) => p.isIdentified),
            persons.map((p) => p.version),
            persons.map((p) => p.createdAt),
          ],
        });
      }
      if (distinct.length > 0) {
        await client.query({
          name: 'set-distinct-ids',
          text: `INSERT INTO person_distinct_ids (project_id, distinct_id, person_id)
                 SELECT project_id, distinct_id, person_id
                 FROM unnest($1::int[], $2::text[], $3::text[]) WITH ORDINALITY AS d(project_id, distinct_id, person_id, n)
                 ORDER BY n
                 ON CONFLICT (project_id, distinct_id) DO UPDATE SET person_id = excluded.person_id`,
          values: [distinct.map((d) => d.projectId), distinct.map((d) => d.distinctId), distinct.map((d) => d.personId)],
        });
      }
      if (write.upsertGroupTypes.length > 0) {
        const types = write.upsertGroupTypes;
        await client.query(
          `INSERT INTO group_types (project_id, group_type, group_type_index)
           SELECT * FROM unnest($1::int[], $2::text[], $3::int[]) ON CONFLICT DO NOTHING`,
          [types.map((t) => t.projectId), types.map((t) => t.groupType), types.map((t) => t.groupTypeIndex)],
        );
      }
      if (groups.length > 0) {
        await client.query({
          name: 'upsert-groups',
          text: `INSERT INTO groups (project_id, group_type_index, group_key, properties, version, created_at)
                 SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::int[], $6::text[])
                 ON CONFLICT (project_id, group_type_index, group_key) DO UPDATE SET properties = excluded.properties,
                   version = excluded.version`,
          values: [
            groups.map((g) => g.projectId),
            groups.map((g) => g.groupTypeIndex),
            groups.map((g) => g.groupKey),
            groups.map((g) => JSON.stringify(g.properties)),
            groups.map((g) => g.version),
            groups.map((g) => g.createdAt),
          ],
        });
      }
      if (enrichments.length > 0) {
        await client.query({
          name: 'insert-enriched',
          text: `INSERT INTO enriched_events (seq, project_id, person, groups)
                 SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[])
                 ON CONFLICT (seq) DO UPDATE SET project_id = excluded.project_id, person = excluded.person, groups = excluded.groups`,
          values: [enrichments.map((e) => e.seq), enrichments.map((e) => e.projectId), enrichedPersons, enrichedGroups],
        });
      }
      await client.query({
        name: 'set-offset',
        text: 'INSERT INTO consumer_offsets (consumer, seq) VALUES ($1, $2) ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq',
        values: [consumer, seq],
      });
    });
  }

  async readEnrichedEvents(afterSeq: number, limit: number): Promise<EnrichedEvent[]> {
    const { rows } = await this.db.query<EnrichedEventRow>(
      `SELECT e.seq, e.project_id, e.uuid, e.event, e.distinct_id, e.properties, e.timestamp, e.elements_chain, e.received_at,
              x.person AS x_person, x.groups AS x_groups
       FROM enriched_events x JOIN events e ON e.seq = x.seq
       WHERE x.seq > $1 ORDER BY x.seq LIMIT $2`,
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
    offset?: { consumer: string; seq: number },
    claim?: { workerId: string; lockedUntil: number },
  ): Promise<void> {
    return this.runtime.enqueueInvocations(invocations, offset, claim);
  }

  claimInvocations(input: { workerId: string; limit: number; now: number; lockMs: number }): Promise<Invocation[]> {
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
