import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { GroupCommitWriter } from '../group-commit.js';

const event = (uuid: string, name = 'e') => ({ projectId: 1, uuid, event: name, distinct_id: 'd', properties: {}, timestamp: 't', receivedAt: 't' });

describe('GroupCommitWriter', () => {
  it('keeps committing after a drain took the writes its scheduled flush was meant for', async () => {
    const store = new SqliteStore({ filename: ':memory:' });
    const writer = new GroupCommitWriter(store);
    // write() schedules a flush for the next turn; drain() commits the write before that turn comes.
    const first = writer.write([event('00000000-0000-7000-8000-000000000001')]);
    await writer.drain();
    expect(await first).toEqual([1]);
    await new Promise((resolve) => setImmediate(resolve));
    // The scheduled flush found nothing to do; a later write must still be committed on its own.
    const second = writer.write([event('00000000-0000-7000-8000-000000000002')]);
    const outcome = await Promise.race([second.then(() => 'committed'), new Promise((resolve) => setTimeout(() => resolve('never committed'), 2_000))]);
    expect(outcome).toBe('committed');
    expect(await second).toEqual([2]);
    await writer.drain();
    await store.close();
  });

  it('fails only the request whose events the store refuses when several were committed together', async () => {
    const store = new SqliteStore({ filename: ':memory:' });
    // The store refuses any batch holding an event named 'poison' (as Postgres once refused a U+0000).
    const append = store.appendEvents.bind(store);
    store.appendEvents = (events) => (events.some((e) => e.event === 'poison') ? Promise.reject(new Error('refused')) : append(events));
    const writer = new GroupCommitWriter(store);
    const good = writer.write([event('00000000-0000-7000-8000-000000000001')]);
    const bad = writer.write([event('00000000-0000-7000-8000-000000000002', 'poison')]);
    const alsoGood = writer.write([event('00000000-0000-7000-8000-000000000003')]);
    await expect(bad).rejects.toThrow('events could not be stored: Error: refused');
    expect(await good).toEqual([1]);
    expect(await alsoGood).toEqual([2]);
    expect((await store.readEvents(0, 10)).map((e) => e.uuid)).toEqual(['00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000003']);
    await store.close();
  });
});
