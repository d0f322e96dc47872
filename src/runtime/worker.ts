/**
 * The worker: takes invocations (handed over in memory by the matcher, or claimed from the queue in
 * batches), runs each through the executor step by step, performs its fetches, and records the outcome.
 *
 * - At a `fetch` step the suspension (VM state + request) is stored **before** the request when it is the
 *   invocation's second or later fetch, so a crash or a retry never repeats a fetch that succeeded. The
 *   first fetch needs no save: starting again from scratch is the same thing.
 * - A retryable outcome (network error, timeout, 408, 429, 5xx) reschedules the invocation with its
 *   suspension (`queued`, `scheduledAt = now + nextRetryDelay(...)`, honouring `Retry-After`). When the
 *   destination's retry policy is used up, a response is handed to the Hog code (it decides; templates
 *   throw on >= 400) and a network error fails the invocation.
 * - Outcomes, log lines and metrics are buffered by the `RuntimeRecorder` and written in batches.
 * - Locks of everything this worker holds are extended every `lockMs / 3`; after a crash they expire and
 *   another worker (or this one after a restart) reclaims the invocations.
 */
import { randomUUID } from 'node:crypto';
import type { Globals } from '../destinations/globals.js';
import { redactSecrets } from '../destinations/secrets.js';
import type { Store, Invocation, NewInvocation } from '../store/store.js';
import { nextRetryDelay } from './backoff.js';
import { fetchObservation } from './health.js';
import type { CapturedEvent, HttpResponse, InvocationExecutor, InvocationJob, Step, Suspension } from './executor.js';
import { retryAfterMsOf, shouldRetry, type FetchExecutor, type FetchResponse } from './fetch.js';
import type { CompiledDestination, DestinationRegistry, PreparedJob } from './destination-registry.js';
import type { RuntimeRecorder } from './recorder.js';
import type { WarnErrorLogger } from './logger.js';
import type { InvocationSink } from './matcher.js';

/** Stores events emitted by `postHogCapture` into the same project. */
export type CaptureFn = (projectId: number, events: CapturedEvent[]) => Promise<void>;

export interface WorkerOptions {
  store: Store;
  registry: DestinationRegistry;
  executor: InvocationExecutor;
  fetcher: FetchExecutor;
  recorder: RuntimeRecorder;
  capture?: CaptureFn;
  logger?: WarnErrorLogger;
  workerId?: string;
  /** Invocations claimed per store round trip. Default 100. */
  batchSize?: number;
  /** Invocations run at the same time. Default 200. */
  concurrency?: number;
  /** How long a claim holds before another worker may take the invocation. Default 30 000. */
  lockMs?: number;
  /** How often the queue is polled when nothing woke the worker. Default 1 000. */
  pollMs?: number;
  /** Invocations the matcher may hand over in memory beyond those running. Default 10 000. */
  maxPending?: number;
  /**
   * Invocations of one destination running at the same time, so one slow or timing-out destination never
   * holds every slot; a degraded destination gets a quarter of it. Default `concurrency / 4`.
   */
  maxPerDestination?: number;
  now?: () => number;
}

const silent: WarnErrorLogger = { warn() {}, error() {} };

/** An invocation as the worker runs it: from the store, or handed over by the matcher. */
type Work = Pick<Invocation, 'id' | 'projectId' | 'destinationId' | 'mappingIndex' | 'globals' | 'priority'> & {
  suspension: Invocation['suspension'];
  attempts: number;
  firstAttemptAt: number | null;
};

function fromNew(invocation: NewInvocation): Work {
  return { ...invocation, suspension: null, attempts: 0, firstAttemptAt: null };
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

export class Worker implements InvocationSink {
  readonly workerId: string;
  private readonly store: Store;
  private readonly registry: DestinationRegistry;
  private readonly executor: InvocationExecutor;
  private readonly fetcher: FetchExecutor;
  private readonly recorder: RuntimeRecorder;
  private readonly capture: CaptureFn | undefined;
  private readonly logger: WarnErrorLogger;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly lockMs: number;
  private readonly pollMs: number;
  private readonly maxPending: number;
  private readonly now: () => number;

  /** Handed over or claimed, not started yet (locked by us). */
  private pending: Work[] = [];
  /** Running now, by id. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private running = false;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wakeLoop: (() => void) | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private retryTimers = new Set<NodeJS.Timeout>();
  private drained: (() => void) | null = null;
  /**
   * Whether the store's queue may hold due work: set by a wake-up (unclaimed invocations stored, a retry
   * due, the poll timer), cleared when a claim comes back short. Finishing an invocation claims more only
   * while it is set, so a worker fed in memory does not query an empty queue after every invocation.
   */
  private queueMayHaveWork = true;
  private readonly maxPerDestination: number;
  /** Running invocations per destination, and those held back while their destination is at its cap. */
  private readonly runningPer = new Map<string, number>();
  private readonly held = new Map<string, Work[]>();
  private heldCount = 0;
  /** Counters for tests and the benchmark. */
  readonly stats = { succeeded: 0, failed: 0, retried: 0, fetches: 0 };

  constructor(options: WorkerOptions) {
    this.store = options.store;
    this.registry = options.registry;
    this.executor = options.executor;
    this.fetcher = options.fetcher;
    this.recorder = options.recorder;
    this.capture = options.capture;
    this.logger = options.logger ?? silent;
    this.workerId = options.workerId ?? `worker-${randomUUID()}`;
    this.batchSize = options.batchSize ?? 100;
    this.concurrency = options.concurrency ?? 200;
    this.lockMs = options.lockMs ?? 30_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.maxPending = options.maxPending ?? 10_000;
    this.maxPerDestination = Math.max(1, options.maxPerDestination ?? Math.floor(this.concurrency / 4));
    this.now = options.now ?? Date.now;
  }

  get busy(): number {
    return this.inFlight.size + this.pending.length + this.heldCount;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.heartbeat = setInterval(() => void this.extendLocks(), Math.max(50, Math.floor(this.lockMs / 3)));
    this.loop = this.run();
  }

  // ---- InvocationSink (the matcher's side) --------------------------------------------------------------

  reserve(count: number): { workerId: string; lockedUntil: number } | null {
    if (!this.running || this.stopping) return null;
    if (this.pending.length + count > this.maxPending) return null;
    return { workerId: this.workerId, lockedUntil: this.now() + this.lockMs };
  }

  accept(invocations: NewInvocation[]): void {
    for (const invocation of invocations) this.pending.push(fromNew(invocation));
    this.startPending();
  }

  wake(): void {
    this.queueMayHaveWork = true;
    this.resumeLoop();
  }

  private resumeLoop(): void {
    const wake = this.wakeLoop;
    this.wakeLoop = null;
    wake?.();
  }

  /** Stops claiming, finishes what runs, gives back what was not started, writes everything buffered. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.wake();
    await this.loop;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    const unstarted = [...this.pending.splice(0), ...this.takeHeld()];
    for (const work of unstarted) this.recorder.update(work.id, { state: 'queued' });
    await Promise.all(this.inFlight.values());
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    await this.recorder.flush();
    this.running = false;
  }

  /** Resolves when nothing is pending or running (tests). */
  idle(): Promise<void> {
    if (this.busy === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.drained;
      this.drained = () => {
        previous?.();
        resolve();
      };
    });
  }

  // ---- the loop -----------------------------------------------------------------------------------------

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

  private hasRoomToClaim(): boolean {
    return this.pending.length === 0 && this.heldCount < this.maxPending && this.concurrency - this.inFlight.size >= Math.min(this.batchSize, this.concurrency / 2);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.startPending();
      if (this.queueMayHaveWork && this.hasRoomToClaim()) {
        const room = this.concurrency - this.inFlight.size;
        const claimed = await this.claim(Math.min(this.batchSize, room));
        if (claimed > 0) continue;
      }
      if (this.stopping) break;
      await this.sleep(this.pollMs);
      // Whatever ended the sleep (a wake-up or the poll timer), look in the queue again.
      this.queueMayHaveWork = true;
    }
  }

  private async claim(limit: number): Promise<number> {
    try {
      const claimed = await this.store.claimInvocations({ workerId: this.workerId, limit, now: this.now(), lockMs: this.lockMs });
      for (const invocation of claimed) this.pending.push(invocation);
      if (claimed.length < limit) this.queueMayHaveWork = false;
      return claimed.length;
    } catch (error) {
      this.logger.error({ err: error }, 'claiming invocations failed');
      return 0;
    }
  }

  private startPending(): void {
    while (this.pending.length > 0 && this.inFlight.size < this.concurrency) {
      const work = this.pending.shift()!;
      if (this.inFlight.has(work.id)) continue;
      if (this.holdAtDestinationCap(work)) continue;
      const done = this.process(work)
        .catch((error: unknown) => {
          this.logger.error({ err: error, invocationId: work.id }, 'invocation crashed the worker; it will be retried after its lock expires');
        })
        .finally(() => {
          this.inFlight.delete(work.id);
          this.releaseDestinationSlot(work.destinationId);
          if (this.pending.length > 0) this.startPending();
          else if (this.queueMayHaveWork && this.hasRoomToClaim()) this.resumeLoop();
          if (this.busy === 0 && this.drained) {
            const drained = this.drained;
            this.drained = null;
            drained();
          }
        });
      this.inFlight.set(work.id, done);
    }
  }

  /** Takes a slot of the work's destination, or holds the work back (true) while the destination is at its cap. */
  private holdAtDestinationCap(work: Work): boolean {
    const running = this.runningPer.get(work.destinationId) ?? 0;
    const degraded = this.registry.health?.stateOf(work.destinationId) === 'degraded';
    const cap = degraded ? Math.max(1, Math.floor(this.maxPerDestination / 4)) : this.maxPerDestination;
    if (running < cap) {
      this.runningPer.set(work.destinationId, running + 1);
      return false;
    }
    let list = this.held.get(work.destinationId);
    if (!list) this.held.set(work.destinationId, (list = []));
    list.push(work);
    this.heldCount++;
    return true;
  }

  /** Frees a slot of the destination and moves its next held invocation to the front of the line. */
  private releaseDestinationSlot(destinationId: string): void {
    const running = (this.runningPer.get(destinationId) ?? 1) - 1;
    if (running > 0) this.runningPer.set(destinationId, running);
    else this.runningPer.delete(destinationId);
    const list = this.held.get(destinationId);
    if (!list || list.length === 0) return;
    this.pending.unshift(list.shift()!);
    this.heldCount--;
    if (list.length === 0) this.held.delete(destinationId);
  }

  private takeHeld(): Work[] {
    const all = [...this.held.values()].flat();
    this.held.clear();
    this.heldCount = 0;
    return all;
  }

  private async extendLocks(): Promise<void> {
    const ids = [...this.inFlight.keys(), ...this.pending.map((w) => w.id), ...[...this.held.values()].flat().map((w) => w.id)];
    if (ids.length === 0) return;
    try {
      await this.store.extendInvocationLocks({ workerId: this.workerId, ids, lockedUntil: this.now() + this.lockMs });
    } catch (error) {
      this.logger.error({ err: error }, 'extending invocation locks failed');
    }
  }

  // ---- one invocation -----------------------------------------------------------------------------------

  private async process(work: Work): Promise<void> {
    const destination = await this.registry.get(work.projectId, work.destinationId);
    if (!destination || !destination.enabled) {
      const why = destination ? 'the destination is disabled' : 'the destination was deleted';
      this.recorder.update(work.id, { state: 'skipped', error: why, finishedAt: this.now(), suspension: null });
      return;
    }
    if (this.registry.health?.isDisabled(work.destinationId)) {
      // Disabled by its health watcher: kept as `parked` for a replay; parked invocations are never claimed.
      this.recorder.update(work.id, { state: 'parked' });
      this.recorder.metric(work.projectId, work.destinationId, 'parked');
      return;
    }
    const prepared = destination.job(work.mappingIndex);
    const now = this.now();
    const attempts = work.attempts + 1;
    const firstAttemptAt = work.firstAttemptAt ?? now;
    const run = { work, destination, attempts, firstAttemptAt };
    if ('error' in prepared) return this.finishFailed(run, prepared.error, 'inputs', []);

    const job: InvocationJob = {
      destinationId: destination.id,
      bytecode: prepared.bytecode,
      lines: prepared.lines,
      inputsSchema: prepared.inputsSchema,
      inputs: prepared.inputs,
      globals: work.globals as unknown as Globals,
    };
    let step: Step;
    if (work.suspension) {
      const resumed = await this.performAndContinue(run, job, prepared, work.suspension as unknown as Suspension);
      if (resumed === null) return;
      step = resumed;
    } else {
      step = this.executor.start(job);
    }
    for (;;) {
      this.afterStep(run, step);
      if (step.kind === 'done') {
        if (step.status === 'succeeded') return this.finishSucceeded(run);
        return this.finishFailed(run, step.error ?? 'failed', step.failure, prepared.secretValues, true);
      }
      if (step.suspension.fetchCount >= 2) {
        // Save before the request: a retry or a crash resumes here, never before the fetch that succeeded.
        await this.store.updateInvocation(work.id, { state: 'running', suspension: step.suspension as unknown as Invocation['suspension'] });
      }
      const next = await this.performAndContinue(run, job, prepared, step.suspension);
      if (next === null) return;
      step = next;
    }
  }

  /** Logs, captured events and nothing else: what every step leaves behind. */
  private afterStep(run: RunContext, step: Step): void {
    const { work } = run;
    this.recorder.logSteps(work.projectId, work.destinationId, work.id, step.logs);
    if (step.kind === 'done') this.recorder.observe(work.projectId, work.destinationId, { kind: 'hog', ms: step.vmMs });
    if (step.captured.length > 0 && this.capture) {
      this.capture(work.projectId, step.captured).catch((error: unknown) => {
        this.recorder.log(work.projectId, work.destinationId, work.id, 'error', `postHogCapture could not store its events: ${errorText(error)}`);
      });
    }
  }

  /**
   * Performs the suspended fetch. Returns the next step, or `null` when the invocation was rescheduled
   * for a retry or failed.
   */
  private async performAndContinue(run: RunContext, job: InvocationJob, prepared: PreparedJob, suspension: Suspension): Promise<Step | null> {
    const { work, destination } = run;
    let outcome: FetchResponse | unknown;
    let response: FetchResponse | null = null;
    const fetchStarted = performance.now();
    try {
      response = await this.fetcher.fetch(suspension.request);
      outcome = response;
    } catch (error) {
      outcome = error;
    }
    this.stats.fetches++;
    this.recorder.metric(work.projectId, work.destinationId, 'fetch');
    this.recorder.observe(work.projectId, work.destinationId, fetchObservation(outcome, performance.now() - fetchStarted, shouldRetry));

    if (shouldRetry(outcome)) {
      const now = this.now();
      const delay = nextRetryDelay(run.attempts, destination.retryPolicy, {
        retryAfterMs: retryAfterMsOf(outcome, now),
        elapsedMs: now - run.firstAttemptAt,
      });
      if (delay !== null) {
        this.reschedule(run, suspension, delay, describeOutcome(outcome), prepared.secretValues);
        return null;
      }
    }
    if (response === null) {
      const message = `fetch to ${suspension.request.url} failed: ${errorText(outcome)}`;
      this.finishFailed(run, message, 'fetch', prepared.secretValues, false);
      return null;
    }
    const forVm: HttpResponse = { status: response.status, body: response.body, headers: response.headers };
    return this.executor.continue(job, suspension, forVm);
  }

  private reschedule(run: RunContext, suspension: Suspension, delayMs: number, why: string, secrets: string[]): void {
    const { work, destination } = run;
    const scheduledAt = this.now() + delayMs;
    this.recorder.update(work.id, {
      state: 'queued',
      suspension: suspension as unknown as Invocation['suspension'],
      attempts: run.attempts,
      firstAttemptAt: run.firstAttemptAt,
      scheduledAt,
    });
    this.recorder.metric(work.projectId, work.destinationId, 'retried');
    const attemptsText = `attempt ${run.attempts} of ${destination.retryPolicy.maxAttempts}`;
    const message = `fetch to ${suspension.request.url} failed (${why}); retrying in ${(delayMs / 1000).toFixed(1)} s (${attemptsText})`;
    this.recorder.log(work.projectId, work.destinationId, work.id, 'warn', redact(message, secrets));
    this.stats.retried++;
    // Claim it again when it is due, without waiting for the next poll.
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      void this.recorder.flush().then(() => this.wake());
    }, delayMs);
    timer.unref?.();
    this.retryTimers.add(timer);
  }

  private finishSucceeded(run: RunContext): void {
    const { work } = run;
    this.recorder.update(work.id, {
      state: 'succeeded',
      suspension: null,
      attempts: run.attempts,
      firstAttemptAt: run.firstAttemptAt,
      finishedAt: this.now(),
    });
    this.recorder.metric(work.projectId, work.destinationId, 'succeeded');
    this.recorder.observe(work.projectId, work.destinationId, { kind: 'succeeded' });
    this.stats.succeeded++;
  }

  /** `logged`: the executor already wrote the error line (it does for every failure it reports). */
  private finishFailed(run: RunContext, error: string, failure: string | undefined, secrets: string[], logged = false): void {
    const { work } = run;
    const text = redact(error, secrets);
    this.recorder.update(work.id, {
      state: 'failed',
      suspension: null,
      attempts: run.attempts,
      firstAttemptAt: run.firstAttemptAt,
      error: text,
      finishedAt: this.now(),
    });
    if (!logged) this.recorder.log(work.projectId, work.destinationId, work.id, 'error', text);
    this.recorder.metric(work.projectId, work.destinationId, 'failed');
    this.recorder.observe(work.projectId, work.destinationId, { kind: 'failed', error: text });
    if (failure === 'inputs') this.recorder.metric(work.projectId, work.destinationId, 'inputs_failed');
    this.stats.failed++;
  }
}

interface RunContext {
  work: Work;
  destination: CompiledDestination;
  attempts: number;
  firstAttemptAt: number;
}

function redact(text: string, secrets: string[]): string {
  return secrets.length > 0 ? redactSecrets(text, secrets) : text;
}
