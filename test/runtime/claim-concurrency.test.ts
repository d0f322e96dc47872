import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { NewInvocation } from '../../src/store/store.js';
import { ensureBuilt, ROOT } from '../helpers/cli.js';

const TOTAL = 3_000;
const CLAIMERS = 4;

interface Claimer {
  /** Resolves once the process has opened the database and waits for the start signal. */
  ready: Promise<void>;
  /** Lets it start claiming. */
  go(): void;
  /** The ids it claimed, once the queue is empty. */
  claimed: Promise<string[]>;
}

/**
 * A separate process claiming batches from the same database file until the queue is empty. It opens the
 * store, says "ready", and claims only after the parent's "go": all claimers start together, so a process
 * that happens to start first under load cannot drain the queue before the others exist.
 */
function claimer(file: string, name: string): Claimer {
  const storeModule = pathToFileURL(join(ROOT, 'dist', 'src', 'store', 'sqlite', 'sqlite-store.js')).href;
  const script = `
    const { SqliteStore } = await import(${JSON.stringify(storeModule)});
    const store = new SqliteStore({ filename: ${JSON.stringify(file)} });
    process.stderr.write('ready\\n');
    await new Promise((resolve) => process.stdin.once('data', resolve));
    const ids = [];
    let empty = 0;
    while (empty < 20) {
      const batch = await store.claimInvocations({ workerId: ${JSON.stringify(name)}, limit: 7, now: Date.now(), lockMs: 600000 });
      if (batch.length === 0) { empty++; await new Promise((r) => setTimeout(r, 5)); continue; }
      empty = 0;
      for (const inv of batch) ids.push(inv.id);
      // Give the other processes a turn between claims, as a worker does between its batches.
      await new Promise((r) => setImmediate(r));
    }
    process.stdout.write(JSON.stringify(ids));
    await store.close();
    process.stdin.destroy();
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  const ready = new Promise<void>((resolve) => {
    child.stderr.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
      else process.stderr.write(chunk);
    });
  });
  const claimed = new Promise<string[]>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`claimer exited with ${code}`))));
  });
  return { ready, go: () => child.stdin.write('go\n'), claimed };
}

describe('claiming under concurrency', () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'sluice-claim-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('never hands the same invocation to two processes claiming at once', async () => {
    const file = join(dir, 'sluice.db');
    const store = new SqliteStore({ filename: file, synchronous: 'normal' });
    const invocations: NewInvocation[] = Array.from({ length: TOTAL }, (_, i) => ({
      id: `inv-${i}`,
      projectId: 1,
      destinationId: 'd',
      mappingIndex: null,
      eventUuid: `e-${i}`,
      globals: {},
      priority: i % 3,
      scheduledAt: 0,
    }));
    await store.enqueueInvocations(invocations);
    await store.close();

    const claimers = Array.from({ length: CLAIMERS }, (_, i) => claimer(file, `claimer-${i}`));
    await Promise.all(claimers.map((c) => c.ready));
    for (const c of claimers) c.go();
    const results = await Promise.all(claimers.map((c) => c.claimed));
    const all = results.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(TOTAL);
    // Each process got a share: they really ran at the same time.
    expect(results.filter((r) => r.length > 0).length).toBeGreaterThan(1);
  });
});
