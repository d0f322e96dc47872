import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, exited, freePort, startCli, waitHealthy } from '../helpers/cli.js';
import { API_KEY, sleep, startSink, TOKEN, type Sink } from './helpers.js';

function startServer(dataDir: string, port: number): ChildProcess {
  return startCli(dataDir, port, {
    SLUICE_BOOTSTRAP_API_KEY: API_KEY,
    SLUICE_FETCH_ALLOW_HOSTS: '127.0.0.1',
    SLUICE_INVOCATION_LOCK_MS: '2000',
  });
}

describe('crash during delivery', () => {
  let dataDir: string;
  let sink: Sink;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    ensureBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'sluice-crash-'));
    // A slowish destination, so requests are in flight when the process dies.
    sink = await startSink(() => ({ status: 200 }));
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await sink.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every accepted event at least once after SIGKILL and restart, duplicating only requests in flight', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const first = startServer(dataDir, port);
    children.push(first);
    await waitHealthy(url, first);

    const res = await fetch(`${url}/api/projects/1/hog_functions/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        template_id: 'template-webhook',
        inputs: { url: { value: sink.url }, body: { value: { uuid: '{event.uuid}' } } },
        filters: { events: [{ id: 'tick', type: 'events' }] },
      }),
    });
    expect(res.status).toBe(201);

    const accepted = new Set<string>();
    let stop = false;
    const sender = async (worker: number) => {
      for (let n = 0; !stop; n++) {
        const uuids = Array.from({ length: 10 }, () => randomUUID());
        const body = JSON.stringify({ api_key: TOKEN, batch: uuids.map((uuid) => ({ uuid, event: 'tick', distinct_id: `w${worker}`, properties: { n } })) });
        try {
          const r = await fetch(`${url}/batch`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
          if (r.status === 200) for (const u of uuids) accepted.add(u);
          await r.arrayBuffer();
        } catch {
          return; // the server is gone
        }
      }
    };
    const senders = Array.from({ length: 4 }, (_, w) => sender(w));
    while (sink.requests.length < 500) await sleep(5);
    const killedAt = Date.now();
    first.kill('SIGKILL');
    await exited(first);
    stop = true;
    await Promise.all(senders);
    const beforeRestart = sink.requests.length;
    // At least what the sink received was accepted (usually more: a backlog was still queued at the kill).
    expect(accepted.size).toBeGreaterThanOrEqual(500);

    const second = startServer(dataDir, port);
    children.push(second);
    await waitHealthy(url, second);
    const deliveredUuids = () => new Set(sink.requests.map((r) => (r.json as { uuid: string }).uuid));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && [...accepted].some((u) => !deliveredUuids().has(u))) await sleep(100);
    await sleep(300);
    second.kill('SIGTERM');
    await exited(second);
    expect(second.exitCode).toBe(0);

    const delivered = deliveredUuids();
    expect([...accepted].filter((u) => !delivered.has(u))).toEqual([]);
    // Duplicates: only events whose request reached the sink before the kill (in flight, or answered but
    // not yet recorded as succeeded) and again after the restart. Judged by order of arrival, not by a
    // time window: a loaded machine can take any time between the kill and the process's end.
    const firstIndex = new Map<string, number>();
    const copies = new Map<string, number>();
    sink.requests.forEach((r, index) => {
      const uuid = (r.json as { uuid: string }).uuid;
      if (!firstIndex.has(uuid)) firstIndex.set(uuid, index);
      copies.set(uuid, (copies.get(uuid) ?? 0) + 1);
    });
    const duplicated = [...copies].filter(([, n]) => n > 1).map(([u]) => u);
    for (const uuid of duplicated) {
      expect(copies.get(uuid)).toBe(2);
      expect(firstIndex.get(uuid)!).toBeLessThan(beforeRestart);
      expect(sink.requests[firstIndex.get(uuid)!]!.at).toBeGreaterThan(killedAt - 5_000);
    }
    expect(duplicated.length).toBeLessThan(beforeRestart);
  });
});
