/**
 * A Sluice cluster of built CLI processes (`node dist/src/cli/index.js start --role …`) on one Postgres
 * schema and a counting webhook sink: shared by `bench/e2e-postgres.ts` and `test/scale/multiprocess.test.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ClusterProcess {
  role: string;
  port: number;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** The last few KB the process wrote to stderr (an uncaught error, a crash). */
  stderrTail(): string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts one process and resolves when its `/_health` answers. With `onStdoutLine`, each line the process
 * writes to stdout (its log, one JSON object a line) is handed to it; otherwise stdout is discarded.
 */
export async function startProcess(
  root: string,
  role: string,
  port: number,
  env: Record<string, string>,
  timeoutMs = 30_000,
  onStdoutLine?: (line: string) => void,
): Promise<ClusterProcess> {
  // With the young generation `sluice start` runs with (its first line, `src/threads.ts`).
  const child = spawn(process.execPath, ['--max-semi-space-size=64', join(root, 'dist', 'src', 'cli', 'index.js'), 'start', '--role', role], {
    cwd: root,
    env: { ...process.env, ...env, SLUICE_PORT: String(port), SLUICE_HOST: '127.0.0.1' },
    stdio: ['ignore', onStdoutLine ? 'pipe' : 'ignore', 'pipe'],
  });
  if (onStdoutLine) createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', onStdoutLine);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${role} on port ${port} exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/_health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${role} on port ${port} did not start within ${timeoutMs} ms: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { role, port, child, exited, stderrTail: () => stderr };
}

export async function stopProcess(p: ClusterProcess, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill(signal);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  await p.exited;
  clearTimeout(timer);
}

export interface CountingSink {
  url: string;
  /** Deliveries per event number (`n` in the body). */
  counts: Map<number, number>;
  /** Deliveries per event uuid (`uuid` in the body, when the destination sends one). */
  uuids: Map<string, number>;
  requests: number;
  close(): Promise<void>;
}

/** A bare HTTP server answering 200 and counting the `n` (and `uuid`) of each JSON body it receives. */
export async function startCountingSink(): Promise<CountingSink> {
  const counts = new Map<number, number>();
  const uuids = new Map<string, number>();
  const sink = { counts, uuids, requests: 0 } as CountingSink;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      sink.requests++;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { n: unknown; uuid?: unknown };
        // A body without a number (null, '') must not count as event 0.
        const n = typeof body.n === 'number' || (typeof body.n === 'string' && body.n.trim() !== '') ? Number(body.n) : NaN;
        if (Number.isInteger(n)) counts.set(n, (counts.get(n) ?? 0) + 1);
        if (typeof body.uuid === 'string') uuids.set(body.uuid, (uuids.get(body.uuid) ?? 0) + 1);
      } catch {
        // not ours
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sink.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return sink;
}

/** The webhook destination every event `signed up` goes to, with its number as the body. */
export function webhookDestination(sinkUrl: string): Record<string, unknown> {
  return {
    template_id: 'template-webhook',
    name: 'Scale test sink',
    inputs: { url: { value: `${sinkUrl}/hook` }, body: { value: { n: '{event.properties.n}' } } },
    filters: { events: [{ id: 'signed up', type: 'events' }] },
  };
}
