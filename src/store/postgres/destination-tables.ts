/**
 * The Postgres side of the destinations runtime: destinations, the invocation queue, logs and metrics
 * (migration 0002).
 *
 * Queue semantics are SQLite's: an invocation is claimable when it is `queued` with `scheduled_at <= now`,
 * or `running` with `locked_until <= now` (stalled: its worker died). A claim is one statement: pick
 * candidates from the two partial indexes with `FOR UPDATE SKIP LOCKED` (rows another claimer is taking
 * right now are passed over, not waited for), keep the best `limit` by priority then schedule, and mark
 * them running. Concurrent claimers in any number of processes never get the same row.
 *
 * Batched writes (updates, logs, metrics) are one statement per kind with `unnest` arrays, rows sorted by
 * key so two workers writing the same metric rows lock them in the same order (no deadlock).
 */
import type pg from 'pg';
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
  PartitionOffsetWrite,
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
import type { PgDb, Queryable } from './db.js';
import { writePartitionOffsets } from './partition-tables.js';

/** The writable columns of an update, their SQL array types and how to read them from an update. */
const UPDATE_COLUMNS: { column: string; type: string; field: keyof InvocationUpdate; value: (u: InvocationUpdate) => unknown }[] = [
  { column: 'suspension', type: 'text', field: 'suspension', value: (u) => suspensionColumn(u.suspension) },
  { column: 'attempts', type: 'int', field: 'attempts', value: (u) => u.attempts },
  { column: 'first_attempt_at', type: 'bigint', field: 'firstAttemptAt', value: (u) => u.firstAttemptAt },
  { column: 'scheduled_at', type: 'bigint', field: 'scheduledAt', value: (u) => u.scheduledAt },
  { column: 'error', type: 'text', field: 'error', value: (u) => storableTextOrNull(u.error) },
  { column: 'finished_at', type: 'bigint', field: 'finishedAt', value: (u) => u.finishedAt },
];

/** Several updates of one invocation folded into one, as applying them in order would leave the row. */
interface FoldedUpdate {
  id: string;
  update: InvocationUpdate;
  /** Some update in the fold left `running`: the lock was released. */
  releases: boolean;
}

/** The fields of `value` that are set: a later update's absent field keeps the earlier one's value. */
function definedFields<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key in value) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

function fold(updates: { id: string; update: InvocationUpdate }[]): FoldedUpdate[] {
  const byId = new Map<string, FoldedUpdate>();
  for (const { id, update } of updates) {
    const previous = byId.get(id);
    if (!previous) {
      byId.set(id, { id, update: { ...update }, releases: update.state !== 'running' });
      continue;
    }
    previous.update = { ...previous.update, ...definedFields(update) };
    previous.releases ||= update.state !== 'running';
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Prepared-statement names must fit Postgres's 63 bytes: one short name per update shape. */
const statementNames = new Map<string, string>();
function statementName(shape: string): string {
  let name = statementNames.get(shape);
  if (name === undefined) {
    name = `update-invocations-${statementNames.size + 1}`;
    statementNames.set(shape, name);
  }
  return name;
}

export class PgDestinationTables {
  constructor(private readonly db: PgDb) {}

  // ---- destinations -------------------------------------------------------------------------------------

  async saveDestination(input: { id: string; projectId: number; enabled: boolean; config: JsonObject }): Promise<StoredDestination> {
    const config = JSON.stringify(input.config);
    return this.db.tx(async (client) => {
      const version = await this.bumpVersion(client);
      const now = new Date().toISOString();
      const { rows } = await client.query<DestinationRow>(
        `INSERT INTO destinations (id, project_id, enabled, config, created_at, updated_at, version, deleted, type)
         VALUES ($1, $2, $3, $4, $5, $5, $6, FALSE, $7)
         ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled, config = excluded.config, type = excluded.type, updated_at = excluded.updated_at,
           version = excluded.version, deleted = FALSE
         WHERE destinations.project_id = excluded.project_id
         RETURNING *`,
        [input.id, input.projectId, input.enabled, config, now, version, functionTypeColumn(input.config)],
      );
      if (rows.length === 0) throw new Error(`destination ${input.id} belongs to another project`);
      await this.notify(client, version);
      return toDestination(rows[0]!);
    });
  }

  /** The next destinations version. The counter row stays locked until commit: versions appear in order. */
  private async bumpVersion(client: pg.PoolClient): Promise<number> {
    const { rows } = await client.query<{ last: number }>('UPDATE destination_version SET last = last + 1 WHERE id = 1 RETURNING last');
    return rows[0]!.last;
  }

  /** Delivered to every listening process when (and only if) the transaction commits. */
  private async notify(client: pg.PoolClient, version: number): Promise<void> {
    await client.query('SELECT pg_notify($1, $2)', [this.db.channel('destinations'), String(version)]);
  }

  async getDestination(projectId: number, id: string): Promise<StoredDestination | null> {
    const { rows } = await this.db.query<DestinationRow>(
      'SELECT * FROM destinations WHERE project_id = $1 AND id = $2 AND NOT deleted',
      [projectId, id],
      'destination',
    );
    return rows[0] ? toDestination(rows[0]) : null;
  }

  async listDestinations(projectId: number): Promise<StoredDestination[]> {
    const { rows } = await this.db.query<DestinationRow>(
      'SELECT * FROM destinations WHERE project_id = $1 AND NOT deleted ORDER BY created_at, id',
      [projectId],
    );
    return rows.map(toDestination);
  }

  async deleteDestination(projectId: number, id: string): Promise<boolean> {
    return this.db.tx(async (client) => {
      const found = await client.query('SELECT 1 FROM destinations WHERE project_id = $1 AND id = $2 AND NOT deleted FOR UPDATE', [projectId, id]);
      if (found.rowCount === 0) return false;
      const version = await this.bumpVersion(client);
      await client.query('UPDATE destinations SET deleted = TRUE, enabled = FALSE, updated_at = $1, version = $2 WHERE id = $3', [
        new Date().toISOString(),
        version,
        id,
      ]);
      await this.notify(client, version);
      return true;
    });
  }

  async getSource(id: string): Promise<StoredDestination | null> {
    const { rows } = await this.db.query<DestinationRow>(
      "SELECT * FROM destinations WHERE id = $1 AND NOT deleted AND type = 'source_webhook'",
      [id],
      'source',
    );
    return rows[0] ? toDestination(rows[0]) : null;
  }

  async listEnabledDestinations(): Promise<StoredDestination[]> {
    const { rows } = await this.db.query<DestinationRow>(
      // Sources never run on events: the matcher's list leaves them out.
      "SELECT * FROM destinations WHERE enabled AND NOT deleted AND type = 'destination' ORDER BY project_id, created_at, id",
      [],
      'enabled-destinations',
    );
    return rows.map(toDestination);
  }

  async destinationsVersion(): Promise<number> {
    return (await this.db.query<{ v: number }>('SELECT last AS v FROM destination_version WHERE id = 1', [], 'destinations-version')).rows[0]!.v;
  }

  // ---- the queue ----------------------------------------------------------------------------------------

  /** The offset's fence is checked first, in the same transaction: a stale matcher enqueues nothing. */
  async enqueueInvocations(
    invocations: NewInvocation[],
    offset?: PartitionOffsetWrite,
    claim?: { workerId: string; lockedUntil: number },
  ): Promise<void> {
    if (invocations.length === 0 && !offset) return;
    const now = Date.now();
    const globals = invocations.map((i) => i.globalsJson ?? JSON.stringify(i.globals));
    await this.db.tx(async (client) => {
      if (offset) await writePartitionOffsets(client, [offset]);
      if (invocations.length > 0) {
        await client.query({
          name: 'enqueue-invocations',
          text: `INSERT INTO invocations (id, project_id, destination_id, mapping_index, event_uuid, globals, priority, scheduled_at,
                   state, attempts, locked_by, locked_until, created_at)
                 SELECT id, project_id, destination_id, mapping_index, event_uuid, globals, priority, scheduled_at, state, 0,
                   $10, $11, $12
                 FROM unnest($1::text[], $2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::int[], $8::bigint[], $9::text[])
                   AS i(id, project_id, destination_id, mapping_index, event_uuid, globals, priority, scheduled_at, state)`,
          values: [
            invocations.map((i) => i.id),
            invocations.map((i) => i.projectId),
            invocations.map((i) => i.destinationId),
            invocations.map((i) => i.mappingIndex),
            invocations.map((i) => i.eventUuid),
            globals,
            invocations.map((i) => i.priority),
            invocations.map((i) => i.scheduledAt),
            invocations.map((i) => (claim ? 'running' : (i.state ?? 'queued'))),
            claim?.workerId ?? null,
            claim?.lockedUntil ?? null,
            now,
          ],
        });
      }
    });
  }

  /** A stalled invocation's claim counts the attempt its crashed worker was making (see the SQLite store). */
  async claimInvocations(input: ClaimRequest): Promise<Invocation[]> {
    if (input.limit <= 0) return [];
    const { rows } = await this.db.query<InvocationRow>(
      `WITH due AS (
         SELECT id, priority, scheduled_at FROM invocations
         WHERE state = 'queued' AND scheduled_at <= $1 AND NOT (destination_id = ANY($5::text[]))
         ORDER BY priority, scheduled_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ), stalled AS (
         SELECT id, priority, scheduled_at FROM invocations
         WHERE state = 'running' AND locked_until <= $1 AND NOT (destination_id = ANY($5::text[]))
         ORDER BY locked_until LIMIT $2 FOR UPDATE SKIP LOCKED
       ), picked AS (
         SELECT id FROM (SELECT * FROM due UNION ALL SELECT * FROM stalled) AS candidates ORDER BY priority, scheduled_at LIMIT $2
       )
       UPDATE invocations i SET state = 'running', locked_by = $3, locked_until = $4,
         attempts = i.attempts + (CASE WHEN i.state = 'running' THEN 1 ELSE 0 END)
       FROM picked WHERE i.id = picked.id
       RETURNING i.*`,
      [input.now, input.limit, input.workerId, input.now + input.lockMs, input.skipDestinations ?? []],
      'claim-invocations',
    );
    return rows.map(toInvocation).sort(byClaimOrder);
  }

  async extendInvocationLocks(input: { workerId: string; ids: string[]; lockedUntil: number }): Promise<void> {
    if (input.ids.length === 0) return;
    await this.db.query(
      `UPDATE invocations SET locked_until = $1 WHERE id = ANY($2::text[]) AND locked_by = $3 AND state = 'running'`,
      [input.lockedUntil, [...input.ids].sort(), input.workerId],
      'extend-locks',
    );
  }

  /** One UPDATE … FROM unnest(…) per shape of update (the set of columns written). */
  private async writeUpdates(client: Queryable, updates: { id: string; update: InvocationUpdate }[]): Promise<void> {
    if (updates.length === 0) return;
    const shapes = new Map<string, FoldedUpdate[]>();
    for (const folded of fold(updates)) {
      const present = UPDATE_COLUMNS.filter((c) => folded.update[c.field] !== undefined).map((c) => c.column);
      const key = `${present.join(',')}${folded.releases ? '+release' : ''}${folded.update.lockedBy !== undefined ? '+fenced' : ''}`;
      let list = shapes.get(key);
      if (!list) shapes.set(key, (list = []));
      list.push(folded);
    }
    for (const [key, list] of shapes) {
      // Every update of a shape has the same columns, release and fence.
      const { releases, update: first } = list[0]!;
      const fenced = first.lockedBy !== undefined;
      const columns = UPDATE_COLUMNS.filter((c) => first[c.field] !== undefined);
      const values: unknown[] = [list.map((f) => f.id), list.map((f) => f.update.state)];
      const sets = ['state = u.state'];
      const aliases = ['id', 'state'];
      const arrays = ['$1::text[]', '$2::text[]'];
      columns.forEach((c, i) => {
        values.push(list.map((f) => c.value(f.update)));
        arrays.push(`$${i + 3}::${c.type}[]`);
        aliases.push(c.column);
        sets.push(`${c.column} = u.${c.column}`);
      });
      if (releases) sets.push('locked_by = NULL', 'locked_until = NULL');
      if (fenced) {
        values.push(list.map((f) => f.update.lockedBy));
        arrays.push(`$${values.length}::text[]`);
        aliases.push('fence');
      }
      await client.query({
        name: statementName(key),
        text: `UPDATE invocations SET ${sets.join(', ')} FROM unnest(${arrays.join(', ')}) AS u(${aliases.join(', ')})
               WHERE invocations.id = u.id${fenced ? ' AND invocations.locked_by = u.fence' : ''}`,
        values,
      });
    }
  }

  async updateInvocations(updates: { id: string; update: InvocationUpdate }[]): Promise<void> {
    if (updates.length === 0) return;
    await this.db.tx((client) => this.writeUpdates(client, updates));
  }

  async commitInvocationBatch(batch: InvocationBatchWrite): Promise<void> {
    if (batch.updates.length === 0 && batch.logs.length === 0 && batch.metrics.length === 0) return;
    await this.db.tx(async (client) => {
      await this.writeUpdates(client, batch.updates);
      await this.writeLogs(client, batch.logs);
      await this.writeMetrics(client, batch.metrics);
    });
  }

  async getInvocation(id: string): Promise<Invocation | null> {
    const { rows } = await this.db.query<InvocationRow>('SELECT * FROM invocations WHERE id = $1', [id], 'invocation');
    return rows[0] ? toInvocation(rows[0]) : null;
  }

  async listInvocations(
    projectId: number,
    destinationId: string,
    query: { states?: InvocationState[]; limit: number; before?: number; after?: number },
  ): Promise<Invocation[]> {
    const values: unknown[] = [projectId, destinationId];
    const where = ['project_id = $1', 'destination_id = $2'];
    if (query.states && query.states.length > 0) {
      values.push(query.states);
      where.push(`state = ANY($${values.length}::text[])`);
    }
    if (query.before !== undefined) {
      values.push(query.before);
      where.push(`created_at < $${values.length}`);
    }
    if (query.after !== undefined) {
      values.push(query.after);
      where.push(`created_at >= $${values.length}`);
    }
    values.push(query.limit);
    const sql = `SELECT * FROM invocations WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${values.length}`;
    return (await this.db.query<InvocationRow>(sql, values)).rows.map(toInvocation);
  }

  async countInvocations(query: { projectId?: number; destinationId?: string; states?: InvocationState[]; after?: number; before?: number }): Promise<number> {
    const values: unknown[] = [];
    const where: string[] = [];
    if (query.projectId !== undefined) {
      values.push(query.projectId);
      where.push(`project_id = $${values.length}`);
    }
    if (query.destinationId !== undefined) {
      values.push(query.destinationId);
      where.push(`destination_id = $${values.length}`);
    }
    if (query.states && query.states.length > 0) {
      // One state as `state = $n`: that state's partial index (queued, running, parked) then serves the count.
      values.push(query.states.length === 1 ? query.states[0] : query.states);
      where.push(query.states.length === 1 ? `state = $${values.length}` : `state = ANY($${values.length}::text[])`);
    }
    if (query.after !== undefined) {
      values.push(query.after);
      where.push(`created_at >= $${values.length}`);
    }
    if (query.before !== undefined) {
      values.push(query.before);
      where.push(`created_at < $${values.length}`);
    }
    const sql = `SELECT count(*) AS n FROM invocations${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`;
    return (await this.db.query<{ n: number }>(sql, values)).rows[0]!.n;
  }

  async deleteFinishedInvocations(before: number): Promise<number> {
    const result = await this.db.query(
      `DELETE FROM invocations WHERE finished_at IS NOT NULL AND finished_at < $1 AND state IN ('succeeded', 'failed', 'skipped')`,
      [before],
    );
    return result.rowCount ?? 0;
  }

  // ---- logs and metrics ---------------------------------------------------------------------------------

  private async writeLogs(client: Queryable, entries: LogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await client.query({
      name: 'insert-logs',
      text: `INSERT INTO destination_logs (project_id, destination_id, invocation_id, timestamp, level, message)
             SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
      values: [
        entries.map((e) => e.projectId),
        entries.map((e) => e.destinationId),
        entries.map((e) => e.invocationId),
        entries.map((e) => e.timestamp),
        entries.map((e) => e.level),
        entries.map((e) => storableText(e.message)),
      ],
    });
  }

  async appendLogs(entries: LogEntry[]): Promise<void> {
    await this.writeLogs(this.db.pool, entries);
  }

  /** Newest first. */
  async queryLogs(projectId: number, destinationId: string, query: LogQuery): Promise<LogEntry[]> {
    const values: unknown[] = [projectId, destinationId];
    const where = ['project_id = $1', 'destination_id = $2'];
    if (query.levels && query.levels.length > 0) {
      values.push(query.levels);
      where.push(`level = ANY($${values.length}::text[])`);
    }
    if (query.search !== undefined && query.search !== '') {
      // strpos, not LIKE: `%` and `_` in the search text are literal characters.
      values.push(query.search);
      where.push(`strpos(lower(message), lower($${values.length})) > 0`);
    }
    if (query.invocationId !== undefined) {
      values.push(query.invocationId);
      where.push(`invocation_id = $${values.length}`);
    }
    if (query.after !== undefined) {
      values.push(query.after);
      where.push(`timestamp > $${values.length}`);
    }
    if (query.before !== undefined) {
      values.push(query.before);
      where.push(`timestamp < $${values.length}`);
    }
    values.push(query.limit);
    const sql = `SELECT * FROM destination_logs WHERE ${where.join(' AND ')} ORDER BY timestamp DESC, id DESC LIMIT $${values.length}`;
    return (await this.db.query<LogRow>(sql, values)).rows.map(toLog);
  }

  async deleteLogsBefore(timestamp: string): Promise<number> {
    return (await this.db.query('DELETE FROM destination_logs WHERE timestamp < $1', [timestamp])).rowCount ?? 0;
  }

  /** Summed per row first (one upsert may not touch a row twice), then sorted: a fixed lock order. */
  private async writeMetrics(client: Queryable, increments: MetricIncrement[]): Promise<void> {
    if (increments.length === 0) return;
    const sums = new Map<string, MetricIncrement>();
    for (const m of increments) {
      const key = `${String(m.projectId).padStart(10, '0')}\u0000${m.destinationId}\u0000${m.hour}\u0000${m.name}`;
      const sum = sums.get(key);
      if (sum) sum.count += m.count;
      else sums.set(key, { ...m });
    }
    const rows = [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, m]) => m);
    await client.query({
      name: 'increment-metrics',
      text: `INSERT INTO destination_metrics (project_id, destination_id, hour, name, count)
             SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::bigint[])
             ON CONFLICT (project_id, destination_id, hour, name) DO UPDATE SET count = destination_metrics.count + excluded.count`,
      values: [rows.map((m) => m.projectId), rows.map((m) => m.destinationId), rows.map((m) => m.hour), rows.map((m) => m.name), rows.map((m) => m.count)],
    });
  }

  async incrementMetrics(increments: MetricIncrement[]): Promise<void> {
    if (increments.length === 0) return;
    await this.db.tx((client) => this.writeMetrics(client, increments));
  }

  async queryMetrics(
    projectId: number,
    destinationId: string,
    query: { after: string; before: string; interval: 'hour' | 'day'; names?: string[] },
  ): Promise<MetricPoint[]> {
    const { rows } = await this.db.query<MetricRow>(
      `SELECT name, hour, count FROM destination_metrics
       WHERE project_id = $1 AND destination_id = $2 AND hour >= $3 AND hour < $4 ORDER BY hour, name`,
      [projectId, destinationId, query.after, query.before],
    );
    return toMetricPoints(rows, query);
  }

  async deleteMetricsBefore(hour: string): Promise<number> {
    return (await this.db.query('DELETE FROM destination_metrics WHERE hour < $1', [hour])).rowCount ?? 0;
  }
}
