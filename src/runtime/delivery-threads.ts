/**
 * Delivery threads (`SLUICE_DELIVERY_THREADS=N`): N `worker_threads` that run invocations — the Hog VM,
 * templated inputs, the HTTP requests — while the main thread keeps everything else: capture, persons,
 * the matcher, the worker's scheduling (claims, locks, caps, retry timers) and every store write.
 *
 * This is the main thread's side, an `Execution` for the `Worker`: it posts each invocation to the least
 * busy thread (batched per event-loop turn), and replays what the thread's run left behind — outcome,
 * log lines, metrics, health observations, captured events — into the main thread's recorder
 * (`effects.ts`). A thread asks back only to store a suspension before a second fetch. The thread's
 * side is `delivery-thread.ts`.
 *
 * Why this split: SQLite has one writer at a time, so threads that wrote themselves would wait on each
 * other's locks; and the CPU-heavy part of a delivery is the VM and the HTTP client, not the bookkeeping.
 *
 * A thread that dies — out of its heap (`resourceLimits`, so a runaway run cannot take the process with
 * it), or any crash — costs each invocation it was running one failed attempt (`interrupted.ts`): retried
 * by its retry policy, or `failed` when its attempts are used up, so a poison invocation cannot kill
 * threads forever. The thread is started again, at once the first time and then after a growing pause
 * (bounded restarts: a thread that keeps dying is restarted at most once a minute).
 */
import { builtThreadEntry, THREAD_YOUNG_GENERATION_MB, ThreadCrashes } from '../threads.js';
import { fileURLToPath } from 'node:url';
import { Worker as NodeWorker, type ResourceLimits } from 'node:worker_threads';
import type { OpenStoreOptions } from '../store/index.js';
import type { JsonObject } from '../store/store.js';
import { replayEffects, type MetricCount, type RunCall, type RunEffects } from './effects.js';
import type { ExecutorLimits } from './executor.js';
import type { RuntimeLogger } from './logger.js';
import type { Execution, RunOutcome, Work } from './runner.js';
import { recordCrashedAttempt, type RetryPolicyLookup } from './interrupted.js';
import { decodePlainSuccess, PLAIN_SUCCESS_FIELDS } from './plain-success.js';

/** What a delivery thread needs to open its own store (for reading destinations) and runner. */
export interface DeliveryThreadConfig {
  store: OpenStoreOptions;
  /** The main thread's keyring (`Keyring.exportKeys()`, primary first): the thread decrypts secret inputs with it. */
  keys: Uint8Array[];
  allowHosts: string;
  executorLimits?: Partial<ExecutorLimits>;
  reloadCheckMs?: number;
}

export interface DeliveryThreadsSetup {
  count: number;
  config: DeliveryThreadConfig;
  /** Each thread's V8 heap limits; default {@link DEFAULT_THREAD_RESOURCE_LIMITS}. */
  resourceLimits?: ResourceLimits;
}

/**
 * Old-generation heap of each delivery thread (`SLUICE_DELIVERY_THREAD_MEMORY_MB`). A thread's live data
 * is small — one VM runs at a time (64 MiB budget), suspended runs and the HTTP pool a few MB more — so
 * 512 MB leaves ample room, while a run that escaped the VM's limits ends its thread within seconds
 * instead of growing the process until the machine kills it.
 */
export const DEFAULT_THREAD_MEMORY_MB = 512;
export const DEFAULT_THREAD_RESOURCE_LIMITS: Readonly<ResourceLimits> = Object.freeze({
  maxOldGenerationSizeMb: DEFAULT_THREAD_MEMORY_MB,
  maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB,
});


/** A run as posted to a thread: without `globals` when their JSON (`globalsJson`) goes instead. */
export type PostedWork = Omit<Work, 'globals'> & { globals?: Work['globals'] };

export interface RunRequest {
  seq: number;
  work: PostedWork;
}

export interface RunResult {
  seq: number;
  /** Absent when the run threw (a bug): the invocation is retried after its lock expires. */
  outcome?: RunOutcome;
  error?: string;
  /** What the run left behind, its invocation's project and destination left out (`RunCall`). */
  effects: RunCall[];
}

export type ToThread =
  | { type: 'run'; runs: RunRequest[] }
  | { type: 'saved'; request: number; error?: string }
  | { type: 'reload' }
  | { type: 'stop' };

export type FromThread =
  | { type: 'ready' }
  | {
      type: 'results';
      results: RunResult[];
      /** Plain successes, `PLAIN_SUCCESS_FIELDS` numbers each (`plain-success.ts`). */
      succeeded: number[];
      /** The runs' metric increments, summed. */
      metrics: MetricCount[];
    }
  | { type: 'save'; request: number; invocationId: string; suspension: JsonObject }
  | { type: 'stopped' }
  | { type: 'failed'; error: string };

/** The built thread entry (see `builtThreadEntry`). */
function threadEntry(): URL {
  const entry = builtThreadEntry(import.meta.url, 'runtime/delivery-thread.js');
  if (entry !== null) return entry;
  throw new Error(`delivery threads need the built thread entry (${fileURLToPath(new URL('./delivery-thread.js', import.meta.url))}): run npm run build`);
}

interface Waiting {
  work: Work;
  resolve(outcome: RunOutcome): void;
  reject(error: Error): void;
}

/** One incarnation of a thread slot: a restart is a new `Thread` in the same slot. */
class Thread {
  readonly waiting = new Map<number, Waiting>();
  /** Set when the pool stops it, so its exit is not a crash. */
  stopped = false;
  /** Ready for runs (it said `ready` and has not exited). */
  ready = false;
  /** The last error the thread reported (out of memory, an uncaught exception): the crash's reason. */
  lastError: Error | null = null;
  private outbox: RunRequest[] = [];
  readonly exited: Promise<number>;

  constructor(
    readonly index: number,
    readonly worker: NodeWorker,
  ) {
    this.exited = new Promise((resolve) => worker.once('exit', (code: number) => resolve(code)));
  }

  get busy(): number {
    return this.waiting.size;
  }

  /** Queues a run; the whole event-loop turn's runs go over in one message. */
  send(run: RunRequest, waiting: Waiting): void {
    this.waiting.set(run.seq, waiting);
    if (this.outbox.length === 0) queueMicrotask(() => this.flush());
    this.outbox.push(run);
  }

  private flush(): void {
    const runs = this.outbox;
    this.outbox = [];
    if (runs.length > 0 && !this.stopped) this.worker.postMessage({ type: 'run', runs } satisfies ToThread);
  }

  /** The runs it had not finished (the thread is gone). */
  takeWaiting(): Waiting[] {
    const all = [...this.waiting.values()];
    this.waiting.clear();
    return all;
  }
}

/**
 * What a thread needs of a run, and only that: `globals` goes over as the matcher's JSON when there is one
 * (a string is cheaper to post than an object), and what only scheduling uses stays here.
 */
function slim(work: Work): PostedWork {
  const posted: PostedWork = {
    id: work.id,
    projectId: work.projectId,
    destinationId: work.destinationId,
    mappingIndex: work.mappingIndex,
    priority: work.priority,
    suspension: work.suspension,
    attempts: work.attempts,
    firstAttemptAt: work.firstAttemptAt,
  };
  if (work.globalsJson !== undefined) posted.globalsJson = work.globalsJson;
  else posted.globals = work.globals;
  return posted;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface DeliveryThreadsDeps {
  effects: RunEffects;
  /** Runs invocations in this thread once the pool is stopping (while threads restart, runs wait for one). */
  fallback: Execution;
  logger?: RuntimeLogger | undefined;
  /** The destination's retry policy, for the attempt a crashed thread's runs used up. */
  retryPolicy: RetryPolicyLookup;
  now?: () => number;
}

export class DeliveryThreads implements Execution {
  private nextSeq = 1;
  private readonly entry = threadEntry();
  private readonly slots: (Thread | null)[];
  /** Invocations each slot's threads have run so far (tests). */
  private readonly ran: number[];
  private readonly crashes: ThreadCrashes;
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  /** Runs waiting for a thread while every slot is restarting. */
  private waitingForThread: (() => void)[] = [];
  private stopping = false;
  /** Threads started again after a crash (tests, logs). */
  restarts = 0;
  private readonly now: () => number;

  private constructor(
    private readonly setup: DeliveryThreadsSetup,
    private readonly deps: DeliveryThreadsDeps,
  ) {
    this.slots = new Array<Thread | null>(setup.count).fill(null);
    this.ran = new Array<number>(setup.count).fill(0);
    this.now = deps.now ?? Date.now;
    this.crashes = new ThreadCrashes(setup.count, this.now);
  }

  get size(): number {
    return this.slots.length;
  }

  /** Threads ready for runs now. */
  get alive(): number {
    return this.slots.filter((thread) => thread?.ready).length;
  }

  /** Invocations each thread slot has run (tests). */
  get ranPerThread(): number[] {
    return [...this.ran];
  }

  /** Starts `setup.count` threads and resolves once each has its store and runner ready. */
  static async start(setup: DeliveryThreadsSetup, deps: DeliveryThreadsDeps): Promise<DeliveryThreads> {
    const pool = new DeliveryThreads(setup, deps);
    try {
      await Promise.all(pool.slots.map((_, index) => pool.spawn(index)));
    } catch (error) {
      await pool.terminate();
      throw error;
    }
    return pool;
  }

  /** Starts the thread of slot `index`; resolves when it is ready, rejects if it fails before. */
  private spawn(index: number): Promise<void> {
    const worker = new NodeWorker(this.entry, {
      workerData: { ...this.setup.config, index },
      resourceLimits: this.setup.resourceLimits ?? DEFAULT_THREAD_RESOURCE_LIMITS,
    });
    const thread = new Thread(index, worker);
    this.slots[index] = thread;
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromThread) => {
        if (message.type === 'ready') {
          thread.ready = true;
          resolve();
          this.wakeWaitingRuns();
        } else if (message.type === 'failed') reject(new Error(`delivery thread ${index} failed: ${message.error}`));
        else this.onMessage(thread, message);
      });
      worker.on('error', (error) => {
        thread.lastError = error;
        this.deps.logger?.error({ err: error, thread: index }, 'delivery thread crashed');
      });
      void thread.exited.then((code) => {
        const wasReady = thread.ready;
        thread.ready = false;
        if (!wasReady) reject(thread.lastError ?? new Error(`delivery thread ${index} exited with code ${code} while starting`));
        if (!thread.stopped) this.onCrash(thread, code);
      });
    });
  }

  /** A thread died on its own: its runs each count a failed attempt, and the slot is started again. */
  private onCrash(thread: Thread, code: number): void {
    const why = thread.lastError ? errorText(thread.lastError) : `it exited with code ${code}`;
    const runs = thread.takeWaiting();
    this.deps.logger?.error({ thread: thread.index, code, runs: runs.length, reason: why }, 'delivery thread exited unexpectedly; its runs count as failed attempts');
    for (const waiting of runs) void this.recordCrash(waiting, why);
    if (this.slots[thread.index] === thread) this.slots[thread.index] = null;
    if (!this.stopping) this.scheduleRestart(thread.index);
  }

  private async recordCrash(waiting: Waiting, why: string): Promise<void> {
    const { work } = waiting;
    try {
      const policy = await this.deps.retryPolicy(work.projectId, work.destinationId);
      waiting.resolve(recordCrashedAttempt(work, why, policy, this.deps.effects, this.now()));
    } catch (error) {
      waiting.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private scheduleRestart(index: number): void {
    const delay = this.crashes.record(index);
    const timer = setTimeout(() => {
      this.restartTimers.delete(timer);
      if (this.stopping) return;
      this.restarts++;
      this.spawn(index).then(
        () => this.deps.logger?.warn?.({ thread: index, restarts: this.restarts }, 'delivery thread restarted'),
        (error: unknown) => this.deps.logger?.error({ err: error, thread: index }, 'restarting a delivery thread failed; trying again'),
      );
    }, delay);
    this.restartTimers.add(timer);
  }

  run(work: Work): Promise<RunOutcome> {
    const thread = this.leastBusy();
    if (thread) return new Promise((resolve, reject) => thread.send({ seq: this.nextSeq++, work: slim(work) }, { work, resolve, reject }));
    // Every thread is restarting: wait for one rather than run here, where a run that kills its thread
    // would kill the process. Only a stopped pool runs in this thread.
    if (this.stopping) return this.deps.fallback.run(work);
    return new Promise<void>((resolve) => this.waitingForThread.push(resolve)).then(() => this.run(work));
  }

  private wakeWaitingRuns(): void {
    const waiting = this.waitingForThread;
    this.waitingForThread = [];
    for (const wake of waiting) wake();
  }

  private leastBusy(): Thread | null {
    let best: Thread | null = null;
    for (const thread of this.slots) {
      if (!thread || !thread.ready || thread.stopped) continue;
      if (!best || thread.busy < best.busy) best = thread;
    }
    return best;
  }

  private onMessage(thread: Thread, message: FromThread): void {
    if (message.type === 'results') {
      for (const [projectId, destinationId, name, count] of message.metrics) this.deps.effects.metric(projectId, destinationId, name, count);
      for (const result of message.results) this.settle(thread, result);
      const plain = message.succeeded;
      for (let at = 0; at < plain.length; at += PLAIN_SUCCESS_FIELDS) {
        const waiting = thread.waiting.get(plain[at]!);
        if (waiting) this.settle(thread, decodePlainSuccess(plain, at, waiting.work.id));
      }
    } else if (message.type === 'save') {
      this.deps.effects.saveSuspension(message.invocationId, message.suspension).then(
        () => thread.worker.postMessage({ type: 'saved', request: message.request } satisfies ToThread),
        (error: unknown) => thread.worker.postMessage({ type: 'saved', request: message.request, error: String(error) } satisfies ToThread),
      );
    }
  }

  private settle(thread: Thread, result: RunResult): void {
    const waiting = thread.waiting.get(result.seq);
    thread.waiting.delete(result.seq);
    this.ran[thread.index] = (this.ran[thread.index] ?? 0) + 1;
    if (!waiting) return;
    replayEffects(result.effects, waiting.work, this.deps.effects);
    if (result.outcome) waiting.resolve(result.outcome);
    else waiting.reject(new Error(result.error ?? 'the delivery thread gave no outcome'));
  }

  /** Destinations changed: reload now rather than at the threads' next version check. */
  reload(): void {
    for (const thread of this.slots) if (thread?.ready && !thread.stopped) thread.worker.postMessage({ type: 'reload' } satisfies ToThread);
  }

  /** Each thread closes its store and HTTP pools and exits (the worker has finished its runs first). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.restartTimers) clearTimeout(timer);
    this.restartTimers.clear();
    this.wakeWaitingRuns();
    await Promise.all(
      this.slots.map(async (thread) => {
        if (!thread || thread.stopped) return thread?.exited;
        thread.stopped = true;
        if (!thread.ready) {
          await thread.worker.terminate().catch(() => 0);
          return;
        }
        const stopped = new Promise<void>((resolve) => {
          thread.worker.on('message', (message: FromThread) => message.type === 'stopped' && resolve());
          void thread.exited.then(() => resolve());
        });
        thread.worker.postMessage({ type: 'stop' } satisfies ToThread);
        await stopped;
        await thread.exited;
      }),
    );
  }

  private async terminate(): Promise<void> {
    this.stopping = true;
    const threads = this.slots.filter((thread): thread is Thread => thread !== null);
    for (const thread of threads) thread.stopped = true;
    await Promise.all(threads.map((thread) => thread.worker.terminate().catch(() => 0)));
    this.deps.logger?.warn?.({ threads: threads.length }, 'delivery threads terminated');
  }
}
