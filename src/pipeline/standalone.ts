/**
 * Leases for a process that runs every partition on its own store without a partition assigner (tests,
 * tools, a stage started by hand). One owner id per process, shared by its stages, and a count per
 * partition so the lease is released only when the last stage using it stops.
 */
import { randomUUID } from 'node:crypto';
import type { LeaseFence, Store } from '../store/store.js';

const OWNER = `standalone-${process.pid}-${randomUUID().slice(0, 8)}`;
/** Long enough never to lapse while the process lives; a dead process's leases are taken after it. */
const TTL_MS = 24 * 3_600_000;
const users = new WeakMap<Store, Map<number, number>>();

function countsOf(store: Store): Map<number, number> {
  let counts = users.get(store);
  if (!counts) users.set(store, (counts = new Map()));
  return counts;
}

export async function ownAllPartitions(store: Store): Promise<LeaseFence[]> {
  const fences: LeaseFence[] = [];
  const counts = countsOf(store);
  for (let partition = 0; partition < store.partitionCount; partition++) {
    const fence = await store.acquireLease(partition, OWNER, TTL_MS);
    if (!fence) throw new Error(`partition ${partition} is leased to another live process: start this one with a partition assigner`);
    counts.set(partition, (counts.get(partition) ?? 0) + 1);
    fences.push(fence);
  }
  return fences;
}

export async function releaseAll(store: Store, fences: LeaseFence[]): Promise<void> {
  const counts = countsOf(store);
  for (const fence of fences) {
    const left = (counts.get(fence.partition) ?? 1) - 1;
    if (left > 0) {
      counts.set(fence.partition, left);
      continue;
    }
    counts.delete(fence.partition);
    await store.releaseLease(fence).catch(() => {});
  }
}
