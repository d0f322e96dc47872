/**
 * The runtime's write buffer: invocation outcomes, destination log lines and metric increments are
 * collected in memory and written together in one store transaction every few milliseconds (or as soon
 * as a buffer is large). One fsync then covers hundreds of finished invocations.
 *
 * Metric increments are summed per (destination, hour, name) before they are written.
 */
import type { InvocationLog } from './executor.js';
import type { HealthObservation } from './health.js';
import type { InvocationBatchWrite, InvocationUpdate, LogEntry, LogLevel, MetricIncrement, Store } from '../store/store.js';
import type { RuntimeLogger } from './logger.js';

export interface RecorderOptions {
  store: Store;
  logger?: Pick<RuntimeLogger, 'error'>;
  /** Most time a record waits before it is written. Default 10 ms. */
  flushDelayMs?: number;
  /** Buffered records that trigger a write at once. Default 2 000. */
  maxBuffered?: number;
  now?: () => number;
  /** Sees every metric, observation and finished run (the Prometheus metrics). */
  tap?: RecorderTap | undefined;
  /** Where `observe` sends what the worker saw (the process's health monitor); none: observations only reach the tap. */
  health?: HealthObserver | undefined;
  /**
   * The worker whose runs this recorder writes: every invocation update is applied only while it still
   * holds the invocation's lock (`InvocationUpdate.lockedBy`). Unset: unconditional.
   */
  lockHolder?: string;
}

export type RuntimeMetric =
  | 'triggered'
  | 'succeeded'
  | 'failed'
  | 'filtered'
  | 'filtering_failed'
  | 'inputs_failed'
  | 'masked'
  | 'fetch'
  | 'retried'
  | 'parked'
  | 'replayed'
  // Transformations (src/transformations/chain.ts): what each did to the events it ran on, and the
  // microseconds it took (summed, so the hour's total divided by its runs is the time per event).
  | 'transformed'
  | 'unchanged'
  | 'dropped'
  | 'duration_us';

/** Receives the worker's health observations (the health monitor, `health-monitor.ts`). */
export type HealthObserver = (projectId: number, destinationId: string, observation: HealthObservation) => void;

/**
 * Watches what the runtime records in this thread, runs in delivery threads included (their effects are
 * replayed here): the Prometheus metrics (`src/observability/prometheus.ts`). Called synchronously; keep it cheap.
 */
export interface RecorderTap {
  metric(projectId: number, destinationId: string, name: RuntimeMetric, count: number): void;
  observe(projectId: number, destinationId: string, observation: HealthObservation): void;
  /** The worker finished running an invocation (`outcome`: how the run ended; `now`: epoch ms). */
  ran(invocation: { id: string; destinationId: string }, outcome: 'succeeded' | 'failed' | 'retried' | 'skipped', now: number): void;
}

const HOUR_MS = 3_600_000;
/** Tries of a whole batch before it is written record by record. */
const COMMIT_ATTEMPTS = 3;
const COMMIT_RETRY_DELAY_MS = 50;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Start of the hour containing `ms`, ISO-8601. */
export function hourBucket(ms: number): string {
  return new Date(Math.floor(ms / HOUR_MS) * HOUR_MS).toISOString();
}

export class RuntimeRecorder {
  private readonly store: Store;
  private readonly logger: Pick<RuntimeLogger, 'error'> | undefined;
  private readonly flushDelayMs: number;
  private readonly maxBuffered: number;
  private readonly now: () => number;
  private updates: { id: string; update: InvocationUpdate }[] = [];
  private logs: LogEntry[] = [];
  private metrics = new Map<string, MetricIncrement>();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private lastHourMs = -1;
  private lastHour = '';
  private readonly healthObserver: HealthObserver | null;
  private readonly lockHolder: string | undefined;
  /** Sees every metric, observation and finished run (Prometheus); null without metrics. */
  readonly tap: RecorderTap | null;

  constructor(options: RecorderOptions) {
    this.store = options.store;
    this.tap = options.tap ?? null;
    this.healthObserver = options.health ?? null;
    this.lockHolder = options.lockHolder;
    this.logger = options.logger;
    this.flushDelayMs = options.flushDelayMs ?? 10;
    this.maxBuffered = options.maxBuffered ?? 2_000;
    this.now = options.now ?? Date.now;
  }

  update(id: string, update: InvocationUpdate): void {
    this.updates.push({ id, update: this.lockHolder === undefined ? update : { ...update, lockedBy: this.lockHolder } });
    this.schedule();
  }

  log(projectId: number, destinationId: string, invocationId: string | null, level: LogLevel, message: string): void {
    this.logs.push({ projectId, destinationId, invocationId, level, message, timestamp: new Date(this.now()).toISOString() });
    this.schedule();
  }

  /** Log lines produced by the executor (already redacted), tagged with their invocation. */
  logSteps(projectId: number, destinationId: string, invocationId: string, lines: InvocationLog[]): void {
    if (lines.length === 0) return;
    for (const line of lines) {
      this.logs.push({ projectId, destinationId, invocationId, level: line.level, message: line.message, timestamp: line.timestamp });
    }
    this.schedule();
  }

  metric(projectId: number, destinationId: string, name: RuntimeMetric, count = 1): void {
    this.tap?.metric(projectId, destinationId, name, count);
    const hour = this.currentHour();
    const key = `${projectId}\u0000${destinationId}\u0000${hour}\u0000${name}`;
    const existing = this.metrics.get(key);
    if (existing) existing.count += count;
    else this.metrics.set(key, { projectId, destinationId, hour, name, count });
    this.schedule();
  }

  /** An outcome or timing for the destination's health watcher (nothing is written here). */
  observe(projectId: number, destinationId: string, observation: HealthObservation): void {
    this.healthObserver?.(projectId, destinationId, observation);
    this.tap?.observe(projectId, destinationId, observation);
  }

  /** Writes everything buffered so far; resolves once it is committed. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = { updates: this.updates, logs: this.logs, metrics: [...this.metrics.values()] };
    if (batch.updates.length === 0 && batch.logs.length === 0 && batch.metrics.length === 0) return this.writing;
    this.updates = [];
    this.logs = [];
    this.metrics = new Map();
    this.writing = this.writing.then(() => this.commit(batch));
    return this.writing;
  }

  /**
   * Writes one batch. A failed write is tried again (a deadlock or a dropped connection passes), and if it
   * still fails, record by record: one record the store refuses must not take the outcomes, logs and
   * metrics of every other destination in the batch with it. Only the records refused alone are lost.
   */
  private async commit(batch: InvocationBatchWrite): Promise<void> {
    for (let attempt = 1; attempt <= COMMIT_ATTEMPTS; attempt++) {
      try {
        await this.store.commitInvocationBatch(batch);
        return;
      } catch (error) {
        this.logger?.error({ err: error, attempt, updates: batch.updates.length, logs: batch.logs.length }, 'writing invocation results failed');
        if (attempt < COMMIT_ATTEMPTS) await delay(COMMIT_RETRY_DELAY_MS * attempt);
      }
    }
    let lost = 0;
    const singles: InvocationBatchWrite[] = [
      ...batch.updates.map((update) => ({ updates: [update], logs: [], metrics: [] })),
      ...batch.logs.map((log) => ({ updates: [], logs: [log], metrics: [] })),
      ...batch.metrics.map((metric) => ({ updates: [], logs: [], metrics: [metric] })),
    ];
    for (const single of singles) {
      try {
        await this.store.commitInvocationBatch(single);
      } catch {
        lost++;
      }
    }
    if (lost > 0) this.logger?.error({ lost, of: singles.length }, 'invocation records the store refused one by one were dropped');
  }

  private currentHour(): string {
    const ms = this.now();
    const hourMs = Math.floor(ms / HOUR_MS) * HOUR_MS;
    if (hourMs !== this.lastHourMs) {
      this.lastHourMs = hourMs;
      this.lastHour = new Date(hourMs).toISOString();
    }
    return this.lastHour;
  }

  private schedule(): void {
    if (this.updates.length + this.logs.length >= this.maxBuffered) {
      void this.flush();
      return;
    }
    if (this.timer === null) this.timer = setTimeout(() => void this.flush(), this.flushDelayMs);
  }
}
