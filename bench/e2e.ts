/**
 * End-to-end benchmark: capture → persons → matcher → queue → worker → executor → fetch → a local sink.
 *
 * Sluice runs in this thread (durable SQLite, synchronous=FULL, on a temp dir); a harness worker thread
 * runs both the load generator (`/batch` requests) and the sink (a bare `node:http` server counting
 * deliveries and measuring capture→delivery latency from a timestamp the event carries).
 *
 *   1. the baseline: the sink's bare capacity (undici, 64 connections, same bodies), measured before
 *      and after every end-to-end run (Sluice started and idle), because this shared machine's speed
 *      drifts during a run; each run's ratio uses the mean of the measures just before and after it,
 *   2. throughput with 1 enabled destination (filter matching half the events): after a warm-up,
 *      `SLUICE_BENCH_E2E_REPEATS` (5) bursts end to end, then a captured backlog drained (runtime only),
 *   3. the same with 10 enabled destinations (each matching half the events),
 *   4. p50/p99 capture→delivery latency at a steady 1,000 events/s (1 destination),
 *   for each delivery-thread count (`SLUICE_BENCH_DELIVERY_THREADS`, default: `sluice start`'s default
 *   here, then in process, 1 and 2), and a summary with medians and ratios
 *   (`SLUICE_BENCH_E2E_ONLY=one`: only case 2, for profiling it).
 * After each end-to-end run it prints how busy each thread of the process was during the run (the one
 * near 100 % bounds it: the main thread while capture runs).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const TOKEN = 'phc_bench_e2e';
const API_KEY = 'phx_bench_e2e_admin';
const EVENTS_PER_REQUEST = 100;

type Command =
  | { cmd: 'sink' }
  | { cmd: 'reset' }
  | { cmd: 'stats' }
  | { cmd: 'burst'; url: string; events: number; connections: number }
  | { cmd: 'steady'; url: string; eventsPerSecond: number; seconds: number }
  | { cmd: 'baseline'; seconds: number; connections: number };

interface SinkStats {
  deliveries: number;
  firstAt: number;
  lastAt: number;
  latencies: number[];
}

// ---- harness (worker thread): load generator + sink -------------------------------------------------

/** Events alternate between 10 `group` values; each destination's filter matches 5 of them. */
function eventsBody(count: number, offset: number): string {
  const sent = Date.now();
  const events: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = offset + i;
    events.push(
      `{"event":"purchase","distinct_id":"user-${n % 5000}","properties":{"group":${n % 10},"sent_ms":${sent},"amount":${n % 97},"$current_url":"https://shop.example/p/${n % 50}"}}`,
    );
  }
  return `{"api_key":"${TOKEN}","batch":[${events.join(',')}]}`;
}

async function runHarness(): Promise<void> {
  const { Pool } = await import('undici');
  let stats: SinkStats = { deliveries: 0, firstAt: 0, lastAt: 0, latencies: [] };
  const sink = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const now = Date.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { sent?: number };
      if (stats.deliveries === 0) stats.firstAt = now;
      stats.deliveries++;
      stats.lastAt = now;
      if (typeof body.sent === 'number') stats.latencies.push(now - body.sent);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;

  async function post(pool: InstanceType<typeof Pool>, path: string, body: string): Promise<number> {
    const res = await pool.request({ path, method: 'POST', body, headers: { 'content-type': 'application/json' } });
    await res.body.dump();
    return res.statusCode;
  }

  async function burst(url: string, total: number, connections: number): Promise<{ startedAt: number; acceptedAt: number }> {
    const pool = new Pool(url, { connections, pipelining: 1 });
    const startedAt = Date.now();
    let next = 0;
    const loop = async () => {
      while (next < total) {
        const offset = next;
        const count = Math.min(EVENTS_PER_REQUEST, total - next);
        next += count;
        const status = await post(pool, '/batch/', eventsBody(count, offset));
        if (status !== 200) throw new Error(`capture answered ${status}`);
      }
    };
    await Promise.all(Array.from({ length: connections }, loop));
    const acceptedAt = Date.now();
    await pool.close();
    return { startedAt, acceptedAt };
  }

  async function steady(url: string, eventsPerSecond: number, seconds: number): Promise<{ sent: number }> {
    const pool = new Pool(url, { connections: 8, pipelining: 1 });
    const tickMs = 10;
    const perTick = Math.max(1, Math.round((eventsPerSecond * tickMs) / 1000));
    const start = Date.now();
    let sent = 0;
    const pending: Promise<number>[] = [];
    for (let tick = 0; Date.now() - start < seconds * 1000; tick++) {
      const due = start + tick * tickMs;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(post(pool, '/batch/', eventsBody(perTick, sent)));
      sent += perTick;
    }
    await Promise.all(pending);
    await pool.close();
    return { sent };
  }

  async function baseline(seconds: number, connections: number): Promise<{ perSecond: number }> {
    const pool = new Pool(sinkUrl, { connections, pipelining: 1 });
    const body = JSON.stringify({ sent: Date.now(), event: { name: 'purchase' }, person: { id: 'x' } });
    const end = Date.now() + seconds * 1000;
    let count = 0;
    const loop = async () => {
      while (Date.now() < end) {
        await post(pool, '/', body);
        count++;
      }
    };
    const start = Date.now();
    await Promise.all(Array.from({ length: connections }, loop));
    const elapsed = Date.now() - start;
    await pool.close();
    return { perSecond: count / (elapsed / 1000) };
  }

  parentPort!.on('message', (message: Command) => {
    const reply = (value: unknown) => parentPort!.postMessage(value);
    const fail = (error: unknown) => parentPort!.postMessage({ error: String(error) });
    switch (message.cmd) {
      case 'sink':
        return reply({ url: sinkUrl });
      case 'reset':
        stats = { deliveries: 0, firstAt: 0, lastAt: 0, latencies: [] };
        return reply({});
      case 'stats':
        return reply(stats);
      case 'burst':
        return void burst(message.url, message.events, message.connections).then(reply, fail);
      case 'steady':
        return void steady(message.url, message.eventsPerSecond, message.seconds).then(reply, fail);
      case 'baseline':
        return void baseline(message.seconds, message.connections).then(reply, fail);
    }
  });
}

if (!isMainThread && (workerData as { sluiceE2eHarness?: boolean } | undefined)?.sluiceE2eHarness) {
  void runHarness();
}

// ---- main thread -------------------------------------------------------------------------------------

class Harness {
  private readonly worker = new Worker(new URL(import.meta.url), { workerData: { sluiceE2eHarness: true } });

  ask<T>(command: Command): Promise<T> {
    return new Promise((resolve, reject) => {
      this.worker.once('message', (value: T & { error?: string }) => (value && value.error ? reject(new Error(value.error)) : resolve(value)));
      this.worker.postMessage(command);
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function withSluice<T>(
  destinations: number,
  sinkUrl: string,
  body: (sluice: import('../src/cli/start.js').RunningSluice) => Promise<T>,
  deliveryThreads: number,
): Promise<T> {
  const { startSluice } = await import('../src/cli/start.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-bench-e2e-'));
  const sluice = await startSluice({
    dataDir,
    port: 0,
    host: '127.0.0.1',
    env: { SLUICE_BOOTSTRAP_PROJECT_TOKEN: TOKEN, SLUICE_BOOTSTRAP_API_KEY: API_KEY, SLUICE_FETCH_ALLOW_HOSTS: '127.0.0.1' },
    logger: false,
    synchronous: 'full',
    runtime: { deliveryThreads },
  });
  try {
    for (let i = 0; i < destinations; i++) {
      const groups = [0, 1, 2, 3, 4].map((k) => (i + k) % 10);
      const res = await fetch(`${sluice.url}/api/projects/1/hog_functions/`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          template_id: 'template-webhook',
          name: `sink ${i}`,
          inputs: {
            url: { value: `${sinkUrl}/d${i}` },
            body: { value: { sent: '{event.properties.sent_ms}', event: '{event.event}', amount: '{event.properties.amount}', person: '{person.id}' } },
          },
          filters: { events: [{ id: 'purchase', type: 'events', properties: [{ key: 'group', type: 'event', operator: 'exact', value: groups }] }] },
        }),
      });
      if (res.status !== 201) throw new Error(`creating destination ${i} failed: ${res.status} ${await res.text()}`);
    }
    await sluice.runtime.reload();
    return await body(sluice);
  } finally {
    await sluice.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * CPU time (ms) of each of this process's threads so far, by thread id, with its name, from
 * `/proc/self/task/<tid>/stat` (user + system clock ticks, 100 per second); empty where that is missing.
 * Tells which thread bounds a run: the one near 100 % of the wall time.
 */
function threadCpu(): Map<number, { name: string; ms: number }> {
  const times = new Map<number, { name: string; ms: number }>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'latin1');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      // Fields after the name: state is the first, utime the 12th, stime the 13th.
      times.set(Number(tid), { name: stat.slice(stat.indexOf('(') + 1, close), ms: (Number(fields[11]) + Number(fields[12])) * 10 });
    }
  } catch {
    // Not Linux, or a thread ended while being read: the run is still measured, without this line.
  }
  return times;
}

/** Each thread's share of `seconds` spent on a CPU between two `threadCpu` readings; the busiest first, the main thread before all. */
function busyShares(before: Map<number, { name: string; ms: number }>, after: Map<number, { name: string; ms: number }>, seconds: number): string {
  const rows: { label: string; share: number }[] = [];
  for (const [tid, { name, ms }] of after) {
    const share = (ms - (before.get(tid)?.ms ?? 0)) / 10 / seconds;
    if (share >= 3 || tid === process.pid) rows.push({ label: tid === process.pid ? 'main' : name.trim(), share });
  }
  rows.sort((a, b) => (a.label === 'main' ? -1 : b.label === 'main' ? 1 : b.share - a.share));
  return rows.map((r) => `${r.label} ${r.share.toFixed(0)} %`).join(', ');
}

async function waitForDeliveries(harness: Harness, expected: number, timeoutMs: number): Promise<SinkStats> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await harness.ask<SinkStats>({ cmd: 'stats' });
    if (stats.deliveries >= expected || Date.now() > deadline) return stats;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function threadsLabel(deliveryThreads: number): string {
  if (deliveryThreads === 0) return 'in process';
  return `${deliveryThreads} delivery thread${deliveryThreads > 1 ? 's' : ''}`;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

interface Throughput {
  /** Deliveries/s of each end-to-end run. */
  endToEnd: number[];
  /** Each run's deliveries/s over the mean of the bare-sink measures just before and just after it. */
  ratios: number[];
  /** Deliveries/s of the runtime-only drain. */
  drain: number;
}

/**
 * The bare sink's requests/s right now. Measured between the runs of a case, with that case's Sluice
 * started and idle: this shared machine's speed drifts by a third within minutes, so each run is compared
 * with the measures taken just before and just after it, not with one taken before the whole case.
 */
async function bareSink(harness: Harness): Promise<number> {
  const { perSecond } = await harness.ask<{ perSecond: number }>({ cmd: 'baseline', seconds: 1, connections: 64 });
  return perSecond;
}

async function throughput(
  harness: Harness,
  sinkUrl: string,
  destinations: number,
  events: number,
  deliveryThreads: number,
  repeats: number,
): Promise<Throughput> {
  const label = `${destinations} destination${destinations > 1 ? 's' : ''}, ${threadsLabel(deliveryThreads)}`;
  return withSluice(destinations, sinkUrl, async (sluice) => {
    const expected = (events * destinations) / 2;

    // Warm up first (JIT in every thread, connection pools, person rows, heap sizes), as a running server
    // is: two whole bursts. After half a burst the first measured runs were still a fifth slower than the
    // later ones; V8 keeps optimizing the hot paths of every thread over the first tens of thousands of events.
    for (let warmUp = 0; warmUp < 2; warmUp++) {
      await harness.ask({ cmd: 'reset' });
      await harness.ask({ cmd: 'burst', url: sluice.url, events, connections: 16 });
      await waitForDeliveries(harness, expected, 120_000);
    }

    // a. Everything at once: capture, persons, matching and delivery share the process; `repeats` bursts,
    //    each between two measures of the bare sink.
    let before = await bareSink(harness);
    const endToEnd: number[] = [];
    const ratios: number[] = [];
    for (let run = 0; run < repeats; run++) {
      await harness.ask({ cmd: 'reset' });
      const threads0 = threadCpu();
      const { startedAt, acceptedAt } = await harness.ask<{ startedAt: number; acceptedAt: number }>({ cmd: 'burst', url: sluice.url, events, connections: 16 });
      const stats = await waitForDeliveries(harness, expected, 120_000);
      const seconds = (stats.lastAt - startedAt) / 1000;
      const threadsLine = busyShares(threads0, threadCpu(), seconds);
      const perSecond = stats.deliveries / seconds;
      const after = await bareSink(harness);
      const bare = (before + after) / 2;
      before = after;
      endToEnd.push(perSecond);
      ratios.push(perSecond / bare);
      console.log(
        `${label}, end to end: ${fmt(perSecond)} deliveries/s = ${(perSecond / bare).toFixed(2)}x the bare sink's ${fmt(bare)} requests/s around it ` +
          `(${fmt(stats.deliveries)}/${fmt(expected)} deliveries of ${fmt(events)} events in ${seconds.toFixed(2)} s from the first capture; ` +
          `capture took ${((acceptedAt - startedAt) / 1000).toFixed(2)} s)`,
      );
      console.log(`  CPU busy during the run (share of its wall time; main thread first): ${threadsLine}`);
    }

    // b. The runtime alone: the same events captured and person-processed first, then matched and delivered.
    await sluice.runtime.matcher.pause();
    await sluice.runtime.worker.stop();
    await harness.ask({ cmd: 'reset' });
    await harness.ask({ cmd: 'burst', url: sluice.url, events, connections: 16 });
    await sluice.writer.drain();
    await sluice.pipeline.waitFor(await sluice.store.lastEventSeq());
    const drainStart = Date.now();
    const drainThreads0 = threadCpu();
    sluice.runtime.worker.start();
    await sluice.runtime.matcher.resume();
    const drained = await waitForDeliveries(harness, expected, 120_000);
    const drainSeconds = (drained.lastAt - drainStart) / 1000;
    const drain = drained.deliveries / drainSeconds;
    const worker = sluice.runtime.worker.stats;
    console.log(
      `${label}, runtime only (a captured backlog matched and delivered): ${fmt(drain)} deliveries/s ` +
        `(${fmt(drained.deliveries)} in ${drainSeconds.toFixed(2)} s; totals ${worker.succeeded} succeeded, ${worker.failed} failed, ${worker.retried} retried)`,
    );
    console.log(`  CPU busy during the drain (main thread first): ${busyShares(drainThreads0, threadCpu(), drainSeconds)}`);
    return { endToEnd, ratios, drain };
  }, deliveryThreads);
}

async function latency(harness: Harness, sinkUrl: string, eventsPerSecond: number, seconds: number, deliveryThreads: number): Promise<{ p50: number; p99: number }> {
  return withSluice(1, sinkUrl, async (sluice) => {
    // Warm up (JIT, connection pools), then measure.
    await harness.ask({ cmd: 'steady', url: sluice.url, eventsPerSecond, seconds: 1 });
    await new Promise((r) => setTimeout(r, 500));
    await harness.ask({ cmd: 'reset' });
    const { sent } = await harness.ask<{ sent: number }>({ cmd: 'steady', url: sluice.url, eventsPerSecond, seconds });
    const stats = await waitForDeliveries(harness, sent / 2, 30_000);
    const sorted = [...stats.latencies].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    console.log(
      `latency at ${fmt(eventsPerSecond)} events/s (1 destination, ${threadsLabel(deliveryThreads)}, ${fmt(stats.deliveries)} deliveries over ${seconds} s): ` +
        `capture→delivery p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${sorted[sorted.length - 1]?.toFixed(0)} ms`,
    );
    return { p50, p99 };
  }, deliveryThreads);
}

interface ConfigResult {
  threads: number;
  one: Throughput;
  /** The 10-destination case and the latency, unless only the 1-destination case ran. */
  ten?: Throughput;
  latency?: { p50: number; p99: number };
}

export async function runE2eBench(): Promise<void> {
  const events = Number(process.env.SLUICE_BENCH_E2E_EVENTS ?? 20_000);
  const seconds = Number(process.env.SLUICE_BENCH_SECONDS ?? 10);
  const repeats = Number(process.env.SLUICE_BENCH_E2E_REPEATS ?? 5);
  // `SLUICE_BENCH_E2E_ONLY=one`: only the 1-destination throughput case (for profiling it).
  const onlyOne = process.env.SLUICE_BENCH_E2E_ONLY === 'one';
  // `sluice start`'s default on this machine (src/config.ts).
  const { defaultDeliveryThreads } = await import('../src/cli/start.js');
  const defaultThreads = defaultDeliveryThreads(availableParallelism());
  const threadCounts = (process.env.SLUICE_BENCH_DELIVERY_THREADS ?? `${defaultThreads},0,1,2`)
    .split(',')
    .map(Number)
    .filter((n, i, all) => Number.isInteger(n) && n >= 0 && all.indexOf(n) === i);
  const harness = new Harness();
  try {
    const { url: sinkUrl } = await harness.ask<{ url: string }>({ cmd: 'sink' });
    console.log(
      `machine: ${cpus().length} cores, Node ${process.version}; SQLite WAL, synchronous=FULL; sink and load generator in a worker thread; ` +
        `${repeats} end-to-end runs per case after a warm-up; default here: ${threadsLabel(defaultThreads)}`,
    );
    // A first, discarded baseline: the harness's own JIT and connections warm up here, not in case 1's.
    await harness.ask({ cmd: 'baseline', seconds: 1, connections: 64 });
    const results: ConfigResult[] = [];
    for (const threads of threadCounts) {
      const one = await throughput(harness, sinkUrl, 1, events, threads, repeats);
      if (onlyOne) {
        results.push({ threads, one });
        continue;
      }
      const ten = await throughput(harness, sinkUrl, 10, Math.round(events / 5), threads, repeats);
      results.push({ threads, one, ten, latency: await latency(harness, sinkUrl, 1_000, seconds, threads) });
    }

    console.log(
      '\nsummary, deliveries/s (median of the end-to-end runs, then their range), in brackets the median of the runs\' ratios to the bare sink ' +
        '(each run over the mean of the measures just before and just after it), then each run\'s ratio:',
    );
    const cell = (t: Throughput) =>
      `${fmt(median(t.endToEnd))} (${fmt(Math.min(...t.endToEnd))}–${fmt(Math.max(...t.endToEnd))}) [${median(t.ratios).toFixed(2)}x, runs ${t.ratios.map((r) => r.toFixed(2)).join(' ')}]`;
    for (const r of results) {
      const mark = r.threads === defaultThreads ? ' (default)' : '';
      const rest =
        r.ten && r.latency
          ? `; 10 destinations ${cell(r.ten)}, runtime only ${fmt(r.ten.drain)}; p50/p99 at 1,000 events/s ${r.latency.p50.toFixed(0)}/${r.latency.p99.toFixed(0)} ms`
          : '';
      console.log(`  ${threadsLabel(r.threads)}${mark}: 1 destination ${cell(r.one)}, runtime only ${fmt(r.one.drain)}${rest}`);
    }
    const inProcess = results.find((r) => r.threads === 0);
    if (inProcess) {
      for (const r of results.filter((x) => x.threads > 0)) {
        const ten = r.ten && inProcess.ten ? `, 10 destinations ${(median(r.ten.endToEnd) / median(inProcess.ten.endToEnd)).toFixed(2)}x` : '';
        console.log(`  ${threadsLabel(r.threads)} vs in process, end to end: 1 destination ${(median(r.one.endToEnd) / median(inProcess.one.endToEnd)).toFixed(2)}x${ten}`);
      }
    }
  } finally {
    await harness.close();
  }
}
