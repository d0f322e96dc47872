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
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker as NodeWorker } from 'node:worker_threads';
import type { OpenStoreOptions } from '../store/index.js';
import type { JsonObject } from '../store/store.js';
import { replayEffects, type EffectCall, type RunEffects } from './effects.js';
import type { ExecutorLimits } from './executor.js';
import type { RuntimeLogger } from './logger.js';
import type { Execution, RunOutcome, Work } from './runner.js';

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
}

export interface RunRequest {
  seq: number;
  work: Work;
}

export interface RunResult {
  seq: number;
  /** Absent when the run threw (a bug): the invocation is retried after its lock expires. */
  outcome?: RunOutcome;
  error?: string;
  effects: EffectCall[];
}

export type ToThread =
  | { type: 'run'; runs: RunRequest[] }
  | { type: 'saved'; request: number; error?: string }
  | { type: 'reload' }
  | { type: 'stop' };

export type FromThread =
  | { type: 'ready' }
  | { type: 'results'; results: RunResult[] }
  | { type: 'save'; request: number; invocationId: string; suspension: JsonObject }
  | { type: 'stopped' }
  | { type: 'failed'; error: string };

/** The built thread entry; from the TypeScript sources (vitest) the build in `dist/` runs the thread. */
function threadEntry(): URL {
  const beside = new URL('./delivery-thread.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  const built = new URL('../../dist/src/runtime/delivery-thread.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error(`delivery threads need the built thread entry (${fileURLToPath(beside)}): run npm run build`);
}

interface Waiting {
  resolve(outcome: RunOutcome): void;
  reject(error: Error): void;
}

class Thread {
  readonly waiting = new Map<number, Waiting>();
  /** Invocations run by this thread so far (tests, `/metrics`-like introspection). */
  ran = 0;
  stopped = false;
  private outbox: RunRequest[] = [];
  readonly exited: Promise<void>;

  constructor(
    readonly index: number,
    readonly worker: NodeWorker,
  ) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
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
    if (runs.length > 0) this.worker.postMessage({ type: 'run', runs } satisfies ToThread);
  }

  /** The thread is gone: its runs are retried after their locks expire. */
  failAll(error: Error): void {
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}

/** `globals` goes over as the matcher's JSON when there is one: a string is cheaper to post than an object. */
function slim(work: Work): Work {
  if (work.globalsJson === undefined) return work;
  return { ...work, globals: undefined as unknown as Work['globals'] };
}

export class DeliveryThreads implements Execution {
  private nextSeq = 1;

  private constructor(
    private readonly threads: Thread[],
    private readonly effects: RunEffects,
    private readonly fallback: Execution,
    private readonly logger: RuntimeLogger | undefined,
  ) {}

  get size(): number {
    return this.threads.length;
  }

  /** Invocations each thread has run (tests). */
  get ranPerThread(): number[] {
    return this.threads.map((thread) => thread.ran);
  }

  /**
   * Starts `setup.count` threads and resolves once each has its store and runner ready. `fallback` runs
   * invocations in this thread if every delivery thread has died.
   */
  static async start(setup: DeliveryThreadsSetup, effects: RunEffects, fallback: Execution, logger: RuntimeLogger | undefined): Promise<DeliveryThreads> {
    const entry = threadEntry();
    const threads: Thread[] = [];
    const ready: Promise<void>[] = [];
    let pool: DeliveryThreads | null = null;
    for (let index = 0; index < setup.count; index++) {
      const thread = new Thread(index, new NodeWorker(entry, { workerData: { ...setup.config, index } }));
      threads.push(thread);
      ready.push(
        new Promise<void>((resolve, reject) => {
          thread.worker.on('message', (message: FromThread) => {
            if (message.type === 'ready') resolve();
            else if (message.type === 'failed') reject(new Error(`delivery thread ${index} failed: ${message.error}`));
            else pool?.onMessage(thread, message);
          });
          thread.worker.on('error', (error) => {
            logger?.error({ err: error, thread: index }, 'delivery thread crashed');
            thread.failAll(error);
            reject(error);
          });
          thread.worker.once('exit', (code) => {
            if (!thread.stopped) logger?.error({ thread: index, code }, 'delivery thread exited unexpectedly');
            thread.stopped = true;
            thread.failAll(new Error(`delivery thread ${index} exited with code ${code}`));
            reject(new Error(`delivery thread ${index} exited with code ${code}`));
          });
        }),
      );
    }
    pool = new DeliveryThreads(threads, effects, fallback, logger);
    try {
      await Promise.all(ready);
    } catch (error) {
      await pool.terminate();
      throw error;
    }
    return pool;
  }

  run(work: Work): Promise<RunOutcome> {
    const thread = this.leastBusy();
    if (!thread) return this.fallback.run(work);
    return new Promise((resolve, reject) => thread.send({ seq: this.nextSeq++, work: slim(work) }, { resolve, reject }));
  }

  private leastBusy(): Thread | null {
    let best: Thread | null = null;
    for (const thread of this.threads) {
      if (thread.stopped) continue;
      if (!best || thread.busy < best.busy) best = thread;
    }
    return best;
  }

  private onMessage(thread: Thread, message: FromThread): void {
    if (message.type === 'results') {
      for (const result of message.results) this.settle(thread, result);
    } else if (message.type === 'save') {
      this.effects.saveSuspension(message.invocationId, message.suspension).then(
        () => thread.worker.postMessage({ type: 'saved', request: message.request } satisfies ToThread),
        (error: unknown) => thread.worker.postMessage({ type: 'saved', request: message.request, error: String(error) } satisfies ToThread),
      );
    }
  }

  private settle(thread: Thread, result: RunResult): void {
    const waiting = thread.waiting.get(result.seq);
    thread.waiting.delete(result.seq);
    thread.ran++;
    replayEffects(result.effects, this.effects);
    if (!waiting) return;
    if (result.outcome) waiting.resolve(result.outcome);
    else waiting.reject(new Error(result.error ?? 'the delivery thread gave no outcome'));
  }

  /** Destinations changed: reload now rather than at the threads' next version check. */
  reload(): void {
    for (const thread of this.threads) if (!thread.stopped) thread.worker.postMessage({ type: 'reload' } satisfies ToThread);
  }

  /** Each thread closes its store and HTTP pools and exits (the worker has finished its runs first). */
  async stop(): Promise<void> {
    await Promise.all(
      this.threads.map(async (thread) => {
        if (thread.stopped) return thread.exited;
        const stopped = new Promise<void>((resolve) => {
          thread.worker.on('message', (message: FromThread) => message.type === 'stopped' && resolve());
          void thread.exited.then(resolve);
        });
        thread.stopped = true;
        thread.worker.postMessage({ type: 'stop' } satisfies ToThread);
        await stopped;
        await thread.exited;
      }),
    );
  }

  private async terminate(): Promise<void> {
    for (const thread of this.threads) thread.stopped = true;
    await Promise.all(this.threads.map((thread) => thread.worker.terminate().catch(() => 0)));
    this.logger?.warn?.({ threads: this.threads.length }, 'delivery threads terminated');
  }
}
