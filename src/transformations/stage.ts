/**
 * Transformations inside person processing (docs/transformations.md, "Where they run"): the
 * `transform` option of `PersonPipeline`, which runs each project's chain on its events as the first
 * step of every batch, in the batch's transaction.
 *
 *   const transformations = new PipelineTransformations({ store, keyring, health, siteUrl })
 *   new PersonPipeline({ …, transform: transformations.transform })
 *   transformations.attach(runtime.recorder)   // once the runtime exists, before any partition is assigned
 *
 * Chains are compiled once per project and configuration version (`TransformationRegistry`). Health
 * observations reach the recorder as each event is transformed, so a transformation that keeps failing
 * is disabled part-way through a batch; metrics and log lines are summed per batch and recorded once the
 * batch commits (`committed`), so a batch redone after a conflict counts once.
 */
import { performance } from 'node:perf_hooks';
import type { Keyring } from '../destinations/secrets.js';
import { costOf, type HealthObservation, type HealthPolicy } from '../runtime/health.js';
import type { RecorderTap } from '../runtime/recorder.js';
import type { LogEntry, Store, StoredEvent } from '../store/store.js';
import {
  durationUs,
  metricOf,
  observationOf,
  type ChainOptions,
  type ChainSink,
  type TransformationChain,
  type TransformationContext,
  type TransformationMetric,
  type TransformationMetricName,
  type TransformationResult,
} from './chain.js';
import { recordChainResult, type ChainRecorder } from './record.js';
import { TransformationRegistry, type TransformationRegistryOptions } from './registry.js';

/** What the stage asks of the process's health watcher (`HealthMonitor`). */
export interface TransformationHealth {
  isDisabled(functionId: string): boolean;
  /** Re-reads the stored state of these functions (a save or a re-enable by another process). */
  refresh?(functionIds: string[]): Promise<void>;
  /** What observations cost: timings that cost nothing need not be sent when no metrics tap wants them. */
  readonly policy?: HealthPolicy;
}

/** The runtime's recorder; with a tap (Prometheus), every timing is sent for its histograms. */
export type StageRecorder = ChainRecorder & { readonly tap?: RecorderTap | null };

export interface PipelineTransformationsOptions extends ChainOptions {
  store: Pick<Store, 'destinationsVersion' | 'listDestinations' | 'getProject'>;
  keyring?: Keyring;
  health?: TransformationHealth;
  /** Base URL of the web UI for the globals' URLs (known once the server listens). */
  siteUrl?: () => string | undefined;
  /** Least time between two configuration version checks. Default 200 ms. */
  checkIntervalMs?: number;
  /** Where a transformation that cannot run at all is reported (`TransformationRegistry`). */
  logger?: TransformationRegistryOptions['logger'];
  /**
   * Longest stretch of transformations run without yielding to the event loop. Default 20 ms: a hostile
   * transformation may use its whole time limit on every event until health disables it, and capture and
   * the API share this thread.
   */
  maxSliceMs?: number;
}

/** A project's events of one batch after its chain (the shape `PersonPipeline`'s `transform` returns). */
export interface TransformedEvents {
  events: (StoredEvent | null)[];
  committed(): void;
}

const PROJECT_TTL_MS = 30_000;
const nothingToRecord = (): void => {};

export class PipelineTransformations {
  readonly registry: TransformationRegistry;
  private recorder: StageRecorder | null = null;
  /** Which health observations go to the recorder (see `attach`). */
  private forwarded: (observation: HealthObservation) => boolean = () => true;
  private readonly projects = new Map<number, { info: { id: number; name: string }; until: number }>();
  /** The chain each project ran last, to notice a recompiled one. */
  private readonly lastChains = new Map<number, TransformationChain>();
  private readonly maxSliceMs: number;
  private readonly isDisabled: ((id: string) => boolean) | undefined;

  constructor(private readonly options: PipelineTransformationsOptions) {
    this.registry = new TransformationRegistry({
      store: options.store,
      ...(options.keyring ? { keyring: options.keyring } : {}),
      ...(options.checkIntervalMs !== undefined ? { checkIntervalMs: options.checkIntervalMs } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    this.maxSliceMs = options.maxSliceMs ?? 20;
    const health = options.health;
    this.isDisabled = health ? (id) => health.isDisabled(id) : undefined;
  }

  /**
   * Where metrics, log lines and health observations go: the runtime's recorder. A run's timing that
   * costs no health tokens changes nothing in the health watcher (its timer applies the passing time),
   * so without a metrics tap only failures and costly timings are sent: that saves three calls per event.
   */
  attach(recorder: StageRecorder): void {
    this.recorder = recorder;
    const policy = this.options.health?.policy;
    this.forwarded = policy === undefined || recorder.tap ? () => true : (o) => o.kind !== 'hog' || costOf(o, policy.costs) > 0;
  }

  /** A function was saved (this process's API, or another's through the store): look again on the next batch. */
  invalidate(): void {
    this.registry.invalidate();
  }

  /** `PersonPipeline`'s `transform`: the project's chain on each event, in order. */
  readonly transform = async (projectId: number, events: StoredEvent[]): Promise<TransformedEvents> => {
    const recorder = this.recorder;
    // Never let events pass untransformed because the parts are not wired: the batch fails and is retried.
    if (recorder === null) throw new Error('transformations have no recorder yet: attach the runtime\'s recorder before processing events');
    const chain = await this.registry.chainFor(projectId);
    this.noticeRecompiled(projectId, chain);
    if (chain.size === 0) return { events, committed: nothingToRecord };
    const siteUrl = this.options.siteUrl?.();
    const context: TransformationContext = {
      project: await this.project(projectId),
      ...(siteUrl !== undefined ? { siteUrl } : {}),
      ...(this.isDisabled ? { isDisabled: this.isDisabled } : {}),
    };
    const out: (StoredEvent | null)[] = new Array(events.length);
    const sink = new BatchSink(projectId, recorder, this.forwarded);
    let sliceStart = performance.now();
    for (let i = 0; i < events.length; i++) {
      if (performance.now() - sliceStart > this.maxSliceMs) sliceStart = await yieldToEventLoop();
      out[i] = chain.applyTo(events[i]!, context, sink);
    }
    return { events: out, committed: () => recordChainResult(recorder, { metrics: sink.metrics(), logs: sink.logs, observations: [] }) };
  };

  /** A recompiled chain may hold functions a user re-enabled elsewhere: the health watcher re-reads them. */
  private noticeRecompiled(projectId: number, chain: TransformationChain): void {
    if (this.lastChains.get(projectId) === chain) return;
    this.lastChains.set(projectId, chain);
    if (chain.size > 0) void this.options.health?.refresh?.(chain.ids).catch(() => {});
  }

  private async project(id: number): Promise<{ id: number; name: string }> {
    const now = Date.now();
    const cached = this.projects.get(id);
    if (cached && cached.until > now) return cached.info;
    const project = await this.options.store.getProject(id);
    const info = { id, name: project?.name ?? `Project ${id}` };
    this.projects.set(id, { info, until: now + PROJECT_TTL_MS });
    return info;
  }
}

/**
 * What a batch's chain runs produced: health observations handed on at once (those `forwarded` lets
 * through), metric increments summed per transformation and name, log lines kept, for one recorder
 * call each at the commit. Nothing is made per event but what is handed on.
 */
class BatchSink implements ChainSink {
  readonly logs: LogEntry[] = [];
  private readonly sums = new Map<string, MetricCounts>();
  /** A run's timing, asked about before an observation is made for it: most are not handed on. */
  private readonly timing: HealthObservation & { kind: 'hog' } = { kind: 'hog', ms: 0 };

  constructor(
    private readonly projectId: number,
    private readonly recorder: StageRecorder,
    private readonly forwarded: (observation: HealthObservation) => boolean,
  ) {}

  outcome(id: string, _name: string, result: TransformationResult, durationMs: number, vmMs: number, vmBytes: number | undefined, error: string | undefined): void {
    if (result === 'skipped_disabled') return;
    let counts = this.sums.get(id);
    if (counts === undefined) this.sums.set(id, (counts = noCounts()));
    counts[metricOf(result)]++;
    counts.duration_us += durationUs(durationMs);
    if (result !== 'failed') {
      this.timing.ms = vmMs;
      if (result === 'skipped_by_filter' || !this.forwarded(this.timing)) return;
    }
    const observation = observationOf(result, vmMs, vmBytes, error);
    if (observation !== null && this.forwarded(observation)) this.recorder.observe(this.projectId, id, observation);
  }

  log(entry: LogEntry): void {
    this.logs.push(entry);
  }

  /** One increment per transformation and metric it counted in. */
  metrics(): TransformationMetric[] {
    const projectId = this.projectId;
    const list: TransformationMetric[] = [];
    for (const [destinationId, counts] of this.sums) {
      for (const name of RESULT_METRICS) if (counts[name] > 0) list.push({ projectId, destinationId, name, count: counts[name] });
      list.push({ projectId, destinationId, name: 'duration_us', count: counts.duration_us });
    }
    return list;
  }
}

/** One transformation's metric sums of a batch; `duration_us` is counted whenever it ran. */
type MetricCounts = Record<TransformationMetricName, number>;

/** The metrics counted per result, in the order they are handed to the recorder (`duration_us` last). */
const RESULT_METRICS = ['transformed', 'unchanged', 'dropped', 'failed', 'filtered'] as const;

function noCounts(): MetricCounts {
  return { transformed: 0, unchanged: 0, dropped: 0, failed: 0, filtered: 0, duration_us: 0 };
}

function yieldToEventLoop(): Promise<number> {
  return new Promise((resolve) => setImmediate(() => resolve(performance.now())));
}
