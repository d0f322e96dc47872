/**
 * Intake benchmark: the real server (durable SQLite, synchronous=FULL) on a temp dir and a free port,
 * driven by concurrent undici clients in a worker thread sending `/batch` requests of 100 events for a
 * bounded time. Prints events/s accepted, events/s person-processed, p50/p99 request latency, and the
 * same load against a bare `node:http` server that only reads and parses the bodies, as a ratio. The same
 * events are then sent as Segment-spec `/v1/batch` requests to a fresh server, and compared to `/batch`.
 * Last, end-to-end processing (capture → transformations → persons → matching, one destination) with
 * three transformations from the templates against none, in the same run (docs/transformations.md), and
 * what the transformations add to person processing per event, from the stages' own CPU counters.
 *
 * `SLUICE_BENCH_INTAKE_CASES` (comma-separated: posthog, segment, baseline, transformations) picks cases;
 * default all. Segment's ratio needs posthog; baseline's ratio does too. The transformations case sends
 * `SLUICE_BENCH_TRANSFORM_EVENTS` (100 000) events each way, `SLUICE_BENCH_TRANSFORM_ROUNDS` (2) times.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const EVENTS_PER_REQUEST = 100;
const CONNECTIONS = 32;
const TOKEN = 'phc_bench_token';

/** `posthog`: `/batch` bodies as posthog-js sends them; `segment`: `/v1/batch` as analytics-node sends them. */
type BodyFormat = 'posthog' | 'segment';

interface LoadConfig {
  sluiceIntakeLoad: true;
  url: string;
  format: BodyFormat;
  seconds: number;
  connections: number;
  persons: number;
  /** Stop after this many requests (whichever comes first, this or `seconds`). */
  maxRequests?: number;
}

interface LoadResult {
  requests: number;
  failures: number;
  latenciesMs: number[];
  elapsedMs: number;
  statusCounts: Record<string, number>;
}

// ---- request bodies ---------------------------------------------------------------------------------

// One page in four carries a query string, so the URL-stripping transformation has work to do.
const URLS = ['https://shop.example/', 'https://shop.example/cart?utm_source=newsletter&utm_medium=email', 'https://shop.example/p/42', 'https://blog.example/post'];

let lastV7Ms = 0;
let v7Counter = 0;
/** UUID v7 (time-ordered), as posthog-js and posthog-node generate them. */
function uuidv7(): string {
  const ms = Date.now();
  v7Counter = ms === lastV7Ms ? v7Counter + 1 : 0;
  lastV7Ms = ms;
  const hex = ms.toString(16).padStart(12, '0');
  const rand = randomUUID();
  const counter = (v7Counter & 0xfff).toString(16).padStart(3, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${counter}-${rand.slice(19)}`;
}

const UUID_SLOT = '@@UUID@@';
const templates = new Map<string, string[]>();

/** A body of 100 realistic events with fresh v7 uuids; bodies come from 64 templates per format. */
function makeBody(seq: number, persons: number, format: BodyFormat): string {
  const key = `${format}${seq % 64}`;
  let parts = templates.get(key);
  if (parts === undefined) {
    parts = (format === 'segment' ? makeSegmentTemplate(seq % 64, persons) : makeTemplate(seq % 64, persons)).split(UUID_SLOT);
    templates.set(key, parts);
  }
  let body = parts[0]!;
  for (let i = 1; i < parts.length; i++) body += uuidv7() + parts[i]!;
  return body;
}

function makeTemplate(seq: number, persons: number): string {
  const now = Date.now();
  const events: string[] = [];
  for (let i = 0; i < EVENTS_PER_REQUEST; i++) {
    const user = (seq * 7919 + i * 104729) % persons;
    const kind = i % 50;
    const properties: Record<string, unknown> = {
      $current_url: URLS[i % URLS.length],
      $host: 'shop.example',
      $pathname: '/p/42',
      $browser: 'Chrome',
      $browser_version: 128,
      $os: 'Mac OS X',
      $device_type: 'Desktop',
      $screen_height: 1080,
      $screen_width: 1920,
      $lib: 'web',
      $lib_version: '1.449.0',
      $session_id: `s-${user}`,
      $window_id: `w-${user}`,
      token: TOKEN,
      plan: user % 3 === 0 ? 'pro' : 'free',
    };
    let event = '$pageview';
    if (kind === 0) {
      event = '$identify';
      properties.$anon_distinct_id = `anon-${user}`;
      properties.$set = { email: `user${user}@example.com`, plan: properties.plan };
    } else if (kind === 1) {
      event = 'purchase';
      properties.$set = { last_purchase_at: new Date(now).toISOString() };
      properties.$set_once = { first_purchase_at: new Date(now).toISOString() };
      properties.$groups = { company: `c${user % 100}` };
    }
    events.push(
      JSON.stringify({
        uuid: UUID_SLOT,
        event,
        distinct_id: kind === 0 ? `user-${user}` : `anon-${user}`,
        properties,
        timestamp: new Date(now - i).toISOString(),
      }),
    );
  }
  return `{"api_key":"${TOKEN}","sent_at":"${new Date(now).toISOString()}","batch":[${events.join(',')}]}`;
}

/** The same mix as {@link makeTemplate} in Segment's shape; messageIds are not UUIDs, as analytics-node's are not. */
function makeSegmentTemplate(seq: number, persons: number): string {
  const now = Date.now();
  const messages: string[] = [];
  for (let i = 0; i < EVENTS_PER_REQUEST; i++) {
    const user = (seq * 7919 + i * 104729) % persons;
    const kind = i % 50;
    const plan = user % 3 === 0 ? 'pro' : 'free';
    const context = {
      library: { name: 'analytics.js', version: '5.2.0' },
      userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Chrome/128.0',
      page: { url: URLS[i % URLS.length], path: '/p/42', referrer: '', title: 'Shop' },
      screen: { height: 1080, width: 1920 },
    };
    const common = { messageId: `ajs-next-${UUID_SLOT}`, timestamp: new Date(now - i).toISOString(), anonymousId: `anon-${user}`, context };
    let message: Record<string, unknown>;
    if (kind === 0) {
      message = { type: 'identify', userId: `user-${user}`, traits: { email: `user${user}@example.com`, plan }, ...common };
    } else if (kind === 1) {
      message = { type: 'track', event: 'purchase', properties: { plan }, ...common, context: { ...context, groupId: `c${user % 100}` } };
    } else {
      message = { type: 'page', name: 'Product', properties: { plan }, ...common };
    }
    messages.push(JSON.stringify(message));
  }
  return `{"sentAt":"${new Date(now).toISOString()}","batch":[${messages.join(',')}]}`;
}

// ---- load generator (worker thread) ----------------------------------------------------------------

async function runLoad(config: LoadConfig): Promise<LoadResult> {
  const { Pool } = await import('undici');
  const pool = new Pool(config.url, { connections: config.connections, pipelining: 1 });
  const latenciesMs: number[] = [];
  const statusCounts: Record<string, number> = {};
  let requests = 0;
  let failures = 0;
  let seq = 0;
  const path = config.format === 'segment' ? '/v1/batch' : '/batch/';
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (config.format === 'segment') headers.authorization = `Basic ${Buffer.from(`${TOKEN}:`).toString('base64')}`;
  const start = performance.now();
  const end = start + config.seconds * 1000;
  const loop = async () => {
    while (performance.now() < end && seq < (config.maxRequests ?? Infinity)) {
      const body = makeBody(seq++, config.persons, config.format);
      const t0 = performance.now();
      try {
        const res = await pool.request({ path, method: 'POST', body, headers });
        await res.body.dump();
        statusCounts[res.statusCode] = (statusCounts[res.statusCode] ?? 0) + 1;
        if (res.statusCode === 200) {
          requests++;
          latenciesMs.push(performance.now() - t0);
        } else failures++;
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: config.connections }, loop));
  const elapsedMs = performance.now() - start;
  await pool.close();
  return { requests, failures, latenciesMs, elapsedMs, statusCounts };
}

function loadInWorker(config: Omit<LoadConfig, 'sluiceIntakeLoad'>): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { ...config, sluiceIntakeLoad: true } });
    worker.once('message', (result: LoadResult) => resolve(result));
    worker.once('error', reject);
  });
}

if (!isMainThread && (workerData as LoadConfig | undefined)?.sluiceIntakeLoad) {
  runLoad(workerData as LoadConfig).then((result) => parentPort!.postMessage(result));
}

// ---- reporting --------------------------------------------------------------------------------------

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summarize(result: LoadResult): { eventsPerSec: number; p50: number; p99: number } {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  return {
    eventsPerSec: (result.requests * EVENTS_PER_REQUEST) / (result.elapsedMs / 1000),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The baseline: a bare node:http server that reads each body and parses it as JSON, nothing else. */
async function startBaseline(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":1}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Loads a fresh durable Sluice with one body format; prints its numbers and returns accepted events/s. */
async function measureSluice(format: BodyFormat, seconds: number, persons: number): Promise<number> {
  const { startSluice } = await import('../src/cli/start.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-bench-'));
  const sluice = await startSluice({
    dataDir,
    port: 0,
    host: '127.0.0.1',
    env: { SLUICE_BOOTSTRAP_PROJECT_TOKEN: TOKEN },
    logger: false,
    synchronous: 'full',
  });
  try {
    const processedBefore = sluice.pipeline.processedEvents;
    const t0 = performance.now();
    const load = await loadInWorker({ url: sluice.url, format, seconds, connections: CONNECTIONS, persons });
    const acceptedAt = performance.now();
    await sluice.writer.drain();
    await sluice.pipeline.waitFor(await sluice.store.lastEventSeq());
    const processedAt = performance.now();
    const processed = sluice.pipeline.processedEvents - processedBefore;
    const s = summarize(load);
    const stored = await sluice.store.countEvents();

    const label = format === 'segment' ? 'Segment /v1/batch' : 'PostHog /batch';
    console.log(`${label}: machine: ${(await import('node:os')).cpus().length} cores, Node ${process.version}; SQLite WAL, synchronous=FULL; ${CONNECTIONS} connections, ${EVENTS_PER_REQUEST} events/request, ${persons} persons`);
    console.log(`accepted:   ${fmt(s.eventsPerSec)} events/s (${fmt(load.requests)} requests in ${(load.elapsedMs / 1000).toFixed(1)} s, ${load.failures} failed)`);
    console.log(`processed:  ${fmt(processed / ((processedAt - t0) / 1000))} events/s through persons (${fmt(processed)} events; caught up ${((processedAt - acceptedAt) / 1000).toFixed(2)} s after the load ended)`);
    console.log(`latency:    p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms`);
    console.log(`group commit: ${fmt(sluice.writer.commits)} commits, ${(sluice.writer.committedEvents / Math.max(1, sluice.writer.commits)).toFixed(0)} events per commit; ${fmt(stored)} events stored`);
    return s.eventsPerSec;
  } finally {
    await sluice.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---- transformations: end-to-end processing with a chain vs without --------------------------------

const BENCH_API_KEY = 'phx_bench_admin_key';
const SALT = 'bench-salt';

/** The chain of the transformation docs: drop bots, hash emails (HMAC-SHA-256, salted), strip URL queries. */
const CHAIN = [
  { template_id: 'template-drop-events', execution_order: 0, filters: { properties: [{ key: 'is_bot', type: 'event', operator: 'exact', value: [true] }] } },
  { template_id: 'template-pii-hashing', execution_order: 1, inputs: { salt: { value: SALT } } },
  { template_id: 'template-url-parameters', execution_order: 2 },
];

/**
 * This thread's CPU seconds: the first field of `/proc/thread-self/schedstat` (nanoseconds on the CPU),
 * else the whole process's CPU time. Capture, transformations, persons and matching all run in the main
 * thread, so events per main-thread CPU second is the pipeline's bound, and unlike wall time it does not
 * count the time a busy machine gives the core to other processes.
 */
function threadCpuSeconds(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e9;
  } catch {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1e6;
  }
}

interface ProcessingRate {
  /** Events through capture, persons and matching per second of wall time. */
  wall: number;
  /** The same events per second of main-thread CPU time. */
  cpu: number;
  /** CPU microseconds per event of person processing, transformations included (the stage's own counter). */
  personsUs: number;
}

/** CPU seconds and events each pipeline stage of this process counted so far (`pipeline/stage-cpu.ts`). */
async function stageCpu(): Promise<Map<string, { cpuSeconds: number; events: number }>> {
  const { stageCpuTotals } = await import('../src/pipeline/stage-cpu.js');
  return new Map(stageCpuTotals().map((t) => [t.stage, { cpuSeconds: t.cpuSeconds, events: t.events }]));
}

/** A stage's CPU microseconds per event between two `stageCpu` readings. */
function stageUs(before: Map<string, { cpuSeconds: number; events: number }>, after: Map<string, { cpuSeconds: number; events: number }>, stage: string): number {
  const a = before.get(stage) ?? { cpuSeconds: 0, events: 0 };
  const b = after.get(stage) ?? { cpuSeconds: 0, events: 0 };
  return ((b.cpuSeconds - a.cpuSeconds) * 1e6) / Math.max(1, b.events - a.events);
}

async function createFunction(url: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${url}/api/projects/1/hog_functions/`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BENCH_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`creating ${String(body.template_id)} failed (${res.status}): ${await res.text()}`);
}

/** The webhook's receiver, in a thread of its own: its HTTP work is not Sluice's and must not be counted. */
async function startSinkThread(): Promise<{ url: string; close(): Promise<void> }> {
  const code = `
    const { createServer } = require('node:http');
    const { parentPort } = require('node:worker_threads');
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    });
    server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));`;
  const worker = new Worker(code, { eval: true });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { url: `http://127.0.0.1:${port}`, close: async () => void (await worker.terminate()) };
}

/**
 * Sends `events` events (in requests of 100, 32 at a time, as fast as they are taken) to a fresh durable
 * Sluice and waits until matching has caught up; returns the events carried through capture, persons and
 * matching per second, from the load's start to the catch-up, of wall time and of main-thread CPU time,
 * and the person-processing stage's CPU per event (`pipeline/stage-cpu.ts`), which counts the stage's own
 * code and nothing else that shares the thread. Both runs get the same events, so a run that falls behind
 * does not simply get fewer. One webhook destination receives every event (a local sink in a thread of its
 * own); its deliveries run meanwhile, as they would, but the measure ends when matching is done, so the
 * main-thread CPU figure holds the bookkeeping of however many deliveries finished by then (printed).
 * `chain`: the three transformations.
 */
async function measureProcessing(chain: boolean, events: number, persons: number): Promise<ProcessingRate> {
  const { startSluice } = await import('../src/cli/start.js');
  const sink = await startSinkThread();
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-bench-'));
  const sluice = await startSluice({
    dataDir,
    port: 0,
    host: '127.0.0.1',
    env: { SLUICE_BOOTSTRAP_PROJECT_TOKEN: TOKEN, SLUICE_BOOTSTRAP_API_KEY: BENCH_API_KEY, SLUICE_FETCH_ALLOW_HOSTS: '127.0.0.1' },
    logger: false,
    synchronous: 'full',
  });
  try {
    await createFunction(sluice.url, {
      template_id: 'template-webhook',
      inputs: { url: { value: `${sink.url}/hook` } },
      filters: {},
    });
    if (chain) for (const body of CHAIN) await createFunction(sluice.url, { type: 'transformation', ...body });
    const processedBefore = sluice.pipeline.processedEvents;
    const stages0 = await stageCpu();
    const t0 = performance.now();
    const cpu0 = threadCpuSeconds();
    const load = await loadInWorker({ url: sluice.url, format: 'posthog', seconds: 600, connections: CONNECTIONS, persons, maxRequests: Math.ceil(events / EVENTS_PER_REQUEST) });
    await sluice.writer.drain();
    const last = await sluice.store.lastEventSeq();
    await sluice.pipeline.waitFor(last);
    await sluice.runtime.matcher.waitFor(last);
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = threadCpuSeconds() - cpu0;
    const processed = sluice.pipeline.processedEvents - processedBefore;
    const delivered = sluice.runtime.worker.stats.succeeded;
    const stages = await stageCpu();
    const rate = { wall: processed / elapsed, cpu: processed / cpu, personsUs: stageUs(stages0, stages, 'persons') };
    const label = chain ? 'with the 3 transformations' : 'without transformations  ';
    console.log(
      `${label}: ${fmt(rate.wall)} events/s through capture, persons and matching; ${fmt(rate.cpu)} events per main-thread CPU second (${fmt(processed)} events, ${load.failures} failed requests, ${elapsed.toFixed(1)} s, ${cpu.toFixed(1)} CPU s)`,
    );
    // The deliveries run meanwhile and their bookkeeping is main-thread work too: how many finished
    // within the measure changes the CPU figure, so it is shown. The stages' own counters are not affected.
    console.log(
      `  person processing ${rate.personsUs.toFixed(1)} µs/event, matching ${stageUs(stages0, stages, 'destinations').toFixed(1)} µs/event (stage CPU); ${fmt(delivered)} deliveries finished meanwhile`,
    );
    return rate;
  } finally {
    await sluice.close();
    await sink.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Without, then with the chain, `rounds` times each (alternating, best of each): a busy machine hurts both alike. */
async function measureTransformations(persons: number): Promise<void> {
  const rounds = Number(process.env.SLUICE_BENCH_TRANSFORM_ROUNDS ?? 2);
  const events = Number(process.env.SLUICE_BENCH_TRANSFORM_EVENTS ?? 100_000);
  console.log(`transformations: ${rounds} rounds of ${fmt(events)} events each way; the chain: drop is_bot = true, hash email (HMAC-SHA-256), strip URL queries`);
  const without: ProcessingRate = { wall: 0, cpu: 0, personsUs: Infinity };
  const withChain: ProcessingRate = { wall: 0, cpu: 0, personsUs: Infinity };
  const best = (into: ProcessingRate, rate: ProcessingRate) => {
    into.wall = Math.max(into.wall, rate.wall);
    into.cpu = Math.max(into.cpu, rate.cpu);
    into.personsUs = Math.min(into.personsUs, rate.personsUs);
  };
  for (let round = 0; round < rounds; round++) {
    best(without, await measureProcessing(false, events, persons));
    best(withChain, await measureProcessing(true, events, persons));
  }
  console.log(
    `transformations ratio: ${(withChain.cpu / without.cpu).toFixed(2)}x the events per main-thread CPU second without transformations (best of ${rounds}: ${fmt(withChain.cpu)} vs ${fmt(without.cpu)}); wall clock ${(withChain.wall / without.wall).toFixed(2)}x (${fmt(withChain.wall)} vs ${fmt(without.wall)} events/s)`,
  );
  console.log(
    `transformations cost: ${(withChain.personsUs - without.personsUs).toFixed(1)} µs of person processing per event (best of ${rounds}: ${withChain.personsUs.toFixed(1)} vs ${without.personsUs.toFixed(1)} µs); main thread ${(1e6 / withChain.cpu - 1e6 / without.cpu).toFixed(1)} µs per event`,
  );
}

export async function runIntakeBench(): Promise<void> {
  const seconds = Number(process.env.SLUICE_BENCH_SECONDS ?? 10);
  const persons = Number(process.env.SLUICE_BENCH_PERSONS ?? 20_000);
  const cases = new Set((process.env.SLUICE_BENCH_INTAKE_CASES ?? 'posthog,segment,baseline,transformations').split(',').map((c) => c.trim()));
  const accepted = cases.has('posthog') ? await measureSluice('posthog', seconds, persons) : NaN;
  if (cases.has('segment')) {
    const segment = await measureSluice('segment', seconds, persons);
    console.log(`segment ratio: /v1/batch accepts at ${(segment / accepted).toFixed(2)}x the rate of PostHog-format /batch`);
  }

  if (cases.has('baseline')) {
    const baseline = await startBaseline();
    try {
      const base = summarize(await loadInWorker({ url: baseline.url, format: 'posthog', seconds: Math.min(seconds, 5), connections: CONNECTIONS, persons }));
      console.log(`baseline (bare node:http, read + JSON.parse): ${fmt(base.eventsPerSec)} events/s, p50 ${base.p50.toFixed(1)} ms, p99 ${base.p99.toFixed(1)} ms`);
      console.log(`ratio: Sluice accepts at ${(accepted / base.eventsPerSec).toFixed(2)}x the bare server's rate`);
    } finally {
      await new Promise((r) => baseline.server.close(r));
    }
  }

  if (cases.has('transformations')) await measureTransformations(persons);
}
