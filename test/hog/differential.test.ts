/**
 * Differential testing: every conformance program compiled by our compiler must print the same
 * lines on PostHog's VM (`@posthog/hogvm`, a dev-dependency used only as an oracle) as it is
 * expected to print on ours. Programs marked `// ref-only:` (where the reference deliberately
 * differs from npm 1.0.71), programs that must fail, and programs needing async are skipped.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { compileProgramSource } from '../../src/hog/index.js';
import { loadCases } from './cases.js';

const require = createRequire(import.meta.url);
const hogvm = require('@posthog/hogvm') as {
  exec: (bytecode: unknown, options: Record<string, unknown>) => { finished: boolean; result: unknown };
};
const here = dirname(fileURLToPath(import.meta.url));
const cases = loadCases(here).filter((c) => !c.refOnly && !c.expectedError && !c.source.includes('sleep('));

function runOnPostHogVm(bytecode: unknown, globals: Record<string, unknown>): string[] {
  const lines: string[] = [];
  const originalLog = console.log;
  console.log = (...args: unknown[]) => lines.push(...args.join(' ').split('\n'));
  try {
    hogvm.exec(bytecode, {
      globals,
      external: {
        regex: { match: (regex: string, value: string) => RE2JS.compile(regex).matcher(value).find() },
        crypto: { createHash },
      },
    });
  } finally {
    console.log = originalLog;
  }
  return lines;
}

describe('our compiler on @posthog/hogvm', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s prints the expected output', async (_name, hogCase) => {
    const { bytecode, diagnostics } = compileProgramSource(hogCase.source);
    expect(diagnostics).toEqual([]);
    const globals = hogCase.globalsFile
      ? ((await import(hogCase.globalsFile, { with: { type: 'json' } })).default as Record<string, unknown>)
      : {};
    expect(runOnPostHogVm(bytecode, globals)).toEqual(hogCase.expectedLines);
  });
});
