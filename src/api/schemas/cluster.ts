/**
 * The cluster view (`GET /api/cluster/`): the live Sluice processes sharing one store, the partitions each
 * leases, and how far each pipeline stage is behind in each partition (`docs/deploy.md`).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Timestamp } from './common.js';

const ClusterProcess = Type.Object({
  id: Type.String({ description: 'Chosen by the process at start; its leases name it' }),
  role: Type.String({ description: 'all, worker, capture or api' }),
  host: Type.String(),
  pid: Type.Integer(),
  started_at: Timestamp(),
  last_heartbeat_at: Timestamp({ description: 'Database clock; a process is listed while this is under 2.5 s old' }),
  partitions: Type.Array(Type.Integer(), { description: 'The partitions it leases now' }),
});

const StageLag = Type.Object(
  {
    persons: Type.Optional(Type.Integer({ minimum: 0, description: 'Events not yet through person processing' })),
    matching: Type.Optional(Type.Integer({ minimum: 0, description: 'Enriched events not yet matched to destinations' })),
  },
  { description: "Per stage: the partition's events after the stage's offset, counted up to 1,000,000" },
);

const ClusterPartition = Type.Object({
  partition: Type.Integer({ minimum: 0 }),
  owner: Nullable(Type.String({ description: 'The live process holding its lease; null when free or lapsed' })),
  epoch: Type.Integer({ description: 'Raised by every new lease holder; fences the previous one' }),
  lag: StageLag,
});

export const Cluster = Type.Object(
  {
    partition_count: Type.Integer({ minimum: 1 }),
    processes: Type.Array(ClusterProcess),
    partitions: Type.Array(ClusterPartition),
  },
  { $id: 'Cluster', description: 'GET /api/cluster/' },
);

export type Cluster = Static<typeof Cluster>;
export type StageLag = Static<typeof StageLag>;
