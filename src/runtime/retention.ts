/**
 * Retention: every few minutes, delete finished invocations, destination logs and metrics older than
 * their configured periods (defaults: 24 hours, 7 days, 90 days). Queued and running invocations are
 * never deleted, however old. Parked invocations (kept while a destination was disabled by its health
 * watcher, for a replay) go 7 days after they were created.
 */
import type { Store } from '../store/store.js';
import type { RuntimeLogger } from './logger.js';
import { hourBucket } from './recorder.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface RetentionPeriods {
  invocationsMs: number;
  logsMs: number;
  metricsMs: number;
  /** Parked invocations, counted from their creation. */
  parkedMs: number;
}

export const DEFAULT_RETENTION: Readonly<RetentionPeriods> = Object.freeze({
  invocationsMs: DAY_MS,
  logsMs: 7 * DAY_MS,
  metricsMs: 90 * DAY_MS,
  parkedMs: 7 * DAY_MS,
});

export interface RetentionResult {
  invocations: number;
  logs: number;
  metrics: number;
  parked: number;
}

/** One pass: what is older than each period at `now` goes. */
export async function applyRetention(store: Store, periods: RetentionPeriods, now: number): Promise<RetentionResult> {
  const invocations = await store.deleteFinishedInvocations(now - periods.invocationsMs);
  const logs = await store.deleteLogsBefore(new Date(now - periods.logsMs).toISOString());
  // Only whole hours older than the period: the bucket that straddles the cut-off stays.
  const metrics = await store.deleteMetricsBefore(hourBucket(now - periods.metricsMs));
  const parked = await store.deleteParkedInvocations(now - periods.parkedMs);
  return { invocations, logs, metrics, parked };
}

export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly periods: RetentionPeriods = DEFAULT_RETENTION,
    private readonly intervalMs = 5 * 60_000,
    private readonly logger?: Pick<RuntimeLogger, 'info' | 'error'>,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref?.();
    // A first pass soon after start, not in the middle of start-up.
    setTimeout(() => void this.runOnce(), Math.min(this.intervalMs, 10_000)).unref?.();
  }

  runOnce(): Promise<unknown> {
    this.running = this.running.then(async () => {
      if (!this.timer) return;
      try {
        const deleted = await applyRetention(this.store, this.periods, this.now());
        if (deleted.invocations + deleted.logs + deleted.metrics + deleted.parked > 0) this.logger?.info({ deleted }, 'retention: deleted old invocations, logs and metrics');
      } catch (error) {
        this.logger?.error({ err: error }, 'retention pass failed');
      }
    });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
