/**
 * Opt-in delivery threads (`SLUICE_DELIVERY_THREADS=N`): N `worker_threads`, each with its own store
 * connection and its own `Worker` (registry, recorder, executor, fetch executor, health monitor), claim
 * invocations from the queue exactly as extra `--role worker` processes do. The main thread keeps capture,
 * persons, the matcher and the API; the matcher stores invocations `queued` and nudges the threads.
 *
 * This side (the main thread) starts the threads, forwards wake-ups and reloads, takes `postHogCapture`
 * events back into the intake, and stops the threads. The thread's side is `delivery-thread.ts`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker as NodeWorker } from 'node:worker_threads';
import type { OpenStoreOptions } from '../store/index.js';
import type { NewInvocation } from '../store/store.js';
import type { CapturedEvent, ExecutorLimits } from './executor.js';
import type { HealthMonitorOptions } from './health-monitor.js';
import type { RuntimeLogger } from './logger.js';
import type { InvocationSink } from './matcher.js';

/** What a delivery thread needs to open its own store and runtime (structured-clonable). */
export interface DeliveryThreadConfig {
  store: OpenStoreOptions;
  /** The environment the keyring is loaded from (with `store.dataDir`), as in the main thread. */
  env: Record<string, string | undefined>;
  /** The main thread's primary key id: a thread with another keyring refuses to start. */
  keyringPrimaryId: string;
  allowHosts: string;
  siteUrl: string;
  /** Pino level for the thread's logger; `null`: silent. */
  logLevel: string | null;
  worker?: { batchSize?: number; concurrency?: number; lockMs?: number; pollMs?: number; workerId?: string; maxPerDestination?: number };
  executorLimits?: Partial<ExecutorLimits>;
  reloadCheckMs?: number;
  health?: Pick<HealthMonitorOptions, 'policy' | 'tickMs' | 'persistMs'>;
}

export interface DeliveryThreadsSetup {
  count: number;
  config: DeliveryThreadConfig;
}

export type ToThread = { type: 'wake' } | { type: 'reload' } | { type: 'stop' };
export type FromThread =
  | { type: 'ready' }
  | { type: 'capture'; projectId: number; events: CapturedEvent[] }
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

interface Thread {
  index: number;
  worker: NodeWorker;
  exited: Promise<void>;
  stopped: boolean;
}

export class DeliveryThreads implements InvocationSink {
  private constructor(
    private readonly threads: Thread[],
    private readonly logger: RuntimeLogger | undefined,
  ) {}

  get size(): number {
    return this.threads.length;
  }

  /** Starts `setup.count` threads and resolves once each has its store and runtime running. */
  static async start(
    setup: DeliveryThreadsSetup,
    intake: { captureInternal(projectId: number, events: CapturedEvent[]): Promise<unknown> } | undefined,
    logger: RuntimeLogger | undefined,
  ): Promise<DeliveryThreads> {
    const entry = threadEntry();
    const threads: Thread[] = [];
    const ready: Promise<void>[] = [];
    for (let index = 0; index < setup.count; index++) {
      const worker = new NodeWorker(entry, { workerData: { ...setup.config, index } });
      const thread: Thread = { index, worker, exited: new Promise((resolve) => worker.once('exit', () => resolve())), stopped: false };
      threads.push(thread);
      ready.push(
        new Promise<void>((resolve, reject) => {
          worker.on('message', (message: FromThread) => {
            if (message.type === 'ready') resolve();
            else if (message.type === 'failed') reject(new Error(`delivery thread ${index} failed: ${message.error}`));
            else if (message.type === 'capture') {
              if (!intake) return;
              intake.captureInternal(message.projectId, message.events).catch((error: unknown) => {
                logger?.error({ err: error, thread: index }, 'postHogCapture events of a delivery thread could not be stored');
              });
            }
          });
          worker.on('error', (error) => {
            logger?.error({ err: error, thread: index }, 'delivery thread crashed');
            reject(error);
          });
          worker.once('exit', (code) => {
            if (!thread.stopped) logger?.error({ thread: index, code }, 'delivery thread exited unexpectedly');
            reject(new Error(`delivery thread ${index} exited with code ${code}`));
          });
        }),
      );
    }
    const pool = new DeliveryThreads(threads, logger);
    try {
      await Promise.all(ready);
    } catch (error) {
      await pool.terminate();
      throw error;
    }
    return pool;
  }

  private post(message: ToThread): void {
    for (const thread of this.threads) if (!thread.stopped) thread.worker.postMessage(message);
  }

  // ---- InvocationSink: the matcher stores every invocation unclaimed and nudges the threads ----------

  reserve(): null {
    return null;
  }

  accept(_invocations: NewInvocation[]): void {
    throw new Error('delivery threads take invocations from the queue only');
  }

  wake(): void {
    this.post({ type: 'wake' });
  }

  /** Destinations changed: reload now rather than at the threads' next version check. */
  reload(): void {
    this.post({ type: 'reload' });
  }

  /** Each thread finishes its in-flight invocations, flushes, closes its store and exits. */
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
