/**
 * Intake benchmark: the real server (durable SQLite, synchronous=FULL) on a temp dir and a free port,
 * driven by concurrent undici clients in a worker thread sending `/batch` requests of 100 events for a
 * bounded time. Prints events/s accepted, events/s person-processed, p50/p99 request latency, and the
 * same load against a bare `node:http` server that only reads and parses the bodies, as a ratio. The same
 * events are then sent as Segment-spec `/v1/batch` requests to a fresh server, and compared to `/batch`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
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
}

interface LoadResult {
  requests: number;
  failures: number;
  latenciesMs: number[];
  elapsedMs: number;
  statusCounts: Record<string, number>;
}

// ---- request bodies ---------------------------------------------------------------------------------

const URLS = ['https://shop.example/', 'https://shop.example/cart', 'https://shop.example/p/42', 'https://blog.example/post'];

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
    while (performance.now() < end) {
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

export async function runIntakeBench(): Promise<void> {
  const seconds = Number(process.env.SLUICE_BENCH_SECONDS ?? 10);
  const persons = Number(process.env.SLUICE_BENCH_PERSONS ?? 20_000);
  const accepted = await measureSluice('posthog', seconds, persons);
  const segment = await measureSluice('segment', seconds, persons);
  console.log(`segment ratio: /v1/batch accepts at ${(segment / accepted).toFixed(2)}x the rate of PostHog-format /batch`);

  const baseline = await startBaseline();
  try {
    const base = summarize(await loadInWorker({ url: baseline.url, format: 'posthog', seconds: Math.min(seconds, 5), connections: CONNECTIONS, persons }));
    console.log(`baseline (bare node:http, read + JSON.parse): ${fmt(base.eventsPerSec)} events/s, p50 ${base.p50.toFixed(1)} ms, p99 ${base.p99.toFixed(1)} ms`);
    console.log(`ratio: Sluice accepts at ${(accepted / base.eventsPerSec).toFixed(2)}x the bare server's rate`);
  } finally {
    await new Promise((r) => baseline.server.close(r));
  }
}
