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

/** A separate process claiming batches from the same database file until the queue is empty. */
function claimer(file: string, name: string): Promise<string[]> {
  const storeModule = pathToFileURL(join(ROOT, 'dist', 'src', 'store', 'sqlite', 'sqlite-store.js')).href;
  const script = `
    const { SqliteStore } = await import(${JSON.stringify(storeModule)});
    const store = new SqliteStore({ filename: ${JSON.stringify(file)} });
    const ids = [];
    let empty = 0;
    while (empty < 20) {
      const batch = await store.claimInvocations({ workerId: ${JSON.stringify(name)}, limit: 7, now: Date.now(), lockMs: 600000 });
      if (batch.length === 0) { empty++; await new Promise((r) => setTimeout(r, 5)); continue; }
      empty = 0;
      for (const inv of batch) ids.push(inv.id);
    }
    process.stdout.write(JSON.stringify(ids));
    await store.close();
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`claimer exited with ${code}`))));
  });
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

    const results = await Promise.all(Array.from({ length: CLAIMERS }, (_, i) => claimer(file, `claimer-${i}`)));
    const all = results.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(TOTAL);
    // Each process got a share: they really ran at the same time.
    expect(results.filter((r) => r.length > 0).length).toBeGreaterThan(1);
  });
});
