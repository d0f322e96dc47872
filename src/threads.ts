import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The compiled file a worker thread runs, for a module at `src/<dir>/` (`callerUrl`, its
 * `import.meta.url`) that starts the thread in `src/<srcPath>`. Built, the file sits beside the caller;
 * run from the TypeScript sources (vitest), the build in `dist/` runs the thread, because a worker
 * thread cannot load `.ts`. Null when neither exists.
 */
export function builtThreadEntry(callerUrl: string, srcPath: string): URL | null {
  const beside = new URL(`./${basename(srcPath)}`, callerUrl);
  if (existsSync(fileURLToPath(beside))) return beside;
  const built = new URL(`../../dist/src/${srcPath}`, callerUrl);
  return existsSync(fileURLToPath(built)) ? built : null;
}

/**
 * Young-generation size (MB) of the worker threads that carry the pipeline's load (delivery and stage
 * threads), as V8's `resourceLimits.maxYoungGenerationSizeMb`: three times the semi-space. Sluice makes
 * short-lived objects at a high rate (decoded events, Hog values, globals, HTTP requests); with V8's
 * default (16 MB semi-spaces) a delivery thread spent 18 % of its time in scavenges that promote objects
 * still in use, and 64 MB semi-spaces make them rarer and cheaper (`docs/runtime.md`, Memory). New space
 * grows only while allocation is that fast, so an idle thread stays small. The main thread gets the same
 * through `node --max-semi-space-size=64` (`npm start` and the `sluice` command's first line).
 */
export const THREAD_YOUNG_GENERATION_MB = 192;

const RESTART_WINDOW_MS = 10 * 60_000;
const MAX_RESTART_DELAY_MS = 60_000;

/** The pause before restarting a thread that died: none the first time in 10 minutes, then 1 s doubling to 60 s. */
export function restartDelayMs(crashesInWindow: number): number {
  if (crashesInWindow <= 1) return 0;
  return Math.min(MAX_RESTART_DELAY_MS, 1_000 * 2 ** (crashesInWindow - 2));
}

/** The crashes of a pool's thread slots within the restart window, which set the pause before a restart. */
export class ThreadCrashes {
  private readonly times: number[][];

  constructor(slots: number, private readonly now: () => number) {
    this.times = Array.from({ length: slots }, () => []);
  }

  /** Records a crash of `slot` and returns the pause before its restart (`restartDelayMs`). */
  record(slot: number): number {
    const now = this.now();
    const recent = this.times[slot]!.filter((at) => at > now - RESTART_WINDOW_MS);
    recent.push(now);
    this.times[slot] = recent;
    return restartDelayMs(recent.length);
  }

  /** Whether `slot` has crashed (within the window as of its latest crash). */
  hasCrashed(slot: number): boolean {
    return this.times[slot]!.length > 0;
  }
}

