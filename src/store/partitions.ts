/**
 * Which partition an event belongs to: `hash(project_id, distinct_id) mod P`. All events of one distinct
 * id land in one partition, so per-partition order is per-person order. The hash is FNV-1a (32 bit) over
 * the UTF-8 bytes of `<project_id>:<distinct_id>`: stable across processes, versions and machines, cheap,
 * and even enough for ids that differ only in their last characters.
 */
const encoder = new TextEncoder();

export function partitionOf(projectId: number, distinctId: string, partitionCount: number): number {
  if (partitionCount <= 1) return 0;
  const bytes = encoder.encode(`${projectId}:${distinctId}`);
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i]!;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitionCount;
}

/** Largest P a store accepts: enough for many machines, small enough that per-partition rows stay cheap. */
export const MAX_PARTITIONS = 1024;

/** Parses `SLUICE_PARTITIONS`: a whole number from 1 to {@link MAX_PARTITIONS}; unset: undefined (the store's default). */
export function parsePartitionCount(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < 1 || n > MAX_PARTITIONS) {
    throw new Error(`SLUICE_PARTITIONS must be a whole number from 1 to ${MAX_PARTITIONS}, not '${raw}'`);
  }
  return n;
}
