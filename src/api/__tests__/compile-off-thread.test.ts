/**
 * Compiling user code off the event loop (`compile-pool.ts`): a big destination or `/hog/compile/`
 * source is compiled in the compile thread while the server keeps answering, a job past its deadline
 * ends with a clear error and a fresh thread, and sources over the size limits are refused.
 * The thread runs from the build in dist/: run `npx tsc -p tsconfig.build.json` first.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeyring } from '../../destinations/secrets.js';
import { MAX_PROGRAM_BYTES } from '../../hog/source-limits.js';
import { GroupCommitWriter } from '../../ingest/group-commit.js';
import { Intake } from '../../ingest/intake.js';
import { openTestStore, type OpenedTestStore } from '../../store/__tests__/backends.js';
import { bootstrap } from '../bootstrap.js';
import { closeCompilePool, CompileDeadlineError, CompilePool, compilePool, compileSource } from '../compile-pool.js';
import { buildServer } from '../server.js';
import { HealthMonitor } from '../../runtime/health-monitor.js';

const AUTH = { authorization: 'Bearer phx_k', 'content-type': 'application/json' };

/** A program of about `bytes` bytes: many statements, locals, strings and nested blocks. */
function bigProgram(bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = i % 50 === 0 ? `if (v${i - 1} > 0) { let w${i} := 'text ${i}'; print(w${i}) }` : `let v${i} := ${i} + 1`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

describe('compiling off the event loop', () => {
  let opened: OpenedTestStore;
  let app: FastifyInstance;
  let writer: GroupCommitWriter;
  let base: string;

  beforeEach(async () => {
    opened = await openTestStore();
    await bootstrap(opened.store, { SLUICE_BOOTSTRAP_PROJECT_TOKEN: 'phc_t', SLUICE_BOOTSTRAP_API_KEY: 'phx_k' });
    writer = new GroupCommitWriter(opened.store, {});
    app = await buildServer({
      store: opened.store,
      intake: new Intake({ store: opened.store, writer }),
      health: new HealthMonitor({ store: opened.store }),
      logger: false,
      keyring: createKeyring([randomBytes(32)]),
    });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    await app.close();
    await writer.close();
    await opened.dispose();
  });
  afterAll(() => closeCompilePool());

  it('answers /_health while a big destination compiles in the compile thread', async () => {
    const pool = compilePool();
    expect(pool, 'the built compile thread (dist/src/api/compile-thread.js)').not.toBeNull();
    const hog = bigProgram(MAX_PROGRAM_BYTES - 4096);
    let saved = 0;
    // Three saves queue in the one compile thread, so it stays busy for a while.
    const saves = [1, 2, 3].map(async (n) => {
      const res = await fetch(`${base}/api/projects/1/hog_functions/`, { method: 'POST', headers: AUTH, body: JSON.stringify({ name: `big ${n}`, hog }) });
      await res.arrayBuffer();
      saved++;
      return res.status;
    });
    while (!pool!.busy && saved < 3) await new Promise((resolve) => setImmediate(resolve));
    const health = await fetch(`${base}/_health`);
    await health.arrayBuffer();
    // The health answer arrived while a compile was still running: the event loop was free.
    const stillCompiling = pool!.busy && saved < 3;
    expect(health.status).toBeLessThan(500);
    expect(stillCompiling).toBe(true);
    expect(await Promise.all(saves)).toEqual([201, 201, 201]);
  });

  it('refuses code over the size limit at save and in the compile route, naming the field', async () => {
    const hog = `// ${'x'.repeat(MAX_PROGRAM_BYTES)}`;
    const save = await fetch(`${base}/api/projects/1/hog_functions/`, { method: 'POST', headers: AUTH, body: JSON.stringify({ name: 'huge', hog }) });
    expect(save.status).toBe(400);
    const saveBody = (await save.json()) as { attr: string; detail: string };
    expect(saveBody.attr).toBe('hog');
    expect(saveBody.detail).toBe(`hog: code is ${hog.length} bytes; the limit is ${MAX_PROGRAM_BYTES}`);

    const compile = await fetch(`${base}/api/projects/1/hog/compile/`, { method: 'POST', headers: AUTH, body: JSON.stringify({ source: hog }) });
    expect(compile.status).toBe(400);
    expect(((await compile.json()) as { detail: string }).detail).toBe(`source: code is ${hog.length} bytes; the limit is ${MAX_PROGRAM_BYTES}`);
  });

  it('compiles a big source in the compile route with the same diagnostics as inline', async () => {
    const source = `${bigProgram(64 * 1024)}\nlet broken := (`;
    const res = await fetch(`${base}/api/projects/1/hog/compile/`, { method: 'POST', headers: AUTH, body: JSON.stringify({ source }) });
    const body = (await res.json()) as { ok: boolean; diagnostics: { message: string; line: number }[] };
    expect(body.ok).toBe(false);
    expect(body.diagnostics).toEqual(compileSource('program', source).diagnostics);
    expect(body.diagnostics[0]).toMatchObject({ message: 'Expected expression', line: source.split('\n').length });
  });
});

describe('the compile pool', () => {
  it('terminates a job past its deadline with a clear error, and runs the next job in a new thread', async () => {
    const shared = compilePool();
    expect(shared).not.toBeNull();
    // A 20 ms deadline no half-megabyte compile can meet (lexing alone takes longer).
    const pool = new CompilePool(shared!.entry, 20);
    try {
      const slow = pool.run({ type: 'compile', kind: 'program', source: bigProgram(MAX_PROGRAM_BYTES - 4096) });
      await expect(slow).rejects.toThrow(CompileDeadlineError);
      await expect(slow).rejects.toThrow('compiling took longer than 20 ms and was stopped');
      const quick = await pool.run<{ diagnostics: unknown[] }>({ type: 'compile', kind: 'expression', source: '1 +' });
      expect(quick.diagnostics).toHaveLength(1);
      expect(pool.threadsStarted).toBe(2);
    } finally {
      await pool.close();
    }
  });
});
