import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { InvocationBatchWrite } from '../../store/store.js';
import { RuntimeRecorder } from '../recorder.js';

const invocation = (id: string) => ({
  id,
  projectId: 1,
  destinationId: 'd1',
  mappingIndex: null,
  eventUuid: '00000000-0000-7000-8000-000000000001',
  globals: {},
  priority: 0,
  scheduledAt: 0,
});

describe('RuntimeRecorder', () => {
  it("writes its worker's outcomes only while that worker holds the invocation's lock", async () => {
    const store = new SqliteStore({ filename: ':memory:' });
    await store.enqueueInvocations([invocation('a')]);
    // Claimed by w1, whose lock lapses; w2 reclaims it.
    await store.claimInvocations({ workerId: 'w1', limit: 1, now: 0, lockMs: 10 });
    await store.claimInvocations({ workerId: 'w2', limit: 1, now: 100, lockMs: 10_000 });
    const stale = new RuntimeRecorder({ store, lockHolder: 'w1' });
    stale.update('a', { state: 'succeeded', finishedAt: 200 });
    await stale.flush();
    expect(await store.getInvocation('a')).toMatchObject({ state: 'running', lockedBy: 'w2' });
    const owner = new RuntimeRecorder({ store, lockHolder: 'w2' });
    owner.update('a', { state: 'failed', error: 'w2 saw a 400', finishedAt: 300 });
    await owner.flush();
    expect(await store.getInvocation('a')).toMatchObject({ state: 'failed', error: 'w2 saw a 400', lockedBy: null });
    await store.close();
  });

  it('writes the rest of a batch record by record when the store keeps refusing the batch, losing only the refused record', async () => {
    const store = new SqliteStore({ filename: ':memory:' });
    await store.enqueueInvocations([invocation('a'), invocation('b')]);
    const commit = store.commitInvocationBatch.bind(store);
    const tried: InvocationBatchWrite[] = [];
    // Every batch holding the poison line is refused, as Postgres once refused a U+0000 in any text.
    store.commitInvocationBatch = (batch) => {
      tried.push(batch);
      return batch.logs.some((l) => l.message === 'poison') ? Promise.reject(new Error('refused')) : commit(batch);
    };
    const errors: string[] = [];
    const recorder = new RuntimeRecorder({ store, logger: { error: (_fields: object, message: string) => errors.push(message) } as never, flushDelayMs: 1_000 });
    recorder.update('a', { state: 'succeeded', finishedAt: 1 });
    recorder.log(1, 'd1', 'a', 'info', 'poison');
    recorder.log(1, 'd1', 'b', 'info', 'kept');
    recorder.update('b', { state: 'failed', error: 'boom', finishedAt: 1 });
    recorder.metric(1, 'd1', 'succeeded');
    await recorder.flush();

    expect((await store.getInvocation('a'))?.state).toBe('succeeded');
    expect((await store.getInvocation('b'))).toMatchObject({ state: 'failed', error: 'boom' });
    expect((await store.queryLogs(1, 'd1', { limit: 10 })).map((l) => l.message)).toEqual(['kept']);
    const metrics = await store.queryMetrics(1, 'd1', { after: '2000-01-01T00:00:00.000Z', before: '2100-01-01T00:00:00.000Z', interval: 'hour' });
    expect(metrics.map((m) => [m.name, m.count])).toEqual([['succeeded', 1]]);
    // Three tries of the whole batch, then its five records one by one.
    expect(tried.map((b) => b.updates.length + b.logs.length + b.metrics.length)).toEqual([5, 5, 5, 1, 1, 1, 1, 1]);
    expect(errors.at(-1)).toBe('invocation records the store refused one by one were dropped');
    await store.close();
  });

  it('writes a batch whose first try fails once (a deadlock, a dropped connection) whole on the next', async () => {
    const store = new SqliteStore({ filename: ':memory:' });
    await store.enqueueInvocations([invocation('a')]);
    const commit = store.commitInvocationBatch.bind(store);
    let calls = 0;
    store.commitInvocationBatch = (batch) => (++calls === 1 ? Promise.reject(new Error('deadlock detected')) : commit(batch));
    const recorder = new RuntimeRecorder({ store, flushDelayMs: 1_000 });
    recorder.update('a', { state: 'succeeded', finishedAt: 1 });
    recorder.log(1, 'd1', 'a', 'info', 'done');
    await recorder.flush();
    expect(calls).toBe(2);
    expect((await store.getInvocation('a'))?.state).toBe('succeeded');
    expect((await store.queryLogs(1, 'd1', { limit: 10 })).map((l) => l.message)).toEqual(['done']);
    await store.close();
  });
});
