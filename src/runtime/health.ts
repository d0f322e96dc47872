/**
 * The health watcher's decisions: one pure module. No clock of its own, no I/O: the
 * `HealthMonitor` (`health-monitor.ts`) feeds it observations with a time and stores what it returns.
 *
 * A destination has a **token bucket** (default 10 000 tokens, refilled at 10 per second). Every
 * observation of its invocations has a cost in tokens (`costOf`): a failed invocation, a failing or
 * timing-out fetch, a slow fetch, slow Hog code. Success costs nothing; time refills the bucket.
 *
 *     healthy ──(tokens ≤ 80%)──▶ degraded ──(tokens < 0)──▶ disabled_temporarily (10 min)
 *        ▲                          │  ▲                              │
 *        └─(tokens ≥ 90% and 5 min ─┘  └──────(10 min passed)─────────┘
 *           since degrading)                                           │ (a 4th disable within 24 h)
 *                                                                      ▼
 *                                                           disabled_permanently (until a user re-enables)
 *
 * - Degraded destinations keep running, at a higher priority number and a smaller share of the worker.
 * - After 3 temporary disables within 24 hours, the next disable is permanent.
 * - A temporary disable ends by itself after 10 minutes: back to degraded, with the bucket at the
 *   degraded threshold, so the destination has to prove itself again.
 * - A user re-enabling (saving the destination, or `POST …/enable/`) moves any disabled state to
 *   degraded the same way, and forgets the temporary disables counted so far.
 * - The flapping lock: a degraded destination returns to healthy only when its bucket is at 90% or more
 *   **and** it has been degraded for 5 minutes.
 *
 * The user's own switch (`enabled: false`, "paused") is not a health state and is not touched here.
 */

export type HealthState = 'healthy' | 'degraded' | 'disabled_temporarily' | 'disabled_permanently';

export interface HealthPolicy {
  bucketSize: number;
  refillPerSecond: number;
  /** Degraded when the bucket holds this share of `bucketSize` or less. */
  degradedAtRatio: number;
  /** A degraded destination recovers when the bucket holds at least this share (and the lock passed). */
  recoverAtRatio: number;
  /** No recovery to healthy sooner than this after becoming degraded. */
  recoveryLockMs: number;
  temporaryDisableMs: number;
  /** This many temporary disables within `disableWindowMs`, and the next disable is permanent. */
  maxTemporaryDisables: number;
  disableWindowMs: number;
  costs: HealthCosts;
}

export interface HealthCosts {
  /** An invocation that ended `failed` (code error, inputs, limits, fetch failure after the retries). */
  failedInvocation: number;
  /** A fetch that failed in a retryable way (network error, 5xx, 408, 429). */
  failedFetch: number;
  /** A fetch that timed out (instead of `failedFetch`). */
  timedOutFetch: number;
  /** Slow fetches: 0 at `lowerMs` or less, rising linearly to `max` at `upperMs` or more. */
  slowFetch: { lowerMs: number; upperMs: number; max: number };
  /** Hog time of one invocation, the same way. */
  slowHog: { lowerMs: number; upperMs: number; max: number };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const DEFAULT_HEALTH_POLICY: Readonly<HealthPolicy> = Object.freeze({
  bucketSize: 10_000,
  refillPerSecond: 10,
  degradedAtRatio: 0.8,
  recoverAtRatio: 0.9,
  recoveryLockMs: 5 * MINUTE,
  temporaryDisableMs: 10 * MINUTE,
  maxTemporaryDisables: 3,
  disableWindowMs: 24 * HOUR,
  costs: Object.freeze({
    failedInvocation: 100,
    failedFetch: 50,
    timedOutFetch: 100,
    slowFetch: Object.freeze({ lowerMs: 1_000, upperMs: 10_000, max: 20 }),
    slowHog: Object.freeze({ lowerMs: 20, upperMs: 100, max: 20 }),
  }),
});

/** The policy with some values replaced (costs merged one level deep). */
export function healthPolicy(overrides: Partial<Omit<HealthPolicy, 'costs'>> & { costs?: Partial<HealthCosts> } = {}): HealthPolicy {
  const { costs, ...rest } = overrides;
  return { ...DEFAULT_HEALTH_POLICY, ...rest, costs: { ...DEFAULT_HEALTH_POLICY.costs, ...(costs ?? {}) } };
}

/** What the worker saw; each has a cost. */
export type HealthObservation =
  | { kind: 'succeeded' }
  | { kind: 'failed'; error?: string }
  | { kind: 'hog'; ms: number; /** Most memory the VM held, bytes, when known (metrics only; health ignores it). */ bytes?: number }
  | { kind: 'fetch'; ms: number; result: 'ok' | 'failed' | 'timeout'; error?: string };

function linear(ms: number, curve: { lowerMs: number; upperMs: number; max: number }): number {
  if (ms <= curve.lowerMs) return 0;
  if (ms >= curve.upperMs) return curve.max;
  return (curve.max * (ms - curve.lowerMs)) / (curve.upperMs - curve.lowerMs);
}

/** Tokens an observation takes from the bucket. */
export function costOf(observation: HealthObservation, costs: HealthCosts = DEFAULT_HEALTH_POLICY.costs): number {
  switch (observation.kind) {
    case 'succeeded':
      return 0;
    case 'failed':
      return costs.failedInvocation;
    case 'hog':
      return linear(observation.ms, costs.slowHog);
    case 'fetch': {
      const failure = observation.result === 'timeout' ? costs.timedOutFetch : observation.result === 'failed' ? costs.failedFetch : 0;
      return failure + linear(observation.ms, costs.slowFetch);
    }
  }
}

/** What a fetch's outcome (a response or a thrown error) and duration mean for the destination's health. */
export function fetchObservation(outcome: unknown, ms: number, retryable: (outcome: unknown) => boolean): HealthObservation {
  if (typeof outcome === 'object' && outcome !== null && typeof (outcome as { status?: unknown }).status === 'number') {
    const status = (outcome as { status: number }).status;
    return retryable(outcome) ? { kind: 'fetch', ms, result: 'failed', error: `fetch answered status ${status}` } : { kind: 'fetch', ms, result: 'ok' };
  }
  const code = (outcome as { code?: unknown } | null)?.code;
  const error = outcome instanceof Error ? outcome.message : String(outcome);
  return { kind: 'fetch', ms, result: code === 'SLUICE_ERR_RUNTIME_FETCH_TIMEOUT' ? 'timeout' : 'failed', error };
}

/** A short description of a costly observation, for the reason of a state change. */
export function problemOf(observation: HealthObservation, policy: HealthPolicy = DEFAULT_HEALTH_POLICY): string | null {
  switch (observation.kind) {
    case 'succeeded':
      return null;
    case 'failed':
      return `failed invocation${observation.error ? `: ${observation.error}` : ''}`;
    case 'hog':
      return observation.ms > policy.costs.slowHog.lowerMs ? `slow Hog code (${Math.round(observation.ms)} ms)` : null;
    case 'fetch':
      if (observation.result !== 'ok') return observation.error ?? `fetch ${observation.result === 'timeout' ? 'timed out' : 'failed'}`;
      return observation.ms > policy.costs.slowFetch.lowerMs ? `slow fetch (${Math.round(observation.ms)} ms)` : null;
  }
}

/** A destination's health as stored. Times are epoch ms. */
export interface HealthRecord {
  state: HealthState;
  /** When the current state began. */
  since: number;
  /** Why it is in this state (null when healthy from the start). */
  reason: string | null;
  /** When a temporary disable ends; null otherwise. */
  until: number | null;
  tokens: number;
  /** When `tokens` was last brought up to date. */
  tokensAt: number;
  /** Starts of the temporary disables within the last `disableWindowMs`. */
  temporaryDisables: number[];
  /** The last costly observation, for reasons. Not part of the state proper. */
  lastProblem?: string | null;
}

export interface HealthChange {
  from: HealthState;
  to: HealthState;
  at: number;
  reason: string;
  until: number | null;
}

export interface HealthStep {
  record: HealthRecord;
  /** Set when the state changed. */
  change: HealthChange | null;
}

export function initialHealth(now: number, policy: HealthPolicy = DEFAULT_HEALTH_POLICY): HealthRecord {
  return { state: 'healthy', since: now, reason: null, until: null, tokens: policy.bucketSize, tokensAt: now, temporaryDisables: [] };
}

export function isDisabled(state: HealthState): boolean {
  return state === 'disabled_temporarily' || state === 'disabled_permanently';
}

function refilled(record: HealthRecord, now: number, policy: HealthPolicy): number {
  const elapsed = Math.max(0, now - record.tokensAt);
  return Math.min(policy.bucketSize, record.tokens + (elapsed / SECOND) * policy.refillPerSecond);
}

function bucketText(tokens: number, policy: HealthPolicy): string {
  return `${Math.round(tokens).toLocaleString('en-US')} of ${policy.bucketSize.toLocaleString('en-US')} tokens`;
}

function withProblem(text: string, record: HealthRecord): string {
  return record.lastProblem ? `${text}; last problem: ${record.lastProblem}` : text;
}

function moveTo(record: HealthRecord, to: HealthState, now: number, reason: string, until: number | null, extra: Partial<HealthRecord> = {}): HealthStep {
  const next: HealthRecord = { ...record, ...extra, state: to, since: now, reason, until };
  return { record: next, change: { from: record.state, to, at: now, reason, until } };
}

/**
 * Applies the time passed and then an observation's cost (0 for a plain tick). Disabled destinations run
 * nothing, so their observations (stragglers in flight) are ignored; a temporary disable ends here once
 * its time is up.
 */
export function advance(record: HealthRecord, now: number, cost = 0, problem: string | null = null, policy: HealthPolicy = DEFAULT_HEALTH_POLICY): HealthStep {
  if (record.state === 'disabled_permanently') return { record, change: null };
  if (record.state === 'disabled_temporarily') {
    if (record.until !== null && now >= record.until) {
      const tokens = policy.bucketSize * policy.degradedAtRatio;
      return moveTo(record, 'degraded', now, 'the temporary disable ended; running at lower priority until it proves healthy', null, {
        tokens,
        tokensAt: now,
        lastProblem: null,
      });
    }
    return { record, change: null };
  }

  // Nothing to apply: a free observation (most are) of a healthy destination whose bucket is full.
  if (cost === 0 && record.state === 'healthy' && record.tokens >= policy.bucketSize) return { record, change: null };
  const tokens = refilled(record, now, policy) - cost;
  const current: HealthRecord = { ...record, tokens, tokensAt: Math.max(now, record.tokensAt) };
  if (problem !== null && cost > 0) current.lastProblem = problem;

  if (tokens < 0) {
    const recent = current.temporaryDisables.filter((at) => now - at < policy.disableWindowMs);
    if (recent.length >= policy.maxTemporaryDisables) {
      const reason = withProblem(`disabled after ${recent.length} temporary disables within ${policy.disableWindowMs / HOUR} h; re-enable it once fixed`, current);
      return moveTo(current, 'disabled_permanently', now, reason, null, { temporaryDisables: recent });
    }
    const until = now + policy.temporaryDisableMs;
    const reason = withProblem(`token bucket empty (${bucketText(tokens, policy)})`, current);
    return moveTo(current, 'disabled_temporarily', now, reason, until, { temporaryDisables: [...recent, now] });
  }
  if (current.state === 'healthy' && tokens <= policy.bucketSize * policy.degradedAtRatio) {
    const reason = withProblem(`token bucket at ${bucketText(tokens, policy)} (≤ ${policy.degradedAtRatio * 100}%)`, current);
    return moveTo(current, 'degraded', now, reason, null);
  }
  if (
    current.state === 'degraded' &&
    tokens >= policy.bucketSize * policy.recoverAtRatio &&
    now - current.since >= policy.recoveryLockMs
  ) {
    return moveTo(current, 'healthy', now, `recovered: token bucket back at ${bucketText(tokens, policy)}`, null, { lastProblem: null });
  }
  return { record: current, change: null };
}

/** Applies one observation at `now`. */
export function observe(record: HealthRecord, observation: HealthObservation, now: number, policy: HealthPolicy = DEFAULT_HEALTH_POLICY): HealthStep {
  return advance(record, now, costOf(observation, policy.costs), problemOf(observation, policy), policy);
}

/**
 * A user brings a disabled destination back: degraded, with the bucket at the degraded threshold and the
 * count of temporary disables forgotten. Healthy and degraded destinations are left alone.
 */
export function reenable(record: HealthRecord, now: number, reason: string, policy: HealthPolicy = DEFAULT_HEALTH_POLICY): HealthStep {
  if (!isDisabled(record.state)) return { record, change: null };
  return moveTo(record, 'degraded', now, reason, null, {
    tokens: policy.bucketSize * policy.degradedAtRatio,
    tokensAt: now,
    temporaryDisables: [],
    lastProblem: null,
  });
}

/** Priority number of new invocations (lower runs first): degraded destinations' come after healthy ones. */
export function priorityFor(state: HealthState): number {
  return state === 'healthy' ? 0 : 1;
}
