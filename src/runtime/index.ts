/**
 * The destinations runtime, composed: destination registry → matcher (enriched events → invocations)
 * → queue (the store) → worker (executor + fetch) → recorder (outcomes, logs, metrics), plus retention.
 * `startRuntime` is what `sluice start` runs; tests and the benchmark use it too.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createKeyring, type Keyring } from '../destinations/secrets.js';
import type { EnrichedListener } from '../ingest/pipeline.js';
import type { Store } from '../store/store.js';
import { DestinationRegistry } from './destination-registry.js';
import { InvocationExecutor, type CapturedEvent, type ExecutorLimits } from './executor.js';
import { createFetchExecutor, type FetchExecutor, type FetchExecutorOptions } from './fetch.js';
import type { HealthMonitor } from './health-monitor.js';
import type { RuntimeLogger } from './logger.js';
import { Matcher } from './matcher.js';
import { RuntimeRecorder, type RecorderTap } from './recorder.js';
import { DEFAULT_RETENTION, RetentionJob, type RetentionPeriods } from './retention.js';
import { THREADED_CONCURRENCY, Worker } from './worker.js';
import { DeliveryThreads, type DeliveryThreadsSetup } from './delivery-threads.js';
import { directEffects } from './effects.js';
import { InvocationRunner, type Execution } from './runner.js';
import { SharedMaskingGate } from '../destinations/masking.js';
import { CaptureBudget } from './capture-budget.js';

export type { RuntimeLogger } from './logger.js';

export interface RuntimeOptions {
  store: Store;
  pipeline: { onEnriched(listener: EnrichedListener): () => void };
  keyring?: Keyring;
  /** Where `postHogCapture` events go (the intake's `captureInternal`). */
  intake?: { captureInternal(projectId: number, events: CapturedEvent[]): Promise<unknown> };
  logger?: RuntimeLogger;
  /** Base URL of the UI, for the URLs in the globals. */
  siteUrl: string;
  fetchOptions?: FetchExecutorOptions;
  /** A ready fetch executor (tests); overrides `fetchOptions`. */
  fetcher?: FetchExecutor;
  executorLimits?: Partial<ExecutorLimits>;
  worker?: { batchSize?: number; concurrency?: number; lockMs?: number; pollMs?: number; workerId?: string; maxPerDestination?: number; maxPending?: number };
  matcher?: { batchSize?: number; onLost?: (partition: number) => void };
  retention?: Partial<RetentionPeriods> & { intervalMs?: number };
  /** Destination version checks, ms. Default 200. */
  reloadCheckMs?: number;
  /**
   * Start the matcher now (default). `false` on a worker that is not the processing leader: it claims
   * from the queue only, and starts `runtime.matcher` if it becomes the leader.
   */
  startMatcher?: boolean;
  /**
   * The process's one health watcher, built by whoever composes the process and shared with the API
   * (`cli/start.ts`). The runtime feeds it, gates on it, and runs its timers from start to stop.
   */
  health: HealthMonitor;
  /** Captured events allowed per original event, over all hops (`capture-budget.ts`). Default 100. */
  maxCaptureDescendants?: number;
  /** Start the retention job (default). */
  startRetention?: boolean;
  /**
   * Run invocations (VM and HTTP) in `count` worker threads (`SLUICE_DELIVERY_THREADS`); the worker's
   * scheduling and every store write stay in this thread. Unset or count 0: run them in this thread.
   */
  deliveryThreads?: DeliveryThreadsSetup;
  /** Sees every recorded metric, observation and finished run (the Prometheus metrics). */
  tap?: RecorderTap;
}

export interface Runtime {
  matcher: Matcher;
  /** The worker: schedules every invocation, whichever thread runs it. */
  worker: Worker;
  /** The delivery threads, when `deliveryThreads` asked for some. */
  deliveryThreads: DeliveryThreads | null;
  registry: DestinationRegistry;
  recorder: RuntimeRecorder;
  retention: RetentionJob;
  health: HealthMonitor;
  /** Reload destinations now (for the management API). */
  reload(): Promise<void>;
  /** Stop matching (after everything handed over), finish in-flight invocations, flush, stop retention. */
  stop(): Promise<void>;
}

function childOf(logger: RuntimeLogger | undefined, component: string): RuntimeLogger | undefined {
  if (!logger) return undefined;
  return logger.child ? logger.child({ component }) : logger;
}


/**
 * The keyring suspensions are sealed with: the configured one; without one (tests), the delivery threads'
 * keys, else a key of this process only — a suspension it sealed cannot be opened after a restart, and
 * its invocation then starts again from its event. Never none: suspensions are not stored in plaintext.
 */
function suspensionKeyring(options: RuntimeOptions): Keyring {
  if (options.keyring) return options.keyring;
  const threadKeys = options.deliveryThreads?.config.keys ?? [];
  return createKeyring(threadKeys.length > 0 ? threadKeys : [randomBytes(32)]);
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { store, logger } = options;
  // Masking windows live in the shared counters: the same for every process, across restarts.
  const masking = new SharedMaskingGate(store.counters);
  const { health } = options;
  const registry = new DestinationRegistry({
    store,
    health,
    ...(options.keyring ? { keyring: options.keyring } : {}),
    logger: childOf(logger, 'destinations'),
    checkIntervalMs: options.reloadCheckMs ?? 200,
    // A changed destination starts with a fresh masking window (its new version keys new counters), and
    // its health is read again (a save may have re-enabled it).
    onChanged: (ids) => {
      ids.forEach((id) => masking.reset(id));
      void health.refresh(ids).catch(() => {});
    },
  });
  const workerLogger = childOf(logger, 'worker');
  // Every outcome the recorder writes is of a run this worker holds the lock of: fenced by it.
  const workerId = options.worker?.workerId ?? `worker-${randomUUID()}`;
  const recorder = new RuntimeRecorder({
    store,
    lockHolder: workerId,
    tap: options.tap,
    health: (projectId, destinationId, observation) => health.observe(projectId, destinationId, observation),
    ...(workerLogger ? { logger: workerLogger } : {}),
  });
  const fetcher = options.fetcher ?? createFetchExecutor(options.fetchOptions ?? {});
  const intake = options.intake;
  // What a run leaves behind is applied in this thread, wherever the run happened (effects.ts).
  const effects = directEffects(
    recorder,
    (invocationId, suspension) => store.updateInvocation(invocationId, { state: 'running', suspension, lockedBy: workerId }),
    intake ? async (projectId: number, events: CapturedEvent[]) => void (await intake.captureInternal(projectId, events)) : undefined,
  );
  // postHogCapture amplification: at most `maxCaptureDescendants` events descend from one original event.
  const captureBudget = new CaptureBudget({ counters: store.counters, ...(options.maxCaptureDescendants !== undefined ? { maxDescendants: options.maxCaptureDescendants } : {}) });
  effects.capture = captureBudget.wrap(effects.capture, recorder);
  const runner = new InvocationRunner({
    destination: (projectId, id) => registry.get(projectId, id),
    executor: new InvocationExecutor(options.executorLimits ?? {}),
    fetcher,
    keyring: suspensionKeyring(options),
  });
  const inThisThread: Execution = { run: (work) => runner.run(work, effects) };
  const threads =
    options.deliveryThreads && options.deliveryThreads.count > 0
      ? await DeliveryThreads.start(options.deliveryThreads, {
          effects,
          fallback: inThisThread,
          logger: childOf(logger, 'delivery-threads'),
          retryPolicy: (projectId, id) => registry.retryPolicy(projectId, id),
        })
      : null;
  const execution: Execution = threads ?? inThisThread;
  const worker = new Worker({
    store,
    registry,
    execution,
    recorder,
    ...(workerLogger ? { logger: workerLogger } : {}),
    ...(threads ? { concurrency: THREADED_CONCURRENCY } : {}),
    ...(options.worker ?? {}),
    workerId,
  });
  const matcherLogger = childOf(logger, 'matcher');
  const matcher = new Matcher({
    store,
    pipeline: options.pipeline,
    registry,
    recorder,
    sink: worker,
    siteUrl: options.siteUrl,
    masking,
    ...(matcherLogger ? { logger: matcherLogger } : {}),
    ...(options.matcher ?? {}),
  });
  const { intervalMs, ...periods } = options.retention ?? {};
  const retention = new RetentionJob(store, { ...DEFAULT_RETENTION, ...periods }, intervalMs, childOf(logger, 'retention'));

  await health.start();
  worker.start();
  if (options.startMatcher !== false) await matcher.start();
  if (options.startRetention !== false) retention.start();
  const reload = async (): Promise<void> => {
    threads?.reload();
    await registry.reload();
  };
  // Destination writes by any process (Postgres: NOTIFY) reload at once, not at the next version check.
  const unsubscribeChanges = store.onDestinationsChanged(() => void reload().catch(() => {}));

  let stopping: Promise<void> | null = null;
  return {
    matcher,
    worker,
    deliveryThreads: threads,
    registry,
    recorder,
    retention,
    health,
    reload,
    stop() {
      stopping ??= (async () => {
        unsubscribeChanges();
        await matcher.stop();
        await worker.stop();
        await threads?.stop();
        await retention.stop();
        await recorder.flush();
        await health.stop();
        if (!options.fetcher) await fetcher.close();
      })();
      return stopping;
    },
  };
}

export { Matcher, MATCHER_CONSUMER } from './matcher.js';
export { THREADED_CONCURRENCY, Worker } from './worker.js';
export { DeliveryThreads } from './delivery-threads.js';
export { DestinationRegistry } from './destination-registry.js';
export { RuntimeRecorder } from './recorder.js';
export { RetentionJob, applyRetention, DEFAULT_RETENTION } from './retention.js';
export { HealthMonitor } from './health-monitor.js';
