/**
 * The one consumer, with a stage that records what it gets: per-partition order, the in-memory hand-over
 * and its store fallback, a conflict redone at once, a lost lease stopping only that partition.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../store/index.js';
import { partitionOf } from '../../store/partitions.js';
import { LeaseLostError, PersonConflictError, type NewEvent, type PartitionOffsetWrite, type Store, type StoredEvent } from '../../store/store.js';
import type { Stage } from '../consumer.js';
import { StageRunner } from '../stage-runner.js';

let n = 0;
function event(distinctId: string): NewEvent {
  n++;
  return {
    projectId: 1,
    uuid: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    event: 'e',
    distinct_id: distinctId,
    properties: { n },
    timestamp: '2026-01-01T00:00:00.000Z',
    receivedAt: '2026-01-01T00:00:00.000Z',
  };
}

/** A stage that commits its offset and remembers each batch; `failNext` makes the next batch throw. */
function recordingStage(store: Store) {
  const batches: { partition: number; seqs: number[] }[] = [];
  const failures: Error[] = [];
  let resets = 0;
  const stage: Stage<StoredEvent> = {
    name: 'test-stage',
    read: (s, partition, after, limit) => s.readPartition(partition, after, limit),
    async process(batch: StoredEvent[], offset: PartitionOffsetWrite) {
      const failure = failures.shift();
      if (failure) throw failure;
      await store.commitOffsets([offset]);
      batches.push({ partition: offset.partition, seqs: batch.map((e) => e.seq) });
    },
    reset: () => void resets++,
  };
  return { stage, batches, failures, resets: () => resets };
}

describe('StageRunner / PartitionConsumer', () => {
  let store: Store;
  afterEach(async () => store?.close());

  async function setUp(partitions: number) {
    store = await openStore({ dataDir: ':memory:', partitions });
    await store.createProject({ name: 'p', apiToken: 't' });
  }

  it('processes each partition in order, from memory while caught up and from the store when it falls behind', async () => {
    await setUp(4);
    const { stage, batches } = recordingStage(store);
    const runner = new StageRunner(stage, { store, batchSize: 3, maxQueued: 5, retryDelayMs: 10 });
    for (let p = 0; p < 4; p++) await runner.assign((await store.acquireLease(p, 'me', 60_000))!);
    const ids = Array.from({ length: 12 }, (_, i) => `user-${i}`);
    // Appended and handed over in memory, like the group-commit writer does.
    const push = async (events: NewEvent[]) => {
      const { seqs, tx } = await store.appendEvents(events);
      runner.push(
        events.map((e, i) => ({ ...e, seq: seqs[i]!, partition: partitionOf(1, e.distinct_id, 4), position: { tx, seq: seqs[i]! } })),
      );
    };
    for (let round = 0; round < 3; round++) await push(ids.map(event));
    // One oversized hand-over: more than maxQueued for some partition, so it reads the store instead.
    await push(Array.from({ length: 40 }, (_, i) => event(ids[i % 12]!)));
    await runner.waitFor(await store.lastEventSeq(), 10);
    await runner.stop();

    const all = await store.readEvents(0, 1_000);
    for (let p = 0; p < 4; p++) {
      const seen = batches.filter((b) => b.partition === p).flatMap((b) => b.seqs);
      expect(seen).toEqual(all.filter((e) => e.partition === p).map((e) => e.seq));
    }
    expect(batches.every((b) => b.seqs.length <= 3)).toBe(true);
  });

  it('redoes a batch refused by a concurrent change, after dropping the stage cache', async () => {
    await setUp(1);
    const { stage, batches, failures, resets } = recordingStage(store);
    failures.push(new PersonConflictError('test'));
    const runner = new StageRunner(stage, { store, readFromStore: true, pollMs: 5, retryDelayMs: 10_000 });
    await store.appendEvents([event('a'), event('b')]);
    await runner.assign((await store.acquireLease(0, 'me', 60_000))!);
    const before = resets();
    // No retry delay for a conflict: this waits far less than the 10 s retryDelayMs.
    await runner.waitFor(2, 5);
    await runner.stop();
    expect(batches.flatMap((b) => b.seqs)).toEqual([1, 2]);
    expect(resets()).toBeGreaterThan(before);
  });

  it("waits for a committed batch's stage to return, not only for its offset in the store", async () => {
    await setUp(1);
    // Commits its offset, then hands its output on a while later (as the matcher hands invocations over).
    let handOver: () => void = () => {};
    const handedOver: number[] = [];
    const stage: Stage<StoredEvent> = {
      name: 'test-stage',
      read: (s, partition, after, limit) => s.readPartition(partition, after, limit),
      async process(batch: StoredEvent[], offset: PartitionOffsetWrite) {
        await store.commitOffsets([offset]);
        await new Promise<void>((resolve) => (handOver = resolve));
        handedOver.push(...batch.map((e) => e.seq));
      },
    };
    const runner = new StageRunner(stage, { store, readFromStore: true, pollMs: 5 });
    await store.appendEvents([event('a')]);
    await runner.assign((await store.acquireLease(0, 'me', 60_000))!);
    let waited = false;
    const waiting = runner.waitFor(1, 5).then(() => (waited = true));
    // The offset is committed, the stage has not returned: the wait goes on.
    while (!(await store.getPartitionOffsets('test-stage'))[0]?.seq) await new Promise((r) => setTimeout(r, 5));
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 5));
    expect(waited).toBe(false);
    handOver();
    await waiting;
    expect(handedOver).toEqual([1]);
    await runner.stop();
  });

  it('stops only the partition whose lease was taken over, and says so', async () => {
    await setUp(2);
    const { stage } = recordingStage(store);
    const lost: number[] = [];
    const runner = new StageRunner(stage, { store, readFromStore: true, pollMs: 5, retryDelayMs: 10, onLost: (p) => lost.push(p) });
    for (let p = 0; p < 2; p++) await runner.assign((await store.acquireLease(p, 'me', 60_000))!);
    // Another process takes partition 0 (its lease lapsed); our next commit there is refused.
    await store.releaseLease({ partition: 0, owner: 'me', epoch: 1 });
    await store.acquireLease(0, 'them', 60_000);
    const ids = Array.from({ length: 20 }, (_, i) => `u${i}`);
    await store.appendEvents(ids.map(event));
    await expect.poll(() => lost, { timeout: 5_000 }).toEqual([0]);
    expect(runner.partitions).toEqual([1]);
    await runner.waitFor(0);
    const offsets = await store.getPartitionOffsets('test-stage');
    expect(offsets[0]!.seq).toBe(0);
    await expect.poll(async () => (await store.getPartitionOffsets('test-stage'))[1]!.seq, { timeout: 5_000 }).toBeGreaterThan(0);
    await runner.stop();
    await expect(store.commitOffsets([{ consumer: 'x', partition: 0, position: { tx: 0, seq: 1 }, fence: { partition: 0, owner: 'me', epoch: 1 } }])).rejects.toBeInstanceOf(LeaseLostError);
  });
});
