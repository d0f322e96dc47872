/**
 * The Hog conformance suite, run the way a user runs Hog: through the `sluice hog run` CLI of the
 * built package. Every program's stdout must equal its `// expect:` lines; failing programs must
 * exit 1 with the expected message on stderr and no JavaScript stack trace.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadCases } from './cases.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', '..', 'dist', 'src', 'cli', 'index.js');
const cases = loadCases(here);

async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('Hog conformance programs through `sluice hog run`', () => {
  it('finds the conformance programs', () => {
    expect(cases.length).toBeGreaterThan(30);
  });

  it.concurrent.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, hogCase) => {
    const args = ['hog', 'run', hogCase.file, ...hogCase.args];
    if (hogCase.globalsFile) args.push('--globals', hogCase.globalsFile);
    const result = await runCli(args);
    const stdoutLines = result.stdout === '' ? [] : result.stdout.replace(/\n$/, '').split('\n');
    expect(stdoutLines).toEqual(hogCase.expectedLines);
    if (hogCase.expectedError) {
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(hogCase.expectedError.text);
      expect(result.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
    } else {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
  });
});
