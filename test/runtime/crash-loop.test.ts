/**
 * An invocation whose run takes the whole process down (here: SIGKILL every time its request is in
 * flight) cannot crash-loop Sluice: each reclaim after a crash counts the lost attempt, so after its
 * attempts it ends `failed` instead of running again — while a crash with attempts left still retries
 * it (at-least-once), and the next normal event is delivered.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, exited, freePort, startCli, waitHealthy } from '../helpers/cli.js';
import { API_KEY, sleep, startSink, TOKEN, type Sink } from './helpers.js';

interface InvocationView {
  state: string;
  attempts: number;
  error: string | null;
}

describe('a process that crashes while running an invocation', () => {
  let dataDir: string;
  let hanging: Server;
  let hangingUrl = '';
  let arrived = 0;
  let sink: Sink;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    ensureBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'sluice-crash-loop-'));
    // Takes the request and never answers: the request is in flight until the process is killed.
    hanging = createServer((req) => {
      arrived++;
      req.resume();
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    sink = await startSink();
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));
    await sink.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(port: number): Promise<{ child: ChildProcess; url: string }> {
    const child = startCli(dataDir, port, { SLUICE_BOOTSTRAP_API_KEY: API_KEY, SLUICE_FETCH_ALLOW_HOSTS: '127.0.0.1', SLUICE_INVOCATION_LOCK_MS: '1000' });
    children.push(child);
    const url = `http://127.0.0.1:${port}`;
    await waitHealthy(url, child);
    return { child, url };
  }

  async function api<T>(url: string, path: string, init: RequestInit = {}): Promise<T> {
    const res = await fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' } });
    return (await res.json()) as T;
  }

  async function webhook(url: string, target: string, event: string): Promise<string> {
    const body = { template_id: 'template-webhook', inputs: { url: { value: target }, body: { value: { uuid: '{event.uuid}' } } }, filters: { events: [{ id: event, type: 'events' }] } };
    return (await api<{ id: string }>(url, '/api/projects/1/hog_functions/', { method: 'POST', body: JSON.stringify(body) })).id;
  }

  async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await check()) return;
      await sleep(50);
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('retries after a crash while attempts remain, then fails the invocation instead of running it again', async () => {
    const port = await freePort();
    let { child, url } = await start(port);
    const crashing = await webhook(url, hangingUrl, 'crashes');
    const res = await fetch(`${url}/batch`, { method: 'POST', body: JSON.stringify({ api_key: TOKEN, batch: [{ event: 'crashes', distinct_id: 'u1' }] }) });
    expect(res.status).toBe(200);

    // Three attempts (the default policy): each one's request is in flight when the process dies.
    for (let attempt = 1; attempt <= 3; attempt++) {
      await waitUntil(`request ${attempt}`, () => arrived >= attempt);
      child.kill('SIGKILL');
      await exited(child);
      ({ child, url } = await start(port));
    }
    // The fourth process reclaims it with its attempts used up: failed, never sent again.
    let invocation: InvocationView | undefined;
    await waitUntil('the invocation to fail', async () => {
      [invocation] = (await api<{ results: InvocationView[] }>(url, `/api/projects/1/hog_functions/${crashing}/invocations/`)).results;
      return invocation?.state === 'failed';
    });
    expect(invocation!.attempts).toBe(3);
    expect(invocation!.error).toMatch(/crashed or was killed during its last attempt \(3 of 3 attempts used\)/);
    expect(arrived).toBe(3);

    // The process keeps working: a normal event is delivered.
    await webhook(url, sink.url, 'normal');
    await fetch(`${url}/batch`, { method: 'POST', body: JSON.stringify({ api_key: TOKEN, batch: [{ event: 'normal', distinct_id: 'u2' }] }) });
    await sink.waitFor(1, 15_000);
    expect(arrived).toBe(3);
    child.kill('SIGTERM');
    await exited(child);
    expect(child.exitCode).toBe(0);
  }, 120_000);
});
