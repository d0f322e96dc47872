import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSluice, type RunningSluice, type SluiceOptions } from '../../src/cli/start.js';
import { createTestSchema, testBackend } from '../../src/store/__tests__/backends.js';

export const TOKEN = 'phc_test_token';
export const API_KEY = 'phx_test_admin_key';

export interface TestSluice extends RunningSluice {
  dataDir: string;
  /** Waits until every event stored so far went through person processing. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real server on 127.0.0.1, a random port and a fresh temp data dir; with `SLUICE_TEST_BACKEND=postgres`,
 * on a fresh schema of the test database instead of SQLite (dropped by `stop`).
 */
export async function startTestSluice(overrides: Partial<SluiceOptions> = {}): Promise<TestSluice> {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'sluice-test-'));
  const schema = testBackend() === 'postgres' && overrides.databaseUrl === undefined ? await createTestSchema() : null;
  const running = await startSluice({
    dataDir,
    port: 0,
    host: '127.0.0.1',
    env: { SLUICE_BOOTSTRAP_PROJECT_TOKEN: TOKEN, SLUICE_BOOTSTRAP_API_KEY: API_KEY },
    logger: false,
    ...(schema ? { databaseUrl: schema.url } : {}),
    ...overrides,
  });
  return Object.assign(running, {
    dataDir,
    async settle() {
      await running.writer.drain();
      await running.pipeline.waitFor(await running.store.lastEventSeq());
    },
    async stop() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
      await schema?.drop();
    },
  });
}

export async function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(url, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
}
