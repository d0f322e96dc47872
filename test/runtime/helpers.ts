import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_KEY, startTestSluice, TOKEN, type TestSluice } from '../ingest/helpers.js';
import type { SluiceOptions } from '../../src/cli/start.js';

export { API_KEY, TOKEN };

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  text: string;
  /** Parsed JSON body, or undefined when it is not JSON. */
  json: unknown;
  at: number;
}

/** What the sink answers: a status with optional headers and body, or `'reset'` to destroy the socket. */
export type SinkAnswer = { status: number; headers?: Record<string, string>; body?: string } | 'reset';

export interface Sink {
  url: string;
  requests: ReceivedRequest[];
  /** Resolves when at least `count` requests arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 playing the destination. `answer` decides each response (default 200 `{}`). */
export async function startSink(answer: (request: ReceivedRequest, index: number) => SinkAnswer = () => ({ status: 200 })): Promise<Sink> {
  const requests: ReceivedRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const received: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, text, json, at: Date.now() };
      const index = requests.length;
      requests.push(received);
      for (const w of waiters.splice(0)) (requests.length >= w.count ? w.resolve() : waiters.push(w));
      const reply = answer(received, index);
      if (reply === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
      res.end(reply.body ?? '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    // Generous: on a loaded machine a delivery can take seconds; the wait ends as soon as the requests arrive.
    waitFor(count, timeoutMs = 30_000) {
      if (requests.length >= count) return Promise.resolve(requests);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`sink got ${requests.length} requests, expected ${count}`)), timeoutMs);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(requests);
          },
        });
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A real Sluice (API, intake, persons, runtime) on a free port, allowed to deliver to 127.0.0.1; `env` adds variables. */
export function startRuntimeSluice(overrides: Partial<SluiceOptions> = {}): Promise<TestSluice> {
  return startTestSluice({
    ...overrides,
    env: { SLUICE_BOOTSTRAP_PROJECT_TOKEN: TOKEN, SLUICE_BOOTSTRAP_API_KEY: API_KEY, SLUICE_FETCH_ALLOW_HOSTS: '127.0.0.1', ...overrides.env },
    runtime: { worker: { pollMs: 50 }, ...overrides.runtime },
  });
}

/** Creates a destination through the management API; returns its id. */
export async function createDestination(sluice: { url: string }, body: Record<string, unknown>, projectId = 1): Promise<string> {
  const res = await fetch(`${sluice.url}/api/projects/${projectId}/hog_functions/`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== 201) throw new Error(`creating the destination failed (${res.status}): ${JSON.stringify(json)}`);
  return json.id as string;
}

/** Sends raw events to /batch and waits until they are person-processed and matched. */
export async function sendEvents(sluice: TestSluice, events: Record<string, unknown>[]): Promise<void> {
  const res = await fetch(`${sluice.url}/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ api_key: TOKEN, batch: events }),
  });
  if (res.status !== 200) throw new Error(`capture failed: ${res.status} ${await res.text()}`);
  await sluice.settle();
  await sluice.runtime.matcher.waitFor(await sluice.store.lastEventSeq());
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` every 20 ms until it returns something truthy, and returns that; fails after `timeoutMs`. */
export async function waitUntil<T>(what: string, check: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
