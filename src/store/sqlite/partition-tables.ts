/**
 * The partitioned log's bookkeeping on SQLite: per-partition consumer offsets, partition leases and the
 * live-process list. One process writes a SQLite file, so leases here mostly keep one code path with
 * Postgres (and fence a stopped consumer that is still finishing a batch); the clock is this process's.
 */
import type Database from 'better-sqlite3';
import type { ClusterMember, LeaseFence, LogPosition, PartitionLag, PartitionLease, PartitionOffsetWrite } from '../store.js';
import { LeaseLostError } from '../store.js';
import { toLease, toMember, type LeaseRow, type MemberRow } from '../rows.js';





/** An `events` row (`events` unaliased) that no transformation dropped (migration 0009). */
const NOT_DROPPED = 'NOT EXISTS (SELECT 1 FROM enriched_events d WHERE d.seq = events.seq AND d.dropped = 1)';

export class SqlitePartitionTables {
  readonly partitionCount: number;
  private readonly q;

  /**
   * @param relaxed runs a transaction without an fsync: heartbeats and leases are renewed every half
   *   second and mean nothing after a restart, so they must not cost the main thread an fsync each.
   */
  constructor(
    private readonly db: Database.Database,
    requestedCount: number,
    private readonly relaxed: <T>(fn: () => T) => T = (fn) => db.transaction(fn)(),
    private readonly now: () => number = Date.now,
  ) {
    this.partitionCount = this.setUp(requestedCount);
    this.q = {
      getOffsets: db.prepare('SELECT partition, tx, seq FROM partition_offsets WHERE consumer = ?'),
      setOffset: db.prepare(
        `INSERT INTO partition_offsets (consumer, partition, tx, seq) VALUES (?, ?, ?, ?)
         ON CONFLICT (consumer, partition) DO UPDATE SET tx = excluded.tx, seq = excluded.seq`,
      ),
      fence: db.prepare('SELECT 1 FROM partition_leases WHERE partition = ? AND owner = ? AND epoch = ?'),
      leases: db.prepare('SELECT * FROM partition_leases ORDER BY partition'),
      lease: db.prepare('SELECT * FROM partition_leases WHERE partition = ?'),
      takeLease: db.prepare('UPDATE partition_leases SET owner = ?, epoch = ?, expires_at = ? WHERE partition = ?'),
      renewLease: db.prepare('UPDATE partition_leases SET expires_at = ? WHERE partition = ? AND owner = ? RETURNING epoch'),
      releaseLease: db.prepare('UPDATE partition_leases SET owner = NULL, expires_at = 0 WHERE partition = ? AND owner = ? AND epoch = ?'),
      heartbeat: db.prepare(
        `INSERT INTO cluster_members (id, role, host, pid, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET role = excluded.role, heartbeat_at = excluded.heartbeat_at`,
      ),
      members: db.prepare('SELECT * FROM cluster_members WHERE heartbeat_at >= ? ORDER BY id'),
      removeMember: db.prepare('DELETE FROM cluster_members WHERE id = ?'),
      pruneMembers: db.prepare('DELETE FROM cluster_members WHERE heartbeat_at < ?'),
      // Events a transformation dropped are never read after person processing: not waiting for anyone.
      unprocessed: db.prepare(`SELECT 1 FROM events WHERE partition = ? AND seq > ? AND seq <= ? AND ${NOT_DROPPED} LIMIT 1`),
      lag: db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE partition = ? AND seq > ? AND ${NOT_DROPPED} LIMIT ?)`),
    };
  }

  /**
   * Called by the connection that owns the file (the one Sluice process a SQLite file serves): whatever
   * leases and announcements are stored belong to an earlier process that has ended, possibly killed, so
   * they are cleared instead of waiting for them to lapse. Epochs stay: they only ever grow.
   */
  forgetEarlierProcesses(): void {
    this.db.exec('UPDATE partition_leases SET owner = NULL, expires_at = 0; DELETE FROM cluster_members');
  }

  /**
   * First open: creates the P lease rows and carries the single offsets of older versions over into every
   * partition. Later opens keep the stored P; asking for another one is an error (docs/deploy.md explains
   * how to change P).
   */
  private setUp(requested: number): number {
    const existing = (this.db.prepare('SELECT count(*) AS n FROM partition_leases').get() as { n: number }).n;
    if (existing > 0) return existing;
    this.db.transaction(() => {
      const insert = this.db.prepare('INSERT INTO partition_leases (partition) VALUES (?)');
      for (let p = 0; p < requested; p++) insert.run(p);
      const legacy = this.db.prepare('SELECT consumer, seq FROM consumer_offsets').all() as { consumer: string; seq: number }[];
      const copy = this.db.prepare('INSERT OR IGNORE INTO partition_offsets (consumer, partition, tx, seq) VALUES (?, ?, 0, ?)');
      for (const { consumer, seq } of legacy) for (let p = 0; p < requested; p++) copy.run(consumer, p, seq);
    })();
    return requested;
  }

  offsets(consumer: string): LogPosition[] {
    const out: LogPosition[] = Array.from({ length: this.partitionCount }, () => ({ tx: 0, seq: 0 }));
    for (const row of this.q.getOffsets.all(consumer) as { partition: number; tx: number; seq: number }[]) {
      if (row.partition < out.length) out[row.partition] = { tx: row.tx, seq: row.seq };
    }
    return out;
  }

  /** Inside the caller's transaction: checks the fence, then moves the offset. */
  writeOffset(offset: PartitionOffsetWrite): void {
    if (offset.fence && this.q.fence.get(offset.partition, offset.fence.owner, offset.fence.epoch) === undefined) {
      throw new LeaseLostError(offset.fence);
    }
    this.q.setOffset.run(offset.consumer, offset.partition, offset.position.tx, offset.position.seq);
  }

  hasUnprocessed(consumer: string, seq: number): boolean {
    const offsets = this.offsets(consumer);
    return offsets.some((offset, partition) => offset.seq < seq && this.q.unprocessed.get(partition, offset.seq, seq) !== undefined);
  }

  lag(consumers: string[], cap: number): PartitionLag[] {
    const out: PartitionLag[] = [];
    for (const consumer of consumers) {
      this.offsets(consumer).forEach((offset, partition) => {
        out.push({ consumer, partition, events: (this.q.lag.get(partition, offset.seq, cap) as { n: number }).n });
      });
    }
    return out;
  }

  heartbeat(member: Omit<ClusterMember, 'heartbeatAt'>): number {
    const now = this.now();
    this.relaxed(() => this.q.heartbeat.run(member.id, member.role, member.host, member.pid, member.startedAt, now));
    return now;
  }

  members(withinMs: number): ClusterMember[] {
    const since = this.now() - withinMs;
    // Announcements of processes gone for an hour are only clutter.
    this.relaxed(() => this.q.pruneMembers.run(since - 3_600_000));
    return (this.q.members.all(since) as MemberRow[]).map(toMember);
  }

  removeMember(id: string): void {
    this.q.removeMember.run(id);
  }

  leases(): PartitionLease[] {
    return (this.q.leases.all() as LeaseRow[]).map(toLease);
  }

  acquire(partition: number, owner: string, ttlMs: number): LeaseFence | null {
    return this.relaxed((): LeaseFence | null => {
      const row = this.q.lease.get(partition) as LeaseRow | undefined;
      if (!row) throw new Error(`no partition ${partition}: this store has ${this.partitionCount} partitions`);
      const now = this.now();
      if (row.owner === owner) {
        this.q.takeLease.run(owner, row.epoch, now + ttlMs, partition);
        return { partition, owner, epoch: row.epoch };
      }
      if (row.owner !== null && row.expires_at > now) return null;
      this.q.takeLease.run(owner, row.epoch + 1, now + ttlMs, partition);
      return { partition, owner, epoch: row.epoch + 1 };
    });
  }

  renew(owner: string, partitions: number[], ttlMs: number): LeaseFence[] {
    const until = this.now() + ttlMs;
    return this.relaxed(() => {
      const held: LeaseFence[] = [];
      for (const partition of partitions) {
        const row = this.q.renewLease.get(until, partition, owner) as { epoch: number } | undefined;
        if (row) held.push({ partition, owner, epoch: row.epoch });
      }
      return held;
    });
  }

  release(fence: LeaseFence): void {
    this.relaxed(() => this.q.releaseLease.run(fence.partition, fence.owner, fence.epoch));
  }
}
