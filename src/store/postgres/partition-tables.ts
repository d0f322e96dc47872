/**
 * The partitioned log's bookkeeping on Postgres (migration 0008): per-partition consumer offsets, partition
 * leases and the live-process list. `PostgresStore` delegates here; the queue's enqueue uses
 * `writePartitionOffsets` inside its own transaction.
 *
 * Fencing. A lease row carries an owner and an epoch; every offset write that names a fence first takes
 * `FOR SHARE` on the partition's lease row inside the writing transaction and compares owner and epoch.
 * A takeover is an `UPDATE` of that row, which waits for every share lock: either the stale owner's
 * transaction commits first (and the new owner, which reads offsets after its takeover committed, sees
 * that write), or the takeover commits first and the stale owner's lock returns the new row, the
 * comparison fails and its transaction rolls back (`LeaseLostError`). A stale owner can never commit
 * after a takeover.
 *
 * Clocks. Lease expiry and heartbeats use the database clock (`clock_timestamp()`), so processes on
 * machines whose clocks disagree still agree on who is alive and which lease has run out.
 */
import type pg from 'pg';
import type { ClusterMember, LeaseFence, LogPosition, PartitionLag, PartitionLease, PartitionOffsetWrite } from '../store.js';
import { LeaseLostError } from '../store.js';
import { MAX_PARTITIONS } from '../partitions.js';
import type { PgDb, Queryable } from './db.js';
import { toLease, toMember, type LeaseRow, type MemberRow } from '../rows.js';

/** The database clock in epoch milliseconds, as SQL. */
export const DB_NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::bigint';

/** Announcements of processes gone for this long are deleted when members are listed. */
const MEMBER_FORGET_MS = 3_600_000;
/**
 * An `events e` row that no transformation dropped (migration 0009): dropped events are never read after
 * person processing, so they wait for no consumer.
 */
const NOT_DROPPED = 'NOT EXISTS (SELECT 1 FROM enriched_events d WHERE d.seq = e.seq AND d.dropped)';





/** `xid8` values travel as text (a JS number would be sent as a float literal); ours stay below 2^53. */
export function xid8Param(tx: number): string {
  if (!Number.isSafeInteger(tx) || tx < 0) throw new Error(`a log position's tx must be a whole number ≥ 0, not ${tx}`);
  return String(tx);
}

function checkPosition(position: LogPosition): void {
  xid8Param(position.tx);
  if (!Number.isSafeInteger(position.seq) || position.seq < 0) throw new Error(`a log position's seq must be a whole number ≥ 0, not ${position.seq}`);
}

/**
 * Inside the caller's transaction: checks every fence (lease rows locked `FOR SHARE`, in partition order
 * so concurrent writers and takeovers never deadlock), then moves the offsets. Throws `LeaseLostError`
 * before writing anything when a fence no longer holds.
 */
export async function writePartitionOffsets(client: pg.ClientBase, offsets: PartitionOffsetWrite[]): Promise<void> {
  if (offsets.length === 0) return;
  for (const offset of offsets) checkPosition(offset.position);
  const fences = offsets.flatMap((o) => (o.fence ? [o.fence] : []));
  if (fences.length > 0) {
    const { rows } = await client.query<{ partition: number; owner: string | null; epoch: number | string }>({
      name: 'fence-leases',
      text: 'SELECT partition, owner, epoch FROM partition_leases WHERE partition = ANY($1::smallint[]) ORDER BY partition FOR SHARE',
      values: [[...new Set(fences.map((f) => f.partition))]],
    });
    const held = new Map(rows.map((r) => [r.partition, r]));
    for (const fence of fences) {
      const row = held.get(fence.partition);
      // Number(): the client may lack the store's BIGINT parser (a test holding the write open).
      if (!row || row.owner !== fence.owner || Number(row.epoch) !== fence.epoch) throw new LeaseLostError(fence);
    }
  }
  // One row per (consumer, partition), the last write winning, in key order (concurrent writers lock alike).
  const byKey = new Map<string, PartitionOffsetWrite>();
  for (const offset of offsets) byKey.set(`${offset.consumer}\u0000${offset.partition}`, offset);
  const rows = [...byKey.values()].sort((a, b) => (a.consumer < b.consumer ? -1 : a.consumer > b.consumer ? 1 : a.partition - b.partition));
  await client.query({
    name: 'set-partition-offsets',
    text: `INSERT INTO partition_offsets (consumer, partition, tx, seq)
           SELECT * FROM unnest($1::text[], $2::smallint[], $3::xid8[], $4::bigint[])
           ON CONFLICT (consumer, partition) DO UPDATE SET tx = excluded.tx, seq = excluded.seq`,
    values: [rows.map((o) => o.consumer), rows.map((o) => o.partition), rows.map((o) => xid8Param(o.position.tx)), rows.map((o) => o.position.seq)],
  });
}

/**
 * Sets the partitions up on first open: P lease rows, and each single offset of an older Sluice copied
 * into every partition as (tx 0, seq) (events stored before 0008 have tx 0, so nothing already processed
 * runs again and nothing pending is skipped). One transaction under an advisory lock: two processes opening
 * a fresh database at once create the rows once. A store that has its rows keeps its P.
 */
export async function setUpPartitions(db: PgDb, requested: number): Promise<number> {
  if (!Number.isInteger(requested) || requested < 1 || requested > MAX_PARTITIONS) {
    throw new Error(`the partition count must be a whole number from 1 to ${MAX_PARTITIONS}, not ${requested}`);
  }
  const count = async (q: Queryable) => (await q.query<{ n: number }>('SELECT count(*) AS n FROM partition_leases')).rows[0]!.n;
  const existing = await count(db.pool);
  if (existing > 0) return existing;
  return db.tx(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [db.lockKey('partitions-setup')]);
    const found = await count(client);
    if (found > 0) return found;
    await client.query('INSERT INTO partition_leases (partition) SELECT p FROM generate_series(0, $1::int - 1) AS p', [requested]);
    await client.query(
      `INSERT INTO partition_offsets (consumer, partition, tx, seq)
       SELECT o.consumer, p, '0'::xid8, o.seq FROM consumer_offsets o CROSS JOIN generate_series(0, $1::int - 1) AS p
       ON CONFLICT DO NOTHING`,
      [requested],
    );
    return requested;
  });
}

export class PgPartitionTables {
  constructor(
    private readonly db: PgDb,
    readonly partitionCount: number,
  ) {}

  async offsets(consumer: string): Promise<LogPosition[]> {
    const out: LogPosition[] = Array.from({ length: this.partitionCount }, () => ({ tx: 0, seq: 0 }));
    const { rows } = await this.db.query<{ partition: number; tx: string; seq: number }>(
      'SELECT partition, tx::text AS tx, seq FROM partition_offsets WHERE consumer = $1',
      [consumer],
      'partition-offsets',
    );
    for (const row of rows) if (row.partition < out.length) out[row.partition] = { tx: Number(row.tx), seq: row.seq };
    return out;
  }

  async commitOffsets(offsets: PartitionOffsetWrite[]): Promise<void> {
    if (offsets.length === 0) return;
    await this.db.tx((client) => writePartitionOffsets(client, offsets));
  }

  /**
   * One index probe per partition (LATERAL): the first event after the partition's offset with
   * `seq <= seq`. The ORDER BY makes the (partition, tx, seq) index the cheapest plan (without it the
   * planner may scan the table for each partition). Events after the offset are walked in (tx, seq) order,
   * so a partition costs at most its lag.
   */
  async hasUnprocessed(consumer: string, seq: number): Promise<boolean> {
    const { rows } = await this.db.query<{ found: boolean }>(
      `SELECT EXISTS (
         SELECT 1 FROM generate_series(0, $3::int - 1) AS p(partition)
         LEFT JOIN partition_offsets o ON o.consumer = $1 AND o.partition = p.partition
         CROSS JOIN LATERAL (
           SELECT 1 FROM events e
           WHERE e.partition = p.partition AND (e.tx, e.seq) > (coalesce(o.tx, '0'::xid8), coalesce(o.seq, 0)) AND e.seq <= $2
             AND ${NOT_DROPPED}
           ORDER BY e.tx, e.seq LIMIT 1
         ) AS pending
       ) AS found`,
      [consumer, seq, this.partitionCount],
      'has-unprocessed',
    );
    return rows[0]!.found;
  }

  /** Per consumer (in the order given) and partition: events after the offset, counted up to `cap`. */
  async lag(consumers: string[], cap: number): Promise<PartitionLag[]> {
    if (consumers.length === 0) return [];
    const { rows } = await this.db.query<{ consumer: string; partition: number; events: number }>(
      `SELECT c.consumer, p.partition, (
         SELECT count(*) FROM (
           SELECT 1 FROM events e
           WHERE e.partition = p.partition AND (e.tx, e.seq) > (coalesce(o.tx, '0'::xid8), coalesce(o.seq, 0))
             AND ${NOT_DROPPED}
           LIMIT $2
         ) AS behind
       ) AS events
       FROM unnest($1::text[]) WITH ORDINALITY AS c(consumer, n)
       CROSS JOIN generate_series(0, $3::int - 1) AS p(partition)
       LEFT JOIN partition_offsets o ON o.consumer = c.consumer AND o.partition = p.partition
       ORDER BY c.n, p.partition`,
      [consumers, Math.max(0, Math.floor(cap)), this.partitionCount],
      'partition-lag',
    );
    return rows.map((r) => ({ consumer: r.consumer, partition: r.partition, events: r.events }));
  }

  async heartbeat(member: Omit<ClusterMember, 'heartbeatAt'>): Promise<number> {
    const { rows } = await this.db.query<{ at: number }>(
      `INSERT INTO cluster_members (id, role, host, pid, started_at, heartbeat_at) VALUES ($1, $2, $3, $4, $5, ${DB_NOW_MS})
       ON CONFLICT (id) DO UPDATE SET role = excluded.role, heartbeat_at = excluded.heartbeat_at
       RETURNING heartbeat_at AS at`,
      [member.id, member.role, member.host, member.pid, member.startedAt],
      'heartbeat',
    );
    return rows[0]!.at;
  }

  async members(withinMs: number): Promise<ClusterMember[]> {
    // Announcements of processes gone for an hour are only clutter: forgotten on the way.
    const { rows } = await this.db.query<MemberRow>(
      `WITH now AS (SELECT ${DB_NOW_MS} AS ms),
       forgotten AS (DELETE FROM cluster_members WHERE heartbeat_at < (SELECT ms FROM now) - $1::bigint - $2::bigint)
       SELECT * FROM cluster_members WHERE heartbeat_at >= (SELECT ms FROM now) - $1::bigint ORDER BY id`,
      [withinMs, MEMBER_FORGET_MS],
      'list-members',
    );
    return rows.map(toMember);
  }

  async removeMember(id: string): Promise<void> {
    await this.db.query('DELETE FROM cluster_members WHERE id = $1', [id], 'remove-member');
  }

  async leases(): Promise<PartitionLease[]> {
    const { rows } = await this.db.query<LeaseRow>('SELECT partition, owner, epoch, expires_at FROM partition_leases ORDER BY partition', [], 'list-leases');
    return rows.map(toLease);
  }

  /**
   * One UPDATE decides: of two processes racing for a free partition, the second waits on the row lock,
   * re-reads the row the first left (owned, not expired) and updates nothing. The UPDATE also waits for
   * a stale owner's in-flight fenced write (see the file comment).
   */
  async acquire(partition: number, owner: string, ttlMs: number): Promise<LeaseFence | null> {
    this.checkPartition(partition);
    const { rows } = await this.db.query<{ epoch: number }>(
      `UPDATE partition_leases SET
         epoch = CASE WHEN owner = $2 THEN epoch ELSE epoch + 1 END,
         owner = $2,
         expires_at = ${DB_NOW_MS} + $3::bigint
       WHERE partition = $1 AND (owner IS NULL OR owner = $2 OR expires_at <= ${DB_NOW_MS})
       RETURNING epoch`,
      [partition, owner, ttlMs],
      'acquire-lease',
    );
    return rows[0] ? { partition, owner, epoch: rows[0].epoch } : null;
  }

  /** Locks the rows in partition order first (as fenced writers do), so a renewal never deadlocks with them. */
  async renew(owner: string, partitions: number[], ttlMs: number): Promise<LeaseFence[]> {
    if (partitions.length === 0) return [];
    const { rows } = await this.db.query<{ partition: number; epoch: number }>(
      `WITH mine AS (
         SELECT partition FROM partition_leases WHERE partition = ANY($2::smallint[]) AND owner = $1 ORDER BY partition FOR NO KEY UPDATE
       )
       UPDATE partition_leases l SET expires_at = ${DB_NOW_MS} + $3::bigint
       FROM mine WHERE l.partition = mine.partition
       RETURNING l.partition, l.epoch`,
      [owner, partitions, ttlMs],
      'renew-leases',
    );
    return rows.sort((a, b) => a.partition - b.partition).map((r) => ({ partition: r.partition, owner, epoch: r.epoch }));
  }

  async release(fence: LeaseFence): Promise<void> {
    await this.db.query(
      'UPDATE partition_leases SET owner = NULL, expires_at = 0 WHERE partition = $1 AND owner = $2 AND epoch = $3',
      [fence.partition, fence.owner, fence.epoch],
      'release-lease',
    );
  }

  private checkPartition(partition: number): void {
    if (!Number.isInteger(partition) || partition < 0 || partition >= this.partitionCount) {
      throw new Error(`no partition ${partition}: this store has ${this.partitionCount} partitions`);
    }
  }
}
