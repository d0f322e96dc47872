/**
 * Stage threads on Postgres (`SLUICE_STAGE_THREADS`, `src/pipeline/stage-threads.ts`): person processing
 * and matching for a process's partitions in worker threads.
 *
 * - The same events (merges across partitions, a transformation dropping some, two destinations, one
 *   filtered) processed by 2 threads give the same persons and the same invocations as with none.
 * - Partitions moved between threads while events arrive, and a thread killed mid-stream (its partitions
 *   leased again and handed to the threads alive, the thread restarted), lose no event and process none
 *   twice: every kept event has exactly one invocation per matching destination. (Bots' events are
 *   compared apart: dropped, or once each when the transformation ran out of its 5 ms on a starved machine.)
 * - A thread given a stale fence (its lease was taken over) commits nothing and reports the lease lost.
 *
 * The threads run the build in `dist/` (as delivery threads do): it is rebuilt first when older than the sources.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCountingSink, type CountingSink } from '../../bench/cluster.js';
import { startSluice, type RunningSluice } from '../../src/cli/start.js';
import { generateEncryptionKey } from '../../src/destinations/secrets.js';
import { StageThreads, type StageEffect } from '../../src/pipeline/stage-threads.js';
import { stageCpuByThread } from '../../src/pipeline/stage-cpu.js';
import { DEFAULT_HEALTH_POLICY } from '../../src/runtime/health.js';
import { openStore } from '../../src/store/index.js';
import { runSql } from '../../src/store/postgres/schemas.js';
import { createTestSchema, postgresSkipReason, type TestSchema } from '../../src/store/__tests__/backends.js';
import { START_POSITION, type LeaseFence, type Store } from '../../src/store/store.js';
import { ensureBuilt } from '../helpers/cli.js';
import { API_KEY, TOKEN } from '../ingest/helpers.js';

const skipReason = await postgresSkipReason();
const PARTITIONS = 8;
const USERS = 120;

/** A deterministic event uuid, the same in every run. */
function uuidOf(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/**
 * The events of user `i`: an anonymous pageview and signup, the identify that merges the anonymous id
 * into the user's (usually another partition), two purchases, and a bot's pageview that the
 * transformation drops. Properties set from either side have keys of their own, so the merged person is
 * the same whichever partition is processed first.
 */
function userEvents(i: number, next: () => number): Record<string, unknown>[] {
  const event = (distinctId: string, name: string, properties: Record<string, unknown> = {}): Record<string, unknown> => {
    const n = next();
    return { event: name, distinct_id: distinctId, uuid: uuidOf(n), properties: { ...properties, n } };
  };
  return [
    event(`anon-${i}`, '$pageview', { $set_once: { first_seen_as: `anon-${i}` } }),
    event(`anon-${i}`, 'signed up', { $set: { anon_plan: `trial-${i % 3}` } }),
    event(`user-${i}`, '$identify', { $anon_distinct_id: `anon-${i}`, $set: { email: `user-${i}@example.com` } }),
    event(`user-${i}`, 'purchase', { amount: i }),
    event(`bot-${i}`, '$pageview', { is_bot: true }),
    event(`user-${i}`, 'purchase', { amount: i + 1, $set: { last_amount: i + 1 } }),
  ];
}

function allEvents(users = USERS): Record<string, unknown>[] {
  let n = 0;
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < users; i++) events.push(...userEvents(i, () => n++));
  return events;
}

async function capture(url: string, events: Record<string, unknown>[]): Promise<void> {
  const res = await fetch(`${url}/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: TOKEN, batch: events }) });
  if (res.status !== 200) throw new Error(`capture failed: ${res.status} ${await res.text()}`);
}

async function createFunction(url: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${url}/api/projects/1/hog_functions/`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`creating ${String(body.name)} failed: ${res.status} ${await res.text()}`);
}

interface Cluster {
  schema: TestSchema;
  sluice: RunningSluice;
  dataDir: string;
  stop(): Promise<void>;
}

/** One `all` process on a fresh schema with P = 8, the bot-dropping transformation and two destinations. */
async function startCluster(stageThreads: number, sink: CountingSink): Promise<Cluster> {
  const schema = await createTestSchema('sluice_stage_threads');
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-stage-threads-'));
  const sluice = await startSluice({
    role: 'all',
    dataDir,
    databaseUrl: schema.url,
    port: 0,
    host: '127.0.0.1',
    stageThreads,
    env: {
      SLUICE_BOOTSTRAP_PROJECT_TOKEN: TOKEN,
      SLUICE_BOOTSTRAP_API_KEY: API_KEY,
      SLUICE_ENCRYPTION_KEYS: generateEncryptionKey(),
      SLUICE_FETCH_ALLOW_HOSTS: '127.0.0.1',
      SLUICE_PARTITIONS: String(PARTITIONS),
      SLUICE_DELIVERY_THREADS: '0',
    },
    logger: false,
    assignTickMs: 100,
    leaseTtlMs: 1_500,
  });
  await createFunction(sluice.url, {
    type: 'transformation',
    template_id: 'template-drop-events',
    name: 'Drop bots',
    filters: { properties: [{ key: 'is_bot', type: 'event', operator: 'exact', value: [true] }] },
  });
  await createFunction(sluice.url, { template_id: 'template-webhook', name: 'Everything', inputs: { url: { value: `${sink.url}/all` }, body: { value: { n: '{event.properties.n}' } } }, filters: {} });
  await createFunction(sluice.url, {
    template_id: 'template-webhook',
    name: 'Purchases',
    inputs: { url: { value: `${sink.url}/purchases` }, body: { value: { n: '{event.properties.n}' } } },
    filters: { events: [{ id: 'purchase', type: 'events' }] },
  });
  return {
    schema,
    sluice,
    dataDir,
    async stop() {
      await sluice.close();
      rmSync(dataDir, { recursive: true, force: true });
      await schema.drop();
    },
  };
}

/** Waits until every stored event went through persons and matching. */
async function settle(sluice: RunningSluice): Promise<void> {
  await sluice.writer.drain();
  const last = await sluice.store.lastEventSeq();
  await sluice.pipeline.waitFor(last);
  await sluice.runtime.matcher.waitFor(last);
}

/**
 * Every person as its sorted distinct ids and properties (ids and versions differ between runs). Bots'
 * are left out: a bot's event is dropped unless its transformation ran out of its 5 ms on a starved
 * machine, and then the event passes on unchanged (docs/transformations.md) and makes a person.
 */
async function personsOf(store: Store): Promise<string[]> {
  const persons = (await store.listPersons(1, { limit: 100_000, offset: 0 })).filter((p) => !p.distinctIds.some((id) => id.startsWith('bot-')));
  const sorted = (value: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)));
  return persons.map((p) => JSON.stringify({ distinctIds: [...p.distinctIds].sort(), properties: sorted(p.properties), identified: p.isIdentified })).sort();
}

/** Invocations as `destination name:event uuid`, with how many of each. */
async function invocationsOf(url: string): Promise<Map<string, number>> {
  const rows = await runSql<{ name: string; event_uuid: string; n: number }>(
    url,
    `SELECT d.config::jsonb->>'name' AS name, i.event_uuid, count(*)::int AS n FROM invocations i JOIN destinations d ON d.id = i.destination_id GROUP BY 1, 2`,
  );
  return new Map(rows.map((r) => [`${r.name}:${r.event_uuid}`, r.n]));
}

/**
 * The invocations of bots' events, taken out of `invocations` (see `personsOf`): each at most once, and most
 * of them dropped. Returns how many passed.
 */
function takeBots(invocations: Map<string, number>, events: Record<string, unknown>[]): number {
  let passed = 0;
  for (const e of events) {
    if ((e.properties as Record<string, unknown>).is_bot !== true) continue;
    const key = `Everything:${String(e.uuid)}`;
    const n = invocations.get(key) ?? 0;
    expect(n, `invocations of bot event ${String(e.uuid)}`).toBeLessThanOrEqual(1);
    passed += n;
    invocations.delete(key);
  }
  expect(passed, 'bot events that passed the transformation').toBeLessThan(events.length / 6 / 2);
  return passed;
}

/** What exactly-once processing of `events` gives: one invocation of Everything per kept event, one of Purchases per purchase. */
function expectedInvocations(events: Record<string, unknown>[]): Map<string, number> {
  const expected = new Map<string, number>();
  for (const e of events) {
    if ((e.properties as Record<string, unknown>).is_bot === true) continue;
    expected.set(`Everything:${String(e.uuid)}`, 1);
    if (e.event === 'purchase') expected.set(`Purchases:${String(e.uuid)}`, 1);
  }
  return expected;
}

function sortedEntries(map: Map<string, number>): [string, number][] {
  return [...map].sort(([a], [b]) => (a < b ? -1 : 1));
}

if (skipReason !== null) {
  describe('stage threads', () => {
    it.skip(skipReason, () => {});
  });
} else {
  describe('stage threads', () => {
    let sink: CountingSink;
    beforeAll(async () => {
      ensureBuilt();
      sink = await startCountingSink();
    });
    afterAll(async () => {
      await sink?.close();
    });

    it('gives the same persons and invocations with 2 threads as with none', async () => {
      const events = allEvents();
      const results: { persons: string[]; invocations: Map<string, number> }[] = [];
      for (const threads of [0, 2]) {
        const cluster = await startCluster(threads, sink);
        try {
          for (let i = 0; i < events.length; i += 60) await capture(cluster.sluice.url, events.slice(i, i + 60));
          await settle(cluster.sluice);
          if (threads > 0) {
            const spread = cluster.sluice.stageThreads!.partitionsByThread;
            expect(spread.map((list) => list.length).sort()).toEqual([PARTITIONS / 2, PARTITIONS / 2]);
            expect(cluster.sluice.pipeline.processedEvents).toBe(events.length);
          } else {
            expect(cluster.sluice.stageThreads).toBeNull();
          }
          const invocations = await invocationsOf(cluster.schema.url);
          takeBots(invocations, events);
          results.push({ persons: await personsOf(cluster.sluice.store), invocations });
        } finally {
          await cluster.stop();
        }
      }
      const [inMain, inThreads] = results;
      expect(inMain!.persons).toHaveLength(USERS);
      expect(inThreads!.persons).toEqual(inMain!.persons);
      expect(sortedEntries(inMain!.invocations)).toEqual(sortedEntries(expectedInvocations(events)));
      expect(sortedEntries(inThreads!.invocations)).toEqual(sortedEntries(inMain!.invocations));
      // The threads' stage CPU reached the main thread's counters, under each thread's name.
      const threaded = stageCpuByThread().filter((t) => t.thread.startsWith('stage-'));
      expect(threaded.length).toBeGreaterThanOrEqual(2);
      for (const t of threaded) expect(t.totals.find((s) => s.stage === 'persons')?.events ?? 0).toBeGreaterThan(0);
    }, 180_000);

    it('loses nothing and repeats nothing when partitions move between threads and a thread dies mid-stream', async () => {
      const cluster = await startCluster(2, sink);
      try {
        const { sluice } = cluster;
        const threads = sluice.stageThreads!;
        const events = allEvents(3 * USERS);
        const rounds = 12;
        const perRound = Math.ceil(events.length / rounds);
        for (let round = 0; round < rounds; round++) {
          const sending = capture(sluice.url, events.slice(round * perRound, (round + 1) * perRound));
          if (round === 6) {
            // A crash: its partitions are leased again and run by the thread alive until it is back.
            await threads.kill(0);
          } else {
            // Move one partition from the fuller thread to the other while this round's events arrive.
            const spread = threads.partitionsByThread;
            const from = spread[0]!.length >= spread[1]!.length ? 0 : 1;
            const partition = spread[from]![round % Math.max(1, spread[from]!.length)];
            if (partition !== undefined) await threads.move(partition, 1 - from);
          }
          await sending;
        }
        await settle(sluice);
        expect(threads.restarts).toBe(1);
        const expected = expectedInvocations(events);
        const got = await invocationsOf(cluster.schema.url);
        takeBots(got, events);
        const missing = [...expected.keys()].filter((k) => !got.has(k));
        const twice = [...got].filter(([, n]) => n > 1);
        expect({ missing: missing.length, twice: twice.length }).toEqual({ missing: 0, twice: 0 });
        expect(sortedEntries(got)).toEqual(sortedEntries(expected));
        // Every partition runs in exactly one thread, all of them somewhere.
        const placed = threads.partitionsByThread.flat().sort((a, b) => a - b);
        expect(placed).toEqual(Array.from({ length: PARTITIONS }, (_, p) => p));
      } finally {
        await cluster.stop();
      }
    }, 180_000);

    it('refuses a stale fence in a thread and reports the lease lost', async () => {
      const schema = await createTestSchema('sluice_stage_fence');
      const store = await openStore({ dataDir: ':memory:', databaseUrl: schema.url, poolSize: 2, partitions: 2 });
      let threads: StageThreads | null = null;
      try {
        const project = await store.createProject({ name: 'fence', apiToken: 'phc_fence' });
        // The stale owner's lease lapses and another owner takes the partition (epoch + 1).
        const stale = (await store.acquireLease(0, 'stale-owner', 1))!;
        await new Promise((resolve) => setTimeout(resolve, 20));
        const current = (await store.acquireLease(0, 'current-owner', 60_000))!;
        expect(current.epoch).toBe(stale.epoch + 1);
        const now = new Date().toISOString();
        const events = Array.from({ length: 40 }, (_, n) => ({
          projectId: project.id,
          uuid: uuidOf(10_000 + n),
          event: 'signed up',
          distinct_id: `fence-${n}`,
          properties: { n },
          timestamp: now,
          receivedAt: now,
        }));
        await store.appendEvents(events);
        expect((await store.readPartition(0, START_POSITION, 100)).length).toBeGreaterThan(0);

        const lost: number[] = [];
        const effects: StageEffect[] = [];
        threads = await StageThreads.start(
          {
            count: 1,
            config: { store: { dataDir: ':memory:', databaseUrl: schema.url, poolSize: 2 }, keys: [new Uint8Array(randomBytes(32))], siteUrl: 'http://localhost', healthPolicy: DEFAULT_HEALTH_POLICY, tap: false, log: false },
          },
          {
            lost: (p) => lost.push(p),
            orphaned: async () => {},
            invocationsCreated: () => {},
            claim: () => null,
            accept: () => {},
            recorder: { metric: (...a) => effects.push(['metric', a[0], a[1], a[2], a[3] ?? 1]), log() {}, logSteps() {}, observe() {} },
            refreshHealth: () => {},
            healthStates: () => [],
            processed: () => {},
          },
        );
        const fence: LeaseFence = { partition: 0, owner: stale.owner, epoch: stale.epoch };
        await threads.assign(fence);
        const deadline = Date.now() + 20_000;
        while (!lost.includes(0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
        expect(lost).toContain(0);
        // Nothing was committed under the stale fence: no offset moved, no enrichment written.
        expect((await store.getPartitionOffsets('persons'))[0]).toEqual(START_POSITION);
        expect(await store.readEnrichedPartition(0, START_POSITION, 100)).toEqual([]);
        await threads.revoke(0);
        expect(threads.partitionsByThread.flat()).toEqual([]);
      } finally {
        await threads?.stop();
        await store.close();
        await schema.drop();
      }
    }, 60_000);
  });
}
