import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt, ROOT } from '../helpers/cli.js';
import { TOKEN } from './helpers.js';

describe('sluice start on a port that is already taken', () => {
  let holder: Server;
  let port: number;
  let dataDir: string;
  let child: ChildProcess | null = null;

  beforeAll(async () => {
    ensureBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'sluice-busy-port-'));
    holder = createServer((_req, res) => res.end('held'));
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    port = (holder.address() as AddressInfo).port;
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await new Promise((resolve) => holder.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits non-zero with a message naming the port, having started nothing that keeps it running', async () => {
    child = spawn(process.execPath, [CLI, 'start'], {
      cwd: ROOT,
      env: { ...process.env, SLUICE_DATA_DIR: dataDir, SLUICE_PORT: String(port), SLUICE_HOST: '127.0.0.1', SLUICE_LOG_LEVEL: 'warn', SLUICE_BOOTSTRAP_PROJECT_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const started = child;
    started.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    started.stdout!.resume();
    // Waits for the exit itself; a process that never exits fails the test at its timeout.
    const code = await new Promise<number | null>((resolve) => started.once('exit', (exitCode) => resolve(exitCode)));
    expect(code).not.toBe(0);
    expect(stderr).toContain(`port ${port} is already in use`);
    expect(stderr).toContain('SLUICE_PORT');
    // The holder still answers: the failed start took nothing from it.
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('held');
  }, 60_000);
});
