import type { EnrichedEvent, Enrichment, LeaseFence, PartitionOffsetWrite, PersonBatchWrite, Store, StoredEvent } from '../store/store.js';
import type { StageLogger } from '../pipeline/consumer.js';
import { StageRunner } from '../pipeline/stage-runner.js';
import { ownAllPartitions, releaseAll } from '../pipeline/standalone.js';
import { ProjectModel } from './persons.js';

/** Receives each committed batch of enriched events (one partition, in position order). */
export type EnrichedListener = (batch: EnrichedEvent[]) => void | Promise<void>;

export type PipelineLogger = StageLogger;

export interface PersonPipelineOptions {
  store: Store;
  logger?: PipelineLogger;
  /** Most events processed (and written) in one transaction. */
  batchSize?: number;
  /** Loaded distinct ids and groups kept in memory (all partitions together) before caches are dropped. */
  maxCachedEntries?: number;
  /** Events handed over in memory but not yet processed, per partition, before reading the store instead. */
  maxQueuedEvents?: number;
  /** How long to wait after a failed write before retrying. */
  retryDelayMs?: number;
  /**
   * Read every event back from the store instead of taking commits handed over in memory, polling every
   * `pollMs` when idle. Needed when other processes (capture processes on Postgres) append events: the
   * in-memory hand-over only sees this process's own commits.
   */
  readFromStore?: boolean;
  /** Idle poll interval with `readFromStore` (ms). Default 100. */
  pollMs?: number;
  /** Told when a partition's lease was found lost (the partition assigner gives it up). */
  onLost?: (partition: number) => void;
  now?: () => number;
}

/** Person processing's consumer name (its offsets in the store). */
export const PERSONS_CONSUMER = 'persons';
const silent: PipelineLogger = { info() {}, warn() {}, error() {} };

/**
 * Person processing, the first stage of the partitioned log: for each batch of one partition's events it
 * applies `$set`, `$identify`, merges and groups to a cached model of the persons and groups involved,
 * and writes the changes, the enriched events and the partition's offset in one transaction. Partitions
 * are processed concurrently (here and in other processes); a merge can join distinct ids of different
 * partitions, so every write states the versions it read, and a batch that finds them changed is
 * redone from fresh state (`PersonConflictError`): the outcome is the same as processing one at a time.
 */
export class PersonPipeline {
  readonly runner: StageRunner<StoredEvent>;
  private readonly store: Store;
  private readonly logger: PipelineLogger;
  private readonly maxCachedEntries: number;
  private readonly now: () => number;
  private readonly listeners = new Set<EnrichedListener>();
  /** Per partition: the cached models of the projects it has seen. */
  private readonly models = new Map<number, Map<number, ProjectModel>>();
  private standaloneFences: LeaseFence[] = [];

  constructor(options: PersonPipelineOptions) {
    this.store = options.store;
    this.logger = options.logger ?? silent;
    this.maxCachedEntries = options.maxCachedEntries ?? 500_000;
    this.now = options.now ?? Date.now;
    this.runner = new StageRunner<StoredEvent>(
      {
        name: PERSONS_CONSUMER,
        read: (store, partition, after, limit) => store.readPartition(partition, after, limit),
        process: (batch, offset) => this.process(batch, offset),
        reset: (partition) => this.models.delete(partition),
      },
      {
        store: options.store,
        logger: this.logger,
        batchSize: options.batchSize ?? 5_000,
        maxQueued: options.maxQueuedEvents ?? 200_000,
        readFromStore: options.readFromStore ?? false,
        pollMs: options.pollMs ?? 100,
        retryDelayMs: options.retryDelayMs ?? 1_000,
        ...(options.onLost ? { onLost: options.onLost } : {}),
      },
    );
  }

  /** Subscribes to enriched events; returns the unsubscribe function. Called after each batch commits. */
  onEnriched(listener: EnrichedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get processedEvents(): number {
    return this.runner.processed;
  }

  /** Starts consuming a partition this process leases (the partition assigner calls this). */
  assign(fence: LeaseFence): Promise<void> {
    return this.runner.assign(fence);
  }

  revoke(partition: number): Promise<void> {
    return this.runner.revoke(partition);
  }

  /**
   * Runs every partition in this process, leasing them all (one process on its own store: tests, tools).
   * A process among others lets its partition assigner call `assign` instead.
   */
  async start(): Promise<void> {
    this.standaloneFences = await ownAllPartitions(this.store);
    for (const fence of this.standaloneFences) await this.assign(fence);
  }

  /** Hands committed events over in memory (called by the group-commit writer, in commit order). */
  push(events: StoredEvent[]): void {
    this.runner.push(events);
  }

  /** Resolves once every event up to `seq` is processed and its enrichment committed. */
  waitFor(seq: number): Promise<void> {
    return this.runner.waitFor(seq);
  }

  /** Processes everything handed over so far, then stops. */
  async stop(): Promise<void> {
    await this.runner.stop();
    await releaseAll(this.store, this.standaloneFences);
    this.standaloneFences = [];
  }

  private async modelsOf(partition: number): Promise<Map<number, ProjectModel>> {
    let models = this.models.get(partition);
    if (models) return models;
    const types = await this.store.listGroupTypes();
    models = new Map();
    for (const t of types) {
      if (!models.has(t.projectId)) models.set(t.projectId, new ProjectModel(t.projectId, types.filter((x) => x.projectId === t.projectId)));
    }
    this.models.set(partition, models);
    return models;
  }

  private async process(batch: StoredEvent[], offset: PartitionOffsetWrite): Promise<void> {
    const models = await this.modelsOf(offset.partition);
    const modelOf = (projectId: number): ProjectModel => {
      let model = models.get(projectId);
      if (!model) models.set(projectId, (model = new ProjectModel(projectId, [])));
      return model;
    };
    await this.load(batch, modelOf);

    // Apply every event in order.
    const nowIso = new Date(this.now()).toISOString();
    const enrichments: Enrichment[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const e = batch[i]!;
      const { person, groups } = modelOf(e.projectId).apply(e, nowIso);
      enrichments[i] = { seq: e.seq, partition: e.partition, position: e.position, projectId: e.projectId, person, groups };
    }

    // Write the changes, the enrichments and the offset in one transaction (fenced, version-checked).
    const write: PersonBatchWrite = {
      upsertPersons: [],
      deletePersonIds: [],
      setDistinctIds: [],
      upsertGroupTypes: [],
      upsertGroups: [],
      enrichments,
      expect: { persons: [], distinctIds: [], groups: [] },
      offset,
    };
    for (const model of models.values()) {
      for (const w of model.warnings) this.logger.warn({ projectId: model.projectId, kind: w.kind }, w.detail);
      model.drainChanges(write);
    }
    await this.store.commitPersonBatch(write);

    let cached = 0;
    for (const partitionModels of this.models.values()) for (const model of partitionModels.values()) cached += model.size;
    if (cached > this.maxCachedEntries) this.models.clear();

    if (this.listeners.size > 0) await this.emit(batch, enrichments);
  }

  /** Loads what the batch needs into the models, per project, in as few store calls as possible. */
  private async load(batch: StoredEvent[], modelOf: (projectId: number) => ProjectModel): Promise<void> {
    const byProject = new Map<number, StoredEvent[]>();
    for (const e of batch) {
      let list = byProject.get(e.projectId);
      if (list === undefined) byProject.set(e.projectId, (list = []));
      list.push(e);
    }
    for (const [projectId, events] of byProject) {
      const model = modelOf(projectId);
      const ids = new Set<string>();
      const groups = new Map<string, { groupTypeIndex: number; groupKey: string }>();
      for (const e of events) {
        model.missingDistinctIds(e, ids);
        model.missingGroups(e, groups);
      }
      if (ids.size > 0) model.addLoadedPersons(ids, await this.store.loadPersons(projectId, [...ids]));
      if (groups.size > 0) model.addLoadedGroups(groups.values(), await this.store.loadGroups(projectId, [...groups.values()]));
    }
  }

  private async emit(batch: StoredEvent[], enrichments: Enrichment[]): Promise<void> {
    const enriched: EnrichedEvent[] = batch.map((e, i) => {
      const event: EnrichedEvent['event'] = {
        uuid: e.uuid,
        event: e.event,
        distinct_id: e.distinct_id,
        properties: e.properties,
        timestamp: e.timestamp,
      };
      if (e.elements_chain !== undefined) event.elements_chain = e.elements_chain;
      const { person, groups } = enrichments[i]!;
      return { seq: e.seq, partition: e.partition, position: e.position, projectId: e.projectId, event, person, groups };
    });
    for (const listener of this.listeners) {
      try {
        await listener(enriched);
      } catch (error) {
        this.logger.error({ err: error }, 'an onEnriched listener failed');
      }
    }
  }
}
