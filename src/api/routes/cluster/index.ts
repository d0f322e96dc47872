/**
 * `GET /api/cluster/` (admin keys only): the live Sluice processes sharing this store, the partitions
 * each owns, and how far each stage is behind in each partition. What an operator looks at when a
 * worker joined, left or died, or when one partition lags behind the others.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { PartitionLag, Store } from '../../../store/store.js';
import { apiKeyAuth } from '../../plugins/auth.js';
import { Cluster, type StageLag } from '../../schemas/cluster.js';
import { ref } from '../../schemas/common.js';
import { AUTH_ERRORS, errorResponses } from '../../schemas/errors.js';

/** A process counts as live while its last heartbeat is this recent (the leases' own lifetime). */
const LIVE_WITHIN_MS = 2_500;
/** Lag counts stop here, so the view stays cheap however far behind a stage is. */
const LAG_CAP = 1_000_000;
/** The stages' consumer names in the store, and the names the view gives them. */
const STAGES: Record<string, keyof StageLag> = { persons: 'persons', destinations: 'matching' };

/** Each partition's lag, by stage name. */
function lagByPartition(rows: PartitionLag[]): Map<number, StageLag> {
  const lagOf = new Map<number, StageLag>();
  for (const row of rows) {
    const stage = STAGES[row.consumer];
    if (stage === undefined) continue;
    let entry = lagOf.get(row.partition);
    if (!entry) lagOf.set(row.partition, (entry = {}));
    entry[stage] = row.events;
  }
  return lagOf;
}

export async function clusterRoutes(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  const { store } = opts;
  await app.register(apiKeyAuth, { store });

  const schema = {
    summary: 'Live processes, partition owners and lag per partition and stage',
    tags: ['cluster'],
    response: { 200: ref(Cluster), ...errorResponses(...AUTH_ERRORS) },
  };
  app.withTypeProvider<TypeBoxTypeProvider>().get('/api/cluster/', { schema }, async () => {
    const [members, leases, lag] = await Promise.all([
      store.listMembers(LIVE_WITHIN_MS),
      store.listLeases(),
      store.partitionLag(Object.keys(STAGES), LAG_CAP),
    ]);
    const live = new Set(members.map((m) => m.id));
    const clock = Math.max(0, ...members.map((m) => m.heartbeatAt));
    const owned = new Map<string, number[]>();
    for (const lease of leases) {
      if (lease.owner === null || !live.has(lease.owner) || lease.expiresAt < clock) continue;
      let list = owned.get(lease.owner);
      if (!list) owned.set(lease.owner, (list = []));
      list.push(lease.partition);
    }
    const lagOf = lagByPartition(lag);
    return {
      partition_count: store.partitionCount,
      processes: members.map((m) => ({
        id: m.id,
        role: m.role,
        host: m.host,
        pid: m.pid,
        started_at: new Date(m.startedAt).toISOString(),
        last_heartbeat_at: new Date(m.heartbeatAt).toISOString(),
        partitions: owned.get(m.id) ?? [],
      })),
      partitions: leases.map((lease) => ({
        partition: lease.partition,
        owner: lease.owner !== null && live.has(lease.owner) && lease.expiresAt >= clock ? lease.owner : null,
        epoch: lease.epoch,
        lag: lagOf.get(lease.partition) ?? {},
      })),
    };
  });
}
