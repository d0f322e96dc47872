/**
 * The health watcher at work: keeps each destination's `HealthRecord` (`health.ts`) in memory, feeds it
 * the worker's observations, and makes every state change visible — stored with its history, a log line
 * on the destination, a metric, the project's health webhook, and a `$destination_status_changed` event
 * captured into the project.
 *
 * The store is the source of truth: records are loaded at start, re-read when a destination is saved
 * (a user may have re-enabled it, from this process or another), and bucket levels are written back
 * every few seconds.
 *
 * Several workers drain one bucket per destination: every tick, each process adds the tokens its own
 * observations took (milli-tokens) to the destination's shared counter (`health:<id>`, in the store or
 * Redis) and takes from its own copy of the bucket what the other processes added meanwhile. Refill is
 * time, the same everywhere, so every copy holds the same level within a tick. All known destinations
 * share in one `incrementMany` round trip per tick.
 *
 * One monitor per process, built where the process is composed (`cli/start.ts`) and handed to the API and
 * the runtime alike, so a re-enable through the API is seen by the worker's gate at once and the API
 * reports the state the runtime holds. The runtime starts its timers; a process without one (role `api`)
 * never starts it: re-enabling reads the stored row and writes it back, and status falls back to the store.
 */
import { uiUrls } from '../destinations/globals.js';
import type { CounterValue, DestinationHealth, DestinationHealthChange, MetricIncrement, Store } from '../store/store.js';
import {
  advance,
  costOf,
  DEFAULT_HEALTH_POLICY,
  initialHealth,
  isDisabled,
  observe,
  priorityFor,
  reenable,
  type HealthChange,
  type HealthObservation,
  type HealthPolicy,
  type HealthRecord,
  type HealthState,
} from './health.js';
import { hourBucket } from './recorder.js';
import type { WarnErrorLogger } from './logger.js';

/** The event captured into the project on every change. */
export const STATUS_CHANGED_EVENT = '$destination_status_changed';

/** The project setting holding the URL notified of every change. */
export const HEALTH_WEBHOOK_SETTING = 'health_webhook_url';

export interface HealthNotifyRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface HealthMonitorOptions {
  store: Store;
  policy?: HealthPolicy;
  now?: () => number;
  /** Performs the webhook request (the guarded fetch executor). Without it, no webhook is called. */
  fetch?: (request: HealthNotifyRequest) => Promise<{ status: number }>;
  /** Stores an internal event into the project (the intake's `captureInternal`). */
  capture?: (projectId: number, events: { event: string; distinct_id: string; properties: Record<string, unknown> }[]) => Promise<unknown>;
  /** Base URL of the UI, for the destination's link in notifications (a function: known only once the server listens). */
  siteUrl?: string | (() => string | undefined);
  logger?: WarnErrorLogger;
  /** How often temporary disables and recoveries without traffic are checked. Default 1 000 ms. */
  tickMs?: number;
  /** How often changed bucket levels are written. Default 10 000 ms. */
  persistMs?: number;
  /** Share bucket consumption with the other processes through `store.counters` every tick. Default true. */
  shareBucket?: boolean;
}

/** `status` of the API's destination view. */
export interface DestinationStatus {
  state: HealthState;
  since: string | null;
  reason: string | null;
  until: string | null;
}

interface Entry {
  projectId: number;
  destinationId: string;
  record: HealthRecord;
  /** The bucket changed since it was last written. */
  dirty: boolean;
  /** Milli-tokens this process's observations took that the shared counter has not been told yet. */
  unshared: number;
  /** The shared counter as last seen; null before the first share. */
  shared: CounterValue | null;
  /** Loaded from the store: its record already holds what the counter held at start (first share only reads). */
  baseline: boolean;
  /** When this process last observed it. */
  activeAt: number;
}

/** Key of a destination's shared bucket consumption in `store.counters`. */
export const HEALTH_COUNTER_PREFIX = 'health:';
/** A shared consumption counter starts again after this long (a fixed window; only deltas matter). */
const SHARED_WINDOW_MS = 60 * 60 * 1000;
/** Healthy, full, idle destinations stop being shared after this long without observations here. */
const SHARE_IDLE_MS = 60 * 1000;

const silent: WarnErrorLogger = { warn() {}, error() {} };

const METRIC_OF: Record<HealthState, string> = {
  healthy: 'recovered',
  degraded: 'degraded',
  disabled_temporarily: 'disabled_temporarily',
  disabled_permanently: 'disabled_permanently',
};

const LABEL: Record<HealthState, string> = {
  healthy: 'healthy',
  degraded: 'degraded (running at lower priority)',
  disabled_temporarily: 'disabled temporarily',
  disabled_permanently: 'disabled until re-enabled',
};

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function toRecord(stored: DestinationHealth): HealthRecord {
  return {
    state: stored.state,
    since: stored.since,
    reason: stored.reason,
    until: stored.until,
    tokens: stored.tokens,
    tokensAt: stored.tokensAt,
    temporaryDisables: stored.temporaryDisables,
  };
}

function toStored(projectId: number, destinationId: string, record: HealthRecord): DestinationHealth {
  return {
    projectId,
    destinationId,
    state: record.state,
    since: record.since,
    reason: record.reason,
    until: record.until,
    tokens: record.tokens,
    tokensAt: record.tokensAt,
    temporaryDisables: record.temporaryDisables,
  };
}

/** The API's `status`: healthy with no dates when nothing was ever recorded. */
export function statusView(stored: DestinationHealth | HealthRecord | null): DestinationStatus {
  if (!stored) return { state: 'healthy', since: null, reason: null, until: null };
  return { state: stored.state, since: iso(stored.since), reason: stored.reason, until: iso(stored.until) };
}

export function changeMessage(change: HealthChange): string {
  const until = change.until !== null ? ` until ${new Date(change.until).toISOString()}` : '';
  return `Destination health: ${LABEL[change.from]} → ${LABEL[change.to]}${until}: ${change.reason}`;
}

export class HealthMonitor {
  readonly policy: HealthPolicy;
  private readonly store: Store;
  private readonly now: () => number;
  private readonly options: HealthMonitorOptions;
  private readonly logger: WarnErrorLogger;
  private readonly entries = new Map<string, Entry>();
  /** Writes and notifications, in order. */
  private chain: Promise<void> = Promise.resolve();
  private tickTimer: NodeJS.Timeout | null = null;
  private persistTimer: NodeJS.Timeout | null = null;
  /** Changes published so far (tests). */
  readonly changes: (HealthChange & { projectId: number; destinationId: string })[] = [];

  constructor(options: HealthMonitorOptions) {
    this.options = options;
    this.store = options.store;
    this.policy = options.policy ?? DEFAULT_HEALTH_POLICY;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silent;
  }

  /** Loads every stored record and starts the timers. */
  async start(): Promise<void> {
    for (const stored of await this.store.listDestinationHealth()) {
      this.entries.set(stored.destinationId, { ...this.blank(stored.projectId, stored.destinationId, toRecord(stored)), baseline: true });
    }
    this.tick();
    await this.share();
    const tickMs = this.options.tickMs ?? 1_000;
    this.tickTimer = setInterval(() => {
      this.tick();
      void this.share();
    }, tickMs);
    this.tickTimer.unref?.();
    this.persistTimer = setInterval(() => void this.persist(), this.options.persistMs ?? 10_000);
    this.persistTimer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.persistTimer) clearInterval(this.persistTimer);
    this.tickTimer = null;
    this.persistTimer = null;
    await this.sharing;
    await this.share();
    await this.persist();
  }

  /** Resolves once every change so far is stored and notified (tests). */
  settled(): Promise<void> {
    return this.chain;
  }

  // ---- what the runtime asks ----------------------------------------------------------------------------

  stateOf(destinationId: string): HealthState {
    return this.entries.get(destinationId)?.record.state ?? 'healthy';
  }

  isDisabled(destinationId: string): boolean {
    return isDisabled(this.stateOf(destinationId));
  }

  /** Priority number for new invocations of the destination (lower runs first). */
  priorityOf(destinationId: string): number {
    return priorityFor(this.stateOf(destinationId));
  }

  /** Every function not healthy now, with its state: what stage threads mirror (`pipeline/stage-threads.ts`). */
  notHealthy(): [string, HealthState][] {
    const out: [string, HealthState][] = [];
    for (const [id, entry] of this.entries) if (entry.record.state !== 'healthy') out.push([id, entry.record.state]);
    return out;
  }

  /** One observation from the worker. */
  observe(projectId: number, destinationId: string, observation: HealthObservation): void {
    const entry = this.entry(projectId, destinationId);
    const now = this.now();
    entry.activeAt = now;
    // Disabled destinations ignore stragglers' observations, here and in the shared bucket.
    if (!isDisabled(entry.record.state)) entry.unshared += Math.round(costOf(observation, this.policy.costs) * 1000);
    const step = observe(entry.record, observation, now, this.policy);
    if (step.record !== entry.record) entry.dirty = true;
    entry.record = step.record;
    if (step.change) this.publish(entry, step.change);
  }

  /** Applies the time passed: temporary disables end, idle degraded destinations recover. */
  tick(): void {
    const now = this.now();
    for (const entry of this.entries.values()) {
      if (entry.record.state === 'healthy' || entry.record.state === 'disabled_permanently') continue;
      const step = advance(entry.record, now, 0, null, this.policy);
      if (step.record !== entry.record) entry.dirty = true;
      entry.record = step.record;
      if (step.change) this.publish(entry, step.change);
    }
  }

  /** Re-reads the stored records of these destinations (they were saved: maybe re-enabled elsewhere). */
  async refresh(destinationIds: string[]): Promise<void> {
    for (const id of destinationIds) {
      const entry = this.entries.get(id);
      if (!entry) continue;
      const stored = await this.store.getDestinationHealth(entry.projectId, id);
      // A row older than this process's own latest change (still being written) is stale, not news.
      if (stored && stored.state !== entry.record.state && stored.since >= entry.record.since) {
        entry.record = { ...toRecord(stored), lastProblem: null };
        entry.dirty = false;
      }
    }
  }

  // ---- what the API asks --------------------------------------------------------------------------------

  async status(projectId: number, destinationId: string): Promise<DestinationStatus> {
    const entry = this.entries.get(destinationId);
    if (entry && entry.projectId === projectId) return statusView(entry.record);
    return statusView(await this.store.getDestinationHealth(projectId, destinationId));
  }

  /**
   * A user brings a disabled destination back (to degraded). Reads the stored record, so it works from
   * a monitor that never started. Resolves after the change is stored and notified; `null` when the
   * destination was not disabled.
   */
  async reenable(projectId: number, destinationId: string, reason: string): Promise<HealthChange | null> {
    const stored = await this.store.getDestinationHealth(projectId, destinationId);
    const known = this.entries.get(destinationId);
    const record = stored ? toRecord(stored) : (known?.record ?? null);
    if (!record) return null;
    const step = reenable(record, this.now(), reason, this.policy);
    if (!step.change) return null;
    const entry: Entry = known && known.projectId === projectId ? known : this.blank(projectId, destinationId, record);
    entry.record = step.record;
    entry.dirty = false;
    if (known) this.entries.set(destinationId, entry);
    this.publish(entry, step.change);
    await this.chain;
    return step.change;
  }

  // ---- the shared bucket ---------------------------------------------------------------------------------

  private sharing: Promise<void> = Promise.resolve();
  private shareRunning = false;

  /**
   * Tells the shared counters what this process's observations took since the last share and applies
   * what the other processes' took. Runs every tick; one at a time; a failure keeps the amounts for the
   * next share.
   */
  share(): Promise<void> {
    if (this.options.shareBucket === false || this.shareRunning) return this.sharing;
    this.shareRunning = true;
    this.sharing = this.shareNow().finally(() => {
      this.shareRunning = false;
    });
    return this.sharing;
  }

  private async shareNow(): Promise<void> {
    const now = this.now();
    const full = this.policy.bucketSize;
    const list = [...this.entries.values()].filter(
      (e) => e.unshared > 0 || e.shared === null || e.record.state !== 'healthy' || e.record.tokens < full || now - e.activeAt < SHARE_IDLE_MS,
    );
    if (list.length === 0) return;
    const sent = list.map((e) => e.unshared);
    list.forEach((e) => (e.unshared = 0));
    let values: CounterValue[];
    try {
      values = await this.store.counters.incrementMany(
        list.map((e, i) => ({ key: HEALTH_COUNTER_PREFIX + e.destinationId, by: sent[i]!, ttlMs: SHARED_WINDOW_MS })),
        now,
      );
    } catch (error) {
      list.forEach((e, i) => (e.unshared += sent[i]!));
      this.logger.warn({ err: error }, 'sharing destination health buckets failed; retrying at the next tick');
      return;
    }
    const at = this.now();
    list.forEach((entry, i) => {
      const value = values[i]!;
      const mine = sent[i]!;
      const previous = entry.shared;
      let others: number;
      if (previous !== null && previous.expiresAt === value.expiresAt) others = value.value - previous.value - mine;
      else if (previous === null && entry.baseline) others = 0;
      else others = value.value - mine; // a new window (or a destination new here): all of it is news
      entry.shared = value;
      entry.baseline = false;
      if (others <= 0) return;
      const problem = entry.record.lastProblem ? null : 'problems seen by other workers';
      const step = advance(entry.record, at, others / 1000, problem, this.policy);
      if (step.record !== entry.record) entry.dirty = true;
      entry.record = step.record;
      if (step.change) this.publish(entry, step.change);
    });
  }

  private blank(projectId: number, destinationId: string, record: HealthRecord): Entry {
    return { projectId, destinationId, record, dirty: false, unshared: 0, shared: null, baseline: false, activeAt: 0 };
  }

  // ---- writing and telling --------------------------------------------------------------------------------

  private entry(projectId: number, destinationId: string): Entry {
    let entry = this.entries.get(destinationId);
    if (!entry) {
      entry = { ...this.blank(projectId, destinationId, initialHealth(this.now(), this.policy)), dirty: true };
      this.entries.set(destinationId, entry);
    }
    return entry;
  }

  private publish(entry: Entry, change: HealthChange): void {
    const { projectId, destinationId } = entry;
    const record = entry.record;
    entry.dirty = false;
    this.changes.push({ ...change, projectId, destinationId });
    const stored: DestinationHealthChange = { projectId, destinationId, ...change };
    this.chain = this.chain.then(async () => {
      try {
        await this.store.saveDestinationHealth(toStored(projectId, destinationId, record), stored);
        const metric: MetricIncrement = { projectId, destinationId, name: METRIC_OF[change.to], hour: hourBucket(change.at), count: 1 };
        const level = change.to === 'healthy' || (change.from !== 'healthy' && change.to === 'degraded') ? 'info' : 'warn';
        await this.store.commitInvocationBatch({
          updates: [],
          logs: [{ projectId, destinationId, invocationId: null, timestamp: new Date(change.at).toISOString(), level, message: changeMessage(change) }],
          metrics: [metric],
        });
      } catch (error) {
        this.logger.error({ err: error, destinationId }, 'storing a destination health change failed');
      }
      await this.notify(projectId, destinationId, change);
    });
  }

  private async notify(projectId: number, destinationId: string, change: HealthChange): Promise<void> {
    const destination = await this.store.getDestination(projectId, destinationId).catch(() => null);
    const name = typeof destination?.config.name === 'string' ? destination.config.name : destinationId;
    const siteUrl = typeof this.options.siteUrl === 'function' ? this.options.siteUrl() : this.options.siteUrl;
    const url = siteUrl ? uiUrls(siteUrl, projectId).destination(destinationId) : null;
    const properties = {
      destination_id: destinationId,
      destination_name: name,
      destination_url: url,
      from: change.from,
      to: change.to,
      reason: change.reason,
      at: iso(change.at),
      until: iso(change.until),
    };
    if (this.options.capture) {
      try {
        await this.options.capture(projectId, [
          { event: STATUS_CHANGED_EVENT, distinct_id: `sluice_destination_${destinationId}`, properties: { ...properties, $process_person_profile: false } },
        ]);
      } catch (error) {
        this.logger.warn({ err: error, destinationId }, 'capturing the destination status event failed');
      }
    }
    if (!this.options.fetch) return;
    const project = await this.store.getProject(projectId).catch(() => null);
    const hook = project?.settings[HEALTH_WEBHOOK_SETTING];
    if (typeof hook !== 'string' || hook === '') return;
    try {
      const response = await this.options.fetch({
        url: hook,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: { event: STATUS_CHANGED_EVENT, project_id: projectId, ...properties },
      });
      if (response.status >= 300) throw new Error(`status ${response.status}`);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      await this.store
        .appendLogs([{ projectId, destinationId, invocationId: null, timestamp: new Date(this.now()).toISOString(), level: 'warn', message: `The health webhook ${hook} could not be notified: ${text}` }])
        .catch(() => {});
    }
  }

  /** Writes the bucket levels that changed since the last write. */
  private async persist(): Promise<void> {
    const dirty = [...this.entries.values()].filter((e) => e.dirty);
    for (const entry of dirty) {
      entry.dirty = false;
      const record = entry.record;
      this.chain = this.chain.then(() =>
        this.store.saveDestinationHealth(toStored(entry.projectId, entry.destinationId, record)).catch((error: unknown) => {
          this.logger.error({ err: error, destinationId: entry.destinationId }, 'storing destination health failed');
        }),
      );
    }
    await this.chain;
  }
}
