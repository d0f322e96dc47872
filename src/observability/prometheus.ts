/**
 * Prometheus metrics (`docs/metrics.md`): one registry per Sluice process, filled by small hooks — intake's
 * capture observer, the runtime recorder's tap (which sees the effects of runs in delivery threads too, as
 * they are replayed in this thread), an `onResponse` hook for capture requests — and by gauges computed at
 * scrape time from the store and the runtime.
 *
 * Served at `GET /metrics` on the main port behind `Authorization: Bearer <SLUICE_METRICS_TOKEN>` (absent,
 * so 404, without the token), and/or without auth on a port of its own (`SLUICE_METRICS_PORT`, bound to
 * `SLUICE_METRICS_HOST`, default 127.0.0.1).
 *
 * Label values are bounded: route patterns (never raw URLs), destination ids, fixed sets of outcomes and
 * states; never distinct ids, event names or URLs a client chose.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CAPTURE_PATHS, CAPTURE_V1_PATH } from '../api/routes/capture/index.js';
import { SEGMENT_BATCH_PATHS, SEGMENT_CALL_PATHS } from '../api/routes/capture/segment.js';
import type { CaptureObserver } from '../ingest/intake.js';
import { PERSONS_CONSUMER } from '../ingest/pipeline.js';
import { stageCpuTotals } from '../pipeline/stage-cpu.js';
import type { HealthObservation, HealthState } from '../runtime/health.js';
import { MATCHER_CONSUMER } from '../runtime/matcher.js';
import type { RecorderTap, RuntimeMetric } from '../runtime/recorder.js';
import type { InvocationState, Store } from '../store/store.js';

export const METRICS_PATH = '/metrics';
export const DEFAULT_METRICS_HOST = '127.0.0.1';
/** The shortest `SLUICE_METRICS_TOKEN` taken. */
export const MIN_METRICS_TOKEN_LENGTH = 16;

/** The webhook sources' public route: its events are counted under this pattern. */
const SOURCE_ROUTE = '/public/webhooks/:id';

/** Routes whose requests `sluice_capture_requests_total` counts. */
const CAPTURE_ROUTES: ReadonlySet<string> = new Set([
  ...CAPTURE_PATHS,
  CAPTURE_V1_PATH,
  ...SEGMENT_BATCH_PATHS,
  ...SEGMENT_CALL_PATHS.map(([path]) => path),
  SOURCE_ROUTE,
]);

const HEALTH_STATES: readonly HealthState[] = ['healthy', 'degraded', 'disabled_temporarily', 'disabled_permanently'];
/** The states counted at scrape time: each has a partial index, so its count never scans finished invocations. */
const GAUGED_STATES: readonly InvocationState[] = ['queued', 'running', 'parked'];
/** Recorder metrics that are an outcome of an event × destination (`sluice_deliveries_total{outcome}`). */
const DELIVERY_OUTCOMES: ReadonlySet<RuntimeMetric> = new Set<RuntimeMetric>(['triggered', 'succeeded', 'failed', 'filtered', 'filtering_failed', 'inputs_failed', 'masked']);
/** Lag counts stop here: a scrape must stay cheap however far behind a stage is. */
const LAG_CAP = 1_000_000;

/** The `stage` label of a pipeline consumer: the names the lag gauge uses too. */
function stageLabel(consumer: string): string {
  return consumer === MATCHER_CONSUMER ? 'matching' : consumer;
}

// ---- settings ----------------------------------------------------------------------------------------------

/** The environment the metrics read. */
export interface MetricsEnv {
  /** Bearer token for `GET /metrics` on the main port; unset: `/metrics` is not served there (404). */
  SLUICE_METRICS_TOKEN?: string | undefined;
  /** Serve `/metrics` without auth on this port too (0: any free port). Unset: no separate port. */
  SLUICE_METRICS_PORT?: string | undefined;
  /** Address the separate port binds to. Default 127.0.0.1. */
  SLUICE_METRICS_HOST?: string | undefined;
  SLUICE_BOOTSTRAP_API_KEY?: string | undefined;
}

export interface MetricsSettings {
  /** The main port's bearer token; null: `/metrics` answers 404 there. */
  token: string | null;
  /** The separate port; null: none. */
  port: number | null;
  host: string;
}

/** Whether anything serves the metrics (else none are collected). */
export function metricsEnabled(settings: MetricsSettings): boolean {
  return settings.token !== null || settings.port !== null;
}

function shown(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * Reads `SLUICE_METRICS_TOKEN`, `SLUICE_METRICS_PORT` and `SLUICE_METRICS_HOST`; throws an error naming the
 * setting for a value that cannot be right. `mainPort` is the main listening port (a clash is refused).
 */
export function parseMetricsSettings(env: MetricsEnv, mainPort?: number): MetricsSettings {
  const tokenText = env.SLUICE_METRICS_TOKEN?.trim() ?? '';
  let token: string | null = null;
  if (tokenText !== '') {
    if (!/^[\x21-\x7e]+$/.test(tokenText)) {
      throw new Error('SLUICE_METRICS_TOKEN must be printable ASCII without spaces (it is sent as Authorization: Bearer <token>)');
    }
    if (tokenText.length < MIN_METRICS_TOKEN_LENGTH) {
      throw new Error(`SLUICE_METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters long (it has ${tokenText.length}); generate one with: openssl rand -hex 32`);
    }
    const apiKey = env.SLUICE_BOOTSTRAP_API_KEY?.trim();
    if ((apiKey !== undefined && apiKey !== '' && tokenText === apiKey) || tokenText.startsWith('phx_')) {
      throw new Error('SLUICE_METRICS_TOKEN must be a token of its own, not a personal API key: whoever scrapes metrics should not be able to manage Sluice');
    }
    token = tokenText;
  }
  const portText = env.SLUICE_METRICS_PORT?.trim() ?? '';
  const hostText = env.SLUICE_METRICS_HOST?.trim() ?? '';
  let port: number | null = null;
  if (portText !== '') {
    const n = Number(portText);
    if (!/^\d+$/.test(portText) || !Number.isInteger(n) || n > 65535) {
      throw new Error(`SLUICE_METRICS_PORT must be a port number from 0 to 65535, not '${shown(portText)}'`);
    }
    if (mainPort !== undefined && mainPort !== 0 && n === mainPort) {
      throw new Error(`SLUICE_METRICS_PORT must differ from the main port (SLUICE_PORT ${mainPort}): the metrics port serves /metrics without auth`);
    }
    port = n;
  } else if (hostText !== '') {
    throw new Error('SLUICE_METRICS_HOST is set but SLUICE_METRICS_PORT is not: set SLUICE_METRICS_PORT to serve /metrics on a port of its own');
  }
  return { token, port, host: hostText === '' ? DEFAULT_METRICS_HOST : hostText };
}

// ---- the metrics -------------------------------------------------------------------------------------------

/** What the scrape-time gauges read of the runtime (`Runtime` is one). */
export interface MetricsRuntime {
  worker: { readonly busy: number };
  health: { stateOf(destinationId: string): HealthState };
  registry: { enabledIds(): string[]; unloadable(): readonly { destinationId: string }[] };
  deliveryThreads: { readonly alive: number } | null;
}

export interface SluiceMetricsOptions {
  store: Store;
  /** The destinations runtime, once started (null in processes without one). */
  runtime?: () => MetricsRuntime | null;
  logger?: { warn(obj: object, msg?: string): void };
}

const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
const FETCH_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const VM_SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const VM_BYTES_BUCKETS = [1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216, 67_108_864];

/** Epoch ms an invocation was created at, from its UUIDv7 id (the matcher makes them); null for another id. */
export function uuidv7Ms(id: string): number | null {
  if (id.length !== 36 || id[14] !== '7') return null;
  const ms = Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
  return Number.isFinite(ms) ? ms : null;
}

type Child = { inc(value?: number): void };
type HistogramChild = { observe(value: number): void };

export class SluiceMetrics implements RecorderTap {
  readonly registry = new Registry();
  private readonly store: Store;
  private readonly runtime: () => MetricsRuntime | null;
  private readonly logger: SluiceMetricsOptions['logger'];
  private readonly requests: Counter<'endpoint' | 'status_code'>;
  private readonly captured: Counter<'endpoint'>;
  private readonly rejected: Counter<'endpoint'>;
  private readonly deliveries: Counter<'destination_id' | 'outcome'>;
  private readonly retries: Counter<'destination_id'>;
  private readonly parked: Counter<'destination_id'>;
  private readonly latency: Histogram<'destination_id' | 'outcome'>;
  private readonly fetchDuration: Histogram<'destination_id' | 'result'>;
  private readonly vmDuration: Histogram<'destination_id'>;
  private readonly vmMemory: Histogram<'destination_id'>;
  /** Label children by key: the hot paths skip prom-client's label hashing. */
  private readonly children = new Map<string, Child | HistogramChild>();

  constructor(options: SluiceMetricsOptions) {
    this.store = options.store;
    this.runtime = options.runtime ?? (() => null);
    this.logger = options.logger;
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });

    this.requests = new Counter({
      name: 'sluice_capture_requests_total',
      help: 'Capture requests answered, by route pattern and HTTP status code.',
      labelNames: ['endpoint', 'status_code'],
      registers,
    });
    this.captured = new Counter({ name: 'sluice_events_captured_total', help: 'Events stored by capture, by route pattern (internal: postHogCapture and health events).', labelNames: ['endpoint'], registers });
    this.rejected = new Counter({ name: 'sluice_events_rejected_total', help: 'Events refused one by one by capture (invalid), by route pattern.', labelNames: ['endpoint'], registers });

    this.deliveries = new Counter({
      name: 'sluice_deliveries_total',
      help: 'Event x destination outcomes: triggered (invocations created), succeeded, failed, skipped, filtered, filtering_failed, masked, inputs_failed (also counted in failed).',
      labelNames: ['destination_id', 'outcome'],
      registers,
    });
    this.retries = new Counter({ name: 'sluice_invocation_retries_total', help: 'Invocations rescheduled after a retryable fetch outcome.', labelNames: ['destination_id'], registers });
    this.parked = new Counter({ name: 'sluice_invocations_parked_total', help: 'Invocations parked because their destination was disabled by its health watcher.', labelNames: ['destination_id'], registers });
    this.latency = new Histogram({
      name: 'sluice_delivery_latency_seconds',
      help: 'From the creation of the invocation (its event matched) to its end, retries included.',
      labelNames: ['destination_id', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.fetchDuration = new Histogram({
      name: 'sluice_fetch_duration_seconds',
      help: 'Duration of destination fetches, by result (ok, failed, timeout).',
      labelNames: ['destination_id', 'result'],
      buckets: FETCH_BUCKETS,
      registers,
    });
    this.vmDuration = new Histogram({ name: 'sluice_vm_duration_seconds', help: 'Hog VM time per finished invocation, over its steps.', labelNames: ['destination_id'], buckets: VM_SECONDS_BUCKETS, registers });
    this.vmMemory = new Histogram({ name: 'sluice_vm_memory_bytes', help: 'Most memory the Hog VM held per finished invocation.', labelNames: ['destination_id'], buckets: VM_BYTES_BUCKETS, registers });

    const metrics = this;
    new Gauge({
      name: 'sluice_pipeline_lag_events',
      help: `Events of a partition stored but not yet processed by a pipeline stage (counted up to ${LAG_CAP}).`,
      labelNames: ['partition', 'stage'],
      registers,
      async collect() {
        const lag = await metrics.safely('pipeline lag', () => metrics.store.partitionLag([PERSONS_CONSUMER, MATCHER_CONSUMER], LAG_CAP));
        if (!lag) return;
        for (const row of lag) {
          this.set({ partition: String(row.partition), stage: row.consumer === PERSONS_CONSUMER ? 'persons' : 'matching' }, row.events);
        }
      },
    });
    // Totals kept by the stages themselves (`pipeline/stage-cpu.ts`), copied at scrape time.
    new Counter({
      name: 'sluice_stage_cpu_seconds_total',
      help: "CPU seconds this process's threads running the stages (the main thread or its stage threads) spent reading and processing pipeline batches (persons, matching), waiting excluded.",
      labelNames: ['stage'],
      registers,
      collect() {
        this.reset();
        for (const total of stageCpuTotals()) this.inc({ stage: stageLabel(total.stage) }, total.cpuSeconds);
      },
    });
    new Counter({
      name: 'sluice_stage_events_total',
      help: 'Events this process processed and committed in each pipeline stage (persons, matching).',
      labelNames: ['stage'],
      registers,
      collect() {
        this.reset();
        for (const total of stageCpuTotals()) this.inc({ stage: stageLabel(total.stage) }, total.events);
      },
    });
    new Gauge({
      name: 'sluice_invocations',
      help: 'Invocations in the store by state (queued, running, parked), all processes together.',
      labelNames: ['state'],
      registers,
      async collect() {
        const counts = await metrics.safely('invocation counts', () => Promise.all(GAUGED_STATES.map((state) => metrics.store.countInvocations({ states: [state] }))));
        if (!counts) return;
        GAUGED_STATES.forEach((state, i) => this.set({ state }, counts[i]!));
      },
    });
    new Gauge({
      name: 'sluice_worker_queue_depth',
      help: 'Invocations the worker of this process holds: running, or claimed and waiting for a slot.',
      registers,
      collect() {
        this.set(metrics.runtime()?.worker.busy ?? 0);
      },
    });
    new Gauge({
      name: 'sluice_delivery_threads_alive',
      help: 'Delivery threads of this process ready to run invocations.',
      registers,
      collect() {
        this.set(metrics.runtime()?.deliveryThreads?.alive ?? 0);
      },
    });
    new Gauge({
      name: 'sluice_destination_config_invalid',
      help: 'Enabled destinations this process left out because their stored configuration does not fit the schema: 1 each.',
      labelNames: ['destination_id'],
      registers,
      collect() {
        this.reset();
        for (const error of metrics.runtime()?.registry.unloadable() ?? []) this.set({ destination_id: error.destinationId }, 1);
      },
    });
    new Gauge({
      name: 'sluice_destination_health',
      help: 'Health state of each destination: 1 for its current state, 0 for the others.',
      labelNames: ['destination_id', 'state'],
      registers,
      async collect() {
        const rows = await metrics.safely('destination health', () => metrics.store.listDestinationHealth());
        if (!rows) return;
        const runtime = metrics.runtime();
        const states = new Map<string, HealthState>(rows.map((row) => [row.destinationId, row.state]));
        if (runtime) {
          for (const id of runtime.registry.enabledIds()) states.set(id, 'healthy');
          for (const id of states.keys()) states.set(id, runtime.health.stateOf(id));
        }
        this.reset();
        for (const [id, current] of states) {
          for (const state of HEALTH_STATES) this.set({ destination_id: id, state }, state === current ? 1 : 0);
        }
      },
    });
  }

  /** A store read for a gauge; a failure leaves the gauge as it was (logged), never fails the scrape. */
  private async safely<T>(what: string, read: () => Promise<T>): Promise<T | null> {
    try {
      return await read();
    } catch (error) {
      this.logger?.warn({ err: error }, `metrics: reading ${what} failed`);
      return null;
    }
  }

  private child<C extends Child | HistogramChild>(key: string, make: () => C): C {
    let child = this.children.get(key) as C | undefined;
    if (!child) this.children.set(key, (child = make()));
    return child;
  }

  // ---- hooks ---------------------------------------------------------------------------------------------

  /** Intake's observer (`IntakeOptions.observer`). */
  readonly captureObserver: CaptureObserver = (endpoint, accepted, rejected) => {
    if (accepted > 0) this.captured.inc({ endpoint }, accepted);
    if (rejected > 0) this.rejected.inc({ endpoint }, rejected);
  };

  metric(_projectId: number, destinationId: string, name: RuntimeMetric, count: number): void {
    if (DELIVERY_OUTCOMES.has(name)) {
      this.child(`d\0${destinationId}\0${name}`, () => this.deliveries.labels({ destination_id: destinationId, outcome: name })).inc(count);
    } else if (name === 'retried') {
      this.child(`r\0${destinationId}`, () => this.retries.labels({ destination_id: destinationId })).inc(count);
    } else if (name === 'parked') {
      this.child(`p\0${destinationId}`, () => this.parked.labels({ destination_id: destinationId })).inc(count);
    }
  }

  observe(_projectId: number, destinationId: string, observation: HealthObservation): void {
    if (observation.kind === 'fetch') {
      const result = observation.result;
      this.child(`f\0${destinationId}\0${result}`, () => this.fetchDuration.labels({ destination_id: destinationId, result })).observe(observation.ms / 1000);
    } else if (observation.kind === 'hog') {
      this.child(`vt\0${destinationId}`, () => this.vmDuration.labels({ destination_id: destinationId })).observe(observation.ms / 1000);
      if (observation.bytes !== undefined) {
        this.child(`vm\0${destinationId}`, () => this.vmMemory.labels({ destination_id: destinationId })).observe(observation.bytes);
      }
    }
  }

  ran(invocation: { id: string; destinationId: string }, outcome: 'succeeded' | 'failed' | 'retried' | 'skipped', now: number): void {
    const destinationId = invocation.destinationId;
    if (outcome === 'skipped') {
      this.child(`d\0${destinationId}\0skipped`, () => this.deliveries.labels({ destination_id: destinationId, outcome: 'skipped' })).inc();
      return;
    }
    if (outcome === 'retried') return;
    const created = uuidv7Ms(invocation.id);
    if (created === null) return;
    this.child(`l\0${destinationId}\0${outcome}`, () => this.latency.labels({ destination_id: destinationId, outcome })).observe(Math.max(0, now - created) / 1000);
  }

  /** Counts a capture request once it is answered (an `onResponse` hook). */
  countRequest(route: string | undefined, method: string, statusCode: number): void {
    if (route === undefined || method === 'OPTIONS' || !CAPTURE_ROUTES.has(route)) return;
    this.requests.inc({ endpoint: route, status_code: String(statusCode) });
  }

  /** The text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

// ---- serving -----------------------------------------------------------------------------------------------

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Whether an `Authorization` header carries exactly `Bearer <token>` (compared in constant time). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return false;
  return timingSafeEqual(digest(match[1]!), digest(token));
}

/**
 * The main port's part: counts capture requests as they are answered and, with a token, serves
 * `GET /metrics` to `Authorization: Bearer <token>` (401 otherwise). Without a token the route does not
 * exist (404). Call on the root instance before it listens, so the hook sees every route.
 */
export function installMetrics(app: FastifyInstance, metrics: SluiceMetrics, token: string | null): void {
  app.addHook('onResponse', async (request, reply) => metrics.countRequest(request.routeOptions.url, request.method, reply.statusCode));
  if (token === null) return;
  app.get(METRICS_PATH, { schema: { hide: true } }, async (request, reply) => {
    if (!bearerMatches(request.headers.authorization, token)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="sluice-metrics"')
        .send({ type: 'authentication_error', code: 'not_authenticated', detail: 'GET /metrics needs Authorization: Bearer <SLUICE_METRICS_TOKEN>', attr: null });
    }
    const body = await metrics.render();
    return reply.header('content-type', metrics.contentType).header('cache-control', 'no-store').send(body);
  });
}

export interface MetricsServer {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  close(): Promise<void>;
}

/** `listen` errors of the metrics port in words naming the setting. */
function explainMetricsListenError(error: unknown, port: number, host: string): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') return new Error(`SLUICE_METRICS_PORT ${port} is already in use on ${host}: choose a free port for the metrics`);
  if (code === 'EACCES') return new Error(`SLUICE_METRICS_PORT ${port} on ${host} needs privileges this process does not have: use a port above 1023`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new Error(`cannot serve metrics on ${host}:${port}: SLUICE_METRICS_HOST '${host}' is not an address of this machine`);
  }
  return error;
}

/** `GET /metrics` without auth on a port of its own; anything else is 404 (405 for another method). */
export async function startMetricsServer(metrics: SluiceMetrics, port: number, host: string): Promise<MetricsServer> {
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?', 1)[0];
    if (path !== METRICS_PATH) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`Only ${METRICS_PATH} is served on this port.\n`);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed.\n');
      return;
    }
    metrics.render().then(
      (body) => response.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' }).end(request.method === 'HEAD' ? undefined : body),
      (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`collecting metrics failed: ${error instanceof Error ? error.message : String(error)}\n`),
    );
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(explainMetricsListenError(error, port, host)));
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
