/**
 * The matcher: a consumer of enriched events (consumer name `destinations`, its own offset) that turns
 * each event × enabled destination of its project into invocations.
 *
 * Like person processing, it takes committed batches in memory (`pipeline.onEnriched`) while it is caught
 * up, and reads them back from the store (`readEnrichedEvents`) after a restart or when it falls behind.
 * Per batch it writes all new invocations together with its offset in one transaction, so a crash redoes a
 * whole batch and never skips or half-writes one.
 *
 * For each event and destination: globals → filters (exactly `true` matches) → masking →
 * mappings (each enabled, matching mapping is its own invocation). Metrics: `triggered` per invocation,
 * `filtered` when nothing matched, `filtering_failed` (with an error log line and a health observation
 * that costs like a failed invocation) when a filter, the masking hash, a mapping's filter or the
 * globals threw or hit a limit — that event is skipped for that destination only — and `masked`.
 */
import { buildGlobals, type Globals } from '../destinations/globals.js';
import { matchesFilters } from '../destinations/filters.js';
import { computeMaskingKey, SharedMaskingGate, type MaskingCheck, type MaskingDecider } from '../destinations/masking.js';
import type { EnrichedListener } from '../ingest/pipeline.js';
import { uuidv7 } from '../ingest/uuid.js';
import type { EnrichedEvent, JsonObject, NewInvocation, Project, Store } from '../store/store.js';
import type { CompiledDestination, DestinationRegistry } from './destination-registry.js';
import type { HealthState } from './health.js';
import type { RuntimeRecorder } from './recorder.js';
import type { WarnErrorLogger } from './logger.js';

export const MATCHER_CONSUMER = 'destinations';

/** Events matched between two yields to the event loop. */
const YIELD_EVERY = 250;
/**
 * Longest the matcher holds the event loop, whatever the backlog. Filters run in the main thread beside
 * capture and the API, and a hostile filter may use its whole VM time (100 ms) on every event until
 * health disables it; without this, a batch of such events would keep `/_health` waiting for seconds.
 */
const MAX_SLICE_MS = 20;

/** Where new invocations go after they are stored: the in-process worker. */
export interface InvocationSink {
  /** Whether the sink takes `count` invocations now (then they are stored already claimed by it). */
  reserve(count: number): { workerId: string; lockedUntil: number } | null;
  /** Hands over invocations stored with the claim `reserve` returned. */
  accept(invocations: NewInvocation[]): void;
  /** New invocations were stored unclaimed: look in the queue. */
  wake(): void;
}

export interface MatcherOptions {
  store: Store;
  pipeline: { onEnriched(listener: EnrichedListener): () => void };
  registry: DestinationRegistry;
  recorder: RuntimeRecorder;
  sink: InvocationSink;
  /** Base URL of the UI for the globals' URLs. */
  siteUrl: string;
  logger?: WarnErrorLogger;
  /** Default: `SharedMaskingGate` on the store's shared counters. */
  masking?: MaskingDecider;
  /** Enriched events read or processed per batch. Default 2 000. */
  batchSize?: number;
  /** Events kept in memory before falling back to reading the store. Default 100 000. */
  maxQueuedEvents?: number;
  now?: () => number;
}

const silent: WarnErrorLogger = { warn() {}, error() {} };

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface ProjectInfo {
  id: number;
  name: string;
  personDisplayNameProperties?: string[];
}

function projectInfo(project: Project | null, id: number): ProjectInfo {
  if (!project) return { id, name: `Project ${id}` };
  const names = (project.settings as JsonObject).person_display_name_properties;
  const info: ProjectInfo = { id, name: project.name };
  if (Array.isArray(names) && names.every((n) => typeof n === 'string')) info.personDisplayNameProperties = names as string[];
  return info;
}

/** An event × destination that passed the filters, waiting for the batch's masking decisions. */
interface Candidate {
  destination: CompiledDestination;
  event: EnrichedEvent;
  globals: Globals;
  /** The event's globals before the destination's `source`, shared by all its candidates. */
  shared: SharedGlobals;
  /** `JSON.stringify(globals)`, made once its first invocation is created. */
  json?: string;
  /** Index of its masking check, or -1 when it is not masked. */
  check: number;
}

/** One event's globals (`source` left blank) and, once needed, their JSON up to `source`. */
interface SharedGlobals {
  base: Globals;
  head?: string;
}

/**
 * `JSON.stringify(globals)` for `globals = { ...shared.base, source }`: `source` is the last key of
 * `buildGlobals`' result, so everything before it is serialized once per event and shared by all its
 * destinations. Falls back to a whole serialization if `base` ever has another shape.
 */
function globalsJson(shared: SharedGlobals, globals: Globals): string {
  if (shared.head === undefined) {
    const keys = Object.keys(shared.base);
    if (keys.length < 2 || keys[keys.length - 1] !== 'source') return JSON.stringify(globals);
    const { source: _source, ...rest } = shared.base;
    const json = JSON.stringify(rest);
    if (json === '{}') return JSON.stringify(globals);
    shared.head = `${json.slice(0, -1)},"source":`;
  }
  return `${shared.head}${JSON.stringify(globals.source)}}`;
}

export class Matcher {
  readonly masking: MaskingDecider;
  private readonly store: Store;
  private readonly registry: DestinationRegistry;
  private readonly recorder: RuntimeRecorder;
  private readonly sink: InvocationSink;
  private readonly siteUrl: string;
  private readonly logger: WarnErrorLogger;
  private readonly batchSize: number;
  private readonly maxQueuedEvents: number;
  private readonly now: () => number;
  private readonly pipeline: MatcherOptions['pipeline'];
  private readonly projects = new Map<number, { info: ProjectInfo; until: number }>();

  /** Highest seq whose invocations are stored. */
  private offset = 0;
  private queue: EnrichedEvent[] = [];
  private queueHead = 0;
  private memoryMode = false;
  /** Highest seq announced live, so the catch-up knows when it may switch to memory. */
  private highestSeen = 0;
  private unsubscribe: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private running = false;
  private stopping = false;
  private wakeLoop: (() => void) | null = null;
  private waiters: { seq: number; resolve: () => void }[] = [];
  matchedInvocations = 0;

  constructor(options: MatcherOptions) {
    this.store = options.store;
    this.pipeline = options.pipeline;
    this.registry = options.registry;
    this.recorder = options.recorder;
    this.sink = options.sink;
    this.siteUrl = options.siteUrl;
    this.logger = options.logger ?? silent;
    this.masking = options.masking ?? new SharedMaskingGate(options.store.counters);
    this.batchSize = options.batchSize ?? 2_000;
    this.maxQueuedEvents = options.maxQueuedEvents ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  get processedSeq(): number {
    return this.offset;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.offset = await this.store.getOffset(MATCHER_CONSUMER);
    // A restart (after another process matched meanwhile) catches up from the store, never from memory.
    this.memoryMode = false;
    this.queue = [];
    this.queueHead = 0;
    await this.registry.reload();
    this.unsubscribe = this.pipeline.onEnriched((batch) => this.push(batch));
    this.running = true;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Reloads the destinations now (the management API calls this after a change). */
  reload(): Promise<void> {
    return this.registry.reload();
  }

  /** Resolves once invocations for every enriched event up to `seq` are stored. */
  waitFor(seq: number): Promise<void> {
    if (this.offset >= seq) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ seq, resolve }));
  }

  /** Matches everything handed over so far, then stops listening. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.signal();
    await this.loop;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.running = false;
  }

  private push(batch: EnrichedEvent[]): void {
    if (batch.length === 0) return;
    const last = batch[batch.length - 1]!.seq;
    if (this.memoryMode && this.queue.length - this.queueHead + batch.length <= this.maxQueuedEvents) {
      for (const e of batch) this.queue.push(e);
    } else if (this.memoryMode) {
      this.logger.warn({ queued: this.queue.length - this.queueHead }, 'destination matching is behind; reading from the store');
      this.memoryMode = false;
      this.queue = [];
      this.queueHead = 0;
    }
    if (last > this.highestSeen) this.highestSeen = last;
    this.signal();
  }

  private signal(): void {
    const wake = this.wakeLoop;
    this.wakeLoop = null;
    wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeLoop = null;
        resolve();
      }, ms);
      this.wakeLoop = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private fullBatchWaiting(): boolean {
    return this.memoryMode && this.queue.length - this.queueHead >= this.batchSize;
  }

  private async nextBatch(): Promise<EnrichedEvent[]> {
    if (this.memoryMode) {
      while (this.queueHead < this.queue.length && this.queue[this.queueHead]!.seq <= this.offset) this.queueHead++;
      const batch = this.queue.slice(this.queueHead, this.queueHead + this.batchSize);
      this.queueHead += batch.length;
      if (this.queueHead >= this.queue.length) {
        this.queue = [];
        this.queueHead = 0;
      }
      return batch;
    }
    const batch = await this.store.readEnrichedEvents(this.offset, this.batchSize);
    const lastRead = batch.length > 0 ? batch[batch.length - 1]!.seq : this.offset;
    if (batch.length < this.batchSize && lastRead >= this.highestSeen) {
      // Caught up with everything committed: later batches arrive in memory.
      this.memoryMode = true;
      this.queue = [];
      this.queueHead = 0;
    }
    return batch;
  }

  private async run(): Promise<void> {
    for (;;) {
      let batch: EnrichedEvent[];
      try {
        batch = await this.nextBatch();
      } catch (error) {
        this.logger.error({ err: error }, 'reading enriched events for destinations failed');
        await this.sleep(1_000);
        continue;
      }
      if (batch.length === 0) {
        if (this.stopping && (this.memoryMode || this.offset >= this.highestSeen)) return;
        await this.sleep(1_000);
        continue;
      }
      try {
        await this.process(batch);
      } catch (error) {
        this.logger.error({ err: error, fromSeq: batch[0]!.seq }, 'matching a batch failed; retrying from the store');
        this.memoryMode = false;
        this.queue = [];
        this.queueHead = 0;
        await this.sleep(1_000);
      }
    }
  }

  private async project(id: number): Promise<ProjectInfo> {
    const now = this.now();
    const cached = this.projects.get(id);
    if (cached && cached.until > now) return cached.info;
    const info = projectInfo(await this.store.getProject(id), id);
    this.projects.set(id, { info, until: now + 30_000 });
    return info;
  }

  /** Matches one batch and stores its invocations with the new offset. */
  private async process(batch: EnrichedEvent[]): Promise<void> {
    await this.registry.refresh();
    const invocations: NewInvocation[] = [];
    const nowMs = this.now();
    // Filters first, then every masking decision of the batch at once (one counters round trip).
    const candidates: Candidate[] = [];
    const checks: MaskingCheck[] = [];
    let sliceStart = performance.now();
    for (let i = 0; i < batch.length; i++) {
      const event = batch[i]!;
      // Let in-flight deliveries make progress while a large batch is matched — unless another full batch
      // is already waiting: then capture is outpacing matching, and yielding would let it pull further ahead
      // while the delivery side runs dry.
      if (i % YIELD_EVERY === YIELD_EVERY - 1 && !this.fullBatchWaiting()) sliceStart = await yieldToEventLoop();
      if (event.seq <= this.offset) continue;
      const destinations = this.registry.forProject(event.projectId);
      if (destinations.length === 0) continue;
      const base = this.eventGlobals(event, await this.project(event.projectId), destinations);
      if (!base) continue;
      const shared: SharedGlobals = { base };
      for (const destination of destinations) {
        if (performance.now() - sliceStart > MAX_SLICE_MS) sliceStart = await yieldToEventLoop();
        // One destination's broken or hostile filter fails that event for that destination alone.
        try {
          this.filterOne(destination, event, shared, candidates, checks);
        } catch (error) {
          this.failFiltering(destination, event.event.uuid, 'filters', errorText(error));
        }
      }
    }
    const runs = checks.length > 0 ? await this.masking.decide(checks, nowMs) : [];
    sliceStart = performance.now();
    for (const candidate of candidates) {
      if (performance.now() - sliceStart > MAX_SLICE_MS) sliceStart = await yieldToEventLoop();
      if (candidate.check >= 0 && !runs[candidate.check]) {
        this.recorder.metric(candidate.destination.projectId, candidate.destination.id, 'masked');
        continue;
      }
      const before = invocations.length;
      try {
        this.createInvocations(candidate, nowMs, invocations);
      } catch (error) {
        // A mapping filter (or the globals' JSON) that throws: none of this candidate's invocations.
        invocations.length = before;
        this.failFiltering(candidate.destination, candidate.event.event.uuid, 'mappings', errorText(error));
      }
    }
    const last = batch[batch.length - 1]!.seq;
    const offset = { consumer: MATCHER_CONSUMER, seq: Math.max(last, this.offset) };
    const claim = invocations.length > 0 ? this.sink.reserve(invocations.length) : null;
    if (invocations.length > 0 || offset.seq > this.offset) await this.store.enqueueInvocations(invocations, offset, claim ?? undefined);
    this.offset = offset.seq;
    this.matchedInvocations += invocations.length;
    this.releaseWaiters();
    if (invocations.length === 0) return;
    if (claim) this.sink.accept(invocations);
    else this.sink.wake();
  }

  /** Filters and the masking key: a candidate (with its masking check, if any) when the event passes. */
  private filterOne(destination: CompiledDestination, event: EnrichedEvent, shared: SharedGlobals, out: Candidate[], checks: MaskingCheck[]): void {
    const globals: Globals = { ...shared.base, source: { name: destination.name, url: destination.sourceUrl(this.siteUrl) } };
    const { projectId, id } = destination;
    const config = destination.config;
    if (!this.passes(destination, config.filters?.bytecode, globals, 'filters')) return;

    let check = -1;
    if (config.masking) {
      const key = computeMaskingKey(config.masking, globals as unknown as Record<string, unknown>, { timeoutMs: this.expressionMs(destination) });
      if (!key.ok) {
        // Like a failing filter: the event is not delivered to this destination (an error, or a hash
        // that hit a limit, must not let it through unmasked, nor cost the other destinations).
        this.failFiltering(destination, event.event.uuid, 'masking', key.error);
        return;
      }
      check = checks.length;
      checks.push({ destinationId: id, version: destination.version, key: key.key, masking: config.masking });
    }
    out.push({ destination, event, globals, shared, check });
  }

  /**
   * The event's globals, shared by its destinations; null when they cannot be built (then every
   * destination of the project counts the event as failed, and matching goes on with the next event).
   */
  private eventGlobals(event: EnrichedEvent, project: ProjectInfo, destinations: readonly CompiledDestination[]): Globals | null {
    try {
      return buildGlobals({ event: event.event, person: event.person, groups: event.groups, project, source: { name: '', id: null }, siteUrl: this.siteUrl });
    } catch (error) {
      for (const destination of destinations) this.failFiltering(destination, event.event.uuid, 'globals', errorText(error));
      return null;
    }
  }

  private expressionMs(destination: CompiledDestination): number {
    return EXPRESSION_MS_BY_HEALTH[this.registry.health?.stateOf(destination.id) ?? 'healthy'];
  }

  /** An event this destination could not be matched against: counted, logged, and it costs health. */
  private failFiltering(destination: CompiledDestination, eventUuid: string, what: string, error: string): void {
    const { projectId, id } = destination;
    const message = `Error filtering event ${eventUuid} (${what}): ${error}`;
    this.recorder.metric(projectId, id, 'filtering_failed');
    this.recorder.log(projectId, id, null, 'error', message);
    this.recorder.observe(projectId, id, { kind: 'failed', error: message });
  }

  /** The invocations of a candidate that was not masked: one, or one per enabled matching mapping. */
  private createInvocations(candidate: Candidate, nowMs: number, out: NewInvocation[]): void {
    const { destination, globals } = candidate;
    const { projectId, id } = destination;
    const config = destination.config;
    const mappings = config.mappings;
    if (!mappings || mappings.length === 0) {
      out.push(this.invocation(candidate, null, nowMs));
      this.recorder.metric(projectId, id, 'triggered');
      return;
    }
    let created = 0;
    mappings.forEach((mapping, index) => {
      if (mapping.disabled) return;
      if (!this.passes(destination, mapping.filters?.bytecode, globals, `mappings[${index}].filters`, false)) return;
      out.push(this.invocation(candidate, index, nowMs));
      created++;
    });
    if (created > 0) this.recorder.metric(projectId, id, 'triggered', created);
    else this.recorder.metric(projectId, id, 'filtered');
  }

  /** Runs one compiled filter; counts `filtered` (when asked) and `filtering_failed`. */
  private passes(destination: CompiledDestination, bytecode: unknown, globals: Globals, what: string, countFiltered = true): boolean {
    if (!Array.isArray(bytecode) || bytecode.length === 0) return true;
    const result = matchesFilters(bytecode, globals, { timeoutMs: this.expressionMs(destination) });
    if (result.error !== undefined) {
      this.failFiltering(destination, globals.event.uuid, what, result.error);
      return false;
    }
    if (!result.matched && countFiltered) this.recorder.metric(destination.projectId, destination.id, 'filtered');
    return result.matched;
  }

  private invocation(candidate: Candidate, mappingIndex: number | null, nowMs: number): NewInvocation {
    const { destination, event, globals } = candidate;
    candidate.json ??= globalsJson(candidate.shared, globals);
    return {
      id: uuidv7(nowMs),
      projectId: destination.projectId,
      destinationId: destination.id,
      mappingIndex,
      eventUuid: event.event.uuid,
      globals: globals as unknown as JsonObject,
      globalsJson: candidate.json,
      // Degraded destinations' invocations are claimed after healthy ones'.
      priority: this.registry.health?.priorityOf(destination.id) ?? 0,
      scheduledAt: nowMs,
    };
  }

  private releaseWaiters(): void {
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) (w.seq <= this.offset ? w.resolve() : still.push(w));
    this.waiters = still;
  }
}

/**
 * VM time a destination's filters and masking hash get per event, by its health. A healthy destination
 * gets the usual 100 ms. One that health degraded or disabled — typically because its filter keeps
 * hitting that limit — gets far less: it is still matched (a disabled destination's events are parked for
 * replay), but a hostile filter can no longer spend 100 ms of the main thread on every event. A real
 * filter runs in microseconds, so even 10 ms leaves it a thousandfold margin.
 */
const EXPRESSION_MS_BY_HEALTH: Record<HealthState, number> = {
  healthy: 100,
  degraded: 25,
  disabled_temporarily: 10,
  disabled_permanently: 10,
};

/** Lets I/O callbacks run; resolves with the time the next slice starts. */
async function yieldToEventLoop(): Promise<number> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  return performance.now();
}
