/**
 * The matcher: a consumer of enriched events (consumer name `destinations`, its own offset) that turns
 * each event × enabled destination of its project into invocations.
 *
 * It is the second stage of the partitioned log (`src/pipeline/`): a function of one partition's batch of
 * enriched events, taken in memory from person processing (`pipeline.onEnriched`) while caught up, or
 * read back from the store (`readEnrichedPartition`). Per batch it writes all new invocations together
 * with the partition's offset in one fenced transaction, so a crash redoes a whole batch and never skips
 * or half-writes one.
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
import type { StageLogger } from '../pipeline/consumer.js';
import { StageRunner } from '../pipeline/stage-runner.js';
import { ownAllPartitions, releaseAll } from '../pipeline/standalone.js';
import type { EnrichedEvent, JsonObject, LeaseFence, NewInvocation, PartitionOffsetWrite, Project, Store } from '../store/store.js';
import type { CompiledDestination, DestinationRegistry } from './destination-registry.js';
import type { HealthState } from './health.js';
import type { RuntimeRecorder } from './recorder.js';
import type { WarnErrorLogger } from './logger.js';
import { runWithLimitRetry } from './limit-retry.js';

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
  /** Where metrics, log lines and observations go (a stage thread's forwards them to the main thread's). */
  recorder: Pick<RuntimeRecorder, 'metric' | 'log' | 'observe'>;
  sink: InvocationSink;
  /** Base URL of the UI for the globals' URLs. */
  siteUrl: string;
  logger?: WarnErrorLogger;
  /** Default: `SharedMaskingGate` on the store's shared counters. */
  masking?: MaskingDecider;
  /** Enriched events read or processed per batch. Default 2 000. */
  batchSize?: number;
  /** Events kept in memory (per partition) before falling back to reading the store. Default 100 000. */
  maxQueuedEvents?: number;
  /** Read enriched events back from the store instead of taking them in memory (other processes enrich). */
  readFromStore?: boolean;
  /** Idle poll interval with `readFromStore` (ms). Default 100. */
  pollMs?: number;
  /** Told when a partition's lease was found lost (the partition assigner gives it up). */
  onLost?: (partition: number) => void;
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
  readonly runner: StageRunner<EnrichedEvent>;
  private readonly store: Store;
  private readonly registry: DestinationRegistry;
  private readonly recorder: MatcherOptions['recorder'];
  private readonly sink: InvocationSink;
  private readonly siteUrl: string;
  private readonly now: () => number;
  private readonly pipeline: MatcherOptions['pipeline'];
  private readonly projects = new Map<number, { info: ProjectInfo; until: number }>();
  private unsubscribe: (() => void) | null = null;
  private standaloneFences: LeaseFence[] = [];
  private paused: LeaseFence[] = [];
  matchedInvocations = 0;

  constructor(options: MatcherOptions) {
    this.store = options.store;
    this.pipeline = options.pipeline;
    this.registry = options.registry;
    this.recorder = options.recorder;
    this.sink = options.sink;
    this.siteUrl = options.siteUrl;
    this.masking = options.masking ?? new SharedMaskingGate(options.store.counters);
    this.now = options.now ?? Date.now;
    this.runner = new StageRunner<EnrichedEvent>(
      {
        name: MATCHER_CONSUMER,
        read: (store, partition, after, limit) => store.readEnrichedPartition(partition, after, limit),
        process: (batch, offset) => this.process(batch, offset),
      },
      {
        store: options.store,
        ...(options.logger ? { logger: stageLogger(options.logger) } : {}),
        batchSize: options.batchSize ?? 2_000,
        maxQueued: options.maxQueuedEvents ?? 100_000,
        readFromStore: options.readFromStore ?? false,
        pollMs: options.pollMs ?? 100,
        ...(options.onLost ? { onLost: options.onLost } : {}),
      },
    );
  }

  /** Loads the destinations and listens to person processing; partitions come with `assign`. */
  async attach(): Promise<void> {
    if (this.unsubscribe) return;
    await this.registry.reload();
    this.unsubscribe = this.pipeline.onEnriched((batch) => this.runner.push(batch));
  }

  /** Starts matching a partition this process leases (the partition assigner calls this). */
  async assign(fence: LeaseFence): Promise<void> {
    await this.attach();
    await this.runner.assign(fence);
  }

  revoke(partition: number): Promise<void> {
    return this.runner.revoke(partition);
  }

  /** Matches every partition in this process, leasing them all (one process on its own store). */
  async start(): Promise<void> {
    await this.attach();
    this.standaloneFences = await ownAllPartitions(this.store);
    for (const fence of this.standaloneFences) await this.runner.assign(fence);
  }

  /**
   * Stops matching while keeping this process's partitions (a benchmark lets a backlog build up, then
   * `resume`s); enriched events meanwhile are read back from the store.
   */
  async pause(): Promise<void> {
    this.paused = this.runner.fences;
    await this.runner.stop();
  }

  async resume(): Promise<void> {
    const fences = this.paused;
    this.paused = [];
    for (const fence of fences) await this.runner.assign(fence);
  }

  /** Reloads the destinations now (the management API calls this after a change). */
  reload(): Promise<void> {
    return this.registry.reload();
  }

  /** Resolves once invocations for every enriched event up to `seq` are stored. */
  waitFor(seq: number): Promise<void> {
    return this.runner.waitFor(seq);
  }

  /** Matches everything handed over so far, then stops listening. */
  async stop(): Promise<void> {
    await this.runner.stop();
    this.unsubscribe?.();
    this.unsubscribe = null;
    await releaseAll(this.store, this.standaloneFences);
    this.standaloneFences = [];
  }

  /**
   * Loads the project of every event of the batch whose cached info expired, before matching starts:
   * the loop then reads the cache without an `await` per event (each one is a promise reaction, and the
   * stage's CPU accounting reads the thread's clock around every reaction of the batch).
   */
  private async loadProjects(batch: EnrichedEvent[], nowMs: number): Promise<void> {
    let lastId = -1;
    for (const event of batch) {
      if (event.projectId === lastId) continue;
      lastId = event.projectId;
      const cached = this.projects.get(lastId);
      if (cached && cached.until > nowMs) continue;
      const info = projectInfo(await this.store.getProject(lastId), lastId);
      this.projects.set(lastId, { info, until: nowMs + 30_000 });
    }
  }

  /** The project's info, loaded by `loadProjects` for this batch. */
  private project(id: number): ProjectInfo {
    return this.projects.get(id)?.info ?? { id, name: `Project ${id}` };
  }

  /** Matches one batch (one partition) and stores its invocations with the partition's new offset. */
  private async process(batch: EnrichedEvent[], offset: PartitionOffsetWrite): Promise<void> {
    await this.registry.refresh();
    const invocations: NewInvocation[] = [];
    const nowMs = this.now();
    await this.loadProjects(batch, nowMs);
    // Filters first, then every masking decision of the batch at once (one counters round trip).
    const candidates: Candidate[] = [];
    const checks: MaskingCheck[] = [];
    let sliceStart = performance.now();
    for (let i = 0; i < batch.length; i++) {
      const event = batch[i]!;
      // Let in-flight deliveries make progress while a large batch is matched — unless another full batch
      // is already waiting: then capture is outpacing matching, and yielding would let it pull further ahead
      // while the delivery side runs dry.
      if (i % YIELD_EVERY === YIELD_EVERY - 1 && !this.runner.backlogged(offset.partition)) sliceStart = await yieldToEventLoop();
      const destinations = this.registry.forProject(event.projectId);
      if (destinations.length === 0) continue;
      const base = this.eventGlobals(event, this.project(event.projectId), destinations);
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
    const claim = invocations.length > 0 ? this.sink.reserve(invocations.length) : null;
    await this.store.enqueueInvocations(invocations, offset, claim ?? undefined);
    this.matchedInvocations += invocations.length;
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
      const key = computeMaskingKey(config.masking, globals, { runner: runWithLimitRetry, timeoutMs: this.expressionMs(destination) });
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
    const result = matchesFilters(bytecode, globals, { runner: runWithLimitRetry, timeoutMs: this.expressionMs(destination) });
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
      globals,
      globalsJson: candidate.json,
      // Degraded destinations' invocations are claimed after healthy ones'.
      priority: this.registry.health?.priorityOf(destination.id) ?? 0,
      scheduledAt: nowMs,
    };
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

/** The consumer's logger from the runtime's (which may be a pino instance: its methods live on the prototype). */
function stageLogger(logger: WarnErrorLogger): StageLogger {
  return {
    info() {},
    warn: (obj, msg) => logger.warn(obj, msg),
    error: (obj, msg) => logger.error(obj, msg),
  };
}

/** Lets I/O callbacks run; resolves with the time the next slice starts. */
async function yieldToEventLoop(): Promise<number> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  return performance.now();
}
