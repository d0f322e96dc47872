/**
 * Partition ownership among real worker processes (the built CLI) on one Postgres: 3 workers share the
 * partitions evenly; a 4th joins and gets its share; one is SIGKILLed and within 5 s every partition has
 * exactly one live owner again. A commit with the killed process's lease fence is then refused.
 * Observed through `GET /api/cluster/` (admin key) of an api-role process, and the store itself.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startSluice, type RunningSluice } from '../../src/cli/start.js';
import { generateEncryptionKey } from '../../src/destinations/secrets.js';
import { openStore } from '../../src/store/index.js';
import { createTestSchema, postgresSkipReason, type TestSchema } from '../../src/store/__tests__/backends.js';
import { LeaseLostError, type LeaseFence, type Store } from '../../src/store/store.js';
import { API_KEY, TOKEN } from '../ingest/helpers.js';
import { ensureBuilt, ROOT } from '../helpers/cli.js';
import { freePort, startProcess, stopProcess, type ClusterProcess } from '../../bench/cluster.js';

const skipReason = await postgresSkipReason();

interface ClusterView {
  partition_count: number;
  processes: { id: string; role: string; pid: number; partitions: number[] }[];
  partitions: { partition: number; owner: string | null; epoch: number; lag: Record<string, number> }[];
}

if (skipReason !== null) {
  describe('partition ownership across worker processes', () => {
    it.skip(skipReason, () => {});
  });
} else {
  describe('partition ownership across worker processes', () => {
    let schema: TestSchema;
    let api: RunningSluice | undefined;
    let store: Store | undefined;
    const processes: ClusterProcess[] = [];

    afterAll(async () => {
      await Promise.all(processes.map((p) => stopProcess(p, 'SIGKILL')));
      await api?.close();
      await store?.close();
      await schema?.drop();
    });

    async function cluster(): Promise<ClusterView> {
      const res = await fetch(`${api!.url}/api/cluster/`, { headers: { authorization: `Bearer ${API_KEY}` } });
      expect(res.status).toBe(200);
      return (await res.json()) as ClusterView;
    }

    /** Every partition has exactly one live owner, one of `pids`, and the counts differ by at most one. */
    async function settledOn(pids: number[]): Promise<ClusterView> {
      const view = await cluster();
      const workers = view.processes.filter((p) => p.role === 'worker');
      const byId = new Map(workers.map((w) => [w.id, w]));
      const ownerPids = view.partitions.map((p) => (p.owner === null ? null : (byId.get(p.owner)?.pid ?? null)));
      if (ownerPids.some((pid) => pid === null || !pids.includes(pid))) throw new Error(`not settled: owners ${JSON.stringify(ownerPids)}`);
      const counts = pids.map((pid) => ownerPids.filter((o) => o === pid).length);
      if (Math.max(...counts) - Math.min(...counts) > 1) throw new Error(`not balanced: ${JSON.stringify(counts)}`);
      // Each partition is listed under exactly one process.
      const listed = workers.flatMap((w) => w.partitions).sort((a, b) => a - b);
      expect(listed).toEqual(view.partitions.map((p) => p.partition));
      return view;
    }

    async function waitSettled(pids: number[], withinMs: number): Promise<ClusterView> {
      const deadline = Date.now() + withinMs;
      for (;;) {
        try {
          return await settledOn(pids);
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }

    it('spreads partitions evenly, moves them within 5 s when a worker joins or dies, and fences the dead one', async () => {
      ensureBuilt();
      schema = await createTestSchema('sluice_owners');
      const env: Record<string, string> = {
        SLUICE_DATABASE_URL: schema.url,
        SLUICE_ENCRYPTION_KEYS: generateEncryptionKey(),
        SLUICE_BOOTSTRAP_PROJECT_TOKEN: TOKEN,
        SLUICE_BOOTSTRAP_API_KEY: API_KEY,
        SLUICE_LOG_LEVEL: 'warn',
        SLUICE_PARTITIONS: '16',
        // Four workers on 2 cores: one stage thread each (set, not left to the machine), so the leases and
        // fences below are those of partitions running in threads.
        SLUICE_STAGE_THREADS: '1',
      };
      api = await startSluice({ role: 'api', dataDir: ':memory:', databaseUrl: schema.url, port: 0, host: '127.0.0.1', env, logger: false });
      store = await openStore({ dataDir: ':memory:', databaseUrl: schema.url, poolSize: 2 });
      expect(store.partitionCount).toBe(16);

      const ports = await Promise.all(Array.from({ length: 4 }, () => freePort()));
      const workers: ClusterProcess[] = [];
      for (const port of ports.slice(0, 3)) workers.push(await startProcess(ROOT, 'worker', port, env));
      processes.push(...workers);
      const pidOf = (p: ClusterProcess) => p.child.pid!;
      await waitSettled(workers.map(pidOf), 15_000);

      // A 4th worker joins: each ends with 4 partitions.
      const fourth = await startProcess(ROOT, 'worker', ports[3]!, env);
      processes.push(fourth);
      workers.push(fourth);
      const joined = await waitSettled(workers.map(pidOf), 5_000);
      expect(joined.processes.filter((p) => p.role === 'worker').map((p) => p.partitions.length)).toEqual([4, 4, 4, 4]);

      // Kill one: its partitions have exactly one live owner again within 5 s.
      const victim = workers[1]!;
      const victimId = joined.processes.find((p) => p.pid === pidOf(victim))!.id;
      const stale: LeaseFence[] = (await store.listLeases())
        .filter((l) => l.owner === victimId)
        .map((l) => ({ partition: l.partition, owner: victimId, epoch: l.epoch }));
      expect(stale).toHaveLength(4);
      victim.child.kill('SIGKILL');
      await victim.exited;
      const killedAt = Date.now();
      const survivors = workers.filter((w) => w !== victim);
      await waitSettled(survivors.map(pidOf), 5_000);
      expect(Date.now() - killedAt).toBeLessThan(5_000);

      // The dead owner's fence no longer commits: its offsets stay where the new owner keeps them.
      const fence = stale[0]!;
      const before = (await store.getPartitionOffsets('persons'))[fence.partition];
      await expect(
        store.commitOffsets([{ consumer: 'persons', partition: fence.partition, position: { tx: 0, seq: 999_999 }, fence }]),
      ).rejects.toBeInstanceOf(LeaseLostError);
      expect((await store.getPartitionOffsets('persons'))[fence.partition]).toEqual(before);
      const now = (await store.listLeases()).find((l) => l.partition === fence.partition)!;
      expect(now.epoch).toBeGreaterThan(fence.epoch);
      expect(now.owner).not.toBe(victimId);
    }, 90_000);
  });
}
