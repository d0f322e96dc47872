import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { ensureBuilt, exited, freePort, startCli, waitHealthy } from '../helpers/cli.js';
import { TOKEN } from './helpers.js';

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
    const first = startCli(dataDir, port);
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
    const second = startCli(dataDir, port);
    children.push(second);
    await waitHealthy(url, second);
    second.kill('SIGTERM');
    await exited(second);
    expect(second.exitCode).toBe(0);
    // A clean shutdown closed the database: its last connection checkpointed and removed the WAL.
    const wal = join(dataDir, 'sluice.db-wal');
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);

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
      expect(await store.hasUnprocessed('persons', await store.lastEventSeq())).toBe(false);
      expect((await store.readEnrichedEvents(0, 1_000_000)).length).toBe(stored.length);
    } finally {
      await store.close();
    }
  });
});
