/**
 * End-to-end throughput on Postgres with 1, 2 and 4 worker processes behind 2 capture processes, against
 * the embedded single process on SQLite as the baseline; how evenly the workers share person processing
 * and matching; and whether appends from the 2 capture processes wait on each other's locks.
 *
 * Each run: a fresh schema, 2 capture processes and N worker processes of the built CLI
 * (`node dist/src/cli/index.js start --role …`), one webhook destination matching every event, a bare
 * counting sink in a thread of this process (its own event loop: the load generator does not delay it).
 * EVENTS events from DISTINCT_IDS distinct ids (so the 16 partitions get similar load) go to the capture
 * processes as `/batch` requests of 100 over 8 connections, half to each. Workers run invocations in their
 * main thread (`SLUICE_DELIVERY_THREADS=0`: see `runOnPostgres`), and person processing and matching in the
 * main thread too (`SLUICE_STAGE_THREADS=0`) or in T stage threads of each worker. Printed per run:
 *
 * - events delivered per second, from the first request to the last delivery, and accepted per second;
 * - per worker, scraped from its `/metrics` at the end: events and main-thread CPU seconds of each stage
 *   (`sluice_stage_events_total`, `sluice_stage_cpu_seconds_total`) and its share of all workers'
 *   persons + matching CPU. With 4 workers no share may exceed 35 % (PASS/FAIL; FAIL sets the exit code);
 *   on 2 cores the total cannot grow, so even shares are the evidence that it would with more cores;
 * - with stage threads, per thread of each worker: its partitions and persons + matching CPU seconds and
 *   share, from the `stage threads stopped` line each worker logs when it stops (`stage-cpu.ts` per thread;
 *   counted from the worker's start, so the idle polls before the load are in, unlike the `/metrics` deltas);
 * - while the load runs, `pg_stat_activity` and `pg_locks` every 10 ms: samples with an append running,
 *   with both capture processes appending at once, and with an append waiting on a lock (expected 0),
 *   plus what running appends wait on otherwise (WAL writes and flushes);
 * - WAL bytes and write transactions per event (`pg_current_wal_lsn()`, the next transaction id, before
 *   and after; both are server-wide, so other sessions' work shows up: samples that saw one are counted).
 *
 * Then two short runs of the 2 capture processes alone, the second with every append serialized by a
 * trigger taking one advisory lock (what a shared append lock costs, and proof that the sampler sees such
 * waits), compared in the same run. The SQLite run is one `--role all` process on a temp data dir.
 *
 * `SLUICE_BENCH_PG_EVENTS` (20000) sets the events per run, `SLUICE_BENCH_PG_WORKERS` (`1,2,4`) the
 * worker counts, `SLUICE_BENCH_PG_STAGE_THREADS` (`0,2`) the stage threads per worker: every worker count
 * runs with each.
 * Needs Postgres at `SLUICE_BENCH_DATABASE_URL` (default postgres://postgres@127.0.0.1:5432/test);
 * skipped with a note when none answers.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import pg from 'pg';
import { startSluice } from '../src/cli/start.js';
import { generateEncryptionKey } from '../src/destinations/secrets.js';
import { createSchema, dropSchema, probePostgres, runSql, urlWithSchema } from '../src/store/postgres/schemas.js';
import { freePort, startProcess, stopProcess, webhookDestination, type ClusterProcess } from './cluster.js';

const TOKEN = 'phc_bench_pg';
const API_KEY = 'phx_bench_pg_admin';
const METRICS_TOKEN = 'bench-metrics-token-0123456789';
const ROOT = join(import.meta.dirname, '..', '..');
const EVENTS = Number(process.env.SLUICE_BENCH_PG_EVENTS ?? 20_000);
/** Worker counts to run, e.g. `4` or `1,2,4` (the default). */
const WORKER_COUNTS = (process.env.SLUICE_BENCH_PG_WORKERS ?? '1,2,4').split(',').map(Number);
/** Stage threads per worker, e.g. `0` or `0,2` (the default): each worker count runs with each. */
const STAGE_THREADS = (process.env.SLUICE_BENCH_PG_STAGE_THREADS ?? '0,2').split(',').map(Number);
const PER_REQUEST = 100;
const CONNECTIONS = 8;
const CAPTURES = 2;
const DISTINCT_IDS = 5_000;
const SAMPLE_MS = 10;
/** The most persons + matching CPU one of 4 workers may do. */
const MAX_SHARE_OF_4 = 0.35;
const STAGES = ['persons', 'matching'] as const;
type StageName = (typeof STAGES)[number];

// ---- load ---------------------------------------------------------------------------------------------------

function body(from: number, count: number): string {
  const events: string[] = [];
  for (let n = from; n < from + count; n++) events.push(`{"event":"signed up","distinct_id":"user-${n % DISTINCT_IDS}","properties":{"n":${n}}}`);
  return `{"api_key":"${TOKEN}","batch":[${events.join(',')}]}`;
}

/** Sends `total` events, connection i to `urls[i % urls.length]`; returns each request's latency (ms). */
async function send(urls: string[], total: number): Promise<number[]> {
  let next = 0;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, connection) => {
      const url = urls[connection % urls.length]!;
      while (next < total) {
        const from = next;
        next += PER_REQUEST;
        for (;;) {
          const sent = performance.now();
          const res = await fetch(`${url}/batch/`, { method: 'POST', body: body(from, Math.min(PER_REQUEST, total - from)), headers: { 'content-type': 'application/json' } });
          await res.arrayBuffer();
          if (res.status === 200) {
            latencies.push(performance.now() - sent);
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }),
  );
  return latencies;
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

// ---- the sink ----------------------------------------------------------------------------------------------

interface SinkThreadData {
  sluicePgBenchSink: true;
  /** One Int32 per event number: deliveries of that event. */
  seen: SharedArrayBuffer;
  /** Int32 [requests, distinct events delivered]. */
  stats: SharedArrayBuffer;
}

/** The sink's thread: answers 200 to every request and counts the event number `n` of each body. */
function runSinkThread(data: SinkThreadData): void {
  const seen = new Int32Array(data.seen);
  const stats = new Int32Array(data.stats);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Atomics.add(stats, 0, 1);
      try {
        const { n: value } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { n: unknown };
        // A body without a number (null, '') is not event 0.
        const n = typeof value === 'number' || (typeof value === 'string' && value.trim() !== '') ? Number(value) : Number.NaN;
        if (Number.isInteger(n) && n >= 0 && n < seen.length && Atomics.add(seen, n, 1) === 0) Atomics.add(stats, 1, 1);
      } catch {
        // not ours
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => parentPort!.postMessage((server.address() as AddressInfo).port));
}

if (!isMainThread && (workerData as Partial<SinkThreadData> | undefined)?.sluicePgBenchSink) runSinkThread(workerData as SinkThreadData);

interface Sink {
  url: string;
  /** Distinct events delivered. */
  delivered(): number;
  requests(): number;
  close(): Promise<void>;
}

async function startSink(events: number): Promise<Sink> {
  const data: SinkThreadData = { sluicePgBenchSink: true, seen: new SharedArrayBuffer(4 * events), stats: new SharedArrayBuffer(8) };
  const worker = new Worker(new URL(import.meta.url), { workerData: data });
  const [port] = (await once(worker, 'message')) as [number];
  const stats = new Int32Array(data.stats);
  return {
    url: `http://127.0.0.1:${port}`,
    delivered: () => Atomics.load(stats, 1),
    requests: () => Atomics.load(stats, 0),
    close: async () => void (await worker.terminate()),
  };
}

// ---- Postgres observations ----------------------------------------------------------------------------------

/** `url` with the connection's `application_name`, so the sampler knows whose sessions it sees. */
function withApplicationName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('application_name', name);
  return parsed.toString();
}

interface LockSamples {
  samples: number;
  /** Samples with at least one capture process's append running. */
  appending: number;
  /** Samples with appends of both capture processes running at the same moment. */
  overlapping: number;
  /** Samples with a capture process's append waiting on a lock (`pg_locks` not granted, or wait type Lock). */
  lockWaits: number;
  /** Samples where a session that is not this benchmark's was active (its WAL and commits count too). */
  otherActive: number;
  /** What running appends were waiting on, per sampled append (`CPU` when not waiting). */
  waits: Map<string, number>;
  /** The kinds of lock (`wait_event` of type Lock) appends waited on, per sampled append. */
  lockKinds: Map<string, number>;
}

const ACTIVITY_SQL = `
  SELECT a.application_name AS app, a.wait_event_type AS wait_type, a.wait_event AS wait,
         a.query LIKE 'INSERT INTO events%' AS appending,
         EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND NOT l.granted) AS lock_waiting
  FROM pg_stat_activity a
  WHERE a.pid <> pg_backend_pid() AND a.backend_type = 'client backend' AND a.state = 'active'`;

interface ActivityRow {
  app: string;
  wait_type: string | null;
  wait: string | null;
  appending: boolean;
  lock_waiting: boolean;
}

/** Samples the server's active sessions every SAMPLE_MS until `stop` is called. */
async function startLockSampler(url: string): Promise<{ stop(): Promise<LockSamples> }> {
  const client = new pg.Client({ connectionString: withApplicationName(url, 'sluice-bench-sampler') });
  await client.connect();
  const result: LockSamples = { samples: 0, appending: 0, overlapping: 0, lockWaits: 0, otherActive: 0, waits: new Map(), lockKinds: new Map() };
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const started = performance.now();
      const { rows } = await client.query<ActivityRow>(ACTIVITY_SQL);
      result.samples++;
      const appends = rows.filter((r) => r.app.startsWith('sluice-capture-') && r.appending);
      if (appends.length > 0) result.appending++;
      if (new Set(appends.map((r) => r.app)).size >= 2) result.overlapping++;
      if (appends.some((r) => r.lock_waiting || r.wait_type === 'Lock')) result.lockWaits++;
      if (rows.some((r) => !r.app.startsWith('sluice-'))) result.otherActive++;
      for (const r of appends) {
        const key = r.wait_type === null ? 'CPU' : `${r.wait_type}:${r.wait}`;
        result.waits.set(key, (result.waits.get(key) ?? 0) + 1);
        if (r.lock_waiting || r.wait_type === 'Lock') result.lockKinds.set(r.wait ?? 'unknown', (result.lockKinds.get(r.wait ?? 'unknown') ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, SAMPLE_MS - (performance.now() - started))));
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      await client.end();
      return result;
    },
  };
}

interface ServerPosition {
  lsn: string;
  /** The next transaction id: every writing transaction takes one; reads take none. */
  nextXid: number;
}

async function serverPosition(url: string): Promise<ServerPosition> {
  const [row] = await runSql<{ lsn: string; next_xid: string }>(url, 'SELECT pg_current_wal_lsn()::text AS lsn, pg_snapshot_xmax(pg_current_snapshot())::text AS next_xid');
  return { lsn: row!.lsn, nextXid: Number(row!.next_xid) };
}

async function serverGrowth(url: string, from: ServerPosition): Promise<{ walBytes: number; transactions: number }> {
  const to = await serverPosition(url);
  const [row] = await runSql<{ bytes: string }>(url, 'SELECT pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn)::text AS bytes', [to.lsn, from.lsn]);
  return { walBytes: Number(row!.bytes), transactions: to.nextXid - from.nextXid };
}

/** Waits until every partition is leased and the workers hold equal shares (±1), as they do once settled. */
async function waitForBalancedLeases(url: string, workers: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const rows = await runSql<{ owner: string; n: number }>(url, 'SELECT owner, count(*)::int AS n FROM partition_leases WHERE owner IS NOT NULL AND expires_at > $1 GROUP BY owner', [Date.now()]);
    const counts = rows.map((r) => r.n);
    const total = counts.reduce((a, b) => a + b, 0);
    const [partitions] = await runSql<{ n: number }>(url, 'SELECT count(*)::int AS n FROM partition_leases');
    if (rows.length === workers && total === partitions!.n && Math.max(...counts) - Math.min(...counts) <= 1) return;
    if (Date.now() > deadline) {
      console.log(`  (partitions not settled after 30 s: ${JSON.stringify(rows)}; measuring anyway)`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Leases taken so far, over all partitions (each take increments its partition's epoch). */
async function leaseEpochs(url: string): Promise<number> {
  const [row] = await runSql<{ n: number }>(url, 'SELECT coalesce(sum(epoch), 0)::int AS n FROM partition_leases');
  return row!.n;
}

/** Each worker's leased partitions, by the pid in its member id (`worker-<host>-<pid>-<random>`). */
async function partitionsByPid(url: string): Promise<Map<number, number[]>> {
  const rows = await runSql<{ owner: string; partition: number }>(url, 'SELECT owner, partition FROM partition_leases WHERE owner IS NOT NULL ORDER BY partition');
  const byPid = new Map<number, number[]>();
  for (const row of rows) {
    const pid = Number(/-(\d+)-[0-9a-f]+$/.exec(row.owner)?.[1]);
    byPid.set(pid, [...(byPid.get(pid) ?? []), row.partition]);
  }
  return byPid;
}

/** Makes every append in the schema take one advisory lock until its transaction ends: the serialized baseline. */
async function serializeAppends(url: string): Promise<void> {
  await runSql(
    url,
    `CREATE FUNCTION bench_serialize_appends() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN PERFORM pg_advisory_xact_lock(hashtext(current_schema())); RETURN NULL; END $$`,
  );
  await runSql(url, 'CREATE TRIGGER bench_serialize_appends BEFORE INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION bench_serialize_appends()');
}

/** What a stalled run looks like: per stage, events not yet processed; the oldest open transactions. */
async function stallReport(url: string, processes: ClusterProcess[]): Promise<string> {
  const lag = await runSql<{ consumer: string; behind: number }>(
    url,
    `SELECT o.consumer, count(*)::int AS behind FROM partition_offsets o
     JOIN events e ON e.partition = o.partition AND (e.tx, e.seq) > (o.tx, o.seq) GROUP BY o.consumer`,
  );
  const open = await runSql<{ app: string; state: string; age: string; query: string }>(
    url,
    `SELECT application_name AS app, state, (now() - xact_start)::text AS age, left(query, 60) AS query FROM pg_stat_activity
     WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid() ORDER BY xact_start LIMIT 3`,
  );
  const states = await runSql<{ state: string; n: number }>(url, 'SELECT state, count(*)::int AS n FROM invocations GROUP BY state');
  const health = await runSql<{ to_state: string; reason: string }>(url, 'SELECT to_state, left(reason, 200) AS reason FROM destination_health_changes ORDER BY id');
  const offsets = await runSql<{ consumer: string; n: number }>(url, 'SELECT consumer, count(*)::int AS n FROM partition_offsets GROUP BY consumer');
  const alive = processes.map((p) => `${p.role} ${p.child.exitCode === null ? 'running' : `exited ${p.child.exitCode}`}: ${p.stderrTail().slice(-300).trim() || 'no output'}`);
  return [`behind: ${JSON.stringify(lag)}`, `offsets: ${JSON.stringify(offsets)}`, `invocations: ${JSON.stringify(states)}`, `health: ${JSON.stringify(health)}`, `oldest transactions: ${JSON.stringify(open)}`, ...alive].join('\n  ');
}

/** Average stored row sizes (bytes) of the tables every event writes to. */
async function rowSizes(url: string): Promise<string> {
  const tables = ['events', 'enriched_events', 'invocations'];
  const sizes = await Promise.all(tables.map(async (t) => (await runSql<{ n: number | null }>(url, `SELECT avg(pg_column_size(t.*))::int AS n FROM ${t} t`))[0]!.n));
  return tables.map((t, i) => `${t} ${sizes[i] ?? '—'}`).join(', ');
}

async function waitForQueueDrained(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const [row] = await runSql<{ n: number }>(url, "SELECT count(*)::int AS n FROM invocations WHERE state IN ('queued', 'running')");
    if (row!.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// ---- a worker's own numbers ---------------------------------------------------------------------------------

interface StageUse {
  events: number;
  cpuSeconds: number;
}

type StageUses = Record<StageName, StageUse>;

interface Scrape {
  stages: StageUses;
  /** `process_cpu_seconds_total`: every thread of the process. */
  processCpu: number;
}

/** The stage counters and the process CPU of one process's `/metrics`. */
async function scrape(port: number): Promise<Scrape> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (res.status !== 200) throw new Error(`/metrics on port ${port} answered ${res.status}`);
  const text = await res.text();
  const read = (series: string): number => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  const stages = {} as StageUses;
  for (const stage of STAGES) {
    stages[stage] = { events: read(`sluice_stage_events_total{stage="${stage}"}`), cpuSeconds: read(`sluice_stage_cpu_seconds_total{stage="${stage}"}`) };
  }
  return { stages, processCpu: read('process_cpu_seconds_total') };
}

/** CPU seconds of every Postgres server process now, by pid (Linux `/proc`); null elsewhere. */
function postgresCpu(): Map<number, number> | null {
  const ticksPerSecond = 100; // USER_HZ, the unit of /proc/<pid>/stat on Linux
  try {
    const cpu = new Map<number, number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      } catch {
        continue; // gone meanwhile
      }
      if (!stat.includes(' (postgres) ')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpu.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / ticksPerSecond);
    }
    return cpu;
  } catch {
    return null;
  }
}

/** Postgres CPU seconds used between two readings (processes started meanwhile count from zero). */
function postgresCpuUsed(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  let used = 0;
  for (const [pid, seconds] of after) used += seconds - (before.get(pid) ?? 0);
  return used;
}

interface WorkerUse {
  partitions: number[];
  stages: StageUses;
  /** The process's CPU (all threads) while the load ran and was processed. */
  processCpu: number;
}

// ---- one run ------------------------------------------------------------------------------------------------

interface RunSetup {
  label: string;
  env: Record<string, string>;
  roles: string[];
  /** Postgres (schema URL); undefined: SQLite. */
  databaseUrl?: string;
  dataDir: string;
  events: number;
  /** Wait for every delivery (false: capture only, measured until the last request is answered). */
  deliver: boolean;
  serialized?: boolean;
  /** `SLUICE_STAGE_THREADS` of the worker processes (0: persons and matching in their main thread). */
  stageThreads?: number;
}

/** One stage thread's (or a worker's main thread's) persons + matching over the worker's life. */
interface ThreadUse {
  thread: string;
  cpuSeconds: number;
  events: number;
}

/** What a worker logs when it stops (`StageThreads.stop`): each thread's stage totals. */
interface StageThreadsSummary {
  cpu: { thread: string; totals: { stage: string; cpuSeconds: number; events: number }[] }[];
}

/** The per-thread totals of a worker's `stage threads stopped` line; null without one. */
function threadUsesOf(line: string | undefined): ThreadUse[] | null {
  if (line === undefined) return null;
  const summary = JSON.parse(line) as StageThreadsSummary;
  return summary.cpu.map(({ thread, totals }) => ({
    thread,
    cpuSeconds: totals.reduce((sum, t) => sum + t.cpuSeconds, 0),
    events: totals.filter((t) => t.stage === 'persons').reduce((sum, t) => sum + t.events, 0),
  }));
}

interface Run {
  label: string;
  events: number;
  workers: number;
  /** Partitions that changed hands during the load (a lease lapsed, or a worker took one over). */
  moves: number;
  eventsPerSecond: number;
  acceptedPerSecond: number;
  duplicates: number;
  latencyP50: number;
  latencyP99: number;
  uses: WorkerUse[];
  /** Per worker (as `uses`), per thread: persons + matching over the worker's life; null without stage threads. */
  threadUses: (ThreadUse[] | null)[];
  stageThreads: number;
  /** CPU seconds of the capture processes (Postgres runs). */
  captureCpu: number;
  /** CPU seconds of the Postgres server's processes (Postgres runs on Linux). */
  postgresCpu: number | null;
  locks: LockSamples | null;
  walBytesPerEvent: number | null;
  transactionsPerEvent: number | null;
  /** Write transactions per second, from the first request until everything was processed. */
  transactionsPerSecond: number | null;
  /** Average row bytes of the tables an event writes to. */
  rows: string;
}

/** The destination, created through the management API before the workers start (they load it then). */
async function createDestination(setup: RunSetup, sinkUrl: string): Promise<void> {
  const { databaseUrl } = setup;
  const api = await startSluice({ role: databaseUrl ? 'api' : 'all', dataDir: setup.dataDir, ...(databaseUrl ? { databaseUrl } : {}), port: 0, host: '127.0.0.1', env: setup.env, logger: false });
  try {
    const created = await fetch(`${api.url}/api/projects/1/hog_functions/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(webhookDestination(sinkUrl)),
    });
    if (created.status !== 201) throw new Error(`creating the destination failed: ${created.status} ${await created.text()}`);
  } finally {
    await api.close();
  }
}

/**
 * Starts the setup's processes into `processes` (so the caller stops every one that started). Workers
 * with stage threads log at info, and their `stage threads stopped` line goes into `summaries`.
 */
async function startProcesses(setup: RunSetup, processes: ClusterProcess[], summaries: Map<ClusterProcess, string>): Promise<void> {
  const count = new Map<string, number>();
  for (const role of setup.roles) {
    const n = (count.get(role) ?? 0) + 1;
    count.set(role, n);
    const own: Record<string, string> = setup.databaseUrl ? { SLUICE_DATABASE_URL: withApplicationName(setup.databaseUrl, `sluice-${role}-${n}`) } : {};
    const threads = role === 'worker' && setup.databaseUrl ? (setup.stageThreads ?? 0) : 0;
    if (role === 'worker' && setup.databaseUrl) own.SLUICE_STAGE_THREADS = String(threads);
    if (threads === 0) {
      processes.push(await startProcess(ROOT, role, await freePort(), { ...setup.env, ...own }));
      continue;
    }
    const started: { worker?: ClusterProcess } = {};
    const onLine = (line: string): void => {
      if (started.worker && line.includes('"stage threads stopped"')) summaries.set(started.worker, line);
    };
    started.worker = await startProcess(ROOT, role, await freePort(), { ...setup.env, ...own, SLUICE_LOG_LEVEL: 'info' }, 30_000, onLine);
    processes.push(started.worker);
  }
}

/** Waits for every event at the sink; gives up, with what the cluster looks like, when none arrives for 60 s. */
async function waitForDeliveries(setup: RunSetup, sink: Sink, processes: ClusterProcess[]): Promise<void> {
  let seen = sink.delivered();
  let progressAt = Date.now();
  while (sink.delivered() < setup.events && Date.now() - progressAt < 60_000) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (sink.delivered() > seen) [seen, progressAt] = [sink.delivered(), Date.now()];
  }
  if (sink.delivered() >= setup.events) return;
  const report = setup.databaseUrl ? await stallReport(setup.databaseUrl, processes) : processes.map((p) => p.stderrTail()).join('\n  ');
  throw new Error(`${setup.label}: only ${sink.delivered()} of ${setup.events} events delivered, none for 60 s\n  ${report}`);
}

/** What is read before the load, to subtract afterwards. */
interface Before {
  server: ServerPosition | null;
  scrapes: Scrape[];
  postgres: Map<number, number> | null;
  epochs: number;
}

async function readBefore(url: string | undefined, processes: ClusterProcess[]): Promise<Before> {
  return {
    server: url ? await serverPosition(url) : null,
    scrapes: await Promise.all(processes.map((p) => scrape(p.port))),
    postgres: url ? postgresCpu() : null,
    epochs: url ? await leaseEpochs(url) : 0,
  };
}

/** Everything a run reports, read once its load is processed. */
async function readAfter(setup: RunSetup, processes: ClusterProcess[], before: Before, seconds: number): Promise<Pick<Run, 'uses' | 'captureCpu' | 'postgresCpu' | 'moves' | 'walBytesPerEvent' | 'transactionsPerEvent' | 'transactionsPerSecond' | 'rows'>> {
  const url = setup.databaseUrl;
  const postgresUsed = postgresCpuUsed(before.postgres, url ? postgresCpu() : null);
  const growth = url && before.server ? await serverGrowth(url, before.server) : null;
  const after = await Promise.all(processes.map((p) => scrape(p.port)));
  const cpuUsed = (p: ClusterProcess): number => after[processes.indexOf(p)]!.processCpu - before.scrapes[processes.indexOf(p)]!.processCpu;
  const owned = url ? await partitionsByPid(url) : new Map<number, number[]>();
  const processing = processes.filter((p) => p.role === 'worker' || p.role === 'all');
  return {
    uses: processing.map((p) => ({ partitions: owned.get(p.child.pid ?? -1) ?? [], stages: after[processes.indexOf(p)]!.stages, processCpu: cpuUsed(p) })),
    captureCpu: url ? processes.filter((p) => p.role === 'capture').reduce((sum, p) => sum + cpuUsed(p), 0) : Number.NaN,
    postgresCpu: postgresUsed,
    moves: url ? (await leaseEpochs(url)) - before.epochs : 0,
    walBytesPerEvent: growth ? growth.walBytes / setup.events : null,
    transactionsPerEvent: growth ? growth.transactions / setup.events : null,
    transactionsPerSecond: growth ? growth.transactions / seconds : null,
    rows: url ? await rowSizes(url) : '',
  };
}

/** Starts the processes, creates the destination, sends, waits for every delivery, reads the counters. */
async function run(setup: RunSetup): Promise<Run> {
  const { databaseUrl, events } = setup;
  const sink = await startSink(events);
  const processes: ClusterProcess[] = [];
  const summaries = new Map<ClusterProcess, string>();
  let result: Run;
  try {
    await createDestination(setup, sink.url);
    await startProcesses(setup, processes, summaries);
    const processing = processes.filter((p) => p.role === 'worker' || p.role === 'all');
    const captures = processes.filter((p) => p.role === 'capture' || p.role === 'all');
    if (databaseUrl && processing.length > 0) await waitForBalancedLeases(databaseUrl, processing.length);
    if (databaseUrl && setup.serialized) await serializeAppends(databaseUrl);

    const before = await readBefore(databaseUrl, processes);
    const sampler = databaseUrl ? await startLockSampler(databaseUrl) : null;
    const started = performance.now();
    const latencies = await send(
      captures.map((p) => `http://127.0.0.1:${p.port}`),
      events,
    );
    const accepted = performance.now();
    const locks = (await sampler?.stop()) ?? null;
    if (setup.deliver) await waitForDeliveries(setup, sink, processes);
    const delivered = performance.now();
    if (setup.deliver && databaseUrl) await waitForQueueDrained(databaseUrl);
    result = {
      label: setup.label,
      events,
      workers: processing.length,
      stageThreads: setup.stageThreads ?? 0,
      threadUses: [],
      eventsPerSecond: setup.deliver ? events / ((delivered - started) / 1000) : Number.NaN,
      acceptedPerSecond: events / ((accepted - started) / 1000),
      duplicates: sink.requests() - sink.delivered(),
      latencyP50: quantile(latencies, 0.5),
      latencyP99: quantile(latencies, 0.99),
      locks,
      ...(await readAfter(setup, processes, before, (performance.now() - started) / 1000)),
    };
  } finally {
    await Promise.all(processes.map((p) => stopProcess(p)));
    await sink.close();
  }
  // Each worker logged its threads' totals as it stopped: read to the end of its output.
  await Promise.all(processes.map(async (p) => p.child.stdout && !p.child.stdout.closed && (await once(p.child.stdout, 'close'))));
  result.threadUses = processes.filter((p) => p.role === 'worker' || p.role === 'all').map((p) => threadUsesOf(summaries.get(p)));
  return result;
}

function baseEnv(dataDir: string): Record<string, string> {
  return {
    SLUICE_DATA_DIR: dataDir,
    SLUICE_ENCRYPTION_KEYS: generateEncryptionKey(),
    SLUICE_BOOTSTRAP_PROJECT_TOKEN: TOKEN,
    SLUICE_BOOTSTRAP_API_KEY: API_KEY,
    SLUICE_FETCH_ALLOW_HOSTS: '127.0.0.1',
    SLUICE_LOG_LEVEL: 'warn',
    SLUICE_METRICS_TOKEN: METRICS_TOKEN,
  };
}

/** One run on a fresh schema of its own, dropped afterwards. */
async function runOnPostgres(url: string, setup: Omit<RunSetup, 'env' | 'databaseUrl' | 'dataDir'>): Promise<Run> {
  const schema = `sluice_bench_${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-bench-pg-'));
  await createSchema(url, schema);
  try {
    const schemaUrl = urlWithSchema(url, schema);
    // Several processes share this machine's cores: each runs invocations in its main thread (delivery
    // threads are for a process with cores of its own). With 2 threads in each of 4 workers, on 2 cores,
    // threads waited so long for a core that Hog code hit its 100 ms limit and the destination was disabled.
    const env = { ...baseEnv(dataDir), SLUICE_DATABASE_URL: schemaUrl, SLUICE_DELIVERY_THREADS: '0' };
    return await run({ ...setup, env, databaseUrl: schemaUrl, dataDir });
  } finally {
    await dropSchema(url, schema);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---- printing -----------------------------------------------------------------------------------------------

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;
const ratio = (a: number, b: number): string => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : '—');

function stageCpu(use: WorkerUse): number {
  return STAGES.reduce((sum, stage) => sum + use.stages[stage].cpuSeconds, 0);
}

/** A worker's threads: each one's persons + matching CPU over the worker's life, and its share of the worker's. */
function printThreadShares(threads: ThreadUse[] | null): void {
  if (!threads) return;
  const total = threads.reduce((sum, t) => sum + t.cpuSeconds, 0);
  for (const t of threads) {
    const share = total > 0 ? t.cpuSeconds / total : 0;
    console.log(`      thread ${t.thread.padEnd(10)} persons ${int(t.events).padStart(6)} events | ${t.cpuSeconds.toFixed(3)} s = ${pct(share).padStart(6)} of this worker's (since its start)`);
  }
}

/** Prints each worker's stage numbers and share; returns the largest share. */
function printShares(r: Run): number {
  const total = r.uses.reduce((sum, use) => sum + stageCpu(use), 0);
  let max = 0;
  console.log(`  ${r.label}:`);
  r.uses.forEach((use, i) => {
    const share = total > 0 ? stageCpu(use) / total : 0;
    max = Math.max(max, share);
    const stages = STAGES.map((s) => `${s} ${int(use.stages[s].events).padStart(6)} events ${use.stages[s].cpuSeconds.toFixed(3)} s`).join(' | ');
    const partitions = use.partitions.length > 0 ? ` (${use.partitions.length} partitions)` : '';
    console.log(
      `    worker ${i + 1}${partitions.padEnd(16)} ${stages} | ${stageCpu(use).toFixed(3)} s = ${pct(share).padStart(6)} of persons + matching CPU ` +
        `(process: ${use.processCpu.toFixed(2)} s)`,
    );
    printThreadShares(r.threadUses[i] ?? null);
  });
  console.log(`    max share ${pct(max)}; partitions changed hands ${r.moves} times during the run`);
  return max;
}

const micros = (seconds: number, events: number): string => (events > 0 && Number.isFinite(seconds) ? ((seconds / events) * 1e6).toFixed(1) : '—');

/**
 * CPU µs per event: the capture processes (all their threads), each stage (main thread, the stage
 * counters), the rest of the workers' CPU (delivery threads, claiming, recording outcomes, polling), and
 * the Postgres server.
 */
function microsPerEvent(r: Run): string {
  const { events } = r;
  const stages = STAGES.map((stage) => {
    const processed = r.uses.reduce((sum, u) => sum + u.stages[stage].events, 0);
    return `${stage} ${micros(r.uses.reduce((sum, u) => sum + u.stages[stage].cpuSeconds, 0), processed)}`;
  });
  const rest = r.uses.reduce((sum, u) => sum + u.processCpu - stageCpu(u), 0);
  const restLabel = Number.isNaN(r.captureCpu) ? 'rest of the process (capture included)' : `rest of the worker${r.workers > 1 ? 's' : ''}`;
  const parts = [
    ...(Number.isNaN(r.captureCpu) ? [] : [`capture ${micros(r.captureCpu, events)}`]),
    ...(r.uses.length > 0 ? [...stages, `${restLabel} ${micros(rest, events)}`] : []),
  ];
  if (r.postgresCpu !== null) parts.push(`Postgres ${micros(r.postgresCpu, events)}`);
  return `${parts.join(', ')} µs`;
}

function printLocks(r: Run): void {
  const l = r.locks;
  if (!l) return;
  const appendSamples = [...l.waits.values()].reduce((a, b) => a + b, 0);
  const waits = [...l.waits.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([what, n]) => `${what} ${pct(n / appendSamples)}`)
    .join(', ');
  console.log(
    `  ${r.label.padEnd(52)} ${int(l.samples).padStart(5)} samples, ${int(l.appending).padStart(4)} with an append running, ` +
      `${int(l.overlapping).padStart(4)} with both capture processes appending, ${int(l.lockWaits).padStart(4)} with an append waiting on a lock` +
      (l.lockKinds.size > 0 ? ` (${[...l.lockKinds.entries()].map(([kind, n]) => `${kind} ${n}`).join(', ')})` : '') +
      '; ' +
      `appends were on ${waits || '—'}; /batch p50 ${r.latencyP50.toFixed(1)} ms p99 ${r.latencyP99.toFixed(1)} ms` +
      (l.otherActive > 0 ? `; another session active in ${int(l.otherActive)} samples` : ''),
  );
}

export async function runE2ePostgresBench(): Promise<void> {
  const url = process.env.SLUICE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const probe = await probePostgres(url);
  if (!probe.ok) {
    console.log(`skipped: Postgres is not reachable at ${url} (${probe.error}); set SLUICE_BENCH_DATABASE_URL`);
    return;
  }
  console.log(
    `${int(EVENTS)} events from ${int(DISTINCT_IDS)} distinct ids (/batch of ${PER_REQUEST}, ${CONNECTIONS} connections split over ${CAPTURES} capture processes) ` +
      '→ 1 webhook destination → local sink; events/s end to end',
  );

  const sqliteDir = mkdtempSync(join(tmpdir(), 'sluice-bench-pg-sqlite-'));
  let baseline: Run;
  try {
    baseline = await run({ label: 'SQLite, 1 process (all)', env: baseEnv(sqliteDir), roles: ['all'], dataDir: sqliteDir, events: EVENTS, deliver: true });
  } finally {
    rmSync(sqliteDir, { recursive: true, force: true });
  }
  const results: Run[] = [baseline];
  const captures = Array.from({ length: CAPTURES }, () => 'capture');
  console.log(`  ${baseline.label}: ${baseline.eventsPerSecond.toFixed(0)} events/s`);
  for (const workers of WORKER_COUNTS) {
    for (const stageThreads of STAGE_THREADS) {
      const threads = stageThreads > 0 ? ` × ${stageThreads} stage thread${stageThreads > 1 ? 's' : ''}` : '';
      const label = `Postgres, ${CAPTURES} capture + ${workers} worker${workers > 1 ? 's' : ''}${threads}`;
      try {
        results.push(await runOnPostgres(url, { label, roles: [...captures, ...Array.from({ length: workers }, () => 'worker')], events: EVENTS, deliver: true, stageThreads }));
        console.log(`  ${label}: ${results[results.length - 1]!.eventsPerSecond.toFixed(0)} events/s`);
      } catch (error) {
        // One failed setup (on a starved machine the health watcher may disable the destination) does not
        // hide the others' numbers; the exit code says it failed.
        console.log(`  ${label} failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
      }
    }
  }
  // Capture alone is quick: twice the events, for more samples.
  const free = await runOnPostgres(url, { label: `${CAPTURES} capture only, appends as they are`, roles: captures, events: 2 * EVENTS, deliver: false });
  const serialized = await runOnPostgres(url, { label: `${CAPTURES} capture only, appends serialized (lock)`, roles: captures, events: 2 * EVENTS, deliver: false, serialized: true });

  console.log('\nThroughput:');
  const oneWorker = results.find((r) => r.workers === 1 && r.stageThreads === 0 && r !== baseline)?.eventsPerSecond ?? Number.NaN;
  for (const r of results) {
    console.log(
      `  ${r.label.padEnd(52)} ${r.eventsPerSecond.toFixed(0).padStart(7)} events/s delivered  ` +
        `(${ratio(r.eventsPerSecond, baseline.eventsPerSecond)} SQLite, ${ratio(r.eventsPerSecond, oneWorker)} 1 worker without stage threads; ` +
        `accepted ${r.acceptedPerSecond.toFixed(0)}/s; ${r.duplicates} duplicates)`,
    );
  }

  console.log('\nPersons + matching per worker (each worker\'s /metrics: sluice_stage_events_total, sluice_stage_cpu_seconds_total):');
  let maxOf4 = Number.NaN;
  for (const r of results.slice(1)) {
    const max = printShares(r);
    if (r.workers === 4) maxOf4 = Number.isNaN(maxOf4) ? max : Math.max(maxOf4, max);
  }
  if (Number.isNaN(maxOf4)) {
    if (WORKER_COUNTS.includes(4)) console.log('  with 4 workers: not measured (the run failed): FAIL');
  } else {
    const pass = maxOf4 <= MAX_SHARE_OF_4;
    console.log(`  with 4 workers the largest share is ${pct(maxOf4)} (limit ${pct(MAX_SHARE_OF_4)}): ${pass ? 'PASS' : 'FAIL'}`);
    if (!pass) process.exitCode = 1;
  }

  console.log('\nCPU per event (capture: its processes; persons, matching: the stage counters; rest: the workers\' other CPU, delivery included):');
  for (const r of [...results, free]) console.log(`  ${r.label.padEnd(52)} ${microsPerEvent(r)}`);

  console.log(`\nAppends of the ${CAPTURES} capture processes (pg_stat_activity + pg_locks every ${SAMPLE_MS} ms while loading):`);
  for (const r of [...results.slice(1), free, serialized]) printLocks(r);
  console.log(
    `  capture only: ${free.acceptedPerSecond.toFixed(0)} events/s accepted as they are, ${serialized.acceptedPerSecond.toFixed(0)}/s serialized ` +
      `(${(free.acceptedPerSecond / serialized.acceptedPerSecond).toFixed(2)}x)`,
  );

  console.log('\nPostgres per event (server-wide: other sessions count too):');
  for (const r of [...results.slice(1), free, serialized]) {
    console.log(
      `  ${r.label.padEnd(52)} ${int(r.walBytesPerEvent ?? 0).padStart(6)} bytes of WAL, ${(r.transactionsPerEvent ?? 0).toFixed(3)} write transactions ` +
        `(${int(r.transactionsPerSecond ?? 0)}/s); average row bytes: ${r.rows}` +
        (r.locks && r.locks.otherActive > 0 ? `; another session active in ${pct(r.locks.otherActive / r.locks.samples)} of samples` : ''),
    );
  }
}
