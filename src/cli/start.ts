import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { bootstrap, type BootstrapEnv, type BootstrapResult } from '../api/bootstrap.js';
import { buildServer, parseTrustProxy } from '../api/server.js';
import { createKeyring, loadOrCreateKeyring, type Keyring } from '../destinations/secrets.js';
import { GroupCommitWriter } from '../ingest/group-commit.js';
import { Intake } from '../ingest/intake.js';
import type { IngestLimits } from '../ingest/limits.js';
import { PersonPipeline } from '../ingest/pipeline.js';
import { maxFetchesFromEnv, type ExecutorLimits, type HttpRequest, type HttpResponse } from '../runtime/executor.js';
import { createFetchExecutor, parseAllowList, type FetchExecutor } from '../runtime/fetch.js';
import { startRuntime, type Runtime, type RuntimeOptions } from '../runtime/index.js';
import { DEFAULT_THREAD_MEMORY_MB } from '../runtime/delivery-threads.js';
import { CAPTURE_PATHS, CAPTURE_V1_PATH } from '../api/routes/capture/index.js';
import { isPostgresUrl, openStore } from '../store/index.js';
import { installMetrics, METRICS_PATH, metricsEnabled, parseMetricsSettings, SluiceMetrics, startMetricsServer, type MetricsEnv, type MetricsServer } from '../observability/prometheus.js';
import type { Store } from '../store/store.js';
import { ProcessingLeader } from './processing-leader.js';

/**
 * What one process does. `all`: everything (the single-process default). `capture`: accepts and stores
 * events. `worker`: person processing and matching (one leader among the workers), and delivering
 * invocations (every worker). `api`: the management API and the UI. Several processes of each share one
 * Postgres database.
 */
export type SluiceRole = 'all' | 'capture' | 'worker' | 'api';
export const SLUICE_ROLES: readonly SluiceRole[] = ['all', 'capture', 'worker', 'api'];

/** The environment `sluice start` reads (bootstrap and runtime settings). */
export interface SluiceEnv extends BootstrapEnv, MetricsEnv {
  /** Comma-separated hosts and CIDRs destinations may reach despite the private-address guard. */
  SLUICE_FETCH_ALLOW_HOSTS?: string | undefined;
  /** Base URL of the UI, for the URLs destinations see; default `http://localhost:<port>`. */
  SLUICE_SITE_URL?: string | undefined;
  /** `SLUICE_ENCRYPTION_KEYS` and the rest of the keyring's environment. */
  SLUICE_ENCRYPTION_KEYS?: string | undefined;
  /** How long a worker's claim on an invocation lasts without a heartbeat (ms). Default 30 000. */
  SLUICE_INVOCATION_LOCK_MS?: string | undefined;
  SLUICE_RETENTION_INVOCATIONS_HOURS?: string | undefined;
  SLUICE_RETENTION_LOGS_DAYS?: string | undefined;
  SLUICE_RETENTION_METRICS_DAYS?: string | undefined;
  /** `postgres://…`: use Postgres (required for more than one process). Unset: SQLite in the data dir. */
  SLUICE_DATABASE_URL?: string | undefined;
  /** Postgres connections per process. Default 6. */
  SLUICE_DATABASE_POOL_SIZE?: string | undefined;
  /** `redis://…`: the shared counters (masking windows, health buckets) in Redis instead of the database. */
  SLUICE_REDIS_URL?: string | undefined;
  /** Worker threads that run invocations (VM and HTTP). Default 2 on a machine with 2 or more cores, else 0. */
  SLUICE_DELIVERY_THREADS?: string | undefined;
  /** Heap (old generation) of each delivery thread, MB. Default 512. */
  SLUICE_DELIVERY_THREAD_MEMORY_MB?: string | undefined;
  /** Proxies whose `X-Forwarded-For` is believed: addresses/CIDRs, comma-separated, or `true`. Default none. */
  SLUICE_TRUST_PROXY?: string | undefined;
  /** `fetch` calls one invocation may make, 1 to 10. Default 2. */
  SLUICE_MAX_FETCHES?: string | undefined;
}

export interface SluiceOptions {
  dataDir: string;
  port: number;
  host: string;
  env?: SluiceEnv;
  logger?: Logger | false;
  synchronous?: 'full' | 'normal';
  limits?: Partial<IngestLimits>;
  /** Runtime settings over what `env` says (tests, bench). */
  runtime?: Partial<Pick<RuntimeOptions, 'worker' | 'matcher' | 'executorLimits' | 'retention' | 'reloadCheckMs' | 'siteUrl' | 'fetcher' | 'health'>> & {
    /** Delivery threads; overrides `SLUICE_DELIVERY_THREADS`. 0: run invocations in the main thread. */
    deliveryThreads?: number;
    /** Each delivery thread's heap, MB; overrides `SLUICE_DELIVERY_THREAD_MEMORY_MB`. */
    deliveryThreadMemoryMb?: number;
  };
  /** Keyring for secret inputs; default from `SLUICE_ENCRYPTION_KEYS` or the data dir's key file. */
  keyring?: Keyring;
  /** Default `all`. */
  role?: SluiceRole;
  /** Postgres URL; default `env.SLUICE_DATABASE_URL`. */
  databaseUrl?: string;
  /** How often a worker that is not the processing leader tries to become it (ms). Default 1 000. */
  leaderRetryMs?: number;
}

export interface RunningSluice {
  role: SluiceRole;
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
  /** Whether this process currently runs person processing and matching. */
  readonly isProcessingLeader: boolean;
  keyring: Keyring;
  boot: BootstrapResult;
  /** Stops accepting requests, commits what was accepted, finishes person processing, closes the store. */
  close(): Promise<void>;
}

function positiveNumber(text: string | undefined, name: string): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not '${text}'`);
  return n;
}

/**
 * Delivery threads: what the options or `SLUICE_DELIVERY_THREADS` say; else two when the machine has a
 * second core (the VM and the HTTP client then run beside capture, persons and matching; on 2 cores two
 * threads delivered 13–63 % more than one, `docs/runtime.md`), none on one core, with an in-memory store (threads cannot share it), or with a fetch executor passed in code (a
 * thread makes its own requests).
 */
/** Delivery threads on a machine with 2 or more cores, unless told otherwise. */
export const DEFAULT_DELIVERY_THREADS = 2;

function deliveryThreadCount(options: SluiceOptions, env: SluiceEnv): number {
  const inMemory = options.dataDir === ':memory:' && !isPostgresUrl(options.databaseUrl ?? env.SLUICE_DATABASE_URL);
  const asked = options.runtime?.deliveryThreads ?? (env.SLUICE_DELIVERY_THREADS?.trim() ? Number(env.SLUICE_DELIVERY_THREADS) : undefined);
  if (asked === undefined) return availableParallelism() >= 2 && !inMemory && !options.runtime?.fetcher ? DEFAULT_DELIVERY_THREADS : 0;
  if (!Number.isInteger(asked) || asked < 0) throw new Error(`SLUICE_DELIVERY_THREADS must be 0 or a positive integer, not '${String(asked)}'`);
  if (asked > 0 && inMemory) throw new Error('delivery threads need a database file or Postgres; an in-memory store is not shared with threads');
  if (asked > 0 && options.runtime?.fetcher) throw new Error('delivery threads make their own requests; a fetch executor passed in code needs deliveryThreads: 0');
  return asked;
}

/**
 * The executor limits every runner in this process uses — the main thread, the delivery threads and
 * test runs — so a test run and a delivery never disagree: `SLUICE_MAX_FETCHES` under what code passes.
 */
function executorLimitsFor(options: SluiceOptions, env: SluiceEnv): Partial<ExecutorLimits> {
  const maxFetches = maxFetchesFromEnv(env.SLUICE_MAX_FETCHES);
  return { ...(maxFetches !== undefined ? { maxFetches } : {}), ...options.runtime?.executorLimits };
}

function retentionFromEnv(env: SluiceEnv): RuntimeOptions['retention'] {
  const hours = positiveNumber(env.SLUICE_RETENTION_INVOCATIONS_HOURS, 'SLUICE_RETENTION_INVOCATIONS_HOURS');
  const logDays = positiveNumber(env.SLUICE_RETENTION_LOGS_DAYS, 'SLUICE_RETENTION_LOGS_DAYS');
  const metricDays = positiveNumber(env.SLUICE_RETENTION_METRICS_DAYS, 'SLUICE_RETENTION_METRICS_DAYS');
  return {
    ...(hours ? { invocationsMs: hours * 3_600_000 } : {}),
    ...(logDays ? { logsMs: logDays * 86_400_000 } : {}),
    ...(metricDays ? { metricsMs: metricDays * 86_400_000 } : {}),
  };
}

function keyringFor(options: SluiceOptions, logger: Logger | false): Keyring {
  if (options.keyring) return options.keyring;
  if (options.dataDir === ':memory:') return createKeyring([randomBytes(32)]);
  const log = logger
    ? { warn: (m: string) => logger.warn(m), info: (m: string) => logger.info(m) }
    : { warn: () => {}, info: () => {} };
  return loadOrCreateKeyring({ env: { ...process.env, ...(options.env ?? {}) }, dataDir: options.dataDir, log });
}

function fetchForTestRuns(fetcher: FetchExecutor): (request: HttpRequest) => Promise<HttpResponse> {
  return async (request) => {
    const response = await fetcher.fetch(request);
    return { status: response.status, body: response.body, headers: response.headers };
  };
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

/**
 * Composes store, intake, person processing, destinations runtime and HTTP server for one role, and
 * listens. Used by the CLI, tests and bench.
 *
 * SQLite with role `all` is the embedded single process: committed events are handed to person processing
 * in memory. On Postgres every role reads what it consumes back from the store (other processes write
 * it), and person processing with matching run in the one processing leader among `all`/`worker` processes.
 */
export async function startSluice(options: SluiceOptions): Promise<RunningSluice> {
  const logger = options.logger === undefined ? false : options.logger;
  const env = options.env ?? {};
  const role = options.role ?? 'all';
  if (!SLUICE_ROLES.includes(role)) throw new Error(`Unknown role '${role}': use all, capture, worker or api`);
  const databaseUrl = options.databaseUrl ?? env.SLUICE_DATABASE_URL;
  const postgres = isPostgresUrl(databaseUrl);
  if (role !== 'all' && !postgres) {
    throw new Error(`--role ${role} needs a shared database: set SLUICE_DATABASE_URL=postgres://… (SQLite serves one process, role all)`);
  }
  const poolSize = positiveNumber(env.SLUICE_DATABASE_POOL_SIZE, 'SLUICE_DATABASE_POOL_SIZE');
  const trustProxy = parseTrustProxy(env.SLUICE_TRUST_PROXY);
  const metricsSettings = parseMetricsSettings(env, options.port);
  const threadCount = deliveryThreadCount(options, env);
  const executorLimits = executorLimitsFor(options, env);
  const threadMemoryMb = options.runtime?.deliveryThreadMemoryMb ?? positiveNumber(env.SLUICE_DELIVERY_THREAD_MEMORY_MB, 'SLUICE_DELIVERY_THREAD_MEMORY_MB') ?? DEFAULT_THREAD_MEMORY_MB;
  const storeOptions = {
    dataDir: options.dataDir,
    synchronous: options.synchronous ?? 'full',
    databaseUrl,
    ...(poolSize ? { poolSize: Math.floor(poolSize) } : {}),
    redisUrl: env.SLUICE_REDIS_URL,
  };
  const store = await openStore(storeOptions);
  const boot = await store.withLock('bootstrap', () => bootstrap(store, env));
  const keyring = keyringFor(options, logger);
  const fetcher = createFetchExecutor({ allowList: parseAllowList(env.SLUICE_FETCH_ALLOW_HOSTS ?? '') });
  const processes = role === 'all' || role === 'worker';
  const pipeline = new PersonPipeline({
    store,
    readFromStore: postgres,
    ...(logger ? { logger: logger.child({ component: 'persons' }) } : {}),
  });
  const writer = new GroupCommitWriter(store, processes ? { onCommitted: (events) => pipeline.push(events) } : {});
  if (processes && !postgres) await pipeline.start();
  let runtime: Runtime | null = null;
  const metrics = metricsEnabled(metricsSettings) ? new SluiceMetrics({ store, runtime: () => runtime, ...(logger ? { logger } : {}) }) : null;
  const intake = new Intake({ store, writer, ...(options.limits ? { limits: options.limits } : {}), ...(metrics ? { observer: metrics.captureObserver } : {}) });
  const app = await buildServer({
    store,
    intake,
    logger,
    keyring,
    onDestinationsChanged: () => void runtime?.reload(),
    sourceHealth: () => runtime?.health ?? null,
    fetch: fetchForTestRuns(fetcher),
    executorLimits,
    ...(env.SLUICE_SITE_URL ? { siteUrl: env.SLUICE_SITE_URL } : {}),
    ...(options.runtime?.health ? { healthOptions: options.runtime.health } : {}),
    trustProxy,
  });
  if (metrics) installMetrics(app, metrics, metricsSettings.token);
  const allowed = allowedPaths(role);
  if (allowed) {
    app.addHook('onRequest', async (request, reply) => {
      const path = request.url.split('?', 1)[0]!;
      if (!allowed(path) && path !== METRICS_PATH) {
        await reply.code(404).send({ type: 'invalid_request', code: 'not_found', detail: `This Sluice process has role '${role}' and does not serve ${path}.` });
      }
    });
  }
  // A start that fails part-way (the port is taken, a delivery thread cannot start) stops what it had
  // started, so the process ends with the error instead of running half a Sluice with no port.
  let metricsServer: MetricsServer | null = null;
  const abandon = async (error: unknown): Promise<never> => {
    await app.close().catch(() => {});
    await metricsServer?.close().catch(() => {});
    await writer.close().catch(() => {});
    await pipeline.stop().catch(() => {});
    await fetcher.close().catch(() => {});
    await store.close().catch(() => {});
    throw error;
  };
  await app.listen({ port: options.port, host: options.host }).catch((error: unknown) => abandon(explainListenError(error, options.port, options.host)));
  if (metrics && metricsSettings.port !== null) metricsServer = await startMetricsServer(metrics, metricsSettings.port, metricsSettings.host).catch(abandon);
  const address = app.server.address() as AddressInfo;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  const lockMs = positiveNumber(env.SLUICE_INVOCATION_LOCK_MS, 'SLUICE_INVOCATION_LOCK_MS');
  let leader: ProcessingLeader | null = null;
  if (processes) {
    const { deliveryThreads: _count, deliveryThreadMemoryMb: _memory, ...runtimeOptions } = options.runtime ?? {};
    const siteUrl = runtimeOptions.siteUrl ?? env.SLUICE_SITE_URL ?? `http://localhost:${address.port}`;
    const worker = { ...(lockMs ? { lockMs } : {}), ...runtimeOptions.worker };
    const started = await startRuntime({
      store,
      pipeline,
      keyring,
      intake,
      fetcher,
      siteUrl,
      retention: retentionFromEnv(env),
      ...(logger ? { logger } : {}),
      ...runtimeOptions,
      executorLimits,
      worker,
      startMatcher: !postgres,
      ...(metrics ? { tap: metrics } : {}),
      ...(threadCount > 0
        ? {
            deliveryThreads: {
              count: threadCount,
              resourceLimits: { maxOldGenerationSizeMb: threadMemoryMb },
              config: {
                store: storeOptions,
                keys: keyring.exportKeys(),
                allowHosts: env.SLUICE_FETCH_ALLOW_HOSTS ?? '',
                executorLimits,
                ...(runtimeOptions.reloadCheckMs !== undefined ? { reloadCheckMs: runtimeOptions.reloadCheckMs } : {}),
              },
            },
          }
        : {}),
    }).catch(abandon);
    runtime = started;
    if (postgres) {
      leader = new ProcessingLeader(
        store,
        {
          async start() {
            // The matcher first: it subscribes before person processing emits its first batch.
            await started.matcher.start();
            await pipeline.start();
          },
          async stop() {
            await pipeline.stop();
            await started.matcher.stop();
          },
        },
        logger ? logger.child({ component: 'leader' }) : undefined,
        options.leaderRetryMs ?? 1_000,
      );
      await leader.start();
    }
  }
  let closing: Promise<void> | null = null;
  return {
    role,
    app,
    url: `http://${shownHost}:${address.port}`,
    metricsUrl: metricsServer?.url ?? null,
    store,
    intake,
    writer,
    pipeline,
    get runtime(): Runtime {
      if (!runtime) throw new Error(`a Sluice process with role '${role}' has no destinations runtime`);
      return runtime;
    },
    get isProcessingLeader(): boolean {
      return leader ? leader.isLeader : processes;
    },
    keyring,
    boot,
    close() {
      closing ??= (async () => {
        await app.close();
        await metricsServer?.close();
        await writer.close();
        if (leader) await leader.stop();
        else await pipeline.stop();
        await runtime?.stop();
        await fetcher.close();
        await store.close();
      })();
      return closing;
    },
  };
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

function parseArgs(args: string[]): { role: SluiceRole } {
  let role = 'all';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--role') role = args[++i] ?? '';
    else if (arg.startsWith('--role=')) role = arg.slice('--role='.length);
    else throw new Error(`Unknown option '${arg}'. Usage: sluice start [--role all|capture|worker|api]`);
  }
  if (!(SLUICE_ROLES as readonly string[]).includes(role)) throw new Error(`Unknown role '${role}': use all, capture, worker or api`);
  return { role: role as SluiceRole };
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
  const { role } = parseArgs(args);
  const logger = pino({ name: 'sluice', level: process.env.SLUICE_LOG_LEVEL ?? 'info' });
  const port = Number(process.env.SLUICE_PORT ?? 8040);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`SLUICE_PORT must be a port number, not '${process.env.SLUICE_PORT}'`);
  const dataDir = process.env.SLUICE_DATA_DIR ?? './data';
  const synchronous = process.env.SLUICE_SQLITE_SYNCHRONOUS === 'normal' ? 'normal' : 'full';

  // Listen for signals from the start: one that arrives while Sluice is still starting (the server may
  // already answer health checks) shuts it down as soon as it has started.
  let early: NodeJS.Signals | null = null;
  let onSignal = (signal: NodeJS.Signals) => void (early ??= signal);
  process.on('SIGTERM', (signal) => onSignal(signal));
  process.on('SIGINT', (signal) => onSignal(signal));

  const running = await startSluice({
    role,
    dataDir,
    port,
    host: process.env.SLUICE_HOST ?? '0.0.0.0',
    env: process.env,
    logger,
    synchronous,
  });
  const database = isPostgresUrl(process.env.SLUICE_DATABASE_URL) ? 'postgres' : 'sqlite';
  const counters = process.env.SLUICE_REDIS_URL ? 'redis' : database;
  logger.info({ url: running.url, role, database, counters, ...(database === 'sqlite' ? { dataDir, synchronous } : {}), ...(running.metricsUrl ? { metricsUrl: `${running.metricsUrl}/metrics` } : {}), projectId: running.boot.project.id }, 'sluice started');
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
