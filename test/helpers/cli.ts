/**
 * Running the built `sluice` CLI as a child process: building it when stale, picking a port, starting
 * `sluice start` on a data folder, waiting until it answers, waiting for it to exit.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TOKEN } from '../ingest/helpers.js';

export { freePort } from '../../bench/cluster.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'index.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|sql)$/.test(entry.name) && !path.includes('__tests__')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** `npm test` builds first; run alone, this builds when `dist/` is older than the sources it runs. */
export function ensureBuilt(): void {
  let built = 0;
  try {
    built = statSync(CLI).mtimeMs;
  } catch {
    built = 0;
  }
  // All of src/: the CLI and the threads it starts load modules from every part of it.
  if (built >= newestSource(join(ROOT, 'src'))) return;
  // Other areas may be mid-work and fail to type-check; tsc still emits, which is all this test needs.
  spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
  spawnSync(process.execPath, ['scripts/copy-assets.mjs'], { cwd: ROOT, stdio: 'ignore' });
}

/** `sluice start` on `dataDir` at 127.0.0.1:`port`, with the test project token and `env` on top. */
export function startCli(dataDir: string, port: number, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [CLI, 'start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      SLUICE_DATA_DIR: dataDir,
      SLUICE_PORT: String(port),
      SLUICE_HOST: '127.0.0.1',
      SLUICE_LOG_LEVEL: 'warn',
      SLUICE_BOOTSTRAP_PROJECT_TOKEN: TOKEN,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Resolves when `url/_health` answers 200; fails if the process exits first or after 20 s. */
export async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
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

export function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}
