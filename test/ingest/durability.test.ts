import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { TOKEN } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'index.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** `npm test` builds first; when run alone, build if `dist/` is missing or older than the sources. */
function ensureBuilt(): void {
  let built = 0;
  try {
    built = statSync(CLI).mtimeMs;
  } catch {
    built = 0;
  }
  const sources = Math.max(...['store', 'ingest', 'api', 'cli'].map((d) => newestSource(join(ROOT, 'src', d))));
  if (built >= sources) return;
  // Other areas may be mid-work and fail to type-check; tsc still emits, which is all this test needs.
  spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function startServer(dataDir: string, port: number): ChildProcess {
  return spawn(process.execPath, [CLI, 'start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      SLUICE_DATA_DIR: dataDir,
      SLUICE_PORT: String(port),
      SLUICE_HOST: '127.0.0.1',
      SLUICE_LOG_LEVEL: 'warn',
      SLUICE_BOOTSTRAP_PROJECT_TOKEN: TOKEN,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/_health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not become healthy');
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

describe('durability', () => {
  let dataDir: string;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    ensureBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'sluice-durability-'));
  });
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged event exactly once after SIGKILL, and processes it after restart', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const first = startServer(dataDir, port);
    children.push(first);
    await waitHealthy(url, first);

    const acked = new Set<string>();
    const requests: string[][] = [];
    let stop = false;
    const sender = async (worker: number) => {
      for (let n = 0; !stop; n++) {
        const uuids = Array.from({ length: 20 }, () => randomUUID());
        requests.push(uuids);
        const body = JSON.stringify({
          api_key: TOKEN,
          batch: uuids.map((uuid, i) => ({ uuid, event: 'tick', distinct_id: `w${worker}-${i % 5}`, properties: { n, $set: { n } } })),
        });
        try {
          const res = await fetch(`${url}/batch`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
          if (res.status === 200) for (const u of uuids) acked.add(u);
          await res.arrayBuffer();
        } catch {
          return; // the server is gone
        }
      }
    };
    const senders = Array.from({ length: 8 }, (_, w) => sender(w));
    while (acked.size < 2_000) await new Promise((r) => setTimeout(r, 20));
    first.kill('SIGKILL');
    await exited(first);
    stop = true;
    await Promise.all(senders);
    expect(acked.size).toBeGreaterThanOrEqual(2_000);

    // Restart on the same data: it must catch up on person processing, then shut down cleanly.
    const second = startServer(dataDir, port);
    children.push(second);
    await waitHealthy(url, second);
    second.kill('SIGTERM');
    await exited(second);
    expect(second.exitCode).toBe(0);

    const store = new SqliteStore({ filename: join(dataDir, 'sluice.db') });
    try {
      const stored = await store.listEventUuids(1);
      const counts = new Map<string, number>();
      for (const u of stored) counts.set(u, (counts.get(u) ?? 0) + 1);
      const missing = [...acked].filter((u) => !counts.has(u));
      expect(missing).toEqual([]);
      expect([...counts.values()].every((c) => c === 1)).toBe(true);
      // Group commit is atomic: a request's events are all stored or none are.
      for (const uuids of requests) {
        const present = uuids.filter((u) => counts.has(u)).length;
        expect(present === 0 || present === uuids.length).toBe(true);
      }
      // Everything stored was person-processed exactly once.
      expect(await store.getOffset('persons')).toBe(await store.lastEventSeq());
      expect((await store.readEnrichedEvents(0, 1_000_000)).length).toBe(stored.length);
    } finally {
      await store.close();
    }
  });
});
