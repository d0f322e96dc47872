import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { bootstrap, type BootstrapResult } from '../api/bootstrap.js';
import { buildServer } from '../api/server.js';
import { loadConfig, type SluiceConfig, type SluiceRole } from '../config.js';
import { createKeyring, loadOrCreateKeyring, type Keyring } from '../destinations/secrets.js';
import { GroupCommitWriter } from '../ingest/group-commit.js';
import { Intake } from '../ingest/intake.js';
import type { IngestLimits } from '../ingest/limits.js';
import { PersonPipeline } from '../ingest/pipeline.js';
import { PipelineTransformations } from '../transformations/index.js';
import type { ExecutorLimits, HttpRequest, HttpResponse } from '../runtime/executor.js';
import { createFetchExecutor, type FetchExecutor } from '../runtime/fetch.js';
import { HealthMonitor, type HealthMonitorOptions } from '../runtime/health-monitor.js';
import { MATCHER_CONSUMER, startRuntime, type Runtime, type RuntimeOptions } from '../runtime/index.js';
import { CAPTURE_PATHS, CAPTURE_V1_PATH } from '../api/routes/capture/index.js';
import { openStore, type OpenStoreOptions } from '../store/index.js';
import { installMetrics, METRICS_PATH, metricsEnabled, SluiceMetrics, startMetricsServer, type MetricsServer } from '../observability/prometheus.js';
import type { Store, StoredEvent } from '../store/store.js';
import { PartitionAssigner, type PartitionWork } from '../pipeline/assigner.js';
import { StageThreads } from '../pipeline/stage-threads.js';
import { THREAD_YOUNG_GENERATION_MB } from '../threads.js';

export { defaultDeliveryThreads, SLUICE_ROLES, type SluiceRole } from '../config.js';

/** An environment record: what `startSluice(options)` parses with `loadConfig` (`src/config.ts` lists the variables). */
export type SluiceEnv = Record<string, string | undefined>;

/** What tests may set of the health monitor. */
export type HealthSettings = Pick<HealthMonitorOptions, 'policy' | 'now' | 'tickMs' | 'persistMs'>;

/**
 * What code (tests, bench) hands a start beside the configuration: ready-made parts, and tuning that no
 * environment variable sets.
 */
export interface SluiceParts {
  /** Default: no logging. */
  logger?: Logger | false;
  limits?: Partial<IngestLimits>;
  /** Keyring for secret inputs; default from `SLUICE_ENCRYPTION_KEYS` or the data dir's key file. */
  keyring?: Keyring;
  runtime?: Partial<Pick<RuntimeOptions, 'worker' | 'reloadCheckMs' | 'fetcher'>> & {
    matcher?: { batchSize?: number };
    /** Over `SLUICE_MAX_FETCHES` and the executor's defaults. */
    executorLimits?: Partial<ExecutorLimits>;
    /** Over the `SLUICE_RETENTION_*` periods; `intervalMs`: how often the job runs. */
    retention?: RuntimeOptions['retention'];
    /** The health monitor's policy and clock (tests); see `runtime/health.ts` for the defaults. */
    health?: HealthSettings;
  };
  /** Partition assignment rounds (ms): heartbeat, lease renewal, rebalancing. Default 500. */
  assignTickMs?: number;
  /** How long a partition lease or a process announcement lasts without renewal (ms). Default 2 500. */
  leaseTtlMs?: number;
}

/**
 * The settings as options over an environment record (tests, bench): `startSluice(options)` turns them
 * into a {@link SluiceConfig} with `loadConfig`, each option over the variable it stands for.
 */
export interface SluiceOptions extends Omit<SluiceParts, 'runtime'> {
  /** `SLUICE_DATA_DIR`; `:memory:` for an in-memory store. */
  dataDir: string;
  /** `SLUICE_PORT`; 0: any free port. */
  port: number;
  /** `SLUICE_HOST`. */
  host: string;
  env?: SluiceEnv;
  /** `SLUICE_SQLITE_SYNCHRONOUS`. */
  synchronous?: 'full' | 'normal';
  /** `--role`; default `SLUICE_ROLE`, else `all`. */
  role?: SluiceRole;
  /** `SLUICE_DATABASE_URL`. */
  databaseUrl?: string;
  /** `SLUICE_STAGE_THREADS`; 0: person processing and matching in the main thread. */
  stageThreads?: number;
  runtime?: SluiceParts['runtime'] & {
    /** `SLUICE_DELIVERY_THREADS`; 0: run invocations in the main thread. */
    deliveryThreads?: number;
    /** `SLUICE_DELIVERY_THREAD_MEMORY_MB`. */
    deliveryThreadMemoryMb?: number;
    /** `SLUICE_SITE_URL`. */
    siteUrl?: string;
  };
}

export interface RunningSluice {
  role: SluiceRole;
  /** The configuration this process runs with. */
  config: SluiceConfig;
  app: FastifyInstance;
  /** `http://host:port`, with the port actually bound. */
  url: string;
  /** The separate metrics port's `http://host:port` (`SLUICE_METRICS_PORT`); null when there is none. */
  metricsUrl: string | null;
  store: Store;
  intake: Intake;
  writer: GroupCommitWriter;
  pipeline: PersonPipeline;
  /** The destinations runtime (roles `all` and `worker`; reading it in another role throws). */
  runtime: Runtime;
  /**
   * The threads running person processing and matching (`SLUICE_STAGE_THREADS`, Postgres); null when they
   * run in the main thread. `pipeline` and `runtime.matcher` then hold no partitions, but their `waitFor`
   * (read in the store) and processed counts cover the threads' work.
   */
  stageThreads: StageThreads | null;
  /** The partitions this process owns now (person processing and matching run for these). */
  readonly partitions: number[];
  /** This process's id among the live processes (`GET /api/cluster/`). */
  readonly memberId: string;
  keyring: Keyring;
  boot: BootstrapResult;
  /** Stops accepting requests, commits what was accepted, finishes person processing, closes the store. */
  close(): Promise<void>;
}

/**
 * The compatibility path: options and their environment record → configuration and parts. A fetch
 * executor passed in code serves this thread only, so it implies no delivery threads unless some are
 * asked for (which `startConfigured` then refuses).
 */
export function configFromOptions(options: SluiceOptions): { config: SluiceConfig; parts: SluiceParts } {
  const { deliveryThreads, deliveryThreadMemoryMb, siteUrl, ...runtime } = options.runtime ?? {};
  const env: SluiceEnv = { ...options.env };
  const over = (name: string, value: string | number | undefined): void => {
    if (value !== undefined) env[name] = String(value);
  };
  over('SLUICE_DATA_DIR', options.dataDir);
  over('SLUICE_PORT', options.port);
  over('SLUICE_HOST', options.host);
  over('SLUICE_DATABASE_URL', options.databaseUrl);
  over('SLUICE_SQLITE_SYNCHRONOUS', options.synchronous);
  over('SLUICE_STAGE_THREADS', options.stageThreads);
  over('SLUICE_SITE_URL', siteUrl);
  over('SLUICE_DELIVERY_THREADS', deliveryThreads ?? (runtime.fetcher && !env.SLUICE_DELIVERY_THREADS?.trim() ? 0 : undefined));
  over('SLUICE_DELIVERY_THREAD_MEMORY_MB', deliveryThreadMemoryMb);
  const { config } = loadConfig(env, options.role !== undefined ? { role: options.role } : {});
  const { dataDir: _d, port: _p, host: _h, env: _e, synchronous: _s, role: _r, databaseUrl: _u, stageThreads: _st, runtime: _rt, ...parts } = options;
  return { config, parts: { ...parts, runtime } };
}

function keyringFor(config: SluiceConfig, parts: SluiceParts, logger: Logger | false): Keyring {
  if (parts.keyring) return parts.keyring;
  const keys = config.secrets.encryptionKeys;
  // An in-memory store keeps nothing, so its keyring writes no key file either.
  if (config.store.dataDir === ':memory:') return keys ? createKeyring(keys, 'env') : createKeyring([randomBytes(32)]);
  const log = logger
    ? { warn: (m: string) => logger.warn(m), info: (m: string) => logger.info(m) }
    : { warn: () => {}, info: () => {} };
  return loadOrCreateKeyring({ keys, dataDir: config.store.dataDir, log });
}

function storeOptionsFor(config: SluiceConfig): OpenStoreOptions {
  const { store } = config;
  return {
    dataDir: store.dataDir,
    synchronous: store.sqliteSynchronous,
    ...(store.databaseUrl !== null ? { databaseUrl: store.databaseUrl, poolSize: store.poolSize } : {}),
    ...(store.redisUrl !== null ? { redisUrl: store.redisUrl } : {}),
    partitions: config.pipeline.partitions,
  };
}

function fetchForTestRuns(fetcher: FetchExecutor): (request: HttpRequest) => Promise<HttpResponse> {
  return async (request) => {
    const response = await fetcher.fetch(request);
    return { status: response.status, body: response.body, headers: response.headers };
  };
}

/**
 * The process's one health monitor, whatever its role: the API's health routes (status, re-enable,
 * replay) and the runtime's gate and observations share it, so neither waits for the store to see the
 * other's change. The runtime, when the role has one, runs its timers.
 */
function healthMonitorFor(parts: {
  store: Store;
  intake: Intake;
  fetcher: FetchExecutor;
  logger: Logger | false;
  siteUrl: () => string | undefined;
  settings: HealthSettings | undefined;
}): HealthMonitor {
  const { intake, fetcher, logger } = parts;
  return new HealthMonitor({
    store: parts.store,
    siteUrl: parts.siteUrl,
    fetch: (request) => fetcher.fetch(request),
    capture: (projectId, events) => intake.captureInternal(projectId, events),
    ...(logger ? { logger: logger.child({ component: 'health' }) } : {}),
    ...(parts.settings ?? {}),
  });
}

/** Which HTTP paths a role answers (`null`: all of them). */
function allowedPaths(role: SluiceRole): ((path: string) => boolean) | null {
  const capture = new Set<string>([...CAPTURE_PATHS, CAPTURE_V1_PATH]);
  const isCapture = (path: string) => capture.has(path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path);
  if (role === 'all') return null;
  if (role === 'capture') return (path) => path === '/_health' || isCapture(path);
  if (role === 'api') return (path) => !isCapture(path);
  return (path) => path === '/_health';
}

/** Answers 404 to the paths this process's role does not serve. */
function restrictToRole(app: FastifyInstance, role: SluiceRole): void {
  const allowed = allowedPaths(role);
  if (!allowed) return;
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?', 1)[0]!;
    if (!allowed(path) && path !== METRICS_PATH) {
      await reply.code(404).send({ type: 'invalid_request', code: 'not_found', detail: `This Sluice process has role '${role}' and does not serve ${path}.`, attr: null });
    }
  });
}

function isConfig(value: SluiceConfig | SluiceOptions): value is SluiceConfig {
  return 'server' in value && 'store' in value;
}

/**
 * Composes store, intake, person processing, destinations runtime and HTTP server for one role, and
 * listens. Used by the CLI (with the configuration `loadConfig` parsed), and by tests and bench (with
 * options over an environment record, parsed the same way).
 *
 * SQLite with role `all` is the embedded single process: committed events are handed to person processing
 * in memory. On Postgres every role reads what it consumes back from the store (other processes write
 * it), and person processing and matching run for the partitions each `all`/`worker` process leases.
 */
export function startSluice(config: SluiceConfig, parts?: SluiceParts): Promise<RunningSluice>;
export function startSluice(options: SluiceOptions): Promise<RunningSluice>;
export function startSluice(first: SluiceConfig | SluiceOptions, parts: SluiceParts = {}): Promise<RunningSluice> {
  if (isConfig(first)) return startConfigured(first, parts);
  try {
    const converted = configFromOptions(first);
    return startConfigured(converted.config, converted.parts);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Builds every service from the configuration, in dependency order, each with all it needs given at construction. */
async function startConfigured(config: SluiceConfig, parts: SluiceParts): Promise<RunningSluice> {
  const logger = parts.logger ?? false;
  const { role } = config;
  const tuning = parts.runtime ?? {};
  if (tuning.fetcher && config.runtime.deliveryThreads > 0) {
    throw new Error('delivery threads make their own requests; a fetch executor passed in code needs deliveryThreads: 0');
  }
  const postgres = config.store.databaseUrl !== null;
  const processes = role === 'all' || role === 'worker';
  const storeOptions = storeOptionsFor(config);
  const store = await openStore(storeOptions);
  const boot = await store.withLock('bootstrap', () =>
    bootstrap(store, {
      SLUICE_BOOTSTRAP_PROJECT_TOKEN: config.bootstrap.projectToken ?? undefined,
      SLUICE_BOOTSTRAP_API_KEY: config.bootstrap.apiKey ?? undefined,
    }),
  );
  const keyring = keyringFor(config, parts, logger);
  const fetcher = createFetchExecutor({ allowList: config.runtime.fetchAllowHosts });
  const deliveryFetcher = tuning.fetcher ?? fetcher;
  const executorLimits: Partial<ExecutorLimits> = { maxFetches: config.runtime.maxFetches, ...tuning.executorLimits };
  // The stages tell the partition assigner about a lost lease; the assigner comes last because it drives
  // the stages, and it exists before any stage holds a partition.
  let assigner: PartitionAssigner | null = null;
  const onLost = (partition: number): void => assigner?.lost(partition);
  // Transformations are the first step of person processing (docs/transformations.md); they are built
  // below, once the health watcher exists, and run only once partitions are assigned.
  const pipeline = new PersonPipeline({
    store,
    readFromStore: postgres,
    onLost,
    transform: (projectId, events) => transformations.transform(projectId, events),
    downstream: MATCHER_CONSUMER,
    ...(logger ? { logger: logger.child({ component: 'persons' }) } : {}),
  });
  // With stage threads, a commit only tells the partition's thread where the log ends now.
  let stageThreads: StageThreads | null = null;
  const handOver = (events: StoredEvent[]): void => (stageThreads ? stageThreads.appended(events) : pipeline.push(events));
  const writer = new GroupCommitWriter(store, processes ? { onCommitted: handOver } : {});
  let runtime: Runtime | null = null;
  const metrics = metricsEnabled(config.metrics) ? new SluiceMetrics({ store, runtime: () => runtime, ...(logger ? { logger } : {}) }) : null;
  const intake = new Intake({ store, writer, ...(parts.limits ? { limits: parts.limits } : {}), ...(metrics ? { observer: metrics.captureObserver } : {}) });
  // The UI's base URL (globals, health notifications): configured, else this process's port once it listens.
  let siteUrl = config.server.siteUrl ?? undefined;
  const health = healthMonitorFor({ store, intake, fetcher: deliveryFetcher, logger, siteUrl: () => siteUrl, settings: tuning.health });
  // Their recorder is the runtime's, attached once it exists (before any partition is processed).
  const transformations = new PipelineTransformations({
    store,
    keyring,
    health,
    siteUrl: () => siteUrl,
    ...(tuning.reloadCheckMs !== undefined ? { checkIntervalMs: tuning.reloadCheckMs } : {}),
    ...(logger ? { logger: logger.child({ component: 'transformations' }) } : {}),
  });
  const app = await buildServer({
    store,
    intake,
    logger,
    keyring,
    health,
    onDestinationsChanged: () => {
      transformations.invalidate();
      stageThreads?.reload();
      void runtime?.reload();
    },
    sourceHealth: () => runtime?.health ?? null,
    fetch: fetchForTestRuns(fetcher),
    executorLimits,
    ...(config.server.siteUrl !== null ? { siteUrl: config.server.siteUrl } : {}),
    trustProxy: config.server.trustProxy,
  });
  if (metrics) installMetrics(app, metrics, config.metrics.token);
  restrictToRole(app, role);
  // A start that fails part-way (the port is taken, a delivery thread cannot start) stops what it had
  // started, so the process ends with the error instead of running half a Sluice with no port.
  let metricsServer: MetricsServer | null = null;
  const abandon = async (error: unknown): Promise<never> => {
    await app.close().catch(() => {});
    await metricsServer?.close().catch(() => {});
    await writer.close().catch(() => {});
    await stageThreads?.stop().catch(() => {});
    await pipeline.stop().catch(() => {});
    await fetcher.close().catch(() => {});
    await store.close().catch(() => {});
    throw error;
  };
  const { port, host } = config.server;
  await app.listen({ port, host }).catch((error: unknown) => abandon(explainListenError(error, port, host)));
  if (metrics && config.metrics.port !== null) metricsServer = await startMetricsServer(metrics, config.metrics.port, config.metrics.host).catch(abandon);
  const address = app.server.address() as AddressInfo;
  siteUrl ??= `http://localhost:${address.port}`;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const memberId = `${role}-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  if (processes) {
    const threads = config.runtime.deliveryThreads;
    runtime = await startRuntime({
      store,
      pipeline,
      keyring,
      intake,
      fetcher: deliveryFetcher,
      siteUrl,
      retention: { ...config.retention, ...tuning.retention },
      ...(logger ? { logger } : {}),
      health,
      executorLimits,
      worker: {
        lockMs: config.runtime.invocationLockMs,
        // Unset: the runtime's defaults (more slots with delivery threads; a quarter of them per destination).
        ...(config.runtime.concurrency !== null ? { concurrency: config.runtime.concurrency } : {}),
        ...(config.runtime.destinationConcurrency !== null ? { maxPerDestination: config.runtime.destinationConcurrency } : {}),
        ...tuning.worker,
      },
      matcher: { ...tuning.matcher, onLost },
      ...(tuning.reloadCheckMs !== undefined ? { reloadCheckMs: tuning.reloadCheckMs } : {}),
      startMatcher: false,
      ...(metrics ? { tap: metrics } : {}),
      ...(threads > 0
        ? {
            deliveryThreads: {
              count: threads,
              resourceLimits: { maxOldGenerationSizeMb: config.runtime.deliveryThreadMemoryMb, maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB },
              config: {
                store: storeOptions,
                keys: keyring.exportKeys(),
                allowHosts: config.runtime.fetchAllowHosts.join(','),
                executorLimits,
                ...(tuning.reloadCheckMs !== undefined ? { reloadCheckMs: tuning.reloadCheckMs } : {}),
              },
            },
          }
        : {}),
    }).catch(abandon);
    await runtime.matcher.attach().catch(abandon);
    transformations.attach(runtime.recorder);
    if (postgres && config.pipeline.stageThreads > 0) {
      stageThreads = await startStageThreads({ config, store, storeOptions, keyring, siteUrl, runtime, pipeline, health, logger, tuning, assigner: () => assigner }).catch(abandon);
    }
  }
  // A function saved by any process (Postgres: NOTIFY) recompiles the chains at the next batch.
  const unwatchTransformations = processes
    ? store.onDestinationsChanged(() => {
        transformations.invalidate();
        stageThreads?.reload();
      })
    : () => {};
  // Every process announces itself; `all` and `worker` processes also lease partitions and run person
  // processing and matching for them (downstream first, so matching listens before persons emit).
  const started = runtime as Runtime | null;
  const threads = stageThreads as StageThreads | null;
  const work: PartitionWork[] = threads ? [threads] : started ? [started.matcher, pipeline] : [];
  assigner = new PartitionAssigner({
    store,
    memberId,
    role,
    work,
    ...(parts.assignTickMs !== undefined ? { tickMs: parts.assignTickMs } : {}),
    ...(parts.leaseTtlMs !== undefined ? { leaseTtlMs: parts.leaseTtlMs } : {}),
    ...(logger ? { logger: logger.child({ component: 'partitions' }) } : {}),
  });
  const running = assigner;
  await running.start().catch(abandon);
  let closing: Promise<void> | null = null;
  return {
    role,
    config,
    app,
    url: `http://${shownHost}:${address.port}`,
    metricsUrl: metricsServer?.url ?? null,
    store,
    intake,
    writer,
    pipeline,
    stageThreads: threads,
    get runtime(): Runtime {
      if (!started) throw new Error(`a Sluice process with role '${role}' has no destinations runtime`);
      return started;
    },
    get partitions(): number[] {
      return running.partitions;
    },
    memberId,
    keyring,
    boot,
    close() {
      closing ??= (async () => {
        await app.close();
        await metricsServer?.close();
        await writer.close();
        // Person processing, then matching, finish what capture handed over while the leases still fence
        // their commits; only then are the partitions given up.
        await running.stop(async () => {
          await threads?.stop();
          await pipeline.stop();
          await started?.matcher.stop();
        });
        unwatchTransformations();
        await started?.stop();
        await fetcher.close();
        await store.close();
      })();
      return closing;
    },
  };
}

/**
 * The stage threads of a Postgres `all`/`worker` process, wired to the main thread's parts: lost leases to
 * the assigner, new invocations to the worker (handed over under its grants, or a wake-up to claim them),
 * what the stages record to the runtime's recorder (its buffer, Prometheus tap and health monitor), and
 * the health monitor's states back to the threads.
 */
function startStageThreads(parts: {
  config: SluiceConfig;
  store: Store;
  storeOptions: OpenStoreOptions;
  keyring: Keyring;
  siteUrl: string;
  runtime: Runtime;
  pipeline: PersonPipeline;
  health: HealthMonitor;
  logger: Logger | false;
  tuning: NonNullable<SluiceParts['runtime']>;
  assigner: () => PartitionAssigner | null;
}): Promise<StageThreads> {
  const { config, store, runtime, pipeline, health, logger, tuning } = parts;
  return StageThreads.start(
    {
      count: config.pipeline.stageThreads,
      config: {
        store: parts.storeOptions,
        keys: parts.keyring.exportKeys(),
        siteUrl: parts.siteUrl,
        healthPolicy: health.policy,
        tap: runtime.recorder.tap !== null,
        log: logger !== false,
        ...(tuning.reloadCheckMs !== undefined ? { reloadCheckMs: tuning.reloadCheckMs } : {}),
        ...(tuning.matcher?.batchSize !== undefined ? { matcherBatchSize: tuning.matcher.batchSize } : {}),
      },
    },
    {
      lost: (partition) => parts.assigner()?.lost(partition),
      orphaned: async (fences) => {
        // A new lease (a new epoch) fences whatever the dead thread left in flight; the release waits for it.
        for (const fence of fences) {
          await store.releaseLease(fence).catch(() => {});
          parts.assigner()?.lost(fence.partition);
        }
      },
      invocationsCreated: () => runtime.worker.wake(),
      claim: (count) => runtime.worker.reserve(count),
      accept: (invocations) => runtime.worker.accept(invocations),
      recorder: runtime.recorder,
      refreshHealth: (ids) => void health.refresh(ids).catch(() => {}),
      healthStates: () => health.notHealthy(),
      processed: ({ persons, destinations, invocations }) => {
        pipeline.runner.processed += persons;
        runtime.matcher.runner.processed += destinations;
        runtime.matcher.matchedInvocations += invocations;
      },
      ...(logger ? { logger: logger.child({ component: 'stage-threads' }), threadLogger: logger } : {}),
    },
  );
}

/** `listen` errors in words: which port, and what to do about it. */
function explainListenError(error: unknown, port: number, host: string): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') {
    return new Error(`port ${port} is already in use on ${host}: another program (or another Sluice) is listening there. Stop it, or set SLUICE_PORT to a free port.`);
  }
  if (code === 'EACCES') return new Error(`port ${port} on ${host} needs privileges this process does not have: set SLUICE_PORT to a port above 1023.`);
  if (code === 'EADDRNOTAVAIL') return new Error(`cannot listen on ${host}:${port}: ${host} is not an address of this machine (SLUICE_HOST).`);
  return error;
}

/** `sluice start`'s arguments; the role is checked with the rest of the configuration. */
function parseArgs(args: string[]): { role?: string } {
  let role: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--role') role = args[++i] ?? '';
    else if (arg.startsWith('--role=')) role = arg.slice('--role='.length);
    else throw new Error(`Unknown option '${arg}'. Usage: sluice start [--role all|capture|worker|api]`);
  }
  return role !== undefined ? { role } : {};
}

function banner(running: RunningSluice): string {
  const lines = [`Sluice is running${running.role === 'all' ? '' : ` (role ${running.role})`}: ${running.url}/`];
  if (running.boot.projectCreated) {
    lines.push(`Created the default project (id ${running.boot.project.id}). Point your PostHog SDKs at ${running.url} with the project token:`);
    lines.push(`    ${running.boot.project.apiToken}`);
  }
  if (running.boot.apiKey !== null) {
    lines.push('Created an admin personal API key for the management API (Authorization: Bearer …). It is shown only once:');
    lines.push(`    ${running.boot.apiKey}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `sluice start`: serve capture and the management API until SIGTERM/SIGINT, then shut down losing nothing. */
export async function startCommand(args: string[]): Promise<number> {
  const { config, warnings } = loadConfig(process.env, parseArgs(args));
  const logger = pino({ name: 'sluice', level: config.logging.level });
  for (const warning of warnings) logger.warn(warning);

  // Listen for signals from the start: one that arrives while Sluice is still starting (the server may
  // already answer health checks) shuts it down as soon as it has started.
  let early: NodeJS.Signals | null = null;
  let onSignal = (signal: NodeJS.Signals) => void (early ??= signal);
  process.on('SIGTERM', (signal) => onSignal(signal));
  process.on('SIGINT', (signal) => onSignal(signal));

  const running = await startSluice(config, { logger });
  const { role, store } = config;
  const database = store.databaseUrl !== null ? 'postgres' : 'sqlite';
  const counters = store.redisUrl !== null ? 'redis' : database;
  const sqlite = database === 'sqlite' ? { dataDir: store.dataDir, synchronous: store.sqliteSynchronous } : {};
  logger.info({ url: running.url, role, database, counters, ...sqlite, ...(running.metricsUrl ? { metricsUrl: `${running.metricsUrl}/metrics` } : {}), projectId: running.boot.project.id }, 'sluice started');
  process.stdout.write(banner(running));

  return new Promise<number>((resolve) => {
    let signals = 0;
    onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        logger.warn({ signal }, 'second signal: exiting without finishing the shutdown');
        process.exit(1);
      }
      logger.info({ signal }, 'shutting down: no new requests, committing accepted events, finishing person processing');
      running.close().then(
        () => {
          logger.info('shutdown complete');
          resolve(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    if (early) onSignal(early);
  });
}
