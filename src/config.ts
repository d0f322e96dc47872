/**
 * Sluice's configuration: every `SLUICE_*` environment variable `sluice start` reads, parsed and checked
 * here, once, into one typed {@link SluiceConfig}. Nothing else in `src/` reads the environment for
 * settings: `cli/start.ts` builds every service from the config it is given.
 *
 * A start with bad settings stops before anything opens, with one error that lists every bad variable,
 * what is wrong with it and what is accepted — not only the first, so a deployment is fixed in one round.
 * A `SLUICE_*` variable that no setting reads is a warning (`SLUICE_PARTITON=32` would otherwise be
 * ignored without a word), with the closest known name when there is one.
 *
 * {@link VARIABLES} is the single list: its entries parse the values, and the configuration reference
 * (`docs/configuration.md`, `npm run gen:docs`) is rendered from them.
 */
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { parseTrustProxy, type TrustProxy } from './api/server.js';
import { parseEncryptionKeys, keyIdOf } from './destinations/secrets.js';
import { parseMetricsSettings, DEFAULT_METRICS_HOST, type MetricsSettings } from './observability/prometheus.js';
import { DEFAULT_THREAD_MEMORY_MB } from './runtime/delivery-threads.js';
import { DEFAULT_EXECUTOR_LIMITS, maxFetchesFromEnv } from './runtime/executor.js';
import { parseAllowList } from './runtime/fetch.js';
import { DEFAULT_CONCURRENCY, THREADED_CONCURRENCY } from './runtime/worker.js';
import { DEFAULT_RETENTION } from './runtime/retention.js';
import { isPostgresUrl } from './store/index.js';
import { parsePartitionCount } from './store/partitions.js';

/**
 * What one process does. `all`: everything (the single-process default). `capture`: accepts and stores
 * events. `worker`: person processing and matching for the partitions it leases, and delivering
 * invocations. `api`: the management API and the UI. Several processes of each share one Postgres.
 */
export type SluiceRole = 'all' | 'capture' | 'worker' | 'api';
export const SLUICE_ROLES: readonly SluiceRole[] = ['all', 'capture', 'worker', 'api'];

/** pino's levels. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface SluiceConfig {
  role: SluiceRole;
  server: {
    /** 0: any free port (tests). */
    port: number;
    host: string;
    /** Base URL of the UI, without a trailing slash; null: `http://localhost:<bound port>`. */
    siteUrl: string | null;
    trustProxy: TrustProxy;
  };
  store: {
    /** `:memory:` (tests): an in-memory SQLite store and a keyring of this process only. */
    dataDir: string;
    /** null: SQLite in `dataDir`. */
    databaseUrl: string | null;
    poolSize: number;
    /** null: the shared counters live in the database. */
    redisUrl: string | null;
    sqliteSynchronous: 'full' | 'normal';
  };
  pipeline: {
    /** P for a new store; a store keeps the P it was created with. */
    partitions: number;
    /** Worker threads that run person processing and matching (Postgres `all`/`worker` processes); 0: the main thread. */
    stageThreads: number;
  };
  runtime: {
    /** 0: invocations run in the main thread. */
    deliveryThreads: number;
    deliveryThreadMemoryMb: number;
    invocationLockMs: number;
    /** Invocations one worker runs at the same time; null: the runtime's default (more with delivery threads). */
    concurrency: number | null;
    /** Of those, at most this many of one destination (a quarter while it is degraded); null: a quarter of them. */
    destinationConcurrency: number | null;
    maxFetches: number;
    /** Hosts, IPs and CIDRs destinations may reach despite the private-address guard. */
    fetchAllowHosts: readonly string[];
  };
  retention: { invocationsMs: number; logsMs: number; metricsMs: number };
  metrics: MetricsSettings;
  secrets: {
    /** null: the key file in the data dir (created on first start). */
    encryptionKeys: readonly Buffer[] | null;
  };
  bootstrap: {
    /** First start only; null: a random `phc_…`. */
    projectToken: string | null;
    /** First start only; null: a random `phx_…`. */
    apiKey: string | null;
  };
  logging: { level: LogLevel };
}

/** What `sluice start` was given on its command line; it wins over the environment. */
export interface CliArgs {
  role?: string | undefined;
}

/** What the machine offers; a parameter so tests can pin it. */
export interface MachineFacts {
  cores: number;
}

export interface LoadedConfig {
  config: SluiceConfig;
  /** Unknown `SLUICE_*` variables and settings that have no effect: the CLI logs each. */
  warnings: string[];
}

/** Every problem of a configuration, each its own line naming its variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      problems.length === 1
        ? `Sluice cannot start: ${problems[0]}`
        : `Sluice cannot start: ${problems.length} settings are wrong:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

// ---- parsing one value -------------------------------------------------------------------------------------

/** A value that does not parse; `accepts` completes "SLUICE_X must be …". */
class Rejected extends Error {
  constructor(readonly accepts: string) {
    super(accepts);
  }
}

/** Part of the configuration reference a variable belongs to (its section in docs/configuration.md). */
export type Concern = 'server' | 'store' | 'pipeline' | 'runtime' | 'retention' | 'metrics' | 'secrets' | 'bootstrap' | 'logging';

export interface Variable<T> {
  concern: Concern;
  /** The default as the reference shows it. */
  shownDefault: string;
  /** One line for the reference: what it does and what it accepts. */
  meaning: string;
  /** The value when the variable is unset or blank (`undefined`: decided from other settings). */
  fallback: T;
  /** Parses a set, trimmed value; throws {@link Rejected} or an error whose message names the variable. */
  parse(text: string): T;
  /** Never repeat the value in an error: it may hold a password, a key or a token. */
  secret?: boolean;
}

function variable<T>(definition: Variable<T>): Variable<T> {
  return definition;
}

function wholeNumber(min: number, max: number, unit = ''): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) throw new Rejected(`a whole number${unit} from ${min} to ${max}`);
    return n;
  };
}

function positiveNumber(max: number): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!/^\d*\.?\d+$/.test(text) || !(n > 0) || n > max) throw new Rejected(`a number greater than 0 and at most ${max}`);
    return n;
  };
}

function oneOf<T extends string>(values: readonly T[]): (text: string) => T {
  return (text) => {
    if (!(values as readonly string[]).includes(text)) throw new Rejected(`one of ${values.join(', ')}`);
    return text as T;
  };
}

/** Printable ASCII without spaces: what travels in headers and URLs unchanged. */
function token(maxLength: number): (text: string) => string {
  return (text) => {
    if (!/^[\x21-\x7e]+$/.test(text) || text.length > maxLength) throw new Rejected(`printable ASCII without spaces, at most ${maxLength} characters`);
    return text;
  };
}

/** Errors of the modules' own parsers already name their variable; their first line is kept, clipped. */
function ownMessage(error: unknown): string {
  const line = (error instanceof Error ? error.message : String(error)).split('\n', 1)[0]!;
  return escapeControls(line.length > 300 ? `${line.slice(0, 300)}…` : line);
}

const HOST_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** Hours and days in ms; retention periods are capped at 100 years so `now - period` stays a date. */
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MAX_RETENTION_DAYS = 36_500;

// ---- the variables -----------------------------------------------------------------------------------------

/** Most delivery threads the machine's cores give by default (see `defaultDeliveryThreads`). */
export const MAX_DEFAULT_DELIVERY_THREADS = 8;

/**
 * Delivery threads on a machine with `cores` cores, unless set: one per core but the one the main thread
 * keeps (capture, persons, matching and every write run there, and on a saturated machine a delivery
 * thread that competes with it for a core slows the whole pipeline), at most
 * {@link MAX_DEFAULT_DELIVERY_THREADS} (each thread keeps its own HTTP pool, up to 64 connections per
 * destination); none on one core, where a thread only adds hand-over costs. On 2 cores one thread
 * delivered 13 % more than two with one destination and 8 % less with ten (`docs/runtime.md`).
 */
export function defaultDeliveryThreads(cores: number): number {
  return cores >= 2 ? Math.min(cores - 1, MAX_DEFAULT_DELIVERY_THREADS) : 0;
}

/**
 * Every setting `sluice start` reads. Each default carries the reason it is the default; `shownDefault` and
 * `meaning` are the configuration reference's columns.
 */
export const VARIABLES = {
  SLUICE_ROLE: variable<SluiceRole>({
    concern: 'server',
    // One process that does everything is the SQLite setup, the one that needs no other service.
    fallback: 'all',
    shownDefault: '`all`',
    meaning: 'what this process does: `all`, `capture`, `worker` or `api` (`docs/deploy.md`); `sluice start --role` wins over it. Roles other than `all` need `SLUICE_DATABASE_URL`',
    parse: oneOf(SLUICE_ROLES),
  }),
  SLUICE_PORT: variable<number>({
    concern: 'server',
    // Sluice's own port in every example and SDK snippet; unused by common services.
    fallback: 8040,
    shownDefault: '`8040`',
    meaning: 'the port of capture, the management API and the UI; a whole number from 0 to 65535 (0: any free port)',
    parse: wholeNumber(0, 65_535),
  }),
  SLUICE_HOST: variable<string>({
    concern: 'server',
    // SDKs run on other machines, and a container's port mapping needs every interface.
    fallback: '0.0.0.0',
    shownDefault: '`0.0.0.0`',
    meaning: 'the address to listen on: an IP address or a host name of this machine',
    parse: (text) => {
      if (isIP(text) === 0 && !(text.length <= 253 && HOST_NAME.test(text))) throw new Rejected('an IP address (0.0.0.0, ::, 127.0.0.1) or a host name');
      return text;
    },
  }),
  SLUICE_SITE_URL: variable<string | null>({
    concern: 'server',
    // The port this process bound is the one address known to reach it without more configuration.
    fallback: null,
    shownDefault: '`http://localhost:<port>`',
    meaning: "base URL of the UI as users reach it, for the URLs destinations see in their globals and health notifications' links",
    parse: (text) => {
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        throw new Rejected('an http:// or https:// URL such as https://sluice.example.com');
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Rejected('an http:// or https:// URL such as https://sluice.example.com');
      return text.replace(/\/+$/, '');
    },
  }),
  SLUICE_TRUST_PROXY: variable<TrustProxy>({
    concern: 'server',
    // Believing X-Forwarded-For from anyone would let every client choose its own `$ip`.
    fallback: false,
    shownDefault: 'none',
    meaning: 'proxies whose `X-Forwarded-For` sets the client address (`$ip`): comma-separated addresses and CIDR ranges, or `loopback`, `linklocal`, `uniquelocal`; `true` trusts every hop',
    parse: (text) => parseTrustProxy(text),
  }),
  SLUICE_DATA_DIR: variable<string>({
    concern: 'store',
    // Beside where Sluice was started: easy to find, to back up, and to mount as a volume.
    fallback: './data',
    shownDefault: '`./data`',
    meaning: 'folder of the SQLite database (`sluice.db`, `-wal`, `-shm`) and of the generated `encryption.key`',
    parse: (text) => {
      if (text.includes('\0') || text.length > 4096) throw new Rejected('a folder path (no NUL character, at most 4096 characters)');
      return text;
    },
  }),
  SLUICE_DATABASE_URL: variable<string | null>({
    concern: 'store',
    // SQLite needs no other service; Postgres is for several processes.
    fallback: null,
    shownDefault: 'unset (SQLite)',
    meaning: '`postgres://user:password@host:5432/db`: use Postgres, required for more than one process; add `?options=-c%20search_path%3Dmyschema` for a schema',
    secret: true,
    parse: (text) => {
      if (!isPostgresUrl(text)) throw new Rejected('a postgres:// or postgresql:// URL');
      return text;
    },
  }),
  SLUICE_DATABASE_POOL_SIZE: variable<number>({
    concern: 'store',
    // Enough for capture's commits, the worker's claims and the API at once, while ten processes still fit
    // in Postgres' default max_connections of 100 (each also keeps a LISTEN and a lease connection).
    fallback: 6,
    shownDefault: '`6`',
    meaning: "Postgres connections per process; `max_connections` must cover processes × (pool + 3)",
    parse: wholeNumber(1, 500),
  }),
  SLUICE_REDIS_URL: variable<string | null>({
    concern: 'store',
    // The database already holds the shared counters; Redis only takes their load off it.
    fallback: null,
    shownDefault: 'unset (counters in the database)',
    meaning: '`redis://[:password@]host:6379[/db]` or `rediss://…`: masking windows and health-bucket counters in Redis; give every process the same value',
    secret: true,
    parse: (text) => {
      if (!/^rediss?:\/\/\S+$/i.test(text)) throw new Rejected('a redis:// or rediss:// URL');
      return text;
    },
  }),
  SLUICE_SQLITE_SYNCHRONOUS: variable<'full' | 'normal'>({
    concern: 'store',
    // `full` syncs every commit: an acknowledged event survives a power cut, not only a crash.
    fallback: 'full',
    shownDefault: '`full`',
    meaning: '`full` or `normal` (an acknowledged event survives a Sluice crash but maybe not a power cut; `docs/ingest.md`, Durability)',
    parse: oneOf(['full', 'normal'] as const),
  }),
  SLUICE_PARTITIONS: variable<number | undefined>({
    concern: 'pipeline',
    // Decided by the store (see `partitionsFor`).
    fallback: undefined,
    shownDefault: '`16` on Postgres, `1` on SQLite',
    meaning: 'P, the partitions events are spread over, fixed when the store is created (a store keeps its own): at most P worker processes share person processing and matching',
    parse: (text) => parsePartitionCount(text)!,
  }),
  SLUICE_STAGE_THREADS: variable<number | undefined>({
    concern: 'pipeline',
    // Decided by the machine and the store (see `stageThreadsFor`).
    fallback: undefined,
    shownDefault: 'cores − 1 (at most P) on Postgres, `0` on SQLite',
    meaning: "worker threads that run person processing and matching for this process's partitions, each partition in one of them; started as partitions need them; `0` runs both stages in the main thread. Postgres only; set it lower when several workers share the machine's cores (`docs/deploy.md`, Sizing)",
    parse: wholeNumber(0, 64),
  }),
  SLUICE_DELIVERY_THREADS: variable<number | undefined>({
    concern: 'runtime',
    // Decided by the machine (see `deliveryThreadsFor`).
    fallback: undefined,
    shownDefault: 'cores − 1 (at most 8), `0` on one core',
    meaning: 'worker threads that run invocations (the Hog VM and the HTTP requests) beside the main thread; `0` runs them in the main thread (`docs/runtime.md`)',
    parse: wholeNumber(0, 64),
  }),
  SLUICE_DELIVERY_THREAD_MEMORY_MB: variable<number>({
    concern: 'runtime',
    // One VM runs at a time in a thread (64 MiB budget): 512 MB is ample, yet a runaway run ends its own
    // thread within seconds instead of growing the process until the machine kills it.
    fallback: DEFAULT_THREAD_MEMORY_MB,
    shownDefault: `\`${DEFAULT_THREAD_MEMORY_MB}\``,
    meaning: 'heap (V8 old generation) of each delivery thread, MB; a thread that exceeds it dies alone and is restarted',
    parse: wholeNumber(32, 65_536, ' of MB'),
  }),
  SLUICE_INVOCATION_LOCK_MS: variable<number>({
    concern: 'runtime',
    // Far above event-loop and database stalls under load (3 s expired live locks on a saturated 2-core
    // machine, 10 s did not), yet a killed worker's invocations are taken over within a minute.
    fallback: 30_000,
    shownDefault: '`30000`',
    meaning: "how long a worker's claim on an invocation lasts without a heartbeat, ms; a killed worker's invocations restart after it",
    parse: wholeNumber(100, 3_600_000),
  }),
  SLUICE_WORKER_CONCURRENCY: variable<number | undefined>({
    concern: 'runtime',
    // Each running invocation is a request in flight (a socket) and a suspended VM (a few KB). With
    // delivery threads a run also waits for the main thread to take its result back, so the window is
    // four times larger there. One destination's quarter delivers (quarter / latency) per second.
    fallback: undefined,
    shownDefault: `\`${THREADED_CONCURRENCY}\` with delivery threads, \`${DEFAULT_CONCURRENCY}\` without`,
    meaning: 'invocations one worker process runs at the same time, all destinations together',
    parse: wholeNumber(1, 10_000),
  }),
  SLUICE_DESTINATION_CONCURRENCY: variable<number | undefined>({
    concern: 'runtime',
    // A quarter: a destination that times out on every request holds at most a quarter of the slots.
    fallback: undefined,
    shownDefault: 'a quarter of `SLUICE_WORKER_CONCURRENCY`',
    meaning:
      "of those, invocations of one destination at the same time (a quarter of it while the destination is degraded); one destination's deliveries per second are at most this divided by its response time",
    parse: wholeNumber(1, 10_000),
  }),
  SLUICE_MAX_FETCHES: variable<number>({
    concern: 'runtime',
    // Most destinations make one request, a lookup-then-write makes two; each fetch holds a worker slot
    // for up to its timeout, so more is opt-in.
    fallback: DEFAULT_EXECUTOR_LIMITS.maxFetches,
    shownDefault: `\`${DEFAULT_EXECUTOR_LIMITS.maxFetches}\``,
    meaning: '`fetch` calls one invocation may make, a whole number from 1 to 10; the same limit holds for delivery and test runs',
    parse: (text) => maxFetchesFromEnv(text)!,
  }),
  SLUICE_FETCH_ALLOW_HOSTS: variable<readonly string[]>({
    concern: 'runtime',
    // Private, loopback and link-local targets are refused until allowed: a destination must not reach
    // into the network Sluice runs in.
    fallback: [],
    shownDefault: 'none',
    meaning: 'comma-separated hosts (`hooks.internal`, `*.internal`), IPs and CIDRs destinations may reach although they are private, loopback or link-local',
    parse: (text) => {
      parseAllowList(text);
      return text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
    },
  }),
  SLUICE_RETENTION_INVOCATIONS_HOURS: variable<number>({
    concern: 'retention',
    // A day keeps yesterday's deliveries inspectable without the queue table growing with the traffic.
    fallback: DEFAULT_RETENTION.invocationsMs / HOUR_MS,
    shownDefault: `\`${DEFAULT_RETENTION.invocationsMs / HOUR_MS}\``,
    meaning: 'finished invocations are deleted after this many hours',
    parse: positiveNumber(MAX_RETENTION_DAYS * 24),
  }),
  SLUICE_RETENTION_LOGS_DAYS: variable<number>({
    concern: 'retention',
    // A week covers "it broke last weekend" while log lines, the bulkiest rows, stay bounded.
    fallback: DEFAULT_RETENTION.logsMs / DAY_MS,
    shownDefault: `\`${DEFAULT_RETENTION.logsMs / DAY_MS}\``,
    meaning: 'destination log lines are deleted after this many days',
    parse: positiveNumber(MAX_RETENTION_DAYS),
  }),
  SLUICE_RETENTION_METRICS_DAYS: variable<number>({
    concern: 'retention',
    // Hourly metric rows are small; a quarter shows trends across releases.
    fallback: DEFAULT_RETENTION.metricsMs / DAY_MS,
    shownDefault: `\`${DEFAULT_RETENTION.metricsMs / DAY_MS}\``,
    meaning: 'hourly destination metrics are deleted after this many days',
    parse: positiveNumber(MAX_RETENTION_DAYS),
  }),
  SLUICE_METRICS_TOKEN: variable<string | null>({
    concern: 'metrics',
    // Metrics name projects and destinations: nothing is served on the main port without a token.
    fallback: null,
    shownDefault: 'unset (`/metrics` answers 404 on the main port)',
    meaning: 'Bearer token for `GET /metrics` on the main port, at least 16 printable characters and not a personal API key (`docs/metrics.md`)',
    secret: true,
    parse: (text) => parseMetricsSettings({ SLUICE_METRICS_TOKEN: text }).token,
  }),
  SLUICE_METRICS_PORT: variable<number | null>({
    concern: 'metrics',
    // A port without auth is opened only when asked for.
    fallback: null,
    shownDefault: 'unset',
    meaning: 'also serve `/metrics`, without auth, on this port (0: any free port); must differ from `SLUICE_PORT`',
    parse: (text) => parseMetricsSettings({ SLUICE_METRICS_PORT: text }).port,
  }),
  SLUICE_METRICS_HOST: variable<string | null>({
    concern: 'metrics',
    // The metrics port has no auth, so only this machine reaches it unless told otherwise.
    fallback: null,
    shownDefault: `\`${DEFAULT_METRICS_HOST}\``,
    meaning: 'the address `SLUICE_METRICS_PORT` binds to',
    parse: (text) => {
      if (isIP(text) === 0 && !(text.length <= 253 && HOST_NAME.test(text))) throw new Rejected('an IP address or a host name');
      return text;
    },
  }),
  SLUICE_ENCRYPTION_KEYS: variable<readonly Buffer[] | null>({
    concern: 'secrets',
    // A first start must work without setup: a key is generated into the data dir (with a warning to
    // back it up); several processes need this variable, the same in each.
    fallback: null,
    shownDefault: '`encryption.key` in the data dir',
    meaning: 'comma-separated 32-byte keys (base64 or hex; `openssl rand -base64 32`), the first encrypts, all decrypt; the same in every process',
    secret: true,
    parse: (text) => {
      const keys = parseEncryptionKeys(text);
      const ids = keys.map(keyIdOf);
      const twice = ids.findIndex((id, index) => ids.indexOf(id) !== index);
      if (twice >= 0) throw new Error(`SLUICE_ENCRYPTION_KEYS lists key #${twice + 1} twice`);
      return keys;
    },
  }),
  SLUICE_BOOTSTRAP_PROJECT_TOKEN: variable<string | null>({
    concern: 'bootstrap',
    // A random token cannot collide with another installation's.
    fallback: null,
    shownDefault: 'random `phc_…`',
    meaning: "first start only: the default project's token",
    parse: token(200),
  }),
  SLUICE_BOOTSTRAP_API_KEY: variable<string | null>({
    concern: 'bootstrap',
    // A random key is printed once and stored only hashed: nobody else knows it.
    fallback: null,
    shownDefault: 'random `phx_…`',
    meaning: 'first start only: the admin personal API key (scope `*`)',
    secret: true,
    parse: token(200),
  }),
  SLUICE_LOG_LEVEL: variable<LogLevel>({
    concern: 'logging',
    // Starts, stops, warnings and errors, without a line per request.
    fallback: 'info',
    shownDefault: '`info`',
    meaning: 'pino level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`; logs are JSON lines on stdout',
    parse: oneOf(LOG_LEVELS),
  }),
} satisfies Record<`SLUICE_${string}`, Variable<unknown>>;

export type VariableName = keyof typeof VARIABLES;
type Values = { [K in VariableName]: (typeof VARIABLES)[K] extends Variable<infer T> ? T : never };

/** `SLUICE_*` variables other commands and Sluice's own tests read: known, so never warned about. */
const OTHER_READERS = new Set(['SLUICE_URL', 'SLUICE_API_KEY', 'SLUICE_UI_SCREENSHOTS', 'SLUICE_CHROMIUM']);
const OTHER_PREFIXES = ['SLUICE_TEST_', 'SLUICE_BENCH_', 'SLUICE_SCALE_'];
/** Warnings about unknown variables stop here; a larger environment gets one line for the rest. */
const MAX_UNKNOWN_WARNINGS = 20;

// ---- loading -----------------------------------------------------------------------------------------------

/** A value as an error shows it: at most 40 characters, control characters escaped. */
function shown(text: string): string {
  return escapeControls(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function escapeControls(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function problemOf(label: string, text: string, definition: Variable<unknown>, error: unknown): string {
  if (!(error instanceof Rejected)) return ownMessage(error);
  const given = definition.secret ? 'the value given is not shown: it may hold a secret' : `not '${shown(text)}'`;
  return `${label} must be ${error.accepts}, ${given}`;
}

interface Parsed {
  values: Values;
  /** Variables set to a valid value (not left to their default). */
  given: Set<VariableName>;
  /** Variables set to a value that does not parse (their value here is the default). */
  failed: Set<VariableName>;
  problems: string[];
}

function parseVariables(env: Record<string, string | undefined>, cli: CliArgs): Parsed {
  const values: Record<string, unknown> = {};
  const given = new Set<VariableName>();
  const failed = new Set<VariableName>();
  const problems: string[] = [];
  for (const [name, definition] of Object.entries(VARIABLES) as [VariableName, Variable<unknown>][]) {
    const fromCli = name === 'SLUICE_ROLE' && cli.role !== undefined;
    const text = (fromCli ? cli.role : env[name])?.trim() ?? '';
    values[name] = definition.fallback;
    if (text === '') {
      if (fromCli) {
        problems.push(`--role needs a value: one of ${SLUICE_ROLES.join(', ')}`);
        failed.add(name);
      }
      continue;
    }
    try {
      values[name] = definition.parse(text);
      given.add(name);
    } catch (error) {
      problems.push(problemOf(fromCli ? '--role' : name, text, definition, error));
      failed.add(name);
    }
  }
  return { values: values as Values, given, failed, problems };
}

/** Levenshtein distance, for suggesting the variable a typo meant. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function closestVariable(name: string): string | null {
  if (name.length > 64) return null;
  let best: string | null = null;
  let bestDistance = 4;
  for (const known of Object.keys(VARIABLES)) {
    const d = distance(name, known);
    if (d < bestDistance) [best, bestDistance] = [known, d];
  }
  return best;
}

function unknownVariableWarnings(env: Record<string, string | undefined>): string[] {
  const unknown = Object.keys(env).filter(
    (name) => name.startsWith('SLUICE_') && !(name in VARIABLES) && !OTHER_READERS.has(name) && !OTHER_PREFIXES.some((p) => name.startsWith(p)),
  );
  const warnings = unknown.slice(0, MAX_UNKNOWN_WARNINGS).map((name) => {
    const closest = closestVariable(name);
    return `${shown(name)} is not a Sluice setting and is ignored${closest ? `; did you mean ${closest}?` : ''} (docs/configuration.md lists them all)`;
  });
  if (unknown.length > MAX_UNKNOWN_WARNINGS) warnings.push(`${unknown.length - MAX_UNKNOWN_WARNINGS} more unknown SLUICE_* variables are ignored`);
  return warnings;
}

/** Checks between variables, each only when the variables it involves are valid on their own. */
function crossProblems(parsed: Parsed, roleLabel: string): string[] {
  const { values: v, given, failed } = parsed;
  const valid = (...names: VariableName[]): boolean => names.every((name) => !failed.has(name));
  const problems: string[] = [];
  const postgres = v.SLUICE_DATABASE_URL !== null;
  if (valid('SLUICE_ROLE', 'SLUICE_DATABASE_URL') && v.SLUICE_ROLE !== 'all' && !postgres) {
    problems.push(`${roleLabel} ${v.SLUICE_ROLE} needs a shared database: set SLUICE_DATABASE_URL=postgres://… (SQLite serves one process, role all)`);
  }
  if (valid('SLUICE_DATA_DIR', 'SLUICE_DATABASE_URL') && v.SLUICE_DATA_DIR === ':memory:' && !postgres && (v.SLUICE_DELIVERY_THREADS ?? 0) > 0) {
    problems.push('SLUICE_DELIVERY_THREADS must be 0 with an in-memory store: delivery threads open the store themselves and cannot share one in memory');
  }
  const perDestination = v.SLUICE_DESTINATION_CONCURRENCY;
  const workerConcurrency = v.SLUICE_WORKER_CONCURRENCY;
  if (valid('SLUICE_WORKER_CONCURRENCY', 'SLUICE_DESTINATION_CONCURRENCY') && perDestination !== undefined && workerConcurrency !== undefined && perDestination > workerConcurrency) {
    problems.push(
      `SLUICE_DESTINATION_CONCURRENCY (${perDestination}) must not exceed SLUICE_WORKER_CONCURRENCY (${workerConcurrency}): one destination cannot run more invocations than the worker`,
    );
  }
  if (valid('SLUICE_PORT') && v.SLUICE_METRICS_PORT !== null && v.SLUICE_METRICS_PORT !== 0 && v.SLUICE_METRICS_PORT === v.SLUICE_PORT) {
    problems.push(`SLUICE_METRICS_PORT must differ from the main port (SLUICE_PORT ${v.SLUICE_PORT}): the metrics port serves /metrics without auth`);
  }
  if (valid('SLUICE_METRICS_PORT') && v.SLUICE_METRICS_PORT === null && given.has('SLUICE_METRICS_HOST')) {
    problems.push('SLUICE_METRICS_HOST is set but SLUICE_METRICS_PORT is not: set SLUICE_METRICS_PORT to serve /metrics on a port of its own');
  }
  if (v.SLUICE_METRICS_TOKEN !== null && v.SLUICE_METRICS_TOKEN === v.SLUICE_BOOTSTRAP_API_KEY) {
    problems.push('SLUICE_METRICS_TOKEN must be a token of its own, not a personal API key: whoever scrapes metrics should not be able to manage Sluice');
  }
  return problems;
}

/** Settings that are valid but do nothing with the rest of the configuration. */
function ineffectiveWarnings(parsed: Parsed): string[] {
  const { values: v, given } = parsed;
  const warnings: string[] = [];
  const postgres = v.SLUICE_DATABASE_URL !== null;
  if (postgres && given.has('SLUICE_SQLITE_SYNCHRONOUS')) warnings.push('SLUICE_SQLITE_SYNCHRONOUS has no effect with SLUICE_DATABASE_URL (Postgres)');
  if (!postgres && given.has('SLUICE_DATABASE_POOL_SIZE')) warnings.push('SLUICE_DATABASE_POOL_SIZE has no effect without SLUICE_DATABASE_URL (SQLite)');
  if (!postgres && (v.SLUICE_STAGE_THREADS ?? 0) > 0) warnings.push('SLUICE_STAGE_THREADS has no effect without SLUICE_DATABASE_URL: on SQLite person processing and matching run in the main thread');
  if (given.has('SLUICE_STAGE_THREADS') && (v.SLUICE_ROLE === 'capture' || v.SLUICE_ROLE === 'api')) {
    warnings.push(`SLUICE_STAGE_THREADS has no effect with role ${v.SLUICE_ROLE}: only all and worker processes run person processing and matching`);
  }
  return warnings;
}

/**
 * P for a new store: 16 on Postgres, room for up to 16 worker processes sharing person processing and
 * matching; 1 on SQLite, whose one process and one writer gain nothing from more.
 */
function partitionsFor(v: Values): number {
  return v.SLUICE_PARTITIONS ?? (v.SLUICE_DATABASE_URL !== null ? 16 : 1);
}

/** Delivery threads unless set: by the cores (`defaultDeliveryThreads`), none with an in-memory store, which threads cannot open. */
function deliveryThreadsFor(v: Values, machine: MachineFacts): number {
  if (v.SLUICE_DELIVERY_THREADS !== undefined) return v.SLUICE_DELIVERY_THREADS;
  const inMemory = v.SLUICE_DATA_DIR === ':memory:' && v.SLUICE_DATABASE_URL === null;
  return inMemory ? 0 : defaultDeliveryThreads(machine.cores);
}

/**
 * Stage threads unless set: on Postgres, one per core but the one the main thread keeps (capture, the
 * API, claiming and recording invocations), and never more than P, as a partition lives in one thread.
 * They are started only as the process's partitions need them, so a worker owning 2 partitions runs 2
 * threads at most. None on SQLite: it takes one writer at a time, so threads committing person batches
 * and invocations would only queue for its lock (the main thread writes everything there), and an
 * in-memory store cannot be opened from a thread. None on one core, where a thread only adds hand-over.
 * The default assumes the process has the machine's cores: on 2 cores one worker ran 1.25–1.8 times as
 * fast with one stage thread, 2 workers with one each 0.46–0.96 times as fast as without (docs/deploy.md).
 */
function stageThreadsFor(v: Values, machine: MachineFacts): number {
  if (v.SLUICE_DATABASE_URL === null) return 0;
  if (v.SLUICE_STAGE_THREADS !== undefined) return v.SLUICE_STAGE_THREADS;
  return Math.max(0, Math.min(machine.cores - 1, partitionsFor(v)));
}

function assemble(v: Values, machine: MachineFacts): SluiceConfig {
  return {
    role: v.SLUICE_ROLE,
    server: { port: v.SLUICE_PORT, host: v.SLUICE_HOST, siteUrl: v.SLUICE_SITE_URL, trustProxy: v.SLUICE_TRUST_PROXY },
    store: {
      dataDir: v.SLUICE_DATA_DIR,
      databaseUrl: v.SLUICE_DATABASE_URL,
      poolSize: v.SLUICE_DATABASE_POOL_SIZE,
      redisUrl: v.SLUICE_REDIS_URL,
      sqliteSynchronous: v.SLUICE_SQLITE_SYNCHRONOUS,
    },
    pipeline: { partitions: partitionsFor(v), stageThreads: stageThreadsFor(v, machine) },
    runtime: {
      deliveryThreads: deliveryThreadsFor(v, machine),
      deliveryThreadMemoryMb: v.SLUICE_DELIVERY_THREAD_MEMORY_MB,
      invocationLockMs: v.SLUICE_INVOCATION_LOCK_MS,
      concurrency: v.SLUICE_WORKER_CONCURRENCY ?? null,
      destinationConcurrency: v.SLUICE_DESTINATION_CONCURRENCY ?? null,
      maxFetches: v.SLUICE_MAX_FETCHES,
      fetchAllowHosts: v.SLUICE_FETCH_ALLOW_HOSTS,
    },
    retention: {
      invocationsMs: Math.round(v.SLUICE_RETENTION_INVOCATIONS_HOURS * HOUR_MS),
      logsMs: Math.round(v.SLUICE_RETENTION_LOGS_DAYS * DAY_MS),
      metricsMs: Math.round(v.SLUICE_RETENTION_METRICS_DAYS * DAY_MS),
    },
    metrics: { token: v.SLUICE_METRICS_TOKEN, port: v.SLUICE_METRICS_PORT, host: v.SLUICE_METRICS_HOST ?? DEFAULT_METRICS_HOST },
    secrets: { encryptionKeys: v.SLUICE_ENCRYPTION_KEYS },
    bootstrap: { projectToken: v.SLUICE_BOOTSTRAP_PROJECT_TOKEN, apiKey: v.SLUICE_BOOTSTRAP_API_KEY },
    logging: { level: v.SLUICE_LOG_LEVEL },
  };
}

/**
 * Parses and checks every setting of `env` (with `cli` over it) into a {@link SluiceConfig}. Throws one
 * {@link ConfigError} listing every problem; returns the warnings (unknown `SLUICE_*` variables, settings
 * without effect) for the caller to log.
 */
export function loadConfig(env: Record<string, string | undefined>, cli: CliArgs = {}, machine: MachineFacts = { cores: availableParallelism() }): LoadedConfig {
  const parsed = parseVariables(env, cli);
  const roleLabel = cli.role !== undefined ? '--role' : 'SLUICE_ROLE';
  const problems = [...parsed.problems, ...crossProblems(parsed, roleLabel)];
  if (problems.length > 0) throw new ConfigError(problems);
  return { config: assemble(parsed.values, machine), warnings: [...unknownVariableWarnings(env), ...ineffectiveWarnings(parsed)] };
}
