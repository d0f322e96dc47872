import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewInvocation } from '../store.js';
import { SqliteStore } from '../sqlite/sqlite-store.js';

let store: SqliteStore;
beforeEach(() => {
  store = new SqliteStore({ filename: ':memory:' });
});
afterEach(async () => {
  await store.close();
});

let counter = 0;
function invocation(overrides: Partial<NewInvocation> = {}): NewInvocation {
  counter++;
  return {
    id: `inv-${String(counter).padStart(4, '0')}`,
    projectId: 1,
    destinationId: 'd1',
    mappingIndex: null,
    eventUuid: `event-${counter}`,
    globals: { event: { name: 'e' } },
    priority: 0,
    scheduledAt: 1_000,
    ...overrides,
  };
}

describe('destinations', () => {
  it('saves, lists, updates and soft-deletes destinations, bumping the version on every write', async () => {
    expect(await store.destinationsVersion()).toBe(0);
    const a = await store.saveDestination({ id: 'a', projectId: 1, enabled: true, config: { name: 'A' } });
    const b = await store.saveDestination({ id: 'b', projectId: 1, enabled: false, config: { name: 'B' } });
    expect(a.version).toBeLessThan(b.version);
    expect(await store.destinationsVersion()).toBe(b.version);
    expect((await store.listDestinations(1)).map((d) => d.id)).toEqual(['a', 'b']);
    expect((await store.listEnabledDestinations()).map((d) => d.id)).toEqual(['a']);

    const a2 = await store.saveDestination({ id: 'a', projectId: 1, enabled: true, config: { name: 'A2' } });
    expect(a2.version).toBeGreaterThan(b.version);
    expect(a2.createdAt).toBe(a.createdAt);
    expect((await store.getDestination(1, 'a'))?.config).toEqual({ name: 'A2' });

    expect(await store.deleteDestination(1, 'a')).toBe(true);
    expect(await store.deleteDestination(1, 'a')).toBe(false);
    expect(await store.destinationsVersion()).toBeGreaterThan(a2.version);
    expect(await store.getDestination(1, 'a')).toBeNull();
    expect(await store.listEnabledDestinations()).toEqual([]);
  });

  it("never reads or overwrites another project's destination", async () => {
    await store.saveDestination({ id: 'a', projectId: 1, enabled: true, config: {} });
    expect(await store.getDestination(2, 'a')).toBeNull();
    expect(await store.deleteDestination(2, 'a')).toBe(false);
    await expect(store.saveDestination({ id: 'a', projectId: 2, enabled: true, config: {} })).rejects.toThrow(/another project/);
  });
});

describe('the invocation queue', () => {
  it('claims by priority first, then by scheduled time', async () => {
    await store.enqueueInvocations([
      invocation({ id: 'late', scheduledAt: 300 }),
      invocation({ id: 'low-priority', priority: 5, scheduledAt: 100 }),
      invocation({ id: 'early', scheduledAt: 200 }),
    ]);
    const claimed = await store.claimInvocations({ workerId: 'w', limit: 10, now: 1_000, lockMs: 1_000 });
    expect(claimed.map((i) => i.id)).toEqual(['early', 'late', 'low-priority']);
    expect(claimed.every((i) => i.state === 'running' && i.lockedBy === 'w' && i.lockedUntil === 2_000)).toBe(true);
    expect(await store.claimInvocations({ workerId: 'w2', limit: 10, now: 1_000, lockMs: 1_000 })).toEqual([]);
  });

  it('respects the limit and hands out the rest on the next claim', async () => {
    await store.enqueueInvocations([invocation({ id: 'a', scheduledAt: 1 }), invocation({ id: 'b', scheduledAt: 2 }), invocation({ id: 'c', scheduledAt: 3 })]);
    expect((await store.claimInvocations({ workerId: 'w', limit: 2, now: 10, lockMs: 100 })).map((i) => i.id)).toEqual(['a', 'b']);
    expect((await store.claimInvocations({ workerId: 'w', limit: 2, now: 10, lockMs: 100 })).map((i) => i.id)).toEqual(['c']);
  });

  it('does not claim a retry before its scheduled time', async () => {
    await store.enqueueInvocations([invocation({ id: 'x', scheduledAt: 0 })]);
    await store.claimInvocations({ workerId: 'w', limit: 1, now: 0, lockMs: 100 });
    await store.updateInvocation('x', { state: 'queued', scheduledAt: 5_000, attempts: 1, suspension: { vm: 1 } });
    expect(await store.claimInvocations({ workerId: 'w', limit: 1, now: 4_999, lockMs: 100 })).toEqual([]);
    const [again] = await store.claimInvocations({ workerId: 'w', limit: 1, now: 5_000, lockMs: 100 });
    expect(again?.id).toBe('x');
    expect(again?.attempts).toBe(1);
    expect(again?.suspension).toEqual({ vm: 1 });
  });

  it('reclaims a running invocation only after its lock expired, and heartbeats keep it', async () => {
    await store.enqueueInvocations([invocation({ id: 'x', scheduledAt: 0 })]);
    await store.claimInvocations({ workerId: 'dead', limit: 1, now: 0, lockMs: 1_000 });
    expect(await store.claimInvocations({ workerId: 'other', limit: 1, now: 999, lockMs: 1_000 })).toEqual([]);
    await store.extendInvocationLocks({ workerId: 'dead', ids: ['x'], lockedUntil: 3_000 });
    expect(await store.claimInvocations({ workerId: 'other', limit: 1, now: 2_000, lockMs: 1_000 })).toEqual([]);
    const [stalled] = await store.claimInvocations({ workerId: 'other', limit: 1, now: 3_000, lockMs: 1_000 });
    expect(stalled?.lockedBy).toBe('other');
    // The dead worker's heartbeat no longer touches a lock it lost.
    await store.extendInvocationLocks({ workerId: 'dead', ids: ['x'], lockedUntil: 99_000 });
    expect((await store.getInvocation('x'))?.lockedUntil).toBe(4_000);
  });

  it('stores invocations and the consumer offset in one transaction', async () => {
    await store.enqueueInvocations([invocation({ id: 'a' }), invocation({ id: 'b' })], { consumer: 'destinations', seq: 42 });
    expect(await store.getOffset('destinations')).toBe(42);
    expect(await store.countInvocations({ states: ['queued'] })).toBe(2);
    // A duplicate id makes the whole write fail: neither the new invocation nor the offset moves.
    await expect(
      store.enqueueInvocations([invocation({ id: 'c' }), invocation({ id: 'a' })], { consumer: 'destinations', seq: 50 }),
    ).rejects.toThrow();
    expect(await store.getOffset('destinations')).toBe(42);
    expect(await store.getInvocation('c')).toBeNull();
  });

  it('can store invocations already claimed by an in-process worker', async () => {
    await store.enqueueInvocations([invocation({ id: 'a', scheduledAt: 0 })], undefined, { workerId: 'local', lockedUntil: 500 });
    expect((await store.getInvocation('a'))?.state).toBe('running');
    expect(await store.claimInvocations({ workerId: 'w', limit: 1, now: 499, lockMs: 100 })).toEqual([]);
    expect((await store.claimInvocations({ workerId: 'w', limit: 1, now: 500, lockMs: 100 })).map((i) => i.id)).toEqual(['a']);
  });

  it('releases the lock when an invocation finishes, and lists and counts by state', async () => {
    await store.enqueueInvocations([invocation({ id: 'a', scheduledAt: 0 }), invocation({ id: 'b', scheduledAt: 0 })]);
    await store.claimInvocations({ workerId: 'w', limit: 2, now: 0, lockMs: 100 });
    await store.updateInvocations([
      { id: 'a', update: { state: 'succeeded', finishedAt: 10, attempts: 1, suspension: null } },
      { id: 'b', update: { state: 'failed', finishedAt: 20, attempts: 1, error: 'boom' } },
    ]);
    const a = await store.getInvocation('a');
    expect(a).toMatchObject({ state: 'succeeded', lockedBy: null, lockedUntil: null, finishedAt: 10 });
    expect(await store.claimInvocations({ workerId: 'w', limit: 2, now: 1_000, lockMs: 100 })).toEqual([]);
    expect((await store.listInvocations(1, 'd1', { states: ['failed'], limit: 10 })).map((i) => [i.id, i.error])).toEqual([['b', 'boom']]);
    expect(await store.countInvocations({ projectId: 1, destinationId: 'd1' })).toBe(2);
    expect(await store.countInvocations({ states: ['succeeded', 'failed'] })).toBe(2);
  });

  it('deletes only finished invocations older than the cut-off', async () => {
    await store.enqueueInvocations([invocation({ id: 'old', scheduledAt: 0 }), invocation({ id: 'new', scheduledAt: 0 }), invocation({ id: 'waiting' })]);
    await store.claimInvocations({ workerId: 'w', limit: 2, now: 0, lockMs: 100 });
    await store.updateInvocations([
      { id: 'old', update: { state: 'succeeded', finishedAt: 100 } },
      { id: 'new', update: { state: 'failed', finishedAt: 300 } },
    ]);
    expect(await store.deleteFinishedInvocations(200)).toBe(1);
    expect(await store.getInvocation('old')).toBeNull();
    expect(await store.getInvocation('new')).not.toBeNull();
    expect(await store.getInvocation('waiting')).not.toBeNull();
  });
});

describe('logs and metrics', () => {
  const log = (message: string, level: 'debug' | 'info' | 'warn' | 'error', second: number, invocationId: string | null = 'i1') => ({
    projectId: 1,
    destinationId: 'd1',
    invocationId,
    timestamp: `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z`,
    level,
    message,
  });

  it('queries logs newest first, by level, by case-insensitive search and by invocation', async () => {
    await store.appendLogs([
      log('Request sent', 'info', 1),
      log('Webhook FAILED with 500', 'error', 2),
      log('100% done_ok', 'debug', 3, 'i2'),
      { ...log('other destination', 'info', 4), destinationId: 'd2' },
    ]);
    const all = await store.queryLogs(1, 'd1', { limit: 10 });
    expect(all.map((l) => l.message)).toEqual(['100% done_ok', 'Webhook FAILED with 500', 'Request sent']);
    expect((await store.queryLogs(1, 'd1', { levels: ['error', 'warn'], limit: 10 })).map((l) => l.level)).toEqual(['error']);
    expect((await store.queryLogs(1, 'd1', { search: 'failed', limit: 10 })).map((l) => l.message)).toEqual(['Webhook FAILED with 500']);
    expect((await store.queryLogs(1, 'd1', { search: '0% d', limit: 10 })).length).toBe(1);
    expect((await store.queryLogs(1, 'd1', { search: '_', limit: 10 })).length).toBe(1);
    expect((await store.queryLogs(1, 'd1', { invocationId: 'i2', limit: 10 })).map((l) => l.message)).toEqual(['100% done_ok']);
    expect((await store.queryLogs(1, 'd1', { after: '2026-01-01T00:00:01.000Z', before: '2026-01-01T00:00:03.000Z', limit: 10 })).length).toBe(1);
    expect((await store.queryLogs(1, 'd1', { limit: 1 })).length).toBe(1);
  });

  it('deletes logs older than the cut-off', async () => {
    await store.appendLogs([log('old', 'info', 1), log('new', 'info', 5)]);
    expect(await store.deleteLogsBefore('2026-01-01T00:00:03.000Z')).toBe(1);
    expect((await store.queryLogs(1, 'd1', { limit: 10 })).map((l) => l.message)).toEqual(['new']);
  });

  it('adds metric increments into hourly buckets and sums them by day', async () => {
    const inc = (name: string, hour: string, count: number) => ({ projectId: 1, destinationId: 'd1', name, hour, count });
    await store.incrementMetrics([inc('succeeded', '2026-01-01T10:00:00.000Z', 2), inc('failed', '2026-01-01T10:00:00.000Z', 1)]);
    await store.incrementMetrics([inc('succeeded', '2026-01-01T10:00:00.000Z', 3), inc('succeeded', '2026-01-01T11:00:00.000Z', 4)]);
    await store.incrementMetrics([inc('succeeded', '2026-01-02T00:00:00.000Z', 1)]);
    await store.incrementMetrics([{ ...inc('succeeded', '2026-01-01T10:00:00.000Z', 100), destinationId: 'd2' }]);

    const range = { after: '2026-01-01T00:00:00.000Z', before: '2026-01-03T00:00:00.000Z' };
    expect(await store.queryMetrics(1, 'd1', { ...range, interval: 'hour' })).toEqual([
      { name: 'failed', bucket: '2026-01-01T10:00:00.000Z', count: 1 },
      { name: 'succeeded', bucket: '2026-01-01T10:00:00.000Z', count: 5 },
      { name: 'succeeded', bucket: '2026-01-01T11:00:00.000Z', count: 4 },
      { name: 'succeeded', bucket: '2026-01-02T00:00:00.000Z', count: 1 },
    ]);
    expect(await store.queryMetrics(1, 'd1', { ...range, interval: 'day', names: ['succeeded'] })).toEqual([
      { name: 'succeeded', bucket: '2026-01-01T00:00:00.000Z', count: 9 },
      { name: 'succeeded', bucket: '2026-01-02T00:00:00.000Z', count: 1 },
    ]);
    expect(await store.deleteMetricsBefore('2026-01-01T11:00:00.000Z')).toBe(3);
    expect((await store.queryMetrics(1, 'd1', { ...range, interval: 'hour' })).length).toBe(2);
  });
});
