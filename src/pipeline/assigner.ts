/**
 * Partition ownership among processes, on the store alone (no other service). Every process announces
 * itself (`heartbeat`) every `tickMs`; the processing ones (roles `all` and `worker`) then agree on who
 * owns what without talking to each other: with the live processors sorted by id, partition `p` belongs
 * to the `p mod n`-th, so counts differ by at most one. Each process keeps leases on its partitions,
 * gives up those that are no longer its own (after the batch in progress), and takes the ones that are
 * once free or expired. A process that dies stops renewing: its leases expire after `leaseTtlMs` and the
 * survivors take them over. Every offset write is fenced by the lease's epoch (the store refuses a stale
 * owner), so a process that stalls past its lease can never commit over the new owner's work.
 */
import { hostname } from 'node:os';
import type { LeaseFence, Store } from '../store/store.js';
import type { StageLogger } from './consumer.js';

/** A stage (or anything) that runs per owned partition. */
export interface PartitionWork {
  assign(fence: LeaseFence): Promise<void>;
  revoke(partition: number): Promise<void>;
}

export const PROCESSING_ROLES: readonly string[] = ['all', 'worker'];

export interface AssignerOptions {
  store: Store;
  memberId: string;
  role: string;
  /** Started per owned partition, in this order (revoked in reverse): downstream stages first. */
  work: PartitionWork[];
  tickMs?: number;
  leaseTtlMs?: number;
  logger?: StageLogger;
}

/** Heartbeats every 500 ms; a lease or announcement lapses after 2.5 s without one. */
export const DEFAULT_TICK_MS = 500;
export const DEFAULT_LEASE_TTL_MS = 2_500;

export class PartitionAssigner {
  private readonly owned = new Map<number, LeaseFence>();
  private readonly tickMs: number;
  private readonly leaseTtlMs: number;
  private readonly startedAt = Date.now();
  private readonly processes: boolean;
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: AssignerOptions) {
    this.tickMs = options.tickMs ?? DEFAULT_TICK_MS;
    this.leaseTtlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
    this.processes = PROCESSING_ROLES.includes(options.role) && options.work.length > 0;
  }

  get memberId(): string {
    return this.options.memberId;
  }

  /** The partitions this process owns now. */
  get partitions(): number[] {
    return [...this.owned.keys()].sort((a, b) => a - b);
  }

  /** Announces this process and takes its share now (so a lone process owns everything from the start). */
  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.tickMs);
    this.timer.unref?.();
  }

  /** A stage found a lease lost (a fenced write refused): stop that partition everywhere at once. */
  lost(partition: number): void {
    this.busy = this.busy.then(async () => {
      if (!this.owned.delete(partition)) return;
      this.options.logger?.warn({ partition }, 'lost the lease of a partition; stopping it');
      await this.revokeLocally(partition);
    });
  }

  /** One round: heartbeat, renew, give up what is no longer ours, take what is. */
  tick(): Promise<void> {
    this.busy = this.busy.then(() => this.round()).catch((error: unknown) => {
      this.options.logger?.error({ err: error }, 'partition assignment round failed');
    });
    return this.busy;
  }

  private async round(): Promise<void> {
    if (this.stopped) return;
    const { store, memberId, role } = this.options;
    await store.heartbeat({ id: memberId, role, host: hostname(), pid: process.pid, startedAt: this.startedAt });
    if (!this.processes) return;

    // Renew what we hold; anything missing was taken over meanwhile (we stalled past the lease).
    if (this.owned.size > 0) {
      const held = new Set((await store.renewLeases(memberId, [...this.owned.keys()], this.leaseTtlMs)).map((f) => f.partition));
      for (const partition of [...this.owned.keys()]) {
        if (held.has(partition)) continue;
        this.owned.delete(partition);
        this.options.logger?.warn({ partition }, 'a partition lease lapsed; stopping it');
        await this.revokeLocally(partition);
      }
    }

    const desired = await this.desiredPartitions();
    for (const [partition, fence] of [...this.owned]) {
      if (desired.has(partition)) continue;
      this.owned.delete(partition);
      await this.revokeLocally(partition);
      await store.releaseLease(fence);
    }
    for (const partition of desired) {
      if (this.owned.has(partition) || this.stopped) continue;
      const fence = await store.acquireLease(partition, memberId, this.leaseTtlMs);
      if (!fence) continue; // its previous owner has not let go yet: next round
      this.owned.set(partition, fence);
      for (const work of this.options.work) await work.assign(fence);
    }
  }

  /** This process's share: partition p goes to the (p mod n)-th live processing process by id. */
  private async desiredPartitions(): Promise<Set<number>> {
    const { store, memberId } = this.options;
    const members = (await store.listMembers(this.leaseTtlMs)).filter((m) => PROCESSING_ROLES.includes(m.role)).map((m) => m.id);
    if (!members.includes(memberId)) members.push(memberId);
    members.sort();
    const me = members.indexOf(memberId);
    const out = new Set<number>();
    for (let p = 0; p < store.partitionCount; p++) if (p % members.length === me) out.add(p);
    return out;
  }

  private async revokeLocally(partition: number): Promise<void> {
    for (const work of [...this.options.work].reverse()) {
      await work.revoke(partition).catch((error: unknown) => this.options.logger?.error({ err: error, partition }, 'stopping a partition failed'));
    }
  }

  /**
   * Leaves the cluster: no more rounds; `drain` (the stages' own shutdown) runs while the leases are still
   * held, so its last commits pass the fence; then every partition is given up.
   */
  async stop(drain: () => Promise<void> = async () => {}): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.busy;
    await drain();
    const { store } = this.options;
    for (const [partition, fence] of [...this.owned]) {
      this.owned.delete(partition);
      await store.releaseLease(fence).catch(() => {});
    }
    await store.removeMember(this.options.memberId).catch(() => {});
  }
}
