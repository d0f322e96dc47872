/**
 * Persons across partitions: `$identify` and `$create_alias` join distinct ids that hash to different
 * partitions, and group updates come from every partition. Three person pipelines (three "workers", on
 * Postgres each with its own connections) process 8 partitions at the same time while events keep being
 * appended; the persons and groups they leave must equal a serial run of the same events on one partition.
 * The events are built so the outcome does not depend on order (each id sets its own keys), so any
 * difference is a lost or doubled update, not a legitimate reordering.
 */
import { describe, expect, it } from 'vitest';
import { openStore } from '../../store/index.js';
import { openTestStore, testBackend } from '../../store/__tests__/backends.js';
import type { NewEvent, Store } from '../../store/store.js';
import { partitionOf } from '../../store/partitions.js';
import { PersonPipeline } from '../pipeline.js';

const USERS = 120;

/** Four rounds of every user's story; each round is processed before the next is appended. */
function makeRounds(): NewEvent[][] {
  const rounds: NewEvent[][] = [[], [], [], []];
  let events = rounds[0]!;
  let n = 0;
  const add = (distinctId: string, event: string, properties: Record<string, unknown>) => {
    n++;
    events.push({
      projectId: 1,
      uuid: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
      event,
      distinct_id: distinctId,
      properties,
      timestamp: '2026-01-01T00:00:00.000Z',
      receivedAt: '2026-01-01T00:00:00.000Z',
    });
  };
  // Processors cache the persons of their own ids between rounds, while merges in other partitions change
  // them: the later rounds must notice (or their updates would go to merged-away persons).
  for (let round = 0; round < 4; round++) {
    events = rounds[round]!;
    for (let k = 0; k < USERS; k++) {
      const company = `co-${k % 7}`;
      if (round === 0) add(`anon-${k}`, 'pageview', { $set: { [`anon_${k}`]: k }, $groups: { company } });
      if (round === 1) add(`user-${k}`, 'signed up', { $set: { [`user_${k}`]: k } });
      if (round === 2 && k % 2 === 0) add(`user-${k}`, '$identify', { $anon_distinct_id: `anon-${k}`, $set: { [`identified_${k}`]: true } });
      if (round === 2 && k % 3 === 0) add(`user-${k}`, '$create_alias', { alias: `alias-${k}` });
      if (round === 3) {
        add(`alias-${k}`, 'later', { $set: { [`alias_${k}`]: k } });
        add(`anon-${k}`, 'later', { $set: { [`anon_later_${k}`]: k } });
        add(`user-${k}`, '$groupidentify', { $group_type: 'company', $group_key: company, $group_set: { [`member_${k}`]: true } });
      }
    }
  }
  return rounds;
}

/** Persons and groups in a form that does not depend on generated ids or processing times. */
async function finalState(store: Store, ids: string[]) {
  const persons = new Map<string, { distinctIds: string[]; properties: unknown; identified: boolean }>();
  for (const id of ids) {
    const person = await store.getPersonByDistinctId(1, id);
    if (!person) continue;
    const key = [...person.distinctIds].sort().join(',');
    persons.set(key, { distinctIds: [...person.distinctIds].sort(), properties: person.properties, identified: person.isIdentified });
  }
  const groups = (await store.listGroups(1, { limit: 100, offset: 0 })).map((g) => ({ key: g.groupKey, properties: g.properties }));
  return { persons: [...persons.entries()].sort(([a], [b]) => a.localeCompare(b)), groups: groups.sort((a, b) => a.key.localeCompare(b.key)) };
}

const allIds = Array.from({ length: USERS }, (_, k) => [`anon-${k}`, `user-${k}`, `alias-${k}`]).flat();

describe(`person processing across partitions (${testBackend()})`, () => {
  it('gives the same persons and groups with 3 concurrent processors over 8 partitions as one serial run', async () => {
    const rounds = makeRounds();
    const events = rounds.flat();
    // The merges really cross partitions.
    const crossing = Array.from({ length: USERS }, (_, k) => k).filter((k) => partitionOf(1, `user-${k}`, 8) !== partitionOf(1, `anon-${k}`, 8));
    expect(crossing.length).toBeGreaterThan(USERS / 2);

    const serial = await openTestStore(undefined, { partitions: 1 });
    const concurrent = await openTestStore(undefined, { partitions: 8 });
    const extra: Store[] = [];
    try {
      for (const opened of [serial, concurrent]) await opened.store.createProject({ name: 'p', apiToken: `t-${opened.store.partitionCount}` });

      const one = new PersonPipeline({ store: serial.store, batchSize: 50, readFromStore: true, pollMs: 10 });
      await one.start();
      for (const round of rounds) {
        await serial.store.appendEvents(round);
        await one.waitFor(await serial.store.lastEventSeq());
      }
      await one.stop();

      // Three processors, each leasing a third of the partitions (own store connections on Postgres).
      const stores = concurrent.url
        ? [concurrent.store, ...(await Promise.all([0, 1].map(() => openStore({ dataDir: ':memory:', databaseUrl: concurrent.url!, poolSize: 3 }))))]
        : [concurrent.store, concurrent.store, concurrent.store];
      extra.push(...stores.slice(1).filter((s) => s !== concurrent.store));
      let conflicts = 0;
      const logger = { info: (o: object, msg?: string) => void (msg?.startsWith('persons changed concurrently') && conflicts++), warn() {}, error() {} };
      const processors = stores.map((store) => new PersonPipeline({ store, batchSize: 40, readFromStore: true, pollMs: 10, retryDelayMs: 20, logger }));
      for (let p = 0; p < 8; p++) {
        const owner = `worker-${p % 3}`;
        const fence = await concurrent.store.acquireLease(p, owner, 60_000);
        await processors[p % 3]!.assign(fence!);
      }
      for (const round of rounds) {
        for (let i = 0; i < round.length; i += 60) await concurrent.store.appendEvents(round.slice(i, i + 60));
        await processors[0]!.waitFor(await concurrent.store.lastEventSeq());
      }
      await Promise.all(processors.map((p) => p.stop()));

      const expected = await finalState(serial.store, allIds);
      const actual = await finalState(concurrent.store, allIds);
      expect(expected.persons.length).toBeGreaterThan(USERS);
      expect(actual).toEqual(expected);
      // Merges did change cached persons under other partitions (else this test would prove nothing).
      expect(conflicts).toBeGreaterThan(0);
      console.log(`[persons] ${events.length} events, 8 partitions, 3 processors: ${conflicts} batches redone after a concurrent change`);
    } finally {
      await Promise.all(extra.map((s) => s.close()));
      await serial.dispose();
      await concurrent.dispose();
    }
  }, 60_000);
});
