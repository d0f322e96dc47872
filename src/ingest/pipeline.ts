import type { DroppedEvent, EnrichedEvent, Enrichment, LeaseFence, PartitionOffsetWrite, PersonBatchWrite, Store, StoredEvent } from '../store/store.js';
import type { StageLogger } from '../pipeline/consumer.js';
import { StageRunner } from '../pipeline/stage-runner.js';
import { ownAllPartitions, releaseAll } from '../pipeline/standalone.js';
import { ProjectModel } from './persons.js';

/** Receives each committed batch of enriched events (one partition, in position order). */
export type EnrichedListener = (batch: EnrichedEvent[]) => void | Promise<void>;

export type PipelineLogger = StageLogger;

/**
 * What a project's transformations made of some of its events (docs/transformations.md), in order: the
 * event to keep — the very object when nothing changed it — or null when a transformation dropped it.
 */
export interface TransformedEvents {
  events: (StoredEvent | null)[];
  /**
   * Called once the batch is committed: what the transformations produced (metrics, log lines) is
   * recorded only then, so a batch redone after a conflict counts once.
   */
  committed(): void;
}

/** Runs a project's transformations on its events of one batch. A rejection fails (and retries) the batch. */
export type EventTransformer = (projectId: number, events: StoredEvent[]) => Promise<TransformedEvents>;

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
  /**
   * The project's transformations, run on every event as the first step of each batch (absent: none).
   * Persons and destinations see what they return; the stored event is never changed.
   */
  transform?: EventTransformer;
  /**
   * The consumer of the enriched events (the matcher's `destinations`): a batch whose events were all
   * dropped moves its offset along when it has nothing else to read (`PersonBatchWrite.downstream`).
   */
  downstream?: string;
  now?: () => number;
}

/** Person processing's consumer name (its offsets in the store). */
export const PERSONS_CONSUMER = 'persons';
const silent: PipelineLogger = { info() {}, warn() {}, error() {} };

/** A batch after its transformations: the events kept (in order), whether each was changed, and the dropped. */
interface TransformedBatch {
  kept: StoredEvent[];
  changed: boolean[];
  dropped: DroppedEvent[];
  committed: (() => void)[];
}

/**
 * Person processing, the first stage of the partitioned log: for each batch of one partition's events it
 * first runs the projects' transformations (which may change or drop each event), then applies `$set`,
 * `$identify`, merges and groups to a cached model of the persons and groups involved, and writes the
 * changes, the enriched events (with the transformed event where it changed) and the partition's offset
 * in one transaction. Transformations run here, inside the first stage, rather than as a stage of their
 * own: a stage of their own would write every event once more, with an offset of its own, before persons
 * could start.
 *
 * Partitions are processed concurrently (here and in other processes); a merge can join distinct ids of
 * different partitions, so every write states the versions it read, and a batch that finds them changed
 * is redone from fresh state (`PersonConflictError`): the outcome is the same as processing one at a time.
 */
export class PersonPipeline {
  readonly runner: StageRunner<StoredEvent>;
  private readonly store: Store;
  private readonly logger: PipelineLogger;
  private readonly maxCachedEntries: number;
  private readonly now: () => number;
  private readonly listeners = new Set<EnrichedListener>();
  private readonly transform: EventTransformer | undefined;
  private readonly downstream: string | undefined;
  /** Per partition: the cached models of the projects it has seen. */
  private readonly models = new Map<number, Map<number, ProjectModel>>();
  private standaloneFences: LeaseFence[] = [];

  constructor(options: PersonPipelineOptions) {
    this.store = options.store;
    this.logger = options.logger ?? silent;
    this.maxCachedEntries = options.maxCachedEntries ?? 500_000;
    this.now = options.now ?? Date.now;
    this.transform = options.transform;
    this.downstream = options.downstream;
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
    // Transformations first: persons and destinations see the events they return.
    const { kept, changed, dropped, committed } = await this.transformBatch(batch);
    const models = await this.modelsOf(offset.partition);
    const modelOf = (projectId: number): ProjectModel => {
      let model = models.get(projectId);
      if (!model) models.set(projectId, (model = new ProjectModel(projectId, [])));
      return model;
    };
    await this.load(kept, modelOf);

    // Apply every event in order.
    const nowIso = new Date(this.now()).toISOString();
    const enrichments: Enrichment[] = new Array(kept.length);
    for (let i = 0; i < kept.length; i++) {
      const e = kept[i]!;
      const { person, groups } = modelOf(e.projectId).apply(e, nowIso);
      const enrichment: Enrichment = { seq: e.seq, partition: e.partition, position: e.position, projectId: e.projectId, person, groups };
      if (changed[i]) enrichment.event = e;
      enrichments[i] = enrichment;
    }

    // Write the changes, the enrichments and the offset in one transaction (fenced, version-checked).
    const write: PersonBatchWrite = {
      upsertPersons: [],
      deletePersonIds: [],
      setDistinctIds: [],
      upsertGroupTypes: [],
      upsertGroups: [],
      enrichments,
      dropped,
      ...(this.downstream !== undefined ? { downstream: this.downstream } : {}),
      expect: { persons: [], distinctIds: [], groups: [] },
      offset,
    };
    for (const model of models.values()) {
      for (const w of model.warnings) this.logger.warn({ projectId: model.projectId, kind: w.kind }, w.detail);
      model.drainChanges(write);
    }
    await this.store.commitPersonBatch(write);
    for (const done of committed) done();

    let cached = 0;
    for (const partitionModels of this.models.values()) for (const model of partitionModels.values()) cached += model.size;
    if (cached > this.maxCachedEntries) this.models.clear();

    if (this.listeners.size > 0 && kept.length > 0) await this.emit(kept, enrichments);
  }

  /** Runs each project's transformations on its events of the batch; without any, the batch as it is. */
  private async transformBatch(batch: StoredEvent[]): Promise<TransformedBatch> {
    const transform = this.transform;
    if (transform === undefined) return { kept: batch, changed: [], dropped: [], committed: [] };
    const results: (StoredEvent | null)[] = new Array(batch.length);
    const committed: (() => void)[] = [];
    for (const [projectId, indexes] of indexesByProject(batch)) {
      const events = indexes.length === batch.length ? batch : indexes.map((i) => batch[i]!);
      const result = await transform(projectId, events);
      if (result.events.length !== events.length) throw new Error(`transformations returned ${result.events.length} events for ${events.length}`);
      indexes.forEach((index, k) => (results[index] = result.events[k] ?? null));
      committed.push(result.committed);
    }
    const kept: StoredEvent[] = [];
    const changed: boolean[] = [];
    const dropped: DroppedEvent[] = [];
    for (let i = 0; i < batch.length; i++) {
      const original = batch[i]!;
      const result = results[i] ?? null;
      if (result === null) {
        dropped.push({ seq: original.seq, partition: original.partition, position: original.position, projectId: original.projectId });
      } else {
        kept.push(result);
        changed.push(result !== original);
      }
    }
    return { kept, changed, dropped, committed };
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

/** The batch's positions of each project's events, in order (one project: every position, no copy). */
function indexesByProject(batch: StoredEvent[]): Map<number, number[]> {
  const byProject = new Map<number, number[]>();
  for (let i = 0; i < batch.length; i++) {
    const projectId = batch[i]!.projectId;
    let indexes = byProject.get(projectId);
    if (indexes === undefined) byProject.set(projectId, (indexes = []));
    indexes.push(i);
  }
  return byProject;
}
