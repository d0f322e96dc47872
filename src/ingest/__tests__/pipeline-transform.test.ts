/**
 * Person processing with a `transform` step (what `src/transformations/stage.ts` plugs in): persons and
 * the in-memory hand-over see the transformed events, dropped events reach neither but still move the
 * offset, the stored events never change, and what the transformations produced is recorded only once
 * the batch committed. The chain itself is covered in src/transformations; here the transform is a plain
 * function, so each rule of the stage is checked on its own.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, testBackend, type OpenedTestStore } from '../../store/__tests__/backends.js';
import type { EnrichedEvent, NewEvent, StoredEvent } from '../../store/store.js';
import { PersonPipeline, type EventTransformer } from '../pipeline.js';

let n = 0;
function event(projectId: number, distinctId: string, properties: Record<string, unknown>, name = 'e'): NewEvent {
  n++;
  return {
    projectId,
    uuid: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    event: name,
    distinct_id: distinctId,
    properties,
    timestamp: '2026-01-01T00:00:00.000Z',
    receivedAt: '2026-01-01T00:00:00.000Z',
  };
}

/** Drops `bot` events, replaces `$set.email` by a marker, leaves the rest as the very same object. */
function markingTransform(calls: { projectId: number; uuids: string[] }[], committed: number[]): EventTransformer {
  return async (projectId, events) => {
    calls.push({ projectId, uuids: events.map((e) => e.uuid) });
    const out = events.map((e): StoredEvent | null => {
      if (e.properties.bot === true) return null;
      const set = e.properties.$set as Record<string, unknown> | undefined;
      if (set?.email === undefined) return e;
      return { ...e, properties: { ...e.properties, $set: { ...set, email: `hashed:${String(set.email)}` } } };
    });
    return { events: out, committed: () => committed.push(projectId) };
  };
}

describe(`person processing with transformations (${testBackend()})`, () => {
  let opened: OpenedTestStore;
  let pipeline: PersonPipeline | null = null;

  beforeEach(async () => {
    opened = await openTestStore(undefined, { partitions: 1 });
  });
  afterEach(async () => {
    await pipeline?.stop();
    pipeline = null;
    await opened.dispose();
  });

  async function run(transform: EventTransformer, events: NewEvent[], handedOver: EnrichedEvent[][] = []): Promise<StoredEvent[]> {
    const { store } = opened;
    pipeline = new PersonPipeline({ store, transform, readFromStore: true, pollMs: 10, retryDelayMs: 10, downstream: 'destinations' });
    pipeline.onEnriched((batch) => void handedOver.push(batch));
    await store.appendEvents(events);
    const stored = await store.readEvents(0, 100);
    await pipeline.start();
    await pipeline.waitFor(stored[stored.length - 1]!.seq);
    return stored;
  }

  it('hands persons and destinations the transformed events, leaves dropped ones out, and keeps the stored events', async () => {
    const calls: { projectId: number; uuids: string[] }[] = [];
    const committed: number[] = [];
    const handedOver: EnrichedEvent[][] = [];
    const events = [
      event(1, 'ada', { $set: { email: 'ada@example.com' } }),
      event(1, 'bot-1', { bot: true, $set: { email: 'bot@example.com' } }),
      event(1, 'ada', { plain: 1 }),
    ];
    const stored = await run(markingTransform(calls, committed), events, handedOver);
    const { store } = opened;

    expect((await store.getPersonByDistinctId(1, 'ada'))?.properties).toEqual({ email: 'hashed:ada@example.com' });
    expect(await store.getPersonByDistinctId(1, 'bot-1')).toBeNull();
    const enriched = await store.readEnrichedEvents(0, 100);
    expect(enriched.map((e) => e.event.uuid)).toEqual([events[0]!.uuid, events[2]!.uuid]);
    expect(enriched[0]!.event.properties).toEqual({ $set: { email: 'hashed:ada@example.com' } });
    expect(enriched[0]!.person.properties).toEqual({ email: 'hashed:ada@example.com' });
    expect(enriched[1]!.event.properties).toEqual({ plain: 1 });
    // The in-memory hand-over carries the same events as the store.
    expect(handedOver.flat().map((e) => ({ uuid: e.event.uuid, properties: e.event.properties }))).toEqual(
      enriched.map((e) => ({ uuid: e.event.uuid, properties: e.event.properties })),
    );
    expect(await store.readEvents(0, 100)).toEqual(stored);
    expect(stored[0]!.properties).toEqual({ $set: { email: 'ada@example.com' } });
    expect(committed).toEqual([1]);
  });

  it('commits the offset of a batch whose every event was dropped, moves the matcher past it, and hands nothing over', async () => {
    const handedOver: EnrichedEvent[][] = [];
    const committed: number[] = [];
    const stored = await run(markingTransform([], committed), [event(1, 'b', { bot: true }), event(1, 'c', { bot: true })], handedOver);
    const { store } = opened;
    expect((await store.getPartitionOffsets('persons'))[0]).toEqual(stored[1]!.position);
    expect(await store.readEnrichedEvents(0, 100)).toEqual([]);
    expect(handedOver.flat()).toEqual([]);
    expect(await store.hasUnprocessed('destinations', stored[1]!.seq)).toBe(false);
    // Nothing kept for the matcher to read: its offset moved along with person processing's.
    expect((await store.getPartitionOffsets('destinations'))[0]).toEqual(stored[1]!.position);
    expect(committed).toEqual([1]);
  });

  it('runs each project\'s transformations on that project\'s events only, and puts the results back in order', async () => {
    const calls: { projectId: number; uuids: string[] }[] = [];
    const events = [event(1, 'a', { $set: { email: 'a@x' } }), event(2, 'a', { bot: true }), event(1, 'b', {}), event(2, 'b', { $set: { email: 'b@x' } })];
    await run(markingTransform(calls, []), events);
    expect(calls).toEqual([
      { projectId: 1, uuids: [events[0]!.uuid, events[2]!.uuid] },
      { projectId: 2, uuids: [events[1]!.uuid, events[3]!.uuid] },
    ]);
    const enriched = await opened.store.readEnrichedEvents(0, 100);
    expect(enriched.map((e) => [e.projectId, e.event.uuid])).toEqual([
      [1, events[0]!.uuid],
      [1, events[2]!.uuid],
      [2, events[3]!.uuid],
    ]);
    expect((await opened.store.getPersonByDistinctId(2, 'b'))?.properties).toEqual({ email: 'hashed:b@x' });
  });

  it('writes nothing and records nothing while the transform step fails, then processes the batch once it works', async () => {
    let failures = 2;
    const committed: number[] = [];
    const inner = markingTransform([], committed);
    const flaky: EventTransformer = async (projectId, events) => {
      if (failures-- > 0) throw new Error('the chain could not be loaded');
      return inner(projectId, events);
    };
    await run(flaky, [event(1, 'ada', { $set: { email: 'ada@example.com' } })]);
    expect(failures).toBeLessThan(0);
    expect(committed).toEqual([1]);
    expect((await opened.store.getPersonByDistinctId(1, 'ada'))?.properties).toEqual({ email: 'hashed:ada@example.com' });
  });

  it('fails the batch when the transform step returns a different number of events, rather than misplacing them', async () => {
    const { store } = opened;
    const broken: EventTransformer = async () => ({ events: [], committed: () => {} });
    const errors: string[] = [];
    pipeline = new PersonPipeline({
      store,
      transform: broken,
      readFromStore: true,
      pollMs: 10,
      retryDelayMs: 10,
      logger: { info() {}, warn() {}, error: (obj) => void errors.push(String((obj as { err?: Error }).err?.message)) },
    });
    await store.appendEvents([event(1, 'a', {})]);
    await pipeline.start();
    await expect.poll(() => errors.length, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(errors[0]).toBe('transformations returned 0 events for 1');
    expect(await store.hasUnprocessed('persons', (await store.lastEventSeq()))).toBe(true);
  });
});
