import type { EnrichedEvent, Enrichment, PersonBatchWrite, Store, StoredEvent } from '../store/store.js';
import { OffsetMovedError } from '../store/store.js';
import { ProjectModel } from './persons.js';

/** Receives each committed batch of enriched events, in `seq` order. */
export type EnrichedListener = (batch: EnrichedEvent[]) => void | Promise<void>;

export interface PipelineLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface PersonPipelineOptions {
  store: Store;
  logger?: PipelineLogger;
  /** Most events processed (and written) in one transaction. */
  batchSize?: number;
  /** Loaded distinct ids and groups kept in memory across batches before the cache is dropped. */
  maxCachedEntries?: number;
  /** Events handed over in memory but not yet processed before the pipeline falls back to reading the store. */
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
  now?: () => number;
}

/** Person processing's consumer name (its offset in the store). */
export const PERSONS_CONSUMER = 'persons';
const silent: PipelineLogger = { info() {}, warn() {}, error() {} };

/**
 * Person processing: one in-process consumer of the events table in `seq` (= intake) order, which gives
 * per-distinct-id ordering for free. It reads events in batches (handed over in memory by intake after
 * each commit, or read back from the store after a restart or when it falls behind), applies them to a
 * cached model of persons and groups, and writes the person/group changes, the enriched events and its own
 * offset in one transaction. A crash between two batches therefore redoes a batch from the last offset,
 * never half of one.
 */
export class PersonPipeline {
  private readonly store: Store;
  private readonly logger: PipelineLogger;
  private readonly batchSize: number;
  private readonly maxCachedEntries: number;
  private readonly maxQueuedEvents: number;
  private readonly retryDelayMs: number;
  private readonly readFromStore: boolean;
  private readonly pollMs: number;
  private readonly now: () => number;
  private readonly listeners = new Set<EnrichedListener>();
  private models = new Map<number, ProjectModel>();
  private groupTypesLoaded = false;

  /** Highest seq whose processing is committed. */
  private offset = 0;
  /** Events handed over in memory; valid only while `memoryMode`. */
  private queue: StoredEvent[] = [];
  private queueHead = 0;
  private memoryMode = false;
  /** Highest seq ever handed over, so the store catch-up knows when it may switch back to memory. */
  private highestPushed = 0;
  private running = false;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private waiters: { seq: number; resolve: () => void }[] = [];
  processedEvents = 0;

  constructor(options: PersonPipelineOptions) {
    this.store = options.store;
    this.logger = options.logger ?? silent;
    this.batchSize = options.batchSize ?? 5_000;
    this.maxCachedEntries = options.maxCachedEntries ?? 500_000;
    this.maxQueuedEvents = options.maxQueuedEvents ?? 200_000;
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
    this.readFromStore = options.readFromStore ?? false;
    this.pollMs = options.pollMs ?? 100;
    this.now = options.now ?? Date.now;
  }

  /** Subscribes to enriched events; returns the unsubscribe function. Called after each batch commits. */
  onEnriched(listener: EnrichedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get processedSeq(): number {
    return this.offset;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.offset = await this.store.getOffset(PERSONS_CONSUMER);
    this.highestPushed = Math.max(this.highestPushed, await this.store.lastEventSeq());
    // A restart (another process may have processed meanwhile) starts from the store, never from memory.
    this.resetCaches();
    this.running = true;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Hands committed events over in memory (called by the group-commit writer, in seq order). */
  push(events: StoredEvent[]): void {
    if (events.length === 0) return;
    const last = events[events.length - 1]!.seq;
    if (this.readFromStore) {
      if (last > this.highestPushed) this.highestPushed = last;
      this.signal();
      return;
    }
    if (this.memoryMode && this.queue.length - this.queueHead + events.length <= this.maxQueuedEvents) {
      for (const e of events) this.queue.push(e);
    } else if (this.memoryMode) {
      this.logger.warn({ queued: this.queue.length - this.queueHead }, 'person processing is behind; reading from the store');
      this.memoryMode = false;
      this.queue = [];
      this.queueHead = 0;
    }
    if (last > this.highestPushed) this.highestPushed = last;
    this.signal();
  }

  /** Resolves once every event up to `seq` is processed and its enrichment committed. */
  waitFor(seq: number): Promise<void> {
    if (this.offset >= seq) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ seq, resolve }));
  }

  /** Processes everything handed over so far, then stops. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.signal();
    await this.loop;
    this.running = false;
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async nextBatch(): Promise<StoredEvent[]> {
    if (this.memoryMode) {
      while (this.queueHead < this.queue.length && this.queue[this.queueHead]!.seq <= this.offset) this.queueHead++;
      const batch = this.queue.slice(this.queueHead, this.queueHead + this.batchSize);
      this.queueHead += batch.length;
      if (this.queueHead > 10_000 && this.queueHead * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.queueHead);
        this.queueHead = 0;
      }
      return batch;
    }
    const batch = await this.store.readEvents(this.offset, this.batchSize);
    if (this.readFromStore) return batch;
    if (batch.length === 0 || (batch.length < this.batchSize && batch[batch.length - 1]!.seq >= this.highestPushed)) {
      // Caught up with everything committed: later commits arrive in memory.
      this.memoryMode = true;
      this.queue = [];
      this.queueHead = 0;
    }
    return batch;
  }

  private async run(): Promise<void> {
    for (;;) {
      let batch: StoredEvent[];
      try {
        batch = await this.nextBatch();
      } catch (error) {
        this.logger.error({ err: error }, 'reading events for person processing failed');
        await this.sleep(this.retryDelayMs);
        continue;
      }
      if (batch.length === 0) {
        // Reading from the store, an empty read means everything committed is processed.
        if (this.stopping && (this.readFromStore || this.offset >= this.highestPushed)) return;
        await this.sleep(this.readFromStore ? this.pollMs : 1_000);
        continue;
      }
      try {
        await this.process(batch);
      } catch (error) {
        this.logger.error({ err: error, fromSeq: batch[0]!.seq }, 'person processing batch failed; retrying from the store');
        this.resetCaches();
        if (error instanceof OffsetMovedError) {
          // Another process processed these events (a leadership hand-over): continue from its offset.
          try {
            this.offset = await this.store.getOffset(PERSONS_CONSUMER);
          } catch {
            // retried on the next failure
          }
        }
        if (this.stopping && !this.running) return;
        await this.sleep(this.retryDelayMs);
      }
    }
  }

  private resetCaches(): void {
    this.models = new Map();
    this.groupTypesLoaded = false;
    this.memoryMode = false;
    this.queue = [];
    this.queueHead = 0;
  }

  private async modelFor(projectId: number): Promise<ProjectModel> {
    if (!this.groupTypesLoaded) {
      const types = await this.store.listGroupTypes();
      this.models = new Map();
      for (const t of types) if (!this.models.has(t.projectId)) this.models.set(t.projectId, new ProjectModel(t.projectId, types.filter((x) => x.projectId === t.projectId)));
      this.groupTypesLoaded = true;
    }
    let model = this.models.get(projectId);
    if (model === undefined) {
      model = new ProjectModel(projectId, []);
      this.models.set(projectId, model);
    }
    return model;
  }

  private async process(batch: StoredEvent[]): Promise<void> {
    // 1. Load what the batch needs, per project, in as few store calls as possible.
    const byProject = new Map<number, StoredEvent[]>();
    for (const e of batch) {
      let list = byProject.get(e.projectId);
      if (list === undefined) byProject.set(e.projectId, (list = []));
      list.push(e);
    }
    for (const [projectId, events] of byProject) {
      const model = await this.modelFor(projectId);
      const ids = new Set<string>();
      const groups = new Map<string, { groupTypeIndex: number; groupKey: string }>();
      for (const e of events) {
        model.missingDistinctIds(e, ids);
        model.missingGroups(e, groups);
      }
      if (ids.size > 0) model.addLoadedPersons(ids, await this.store.loadPersons(projectId, [...ids]));
      if (groups.size > 0) model.addLoadedGroups(groups.values(), await this.store.loadGroups(projectId, [...groups.values()]));
    }

    // 2. Apply every event in order.
    const nowIso = new Date(this.now()).toISOString();
    const enrichments: Enrichment[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const e = batch[i]!;
      const model = this.models.get(e.projectId)!;
      const { person, groups } = model.apply(e, nowIso);
      enrichments[i] = { seq: e.seq, projectId: e.projectId, person, groups };
    }

    // 3. Write the changes, the enrichments and the offset in one transaction.
    const write: PersonBatchWrite = {
      upsertPersons: [],
      deletePersonIds: [],
      setDistinctIds: [],
      upsertGroupTypes: [],
      upsertGroups: [],
      enrichments,
      // Fenced: if another process moved the offset meanwhile, nothing of this batch is written.
      offset: { consumer: PERSONS_CONSUMER, seq: batch[batch.length - 1]!.seq, from: this.offset },
    };
    for (const model of this.models.values()) {
      for (const w of model.warnings) this.logger.warn({ projectId: model.projectId, kind: w.kind }, w.detail);
      model.drainChanges(write);
    }
    await this.store.commitPersonBatch(write);
    this.offset = write.offset.seq;
    this.processedEvents += batch.length;

    let cached = 0;
    for (const model of this.models.values()) cached += model.size;
    if (cached > this.maxCachedEntries) {
      this.models = new Map();
      this.groupTypesLoaded = false;
    }

    this.releaseWaiters();
    if (this.listeners.size > 0) await this.emit(batch, enrichments);
  }

  private releaseWaiters(): void {
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) (w.seq <= this.offset ? w.resolve() : still.push(w));
    this.waiters = still;
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
      return { seq: e.seq, projectId: e.projectId, event, person: enrichments[i]!.person, groups: enrichments[i]!.groups };
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
