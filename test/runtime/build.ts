import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'index.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|sql)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
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
  const dirs = ['store', 'ingest', 'api', 'cli', 'runtime', 'destinations', 'hog', 'templates'];
  if (built >= Math.max(...dirs.map((d) => newestSource(join(ROOT, 'src', d))))) return;
  // Other areas may be mid-work and fail to type-check; tsc still emits, which is all this test needs.
  spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
  spawnSync(process.execPath, ['scripts/copy-assets.mjs'], { cwd: ROOT, stdio: 'ignore' });
}

