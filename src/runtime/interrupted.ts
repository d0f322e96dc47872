/**
 * Runs that never came back: the delivery thread running an invocation died (out of memory, a crash),
 * or the whole process did. Each such run is a failed attempt like any other — it costs the
 * destination's health and uses one of its retry policy's attempts — so a poison invocation that kills
 * whoever runs it ends `failed` after its attempts instead of crash-looping the server.
 *
 * - A thread's death is seen by the main thread at once (`recordCrashedAttempt`): the invocation is
 *   rescheduled by the retry policy, or fails when its attempts are used up.
 * - A process's death is seen only when another worker reclaims the stalled invocation: the claim adds
 *   the lost attempt (`claimInvocations`), and the worker fails it without running it when no attempt
 *   is left (`usedUpByCrashes`).
 */
import type { Work, RunOutcome } from './runner.js';
import type { RecordedEffects } from './effects.js';

/** The effects a crashed run records (the recorder itself has them). */
export type CrashEffects = Pick<RecordedEffects, 'update' | 'log' | 'metric' | 'observe'>;
import { DEFAULT_RETRY_POLICY, nextRetryDelay, type RetryPolicy } from './backoff.js';

/** The destination's retry policy, or null when it was deleted (its invocations are skipped). */
export type RetryPolicyLookup = (projectId: number, destinationId: string) => Promise<RetryPolicy | null>;

/** What each failure records: the outcome, an error line, the metric and a health observation. */
function recordFailed(work: Work, attempts: number, firstAttemptAt: number, error: string, effects: CrashEffects, now: number): RunOutcome {
  effects.update(work.id, { state: 'failed', suspension: null, attempts, firstAttemptAt, error, finishedAt: now });
  effects.log(work.projectId, work.destinationId, work.id, 'error', error);
  effects.metric(work.projectId, work.destinationId, 'failed');
  effects.observe(work.projectId, work.destinationId, { kind: 'failed', error });
  return { kind: 'failed', fetches: 0 };
}

/**
 * The delivery thread running `work` died (`why`): one failed attempt. Retried when the policy allows
 * (the stored suspension, if any, is kept: the retry resumes at the fetch it was saved for), else failed.
 */
export function recordCrashedAttempt(work: Work, why: string, policy: RetryPolicy | null, effects: CrashEffects, now: number): RunOutcome {
  const attempts = work.attempts + 1;
  const firstAttemptAt = work.firstAttemptAt ?? now;
  const retryPolicy = policy ?? DEFAULT_RETRY_POLICY;
  const error = `the delivery thread running this invocation crashed: ${why}`;
  const delay = nextRetryDelay(attempts, retryPolicy, { elapsedMs: now - firstAttemptAt });
  if (delay === null) return recordFailed(work, attempts, firstAttemptAt, `${error} (attempt ${attempts} of ${retryPolicy.maxAttempts}; not retried)`, effects, now);
  effects.update(work.id, { state: 'queued', attempts, firstAttemptAt, scheduledAt: now + delay });
  effects.metric(work.projectId, work.destinationId, 'retried');
  effects.observe(work.projectId, work.destinationId, { kind: 'failed', error });
  const message = `${error}; retrying in ${(delay / 1000).toFixed(1)} s (attempt ${attempts} of ${retryPolicy.maxAttempts})`;
  effects.log(work.projectId, work.destinationId, work.id, 'warn', message);
  return { kind: 'retried', retryInMs: delay, fetches: 0 };
}

/**
 * A reclaimed invocation whose attempts were all used — the last ones by crashes of the process (or
 * thread) running it, counted when it was reclaimed — fails here instead of running again. Returns
 * null when it may run. Only invocations with attempts made are looked at, so fresh ones cost nothing.
 */
export function usedUpByCrashes(work: Work, policy: RetryPolicy, effects: CrashEffects, now: number): RunOutcome | null {
  if (work.attempts < policy.maxAttempts) return null;
  const error =
    `the process running this invocation crashed or was killed during its last attempt ` +
    `(${work.attempts} of ${policy.maxAttempts} attempts used); it is not run again`;
  return recordFailed(work, work.attempts, work.firstAttemptAt ?? now, error, effects, now);
}
