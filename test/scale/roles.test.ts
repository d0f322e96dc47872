/**
 * Process roles on one Postgres schema, in one test process: capture only stores, workers process (one
 * leader) and deliver, api serves the management API; leadership moves when the leader stops.
 * Runs only with Postgres (mandatory in CI).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startSluice, type RunningSluice, type SluiceRole } from '../../src/cli/start.js';
import { createTestSchema, postgresSkipReason, type TestSchema } from '../../src/store/__tests__/backends.js';
import { API_KEY, post, TOKEN } from '../ingest/helpers.js';
import { startSink } from '../runtime/helpers.js';

const skipReason = await postgresSkipReason();

const env = { SLUICE_BOOTSTRAP_PROJECT_TOKEN: TOKEN, SLUICE_BOOTSTRAP_API_KEY: API_KEY, SLUICE_FETCH_ALLOW_HOSTS: '127.0.0.1' };

if (skipReason !== null) {
  console.warn(`[sluice] ${skipReason}`);
  describe('process roles on Postgres', () => {
    it.skip(skipReason, () => {});
  });
} else {
  describe('process roles on Postgres', () => {
    const schemas: TestSchema[] = [];
    const running: RunningSluice[] = [];
    afterAll(async () => {
      await Promise.all(running.map((r) => r.close().catch(() => {})));
      await Promise.all(schemas.map((s) => s.drop()));
    });
    async function start(schema: TestSchema, role: SluiceRole): Promise<RunningSluice> {
      const sluice = await startSluice({
        role,
        dataDir: ':memory:',
        databaseUrl: schema.url,
        port: 0,
        host: '127.0.0.1',
        env,
        logger: false,
        assignTickMs: 100,
        leaseTtlMs: 1_000,
        runtime: { worker: { pollMs: 50 } },
      });
      running.push(sluice);
      return sluice;
    }
    const batch = (from: number, count: number) =>
      JSON.stringify({
        api_key: TOKEN,
        batch: Array.from({ length: count }, (_, i) => ({ event: 'signed up', distinct_id: `u${(from + i) % 5}`, properties: { n: from + i } })),
      });

    it('serves each role its own paths', async () => {
      const schema = await createTestSchema();
      schemas.push(schema);
      const [capture, api, worker] = await Promise.all([start(schema, 'capture'), start(schema, 'api'), start(schema, 'worker')]);
      expect((await post(`${capture.url}/batch/`, batch(0, 3))).status).toBe(200);
      const auth = { authorization: `Bearer ${API_KEY}` };
      expect((await fetch(`${capture.url}/api/projects/`, { headers: auth })).status).toBe(404);
      expect((await fetch(`${api.url}/api/projects/`, { headers: auth })).status).toBe(200);
      expect((await post(`${api.url}/batch/`, batch(3, 1))).status).toBe(404);
      expect((await fetch(`${worker.url}/api/projects/`, { headers: auth })).status).toBe(404);
      expect((await fetch(`${worker.url}/_health`)).status).toBe(200);
      expect(() => capture.runtime).toThrow(/no destinations runtime/);
      // The worker processes what the capture process stored.
      expect(worker.partitions).toHaveLength(worker.store.partitionCount);
      await expect.poll(() => worker.pipeline.processedEvents, { timeout: 5_000 }).toBe(3);
      await Promise.all([capture.close(), api.close(), worker.close()]);
    });

    it('moves person processing and matching to the other worker when one goes, losing nothing', async () => {
      const schema = await createTestSchema();
      schemas.push(schema);
      const sink = await startSink();
      const capture = await start(schema, 'capture');
      const api = await start(schema, 'api');
      const first = await start(schema, 'worker');
      const second = await start(schema, 'worker');
      // The partitions are shared between the two workers.
      const count = first.store.partitionCount;
      const shared = () => first.partitions.length + second.partitions.length === count && Math.abs(first.partitions.length - second.partitions.length) <= 1;
      await expect.poll(shared, { timeout: 10_000 }).toBe(true);
      const res = await fetch(`${api.url}/api/projects/1/hog_functions/`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          template_id: 'template-webhook',
          inputs: { url: { value: `${sink.url}/hook` }, body: { value: { n: '{event.properties.n}' } } },
          filters: { events: [{ id: 'signed up', type: 'events' }] },
        }),
      });
      expect(res.status).toBe(201);
      expect((await post(`${capture.url}/batch/`, batch(0, 20))).status).toBe(200);
      await sink.waitFor(20, 10_000);
      await first.close();
      await expect.poll(() => second.partitions.length, { timeout: 5_000 }).toBe(count);
      expect((await post(`${capture.url}/batch/`, batch(20, 20))).status).toBe(200);
      await sink.waitFor(40, 10_000);
      const seen = new Set(sink.requests.map((r) => (r.json as { n: number }).n));
      expect(seen.size).toBe(40);
      await sink.close();
    });
  });
}
