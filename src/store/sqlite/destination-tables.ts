/**
 * The SQLite side of the destinations runtime: destinations, the invocation queue, logs and metrics
 * (migration 0002). `SqliteStore` delegates its runtime operations here so the person/event half and
 * this half stay readable on their own.
 *
 * Queue semantics: an invocation is claimable when it is `queued` with `scheduled_at <= now`, or
 * `running` with `locked_until <= now` (stalled: its worker died). Claiming is one `UPDATE … WHERE id IN
 * (SELECT …) RETURNING` in an IMMEDIATE transaction, so two claimers — threads or processes — never
 * get the same row: SQLite lets one writer at a time through, and the second one's SELECT already sees
 * the first one's rows as locked.
 *
 * Durability: with `synchronous=FULL`, the queue's own writes (enqueue with the matcher's offset, claims,
 * lock extensions, outcomes, logs, metrics) commit at `synchronous=NORMAL`: no fsync of their own. In WAL
 * mode a killed process loses none of them; on power loss only the latest can be lost, and the next fsynced
 * commit (intake's) makes everything before it durable. At-least-once survives that: a lost outcome is a
 * redelivery, a lost enqueue is redone from the matcher's offset (same transaction). The one write that
 * must never be lost — a suspension saved before an invocation's second fetch — is fsynced
 * (`updateInvocation`).
 */
import type Database from 'better-sqlite3';
import type {
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
  NewInvocation,
  StoredDestination,
} from '../store.js';
import {
  byClaimOrder,
  functionTypeColumn,
  suspensionColumn,
  toDestination,
  toInvocation,
  toLog,
  toMetricPoints,
  type DestinationRow,
  type InvocationRow,
  type LogRow,
  type MetricRow,
  storableText,
  storableTextOrNull,
} from '../rows.js';

function placeholders(n: number): string {
  return new Array<string>(n).fill('?').join(', ');
}

/** The optional fields of an `InvocationUpdate`, in the order their columns are set. */
const UPDATE_FIELDS: readonly { field: Exclude<keyof InvocationUpdate, 'state'>; column: string; toColumn?: (value: never) => unknown }[] = [
  { field: 'suspension', column: 'suspension', toColumn: suspensionColumn },
  { field: 'attempts', column: 'attempts' },
  { field: 'firstAttemptAt', column: 'first_attempt_at' },
  { field: 'scheduledAt', column: 'scheduled_at' },
  { field: 'error', column: 'error', toColumn: storableTextOrNull },
  { field: 'finishedAt', column: 'finished_at' },
];
/** Shape bit of an update that leaves `running`: it releases the claim. */
const RELEASES = 1 << UPDATE_FIELDS.length;
/** Shape bit of an update fenced by its worker's lock (`lockedBy`). */
const FENCED = RELEASES << 1;

export class DestinationTables {
  private readonly q;

  /**
   * @param relax Commit the queue's writes without an fsync (see the header) — true when the store runs
   *   with `synchronous=FULL`; with `normal` every commit is relaxed anyway.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly relax = false,
  ) {
    this.q = {
      upsertDestination: db.prepare(
        `INSERT INTO destinations (id, project_id, enabled, config, created_at, updated_at, version, deleted, type)
         VALUES (@id, @projectId, @enabled, @config, @now, @now, (SELECT coalesce(max(version), 0) + 1 FROM destinations), 0, @type)
         ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled, config = excluded.config, type = excluded.type, updated_at = excluded.updated_at,
           version = excluded.version, deleted = 0
         WHERE destinations.project_id = excluded.project_id`,
      ),
      destinationById: db.prepare('SELECT * FROM destinations WHERE id = ?'),
      destination: db.prepare('SELECT * FROM destinations WHERE project_id = ? AND id = ? AND deleted = 0'),
      destinations: db.prepare('SELECT * FROM destinations WHERE project_id = ? AND deleted = 0 ORDER BY created_at, id'),
      // Sources never run on events: the matcher's list leaves them out.
      enabledDestinations: db.prepare(
        "SELECT * FROM destinations WHERE enabled = 1 AND deleted = 0 AND type = 'destination' ORDER BY project_id, created_at, id",
      ),
      source: db.prepare("SELECT * FROM destinations WHERE id = ? AND deleted = 0 AND type = 'source_webhook'"),
      deleteDestination: db.prepare(
        `UPDATE destinations SET deleted = 1, enabled = 0, updated_at = ?,
           version = (SELECT coalesce(max(version), 0) + 1 FROM destinations)
         WHERE project_id = ? AND id = ? AND deleted = 0`,
      ),
      destinationsVersion: db.prepare('SELECT coalesce(max(version), 0) AS v FROM destinations'),
      insertInvocation: db.prepare(
        `INSERT INTO invocations (id, project_id, destination_id, mapping_index, event_uuid, globals, priority, scheduled_at,
           state, attempts, locked_by, locked_until, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
      ),
      claim: db.prepare(
        // A stalled invocation's run was cut short by a crash (of its process or thread): that counts as an
        // attempt, so an invocation that crashes whoever runs it ends \`failed\` instead of crash-looping.
        `UPDATE invocations SET state = 'running', locked_by = @workerId, locked_until = @lockedUntil,
           attempts = attempts + (CASE WHEN state = 'running' THEN 1 ELSE 0 END)
         WHERE id IN (
           SELECT id FROM (
             SELECT id, priority, scheduled_at FROM (
               SELECT id, priority, scheduled_at FROM invocations
               WHERE state = 'queued' AND scheduled_at <= @now AND destination_id NOT IN (SELECT value FROM json_each(@skip))
               ORDER BY priority, scheduled_at LIMIT @limit)
             UNION ALL
             SELECT id, priority, scheduled_at FROM (
               SELECT id, priority, scheduled_at FROM invocations
               WHERE state = 'running' AND locked_until <= @now AND destination_id NOT IN (SELECT value FROM json_each(@skip))
               ORDER BY locked_until LIMIT @limit)
           ) ORDER BY priority, scheduled_at LIMIT @limit)
         RETURNING *`,
      ),
      extendLock: db.prepare(
        `UPDATE invocations SET locked_until = ? WHERE id = ? AND locked_by = ? AND state = 'running'`,
      ),
      invocation: db.prepare('SELECT * FROM invocations WHERE id = ?'),
      deleteFinished: db.prepare(
        `DELETE FROM invocations WHERE finished_at IS NOT NULL AND finished_at < ? AND state IN ('succeeded', 'failed', 'skipped')`,
      ),
      insertLog: db.prepare(
        'INSERT INTO destination_logs (project_id, destination_id, invocation_id, timestamp, level, message) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      deleteLogs: db.prepare('DELETE FROM destination_logs WHERE timestamp < ?'),
      incrementMetric: db.prepare(
        `INSERT INTO destination_metrics (project_id, destination_id, hour, name, count) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (project_id, destination_id, hour, name) DO UPDATE SET count = count + excluded.count`,
      ),
      metrics: db.prepare(
        `SELECT name, hour, count FROM destination_metrics
         WHERE project_id = ? AND destination_id = ? AND hour >= ? AND hour < ? ORDER BY hour, name`,
      ),
      deleteMetrics: db.prepare('DELETE FROM destination_metrics WHERE hour < ?'),
    };
  }

  /** Runs a write transaction that needs no fsync of its own. */
  private relaxed<T>(fn: () => T): T {
    const tx = () => this.db.transaction(fn)();
    return this.relax ? this.withNormalSync(tx) : tx();
  }

  private withNormalSync<T>(fn: () => T): T {
    this.db.pragma('synchronous = NORMAL');
    try {
      return fn();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  // ---- destinations -------------------------------------------------------------------------------------

  saveDestination(input: { id: string; projectId: number; enabled: boolean; config: JsonObject }): StoredDestination {
    return this.db.transaction(() => {
      const info = this.q.upsertDestination.run({
        id: input.id,
        projectId: input.projectId,
        enabled: input.enabled ? 1 : 0,
        config: JSON.stringify(input.config),
        now: new Date().toISOString(),
        type: functionTypeColumn(input.config),
      });
      if (info.changes === 0) throw new Error(`destination ${input.id} belongs to another project`);
      return toDestination(this.q.destinationById.get(input.id) as DestinationRow);
    })();
  }

  getDestination(projectId: number, id: string): StoredDestination | null {
    const row = this.q.destination.get(projectId, id) as DestinationRow | undefined;
    return row ? toDestination(row) : null;
  }

  listDestinations(projectId: number): StoredDestination[] {
    return (this.q.destinations.all(projectId) as DestinationRow[]).map(toDestination);
  }

  deleteDestination(projectId: number, id: string): boolean {
    return this.q.deleteDestination.run(new Date().toISOString(), projectId, id).changes > 0;
  }

  getSource(id: string): StoredDestination | null {
    const row = this.q.source.get(id) as DestinationRow | undefined;
    return row ? toDestination(row) : null;
  }

  listEnabledDestinations(): StoredDestination[] {
    return (this.q.enabledDestinations.all() as DestinationRow[]).map(toDestination);
  }

  destinationsVersion(): number {
    return (this.q.destinationsVersion.get() as { v: number }).v;
  }

  // ---- the queue ----------------------------------------------------------------------------------------

  /** `writeOffset` runs inside the same transaction (the matcher's fenced partition offset). */
  enqueueInvocations(
    invocations: NewInvocation[],
    writeOffset?: () => void,
    claim?: { workerId: string; lockedUntil: number },
  ): void {
    const insert = this.q.insertInvocation;
    const now = Date.now();
    this.relaxed(() => {
      for (const inv of invocations) {
        const state = claim ? 'running' : (inv.state ?? 'queued');
        insert.run(
          inv.id,
          inv.projectId,
          inv.destinationId,
          inv.mappingIndex,
          inv.eventUuid,
          inv.globalsJson ?? JSON.stringify(inv.globals),
          inv.priority,
          inv.scheduledAt,
          state,
          claim?.workerId ?? null,
          claim?.lockedUntil ?? null,
          now,
        );
      }
      writeOffset?.();
    });
  }

  claimInvocations(input: ClaimRequest): Invocation[] {
    if (input.limit <= 0) return [];
    const claim = () =>
      this.db
        .transaction(
          () =>
            this.q.claim.all({
              workerId: input.workerId,
              lockedUntil: input.now + input.lockMs,
              now: input.now,
              limit: input.limit,
              skip: JSON.stringify(input.skipDestinations ?? []),
            }) as InvocationRow[],
        )
        .immediate();
    const rows = this.relax ? this.withNormalSync(claim) : claim();
    return rows.map(toInvocation).sort(byClaimOrder);
  }

  extendInvocationLocks(input: { workerId: string; ids: string[]; lockedUntil: number }): void {
    const extend = this.q.extendLock;
    this.relaxed(() => {
      for (const id of input.ids) extend.run(input.lockedUntil, id, input.workerId);
    });
  }

  /** One statement per shape of update (which optional fields it sets, whether it releases the lock). */
  private readonly updateStatements = new Map<number, Database.Statement>();

  /**
   * The statement for this update's shape, keyed by a bitmask of the fields given: computed for every
   * update of a batch, so it builds no strings or arrays once the shape's statement exists.
   */
  private updateStatement(update: InvocationUpdate): Database.Statement {
    let shape = (update.state !== 'running' ? RELEASES : 0) | (update.lockedBy !== undefined ? FENCED : 0);
    for (let bit = 0; bit < UPDATE_FIELDS.length; bit++) if (update[UPDATE_FIELDS[bit]!.field] !== undefined) shape |= 1 << bit;
    let statement = this.updateStatements.get(shape);
    if (statement === undefined) {
      const sets = ['state = ?', ...UPDATE_FIELDS.filter((_, bit) => shape & (1 << bit)).map((f) => `${f.column} = ?`)];
      if (shape & RELEASES) sets.push('locked_by = NULL', 'locked_until = NULL');
      statement = this.db.prepare(`UPDATE invocations SET ${sets.join(', ')} WHERE id = ?${shape & FENCED ? ' AND locked_by = ?' : ''}`);
      this.updateStatements.set(shape, statement);
    }
    return statement;
  }

  private writeUpdates(updates: { id: string; update: InvocationUpdate }[]): void {
    const values: unknown[] = [];
    for (const { id, update } of updates) {
      values.length = 0;
      values.push(update.state);
      for (const { field, toColumn } of UPDATE_FIELDS) {
        const value = update[field];
        if (value !== undefined) values.push(toColumn ? toColumn(value as never) : value);
      }
      values.push(id);
      if (update.lockedBy !== undefined) values.push(update.lockedBy);
      this.updateStatement(update).run(values);
    }
  }

  /** Fsynced even when the queue's writes are relaxed: `updateInvocation` saves suspensions with it. */
  updateInvocations(updates: { id: string; update: InvocationUpdate }[]): void {
    this.db.transaction(() => this.writeUpdates(updates))();
  }

  commitInvocationBatch(batch: InvocationBatchWrite): void {
    this.relaxed(() => {
      this.writeUpdates(batch.updates);
      this.writeLogs(batch.logs);
      this.writeMetrics(batch.metrics);
    });
  }

  getInvocation(id: string): Invocation | null {
    const row = this.q.invocation.get(id) as InvocationRow | undefined;
    return row ? toInvocation(row) : null;
  }

  listInvocations(
    projectId: number,
    destinationId: string,
    query: { states?: InvocationState[]; limit: number; before?: number; after?: number },
  ): Invocation[] {
    const where = ['project_id = ?', 'destination_id = ?'];
    const values: unknown[] = [projectId, destinationId];
    if (query.states && query.states.length > 0) {
      where.push(`state IN (${placeholders(query.states.length)})`);
      values.push(...query.states);
    }
    if (query.before !== undefined) {
      where.push('created_at < ?');
      values.push(query.before);
    }
    if (query.after !== undefined) {
      where.push('created_at >= ?');
      values.push(query.after);
    }
    const sql = `SELECT * FROM invocations WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...values, query.limit) as InvocationRow[]).map(toInvocation);
  }

  countInvocations(query: { projectId?: number; destinationId?: string; states?: InvocationState[]; after?: number; before?: number }): number {
    const where: string[] = [];
    const values: unknown[] = [];
    if (query.projectId !== undefined) {
      where.push('project_id = ?');
      values.push(query.projectId);
    }
    if (query.destinationId !== undefined) {
      where.push('destination_id = ?');
      values.push(query.destinationId);
    }
    if (query.states && query.states.length > 0) {
      // One state as `state = ?`: SQLite then counts on that state's partial index (queued, running, parked);
      // `IN (?)` would scan the table.
      where.push(query.states.length === 1 ? 'state = ?' : `state IN (${placeholders(query.states.length)})`);
      values.push(...query.states);
    }
    if (query.after !== undefined) {
      where.push('created_at >= ?');
      values.push(query.after);
    }
    if (query.before !== undefined) {
      where.push('created_at < ?');
      values.push(query.before);
    }
    const sql = `SELECT count(*) AS n FROM invocations${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`;
    return (this.db.prepare(sql).get(...values) as { n: number }).n;
  }

  deleteFinishedInvocations(before: number): number {
    return this.relaxed(() => this.q.deleteFinished.run(before).changes);
  }

  // ---- logs and metrics ---------------------------------------------------------------------------------

  private writeLogs(entries: LogEntry[]): void {
    const insert = this.q.insertLog;
    for (const e of entries) insert.run(e.projectId, e.destinationId, e.invocationId, e.timestamp, e.level, storableText(e.message));
  }

  appendLogs(entries: LogEntry[]): void {
    if (entries.length > 0) this.relaxed(() => this.writeLogs(entries));
  }

  /** Newest first. */
  queryLogs(projectId: number, destinationId: string, query: LogQuery): LogEntry[] {
    const where = ['project_id = ?', 'destination_id = ?'];
    const values: unknown[] = [projectId, destinationId];
    if (query.levels && query.levels.length > 0) {
      where.push(`level IN (${placeholders(query.levels.length)})`);
      values.push(...query.levels);
    }
    if (query.search !== undefined && query.search !== '') {
      // instr, not LIKE: `%` and `_` in the search text are literal characters.
      where.push('instr(lower(message), lower(?)) > 0');
      values.push(query.search);
    }
    if (query.invocationId !== undefined) {
      where.push('invocation_id = ?');
      values.push(query.invocationId);
    }
    if (query.after !== undefined) {
      where.push('timestamp > ?');
      values.push(query.after);
    }
    if (query.before !== undefined) {
      where.push('timestamp < ?');
      values.push(query.before);
    }
    const sql = `SELECT * FROM destination_logs WHERE ${where.join(' AND ')} ORDER BY timestamp DESC, id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...values, query.limit) as LogRow[]).map(toLog);
  }

  deleteLogsBefore(timestamp: string): number {
    return this.relaxed(() => this.q.deleteLogs.run(timestamp).changes);
  }

  private writeMetrics(increments: MetricIncrement[]): void {
    const add = this.q.incrementMetric;
    for (const m of increments) add.run(m.projectId, m.destinationId, m.hour, m.name, m.count);
  }

  incrementMetrics(increments: MetricIncrement[]): void {
    if (increments.length > 0) this.relaxed(() => this.writeMetrics(increments));
  }

  queryMetrics(
    projectId: number,
    destinationId: string,
    query: { after: string; before: string; interval: 'hour' | 'day'; names?: string[] },
  ): MetricPoint[] {
    const rows = this.q.metrics.all(projectId, destinationId, query.after, query.before) as MetricRow[];
    return toMetricPoints(rows, query);
  }

  deleteMetricsBefore(hour: string): number {
    return this.relaxed(() => this.q.deleteMetrics.run(hour).changes);
  }
}
