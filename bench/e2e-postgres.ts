/**
 * End-to-end throughput on Postgres with 1, 2 and 4 worker processes, against the embedded single process
 * on SQLite as the baseline.
 *
 * Each run: a fresh schema, one capture process and N worker processes of the built CLI
 * (`node dist/src/cli/index.js start --role …`), one webhook destination matching every event, a bare
 * counting sink in this process. EVENTS events go to the capture process as `/batch` requests of 100 over
 * 8 connections; the number is events delivered per second, from the first request to the last delivery.
 * The SQLite run is one `--role all` process on a temp data dir with the same load.
 *
 * Needs Postgres at `SLUICE_BENCH_DATABASE_URL` (default postgres://postgres@127.0.0.1:5432/test);
 * skipped with a note when none answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startSluice } from '../src/cli/start.js';
import { generateEncryptionKey } from '../src/destinations/secrets.js';
import { createSchema, dropSchema, probePostgres, urlWithSchema } from '../src/store/postgres/schemas.js';
import { freePort, startCountingSink, startProcess, stopProcess, webhookDestination, type ClusterProcess } from './cluster.js';

const TOKEN = 'phc_bench_pg';
const API_KEY = 'phx_bench_pg_admin';
const ROOT = join(import.meta.dirname, '..', '..');
const EVENTS = Number(process.env.SLUICE_BENCH_PG_EVENTS ?? 20_000);
const PER_REQUEST = 100;
const CONNECTIONS = 8;

function body(from: number, count: number): string {
  const events: string[] = [];
  for (let n = from; n < from + count; n++) events.push(`{"event":"signed up","distinct_id":"user-${n % 5000}","properties":{"n":${n}}}`);
  return `{"api_key":"${TOKEN}","batch":[${events.join(',')}]}`;
}

async function send(url: string): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < EVENTS) {
        const from = next;
        next += PER_REQUEST;
        for (;;) {
          const res = await fetch(`${url}/batch/`, { method: 'POST', body: body(from, Math.min(PER_REQUEST, EVENTS - from)), headers: { 'content-type': 'application/json' } });
          await res.arrayBuffer();
          if (res.status === 200) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }),
  );
}

interface Run {
  label: string;
  eventsPerSecond: number;
  acceptedPerSecond: number;
  duplicates: number;
}

/** Starts the processes, creates the destination, sends, waits for every delivery. */
async function run(label: string, env: Record<string, string>, roles: string[], databaseUrl: string | undefined, dataDir: string): Promise<Run> {
  const sink = await startCountingSink();
  const processes: ClusterProcess[] = [];
  try {
    // The destination first (through the management API), so every worker loads it at start.
    const api = await startSluice({ role: databaseUrl ? 'api' : 'all', dataDir, ...(databaseUrl ? { databaseUrl } : {}), port: 0, host: '127.0.0.1', env, logger: false });
    const created = await fetch(`${api.url}/api/projects/1/hog_functions/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(webhookDestination(sink.url)),
    });
    if (created.status !== 201) throw new Error(`creating the destination failed: ${created.status} ${await created.text()}`);
    await api.close();
    for (const role of roles) processes.push(await startProcess(ROOT, role, await freePort(), env));
    const started = performance.now();
    await send(`http://127.0.0.1:${processes[0]!.port}`);
    const accepted = performance.now();
    const deadline = Date.now() + 300_000;
    while (sink.counts.size < EVENTS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const done = performance.now();
    if (sink.counts.size < EVENTS) throw new Error(`${label}: only ${sink.counts.size} of ${EVENTS} events delivered within 300 s`);
    return {
      label,
      eventsPerSecond: EVENTS / ((done - started) / 1000),
      acceptedPerSecond: EVENTS / ((accepted - started) / 1000),
      duplicates: sink.requests - sink.counts.size,
    };
  } finally {
    await Promise.all(processes.map((p) => stopProcess(p)));
    await sink.close();
  }
}

function baseEnv(dataDir: string): Record<string, string> {
  return {
    SLUICE_DATA_DIR: dataDir,
    SLUICE_ENCRYPTION_KEYS: generateEncryptionKey(),
    SLUICE_BOOTSTRAP_PROJECT_TOKEN: TOKEN,
    SLUICE_BOOTSTRAP_API_KEY: API_KEY,
    SLUICE_FETCH_ALLOW_HOSTS: '127.0.0.1',
    SLUICE_LOG_LEVEL: 'warn',
  };
}

export async function runE2ePostgresBench(): Promise<void> {
  const url = process.env.SLUICE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const probe = await probePostgres(url);
  if (!probe.ok) {
    console.log(`skipped: Postgres is not reachable at ${url} (${probe.error}); set SLUICE_BENCH_DATABASE_URL`);
    return;
  }
  console.log(`${EVENTS} events (/batch of ${PER_REQUEST}, ${CONNECTIONS} connections) → 1 webhook destination → local sink; events/s end to end`);

  const sqliteDir = mkdtempSync(join(tmpdir(), 'sluice-bench-pg-sqlite-'));
  let baseline: Run;
  try {
    baseline = await run('SQLite, 1 process (all)', baseEnv(sqliteDir), ['all'], undefined, sqliteDir);
  } finally {
    rmSync(sqliteDir, { recursive: true, force: true });
  }
  const results: Run[] = [baseline];
  for (const workers of [1, 2, 4]) {
    const schema = `sluice_bench_${randomBytes(4).toString('hex')}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-bench-pg-'));
    await createSchema(url, schema);
    try {
      const schemaUrl = urlWithSchema(url, schema);
      const env = { ...baseEnv(dataDir), SLUICE_DATABASE_URL: schemaUrl };
      results.push(await run(`Postgres, 1 capture + ${workers} worker${workers > 1 ? 's' : ''}`, env, ['capture', ...Array.from({ length: workers }, () => 'worker')], schemaUrl, dataDir));
    } finally {
      await dropSchema(url, schema);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const oneWorker = results[1]!.eventsPerSecond;
  for (const r of results) {
    console.log(
      `${r.label.padEnd(34)} ${r.eventsPerSecond.toFixed(0).padStart(7)} events/s delivered  ` +
        `(${(r.eventsPerSecond / baseline.eventsPerSecond).toFixed(2)}x SQLite, ${(r.eventsPerSecond / oneWorker).toFixed(2)}x 1 worker; ` +
        `accepted ${r.acceptedPerSecond.toFixed(0)}/s; ${r.duplicates} duplicates)`,
    );
  }
}
