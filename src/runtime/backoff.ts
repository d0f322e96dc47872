/**
 * Retry policy: one pure module. No clock, no randomness of its own unless none is passed,
 * no I/O: the queue asks `nextRetryDelay` when a delivery failed with a `RetryableError` and schedules the
 * invocation that many ms later, or fails it when the answer is `null`.
 *
 * Delay for the retry after attempt `n` (n = attempts made so far, starting at 1):
 *
 *     base(n)  = min(maxDelayMs, initialDelayMs * 2^(n-1))
 *     'equal'  → base/2 + random * base/2       (default: never sooner than half the base)
 *     'full'   → random * base                  (AWS "full jitter": spreads best, may retry at once)
 *     'none'   → base
 *
 * Equal jitter is the default because a destination answering 503 should not be hit again immediately,
 * while a herd of retries still spreads over half the interval.
 *
 * `Retry-After` wins over the computed delay whenever it is longer (we never retry earlier than the
 * destination asked), even past `maxDelayMs`; but if waiting that long would end beyond `maxWindowMs`
 * (measured from the first attempt), there is no further retry.
 */

import { InputValidationError } from './errors.js';

export type JitterKind = 'full' | 'equal' | 'none';

export interface RetryPolicy {
  /** Total attempts, the first included. 1 means never retry. */
  maxAttempts: number;
  /** Base delay before the first retry. */
  initialDelayMs: number;
  /** Cap on the exponential delay (not on `Retry-After`). */
  maxDelayMs: number;
  /** No retry is scheduled to start later than this after the first attempt. */
  maxWindowMs: number;
  jitter: JitterKind;
}

export interface NextRetryOptions {
  /** From the destination's `Retry-After`, in ms from now. */
  retryAfterMs?: number;
  /** Time since the first attempt started; default 0. */
  elapsedMs?: number;
  /** Source of randomness in [0, 1); default Math.random. */
  random?: () => number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 3,
  initialDelayMs: 1 * SECOND,
  maxDelayMs: 15 * MINUTE,
  maxWindowMs: 1 * HOUR,
  jitter: 'equal',
});

/** Bounds accepted from users: generous enough for "keep trying for hours", tight enough to stay sane. */
export const RETRY_POLICY_LIMITS = Object.freeze({
  maxAttempts: { min: 1, max: 1000 },
  initialDelayMs: { min: 0, max: 1 * HOUR },
  maxDelayMs: { min: 0, max: 24 * HOUR },
  maxWindowMs: { min: 0, max: 7 * 24 * HOUR },
});

const JITTER_KINDS: readonly JitterKind[] = ['full', 'equal', 'none'];

function exponentialBase(attempt: number, policy: RetryPolicy): number {
  const exponent = Math.min(attempt - 1, 52);
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** exponent);
}

function applyJitter(base: number, jitter: JitterKind, random: () => number): number {
  const r = Math.min(Math.max(random(), 0), 1);
  switch (jitter) {
    case 'full':
      return Math.floor(base * r);
    case 'equal':
      return Math.floor(base / 2 + (base / 2) * r);
    case 'none':
      return base;
    default: {
      const never: never = jitter;
      throw new Error(`unknown jitter ${String(never)}`);
    }
  }
}

/**
 * How long to wait before the next attempt, or `null` when no retry should be made: the attempts are used
 * up, or the wait would end after the retry window.
 *
 * @param attempt attempts already made (1 after the first failure).
 */
export function nextRetryDelay(attempt: number, policy: RetryPolicy, options: NextRetryOptions = {}): number | null {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be an integer >= 1, got ${attempt}`);
  }
  if (attempt >= policy.maxAttempts) return null;
  const computed = applyJitter(exponentialBase(attempt, policy), policy.jitter, options.random ?? Math.random);
  const retryAfter = options.retryAfterMs;
  const delay = retryAfter !== undefined && Number.isFinite(retryAfter) ? Math.max(computed, Math.ceil(retryAfter)) : computed;
  const elapsed = Math.max(0, options.elapsedMs ?? 0);
  if (elapsed + delay > policy.maxWindowMs) return null;
  return delay;
}

function policyError(field: string, message: string): InputValidationError {
  return new InputValidationError(`retry policy: ${field} ${message}`, {
    code: 'SLUICE_ERR_RUNTIME_RETRY_POLICY_INVALID',
    field,
  });
}

function readInteger(
  input: Record<string, unknown>,
  field: keyof typeof RETRY_POLICY_LIMITS,
  fallback: number = DEFAULT_RETRY_POLICY[field],
): number {
  const value = input[field] ?? fallback;
  const { min, max } = RETRY_POLICY_LIMITS[field];
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw policyError(field, `must be an integer, got ${JSON.stringify(value) ?? String(value)}`);
  }
  if (value < min || value > max) throw policyError(field, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function readJitter(input: Record<string, unknown>): JitterKind {
  const value = input.jitter ?? DEFAULT_RETRY_POLICY.jitter;
  if (typeof value !== 'string' || !(JITTER_KINDS as readonly string[]).includes(value)) {
    throw policyError('jitter', `must be one of ${JITTER_KINDS.join(', ')}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value as JitterKind;
}

/**
 * A complete policy from user input: missing fields take the defaults, unknown fields and out-of-range
 * values are refused with an `InputValidationError` whose `field` names the culprit.
 */
export function normalizeRetryPolicy(input: unknown = {}): RetryPolicy {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw policyError('(root)', 'must be an object');
  }
  const record = input as Record<string, unknown>;
  const known = new Set<string>([...Object.keys(DEFAULT_RETRY_POLICY)]);
  for (const key of Object.keys(record)) {
    if (!known.has(key)) throw policyError(key, `is not a retry policy field (known: ${[...known].join(', ')})`);
  }
  const initialDelayMs = readInteger(record, 'initialDelayMs');
  const policy: RetryPolicy = {
    maxAttempts: readInteger(record, 'maxAttempts'),
    initialDelayMs,
    // An unset cap never contradicts a long initial delay the user did set.
    maxDelayMs: readInteger(record, 'maxDelayMs', Math.max(DEFAULT_RETRY_POLICY.maxDelayMs, initialDelayMs)),
    maxWindowMs: readInteger(record, 'maxWindowMs'),
    jitter: readJitter(record),
  };
  if (policy.maxDelayMs < policy.initialDelayMs) {
    throw policyError('maxDelayMs', `must be at least initialDelayMs (${policy.initialDelayMs}), got ${policy.maxDelayMs}`);
  }
  return policy;
}
