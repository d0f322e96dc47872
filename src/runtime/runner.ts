/**
 * Runs one invocation to its outcome: the executor step by step, the fetches in between, the retry
 * decision. Everything it leaves behind goes through `RunEffects`, so the same code runs in the main
 * thread (effects applied at once) and in a delivery thread (effects posted back to the main thread).
 * Scheduling — what runs when, claims, locks, per-destination caps, retry timers — is the `Worker`'s.
 *
 * - At a `fetch` step the suspension (VM state + request) is stored **before** the request when it is the
 *   invocation's second or later fetch, so a crash or a retry never repeats a fetch that succeeded. The
 *   first fetch needs no save: starting again from scratch is the same thing.
 * - A suspension is stored only sealed (encrypted, with the destination's version: `suspension-seal.ts`):
 *   it holds the request made from decrypted secrets. On resume, a suspension made with an older version
 *   of the destination is dropped and the invocation starts again from its event, so it runs with the
 *   current code, inputs and secrets (a line in the invocation's log says so).
 * - A retryable outcome (network error, timeout, 408, 429, 5xx) reschedules the invocation with its
 *   suspension (`queued`, `scheduledAt = now + nextRetryDelay(...)`, honouring `Retry-After`). When the
 *   destination's retry policy is used up, a response is handed to the Hog code (it decides; templates
 *   throw on >= 400) and a network error fails the invocation.
 */
import { StoredDestinationError } from '../destinations/config-schema.js';
import { globalsProblem, isGlobals } from '../destinations/globals.js';
import { redactSecrets, type Keyring } from '../destinations/secrets.js';
import type { Invocation, JsonObject, NewInvocation } from '../store/store.js';
import { nextRetryDelay } from './backoff.js';
import type { CompiledDestination, PreparedJob } from './destination-registry.js';
import type { RunEffects } from './effects.js';
import type { HttpResponse, InvocationExecutor, InvocationJob, Step, Suspension } from './executor.js';
import { retryAfterMsOf, shouldRetry, type FetchExecutor, type FetchResponse } from './fetch.js';
import { fetchObservation } from './health.js';
import { openSuspension, sealSuspension } from './suspension-seal.js';

/** An invocation as it is run: claimed from the store, or handed over by the matcher. */
export type Work = Pick<Invocation, 'id' | 'projectId' | 'destinationId' | 'mappingIndex' | 'globals' | 'priority'> & {
  /** `globals` serialized, when the matcher handed it over (sent to delivery threads instead of the object). */
  globalsJson?: string;
  suspension: Invocation['suspension'];
  attempts: number;
  firstAttemptAt: number | null;
};

/** A new invocation as work: only the fields a run uses (a spread copied every field, for every invocation). */
export function workFromNew(invocation: NewInvocation): Work {
  const work: Work = {
    id: invocation.id,
    projectId: invocation.projectId,
    destinationId: invocation.destinationId,
    mappingIndex: invocation.mappingIndex,
    globals: invocation.globals,
    priority: invocation.priority,
    suspension: null,
    attempts: 0,
    firstAttemptAt: null,
  };
  if (invocation.globalsJson !== undefined) work.globalsJson = invocation.globalsJson;
  return work;
}

/** How a run ended; `retryInMs` when it was rescheduled. */
export interface RunOutcome {
  kind: 'succeeded' | 'failed' | 'retried' | 'skipped';
  retryInMs?: number;
  fetches: number;
}

/** Runs an invocation somewhere (this thread, or a delivery thread) and says how it ended. */
export interface Execution {
  run(work: Work): Promise<RunOutcome>;
}

export interface RunnerDeps {
  /** Looks up a destination by id, enabled or not; null when it was deleted. */
  destination(projectId: number, id: string): Promise<CompiledDestination | null>;
  executor: InvocationExecutor;
  fetcher: FetchExecutor;
  /** Seals suspensions before they leave the runner, and opens them on resume. */
  keyring: Keyring;
  now?: () => number;
}

interface RunContext {
  work: Work;
  destination: CompiledDestination;
  attempts: number;
  firstAttemptAt: number;
  effects: RunEffects;
  fetches: number;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describeOutcome(outcome: FetchResponse | unknown): string {
  if (typeof outcome === 'object' && outcome !== null && typeof (outcome as FetchResponse).status === 'number') {
    return `status ${(outcome as FetchResponse).status}`;
  }
  return errorText(outcome);
}

function redact(text: string, secrets: string[]): string {
  return secrets.length > 0 ? redactSecrets(text, secrets) : text;
}

export class InvocationRunner {
  private readonly now: () => number;

  constructor(private readonly deps: RunnerDeps) {
    this.now = deps.now ?? Date.now;
  }

  async run(work: Work, effects: RunEffects): Promise<RunOutcome> {
    const destination = await this.deps.destination(work.projectId, work.destinationId).catch((error: unknown) => {
      if (error instanceof StoredDestinationError) return error;
      throw error;
    });
    if (destination instanceof StoredDestinationError) return this.failUnloadable(work, effects, destination);
    if (!destination || !destination.enabled) {
      const why = destination ? 'the destination is disabled' : 'the destination was deleted';
      effects.update(work.id, { state: 'skipped', error: why, finishedAt: this.now(), suspension: null });
      return { kind: 'skipped', fetches: 0 };
    }
    const prepared = destination.job(work.mappingIndex);
    const now = this.now();
    const run: RunContext = { work, destination, attempts: work.attempts + 1, firstAttemptAt: work.firstAttemptAt ?? now, effects, fetches: 0 };
    if ('error' in prepared) return this.finishFailed(run, prepared.error, 'inputs', []);
    // Read back from the store or a thread's message: checked, not assumed, before the VM sees it.
    const globals = work.globals;
    if (!isGlobals(globals)) return this.finishFailed(run, `the invocation's globals do not have the expected shape: ${globalsProblem(globals)}`, 'inputs', []);

    const job: InvocationJob = {
      destinationId: destination.id,
      bytecode: prepared.bytecode,
      lines: prepared.lines,
      inputsSchema: prepared.inputsSchema,
      inputs: prepared.inputs,
      globals,
    };
    let step: Step;
    const suspension = work.suspension ? this.resumable(run, work.suspension, prepared.secretValues) : null;
    if (suspension) {
      const resumed = await this.performAndContinue(run, job, prepared, suspension);
      if (isOutcome(resumed)) return resumed;
      step = resumed;
    } else {
      step = this.deps.executor.start(job);
    }
    for (;;) {
      this.afterStep(run, step);
      if (step.kind === 'done') {
        if (step.status === 'succeeded') return this.finishSucceeded(run);
        return this.finishFailed(run, step.error ?? 'failed', step.failure, prepared.secretValues, true);
      }
      if (step.suspension.fetchCount >= 2) {
        // Save before the request: a retry or a crash resumes here, never before the fetch that succeeded.
        await effects.saveSuspension(work.id, this.seal(run, step.suspension));
      }
      const next = await this.performAndContinue(run, job, prepared, step.suspension);
      if (isOutcome(next)) return next;
      step = next;
    }
  }

  private seal(run: RunContext, suspension: Suspension): JsonObject {
    return sealSuspension(this.deps.keyring, suspension, run.destination.version);
  }

  /**
   * The stored suspension, when it can be resumed as it is: sealed by this keyring, for the destination's
   * current version. Otherwise null — the invocation starts again from its event — with a log line why.
   */
  private resumable(run: RunContext, stored: JsonObject, secrets: string[]): Suspension | null {
    const { work, destination, effects } = run;
    const opened = openSuspension(this.deps.keyring, stored);
    if (!opened.ok) {
      const message = `The stored suspension cannot be resumed: ${opened.why}. Starting again from the event.`;
      effects.log(work.projectId, work.destinationId, work.id, 'warn', redact(message, secrets));
      return null;
    }
    if (opened.destinationVersion !== destination.version) {
      const message =
        `The destination changed since this invocation was suspended (version ${opened.destinationVersion}, now ${destination.version}): ` +
        'starting again from the event with its current code, inputs and secrets.';
      effects.log(work.projectId, work.destinationId, work.id, 'info', message);
      return null;
    }
    return opened.suspension;
  }

  /** Logs and captured events: what every step leaves behind. */
  private afterStep(run: RunContext, step: Step): void {
    const { work, effects } = run;
    effects.logSteps(work.projectId, work.destinationId, work.id, step.logs);
    if (step.kind === 'done') effects.observe(work.projectId, work.destinationId, { kind: 'hog', ms: step.vmMs, ...(step.vmBytes !== undefined ? { bytes: step.vmBytes } : {}) });
    if (step.captured.length > 0) effects.capture(work.projectId, work.destinationId, work.id, step.captured);
  }

  /** Performs the suspended fetch. Returns the next step, or the outcome when it was rescheduled or failed. */
  private async performAndContinue(run: RunContext, job: InvocationJob, prepared: PreparedJob, suspension: Suspension): Promise<Step | RunOutcome> {
    const { work, destination, effects } = run;
    // Messages name this request: the one performed now, from the current suspension.
    const request = suspension.request;
    let outcome: FetchResponse | unknown;
    let response: FetchResponse | null = null;
    const fetchStarted = performance.now();
    try {
      response = await this.deps.fetcher.fetch(request);
      outcome = response;
    } catch (error) {
      outcome = error;
    }
    run.fetches++;
    effects.metric(work.projectId, work.destinationId, 'fetch');
    effects.observe(work.projectId, work.destinationId, fetchObservation(outcome, performance.now() - fetchStarted, shouldRetry));

    if (shouldRetry(outcome)) {
      const now = this.now();
      const delay = nextRetryDelay(run.attempts, destination.retryPolicy, {
        retryAfterMs: retryAfterMsOf(outcome, now),
        elapsedMs: now - run.firstAttemptAt,
      });
      if (delay !== null) return this.reschedule(run, suspension, delay, describeOutcome(outcome), prepared.secretValues);
    }
    if (response === null) {
      const message = `fetch to ${request.url} failed: ${errorText(outcome)}`;
      return this.finishFailed(run, message, 'fetch', prepared.secretValues, false);
    }
    const forVm: HttpResponse = { status: response.status, body: response.body, headers: response.headers };
    return this.deps.executor.continue(job, suspension, forVm);
  }

  private reschedule(run: RunContext, suspension: Suspension, delayMs: number, why: string, secrets: string[]): RunOutcome {
    const { work, destination, effects } = run;
    effects.update(work.id, {
      state: 'queued',
      suspension: this.seal(run, suspension),
      attempts: run.attempts,
      firstAttemptAt: run.firstAttemptAt,
      scheduledAt: this.now() + delayMs,
    });
    effects.metric(work.projectId, work.destinationId, 'retried');
    const attemptsText = `attempt ${run.attempts} of ${destination.retryPolicy.maxAttempts}`;
    const message = `fetch to ${suspension.request.url} failed (${why}); retrying in ${(delayMs / 1000).toFixed(1)} s (${attemptsText})`;
    effects.log(work.projectId, work.destinationId, work.id, 'warn', redact(message, secrets));
    return { kind: 'retried', retryInMs: delayMs, fetches: run.fetches };
  }

  private finishSucceeded(run: RunContext): RunOutcome {
    const { work, effects } = run;
    effects.update(work.id, {
      state: 'succeeded',
      suspension: null,
      attempts: run.attempts,
      firstAttemptAt: run.firstAttemptAt,
      finishedAt: this.now(),
    });
    effects.metric(work.projectId, work.destinationId, 'succeeded');
    effects.observe(work.projectId, work.destinationId, { kind: 'succeeded' });
    return { kind: 'succeeded', fetches: run.fetches };
  }

  /**
   * The destination's stored configuration does not fit (the registry names the fields): nothing can run,
   * so the invocation fails at once, with no retry and no health observation (its endpoint is not at fault).
   */
  private failUnloadable(work: Work, effects: RunEffects, error: StoredDestinationError): RunOutcome {
    effects.update(work.id, { state: 'failed', suspension: null, error: error.message, finishedAt: this.now() });
    effects.log(work.projectId, work.destinationId, work.id, 'error', error.message);
    effects.metric(work.projectId, work.destinationId, 'failed');
    return { kind: 'failed', fetches: 0 };
  }

  /** `logged`: the executor already wrote the error line (it does for every failure it reports). */
  private finishFailed(run: RunContext, error: string, failure: string | undefined, secrets: string[], logged = false): RunOutcome {
    const { work, effects } = run;
    const text = redact(error, secrets);
    effects.update(work.id, {
      state: 'failed',
      suspension: null,
      attempts: run.attempts,
      firstAttemptAt: run.firstAttemptAt,
      error: text,
      finishedAt: this.now(),
    });
    if (!logged) effects.log(work.projectId, work.destinationId, work.id, 'error', text);
    effects.metric(work.projectId, work.destinationId, 'failed');
    effects.observe(work.projectId, work.destinationId, { kind: 'failed', error: text });
    if (failure === 'inputs') effects.metric(work.projectId, work.destinationId, 'inputs_failed');
    return { kind: 'failed', fetches: run.fetches };
  }
}

function isOutcome(value: Step | RunOutcome): value is RunOutcome {
  return value.kind !== 'fetch' && value.kind !== 'done';
}
