/**
 * The scale-out acceptance test: 2 capture and 4 worker processes (the built CLI) on one fresh Postgres
 * schema; 100 000 events over 2 000 distinct ids sent with posthog-node (4 clients, both capture processes),
 * among them `$identify` and `$create_alias` events that merge ids of different partitions, to a webhook
 * destination on a local sink. One worker is SIGKILLed while the merges are partly processed (some passed,
 * some still waiting in its partitions) and stays dead; later another is SIGKILLed and restarted. The
 * clients hold back while 10 000 events are unfinished, so the test measures the pipeline's correctness
 * rather than how this shared 2-core machine thrashes when six processes are flooded (see below).
 *
 * Every event must reach the sink at least once (duplicates are counted and reported), and the persons the
 * cluster leaves must equal those of one PersonPipeline on a fresh one-partition store fed the same stored
 * events in the order they were planned. The events are built so the outcome cannot depend on order: each
 * id sets only its own key, each id is sent by one client (so its own events keep their order), each
 * anonymous id is identified once, into a person not yet identified. Any difference is a lost, doubled or
 * misdirected update. Runs only with Postgres (mandatory in CI). Bounded: it fails with a report rather
 * than waits past its deadline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PostHog } from 'posthog-node';
import { afterAll, describe, expect, it } from 'vitest';
import { startSluice } from '../../src/cli/start.js';
import { generateEncryptionKey } from '../../src/destinations/secrets.js';
import { PersonPipeline } from '../../src/ingest/pipeline.js';
import { openStore } from '../../src/store/index.js';
import { partitionOf } from '../../src/store/partitions.js';
import { comparePositions, type JsonObject, type NewEvent, type Store, type StoredEvent } from '../../src/store/store.js';
import { createTestSchema, postgresSkipReason, type TestSchema } from '../../src/store/__tests__/backends.js';
import { API_KEY, TOKEN } from '../ingest/helpers.js';
import { ensureBuilt, ROOT } from '../helpers/cli.js';
import { freePort, startCountingSink, startProcess, stopProcess, type ClusterProcess, type CountingSink } from '../../bench/cluster.js';

const EVENTS = Number(process.env.SLUICE_SCALE_EVENTS ?? 100_000);
const CLIENTS = 4;
const WORKERS = 4;
const CHUNK = 500;
/** `SLUICE_INVOCATION_LOCK_MS` of the cluster: the default unless `SLUICE_SCALE_LOCK_MS` says otherwise. */
const LOCK_MS = Number(process.env.SLUICE_SCALE_LOCK_MS ?? 30_000);
/** Most unfinished events before the clients wait (see the back-pressure below). */
const MAX_BACKLOG = Number(process.env.SLUICE_SCALE_BACKLOG ?? 10_000);
const DEADLINE_MS = 240_000;
const PROJECT_ID = 1;
/** Generous: six processes starting at once on a loaded 2-core machine were measured to take over 30 s. */
const START_TIMEOUT_MS = 90_000;

// ---- the planned events -------------------------------------------------------------------------------

/** 800 users, 800 anonymous ids, 400 aliases: 2 000 distinct ids. */
const USERS = 800;
const ALIASES = 400;
/** Users whose anonymous id is identified (the others' anonymous ids stay persons of their own). */
const isIdentified = (k: number): boolean => k % 5 !== 4;
const MERGE_EVENTS = Array.from({ length: USERS }, (_, k) => k).filter(isIdentified).length + ALIASES;

const userId = (k: number) => `user-${k}`;
const anonId = (k: number) => `anon-${k}`;
const aliasId = (k: number) => `alias-${k}`;
const ALL_IDS = Array.from({ length: USERS }, (_, k) => [userId(k), anonId(k), ...(k < ALIASES ? [aliasId(k)] : [])]).flat();
const MERGE_NAMES = new Set(['$identify', '$create_alias']);

interface Planned {
  /** What identifies the event once stored: `n:<n>`, `$identify:<distinct id>` or `$create_alias:<distinct id>`. */
  key: string;
  /** The posthog-node client that sends it: one per distinct id, so an id's events keep their order. */
  client: number;
  kind: 'capture' | 'identify' | 'alias';
  distinctId: string;
  /** Capture: the event's number. Identify: the value its `$set` writes. */
  n: number;
  /** Identify: the anonymous id; alias: the alias. */
  other?: string;
}

function clientOf(distinctId: string): number {
  const [kind, k] = distinctId.split('-') as [string, string];
  return (Number(k) + (kind === 'user' ? 0 : kind === 'anon' ? 1 : 2)) % CLIENTS;
}

/** A fixed shuffle (a small LCG), so runs are comparable. */
function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  let seed = 12_345;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The plan: 40 % plain events (every id sets `p_<id>` to the event's number), then the merges as a burst (one
 * in four events), then plain events again — which now land on merged persons that other partitions' caches
 * still hold as they were.
 */
function planEvents(total: number): Planned[] {
  const merges: Omit<Planned, 'n'>[] = [];
  for (let k = 0; k < USERS; k++) {
    if (isIdentified(k)) merges.push({ key: `$identify:${userId(k)}`, client: clientOf(userId(k)), kind: 'identify', distinctId: userId(k), other: anonId(k) });
    if (k < ALIASES) merges.push({ key: `$create_alias:${userId(k)}`, client: clientOf(userId(k)), kind: 'alias', distinctId: userId(k), other: aliasId(k) });
  }
  const plan: Planned[] = [];
  let regular = 0;
  const addRegular = () => {
    const distinctId = ALL_IDS[regular % ALL_IDS.length]!;
    plan.push({ key: `n:${regular}`, client: clientOf(distinctId), kind: 'capture', distinctId, n: regular });
    regular++;
  };
  while (plan.length < Math.floor(total * 0.4)) addRegular();
  for (const merge of shuffled(merges)) {
    for (let i = 0; i < 3; i++) addRegular();
    plan.push({ ...merge, n: plan.length });
  }
  while (plan.length < total) addRegular();
  return plan;
}

function send(client: PostHog, e: Planned): void {
  const $set = { [`p_${e.distinctId}`]: e.n };
  if (e.kind === 'capture') client.capture({ distinctId: e.distinctId, event: 'signed up', properties: { n: e.n, $set } });
  else if (e.kind === 'identify') client.identify({ distinctId: e.distinctId, properties: { $anon_distinct_id: e.other!, $set } });
  else client.alias({ distinctId: e.distinctId, alias: e.other! });
}

/** The key of a stored event (see `Planned.key`); null for an event the plan did not send. */
function storedKey(e: StoredEvent): string | null {
  if (e.event === 'signed up' && typeof e.properties.n === 'number') return `n:${e.properties.n}`;
  if (MERGE_NAMES.has(e.event)) return `${e.event}:${e.distinct_id}`;
  return null;
}

// ---- persons ------------------------------------------------------------------------------------------

/** A person without what depends on when or where it was made: its ids, properties, identified flag. */
interface PersonState {
  ids: string;
  properties: JsonObject;
  identified: boolean;
}

async function personsOf(store: Store): Promise<Map<string, PersonState>> {
  const out = new Map<string, PersonState>();
  for (let offset = 0; ; offset += 1_000) {
    const page = await store.listPersons(PROJECT_ID, { limit: 1_000, offset });
    for (const p of page) {
      const ids = [...p.distinctIds].sort().join(',');
      out.set(ids, { ids, properties: p.properties, identified: p.isIdentified });
    }
    if (page.length < 1_000) return out;
  }
}

/** The persons one PersonPipeline makes of `events` on a fresh one-partition store, one batch after another. */
async function serialPersons(events: NewEvent[]): Promise<Map<string, PersonState>> {
  const store = await openStore({ dataDir: ':memory:', partitions: 1 });
  try {
    const project = await store.createProject({ name: 'serial', apiToken: 'serial' });
    expect(project.id).toBe(PROJECT_ID);
    // Small batches: SQLite works synchronously, and this process also answers the sink's requests.
    const pipeline = new PersonPipeline({ store, readFromStore: true, pollMs: 10, batchSize: 1_000 });
    await pipeline.start();
    for (let i = 0; i < events.length; i += 1_000) {
      await store.appendEvents(events.slice(i, i + 1_000));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await pipeline.waitFor(await store.lastEventSeq());
    await pipeline.stop();
    return await personsOf(store);
  } finally {
    await store.close();
  }
}

/** Human-readable differences between expected and actual persons (at most `limit`), empty when equal. */
function personDifferences(expected: Map<string, PersonState>, actual: Map<string, PersonState>, limit = 8): string[] {
  const out: string[] = [];
  for (const [ids, want] of expected) {
    const got = actual.get(ids);
    if (!got) out.push(`missing person [${ids}]`);
    else if (got.identified !== want.identified) out.push(`[${ids}] is_identified ${got.identified}, expected ${want.identified}`);
    else if (JSON.stringify(sortedKeys(got.properties)) !== JSON.stringify(sortedKeys(want.properties))) {
      out.push(`[${ids}] properties ${JSON.stringify(sortedKeys(got.properties))}, expected ${JSON.stringify(sortedKeys(want.properties))}`);
    }
  }
  for (const ids of actual.keys()) if (!expected.has(ids)) out.push(`unexpected person [${ids}]`);
  return out.length > limit ? [...out.slice(0, limit), `… ${out.length - limit} more`] : out;
}

function sortedKeys(o: JsonObject): JsonObject {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]!]));
}

// ---- the cluster --------------------------------------------------------------------------------------

/** The webhook destination every planned event goes to, with its uuid (and number, when it has one) as the body. */
function everyEventDestination(sinkUrl: string): Record<string, unknown> {
  return {
    template_id: 'template-webhook',
    name: 'Scale test sink',
    inputs: { url: { value: `${sinkUrl}/hook` }, body: { value: { n: '{event.properties.n}', uuid: '{event.uuid}' } } },
    filters: { events: ['signed up', ...MERGE_NAMES].map((id) => ({ id, type: 'events' })) },
  };
}

/** What the mid-merge kill saw when it fired. */
interface MidMergeKill {
  processed: number;
  pendingInVictim: number;
  victimPartitions: number[];
}

/**
 * Follows the stored merge events cheaply (only the events appended since the last look, plus a margin for
 * commits that arrive out of `seq` order) and tells how many person processing has passed, overall and
 * still waiting in some partitions.
 */
class MergeTracker {
  private readonly merges = new Map<string, StoredEvent>();
  private seen = 0;

  constructor(private readonly store: Store) {}

  async progress(partitions: number[]): Promise<{ processed: number; pending: number }> {
    const last = await this.store.lastEventSeq();
    const found = await this.store.listRecentEvents(PROJECT_ID, { events: [...MERGE_NAMES], scan: last - this.seen + 2_000, limit: 5_000 });
    for (const e of found) this.merges.set(e.uuid, e);
    this.seen = last;
    const offsets = await this.store.getPartitionOffsets('persons');
    let processed = 0;
    let pending = 0;
    for (const e of this.merges.values()) {
      if (comparePositions(e.position, offsets[e.partition]!) <= 0) processed++;
      else if (partitions.includes(e.partition)) pending++;
    }
    return { processed, pending };
  }
}

/** Invocations per state (what a report needs to tell a stuck queue from a slow one). */
async function queueCounts(store: Store): Promise<Record<string, number>> {
  const states = ['queued', 'running', 'succeeded', 'failed', 'parked'] as const;
  const counts = await Promise.all(states.map((state) => store.countInvocations({ projectId: PROJECT_ID, states: [state] })));
  return Object.fromEntries(states.map((state, i) => [state, counts[i]!]));
}

/** A pino line's level and message (a line that is not JSON counts as an error, verbatim). */
function parseLogLine(line: string): { level: number; msg: string } {
  try {
    const parsed = JSON.parse(line) as { level?: unknown; msg?: unknown };
    return { level: typeof parsed.level === 'number' ? parsed.level : 50, msg: String(parsed.msg ?? '').slice(0, 120) };
  } catch {
    return { level: 50, msg: line.slice(0, 120) };
  }
}

/** The partitions a process leases now (its member id carries its pid). */
async function partitionsOf(store: Store, pid: number): Promise<number[]> {
  const member = (await store.listMembers(10_000)).find((m) => m.pid === pid);
  if (!member) return [];
  return (await store.listLeases()).filter((l) => l.owner === member.id).map((l) => l.partition);
}

const skipReason = await postgresSkipReason();

if (skipReason !== null) {
  console.warn(`[sluice] ${skipReason}`);
  describe(`2 capture + ${WORKERS} worker processes on one Postgres`, () => {
    it.skip(skipReason, () => {});
  });
} else {
  describe(`2 capture + ${WORKERS} worker processes on one Postgres`, () => {
    let schema: TestSchema;
    let sink: CountingSink;
    let dataDir: string;
    let store: Store | undefined;
    const processes: ClusterProcess[] = [];

    afterAll(async () => {
      await Promise.all(processes.map((p) => stopProcess(p, 'SIGKILL')));
      await store?.close();
      await sink?.close();
      await schema?.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it(
      `delivers all ${EVENTS} events and leaves the persons of a serial run while workers are SIGKILLed, one mid-merge`,
      async () => {
        expect(EVENTS, 'SLUICE_SCALE_EVENTS: at least 10 000 (room for the merges)').toBeGreaterThanOrEqual(10_000);
        const started = Date.now();
        // The sink answers from this process: its own stalls would look like a slow destination to the workers.
        const loopDelay = monitorEventLoopDelay({ resolution: 20 });
        loopDelay.enable();
        const seconds = (at: number) => ((at - started) / 1000).toFixed(1);
        ensureBuilt();
        schema = await createTestSchema('sluice_scale');
        sink = await startCountingSink();
        dataDir = mkdtempSync(join(tmpdir(), 'sluice-scale-'));
        const env: Record<string, string> = {
          SLUICE_DATABASE_URL: schema.url,
          SLUICE_DATA_DIR: dataDir,
          SLUICE_ENCRYPTION_KEYS: generateEncryptionKey(),
          SLUICE_BOOTSTRAP_PROJECT_TOKEN: TOKEN,
          SLUICE_BOOTSTRAP_API_KEY: API_KEY,
          SLUICE_FETCH_ALLOW_HOSTS: '127.0.0.1',
          SLUICE_LOG_LEVEL: 'warn',
          // Six processes share 2 cores: invocations run in each worker's main thread. With 2 delivery threads
          // in each of 4 workers, threads waited so long for a core that Hog code hit its 100 ms limit and
          // fetches to the sink "took" 10 s, and the health watcher disabled the destination (measured).
          SLUICE_DELIVERY_THREADS: '0',
          // A killed worker's claimed invocations are reclaimed after this long. 10 s was measured to expire
          // live locks of stalled workers on this loaded machine (20-33% duplicates before the back-pressure).
          SLUICE_INVOCATION_LOCK_MS: String(LOCK_MS),
        };
        // Workers log at info, read here: a batch redone after a concurrent person change logs one line.
        // Persons and matching in each worker's main thread (set, not left to the cores, which would give each
        // worker a stage thread): four workers already share the 2 cores, where stage threads only add
        // switching (bench e2e-postgres: 2 workers with a stage thread each at 0.46-0.96x of none).
        // SLUICE_SCALE_STAGE_THREADS changes it; test/scale/stage-threads.test.ts covers the threads.
        const workerEnv = { ...env, SLUICE_LOG_LEVEL: 'info', SLUICE_STAGE_THREADS: process.env.SLUICE_SCALE_STAGE_THREADS ?? '0' };
        const log = { conflicts: 0, failedBatches: 0, warnings: new Map<string, number>() };
        const readWorkerLog = (line: string) => {
          if (line.includes('persons changed concurrently')) log.conflicts++;
          else if (line.includes('a batch failed')) log.failedBatches++;
          const { level, msg } = parseLogLine(line);
          if (level >= 40 && !msg.startsWith('Sluice is running')) log.warnings.set(msg, (log.warnings.get(msg) ?? 0) + 1);
        };
        // Any process that ends without being killed here is a finding of its own.
        const killedHere = new Set<ClusterProcess>();
        const unexpectedExits: string[] = [];
        const watchExit = (p: ClusterProcess) =>
          void p.exited.then((code) => {
            if (!killedHere.has(p) && !stopping) unexpectedExits.push(`${p.role} pid ${p.child.pid} exited (${code ?? p.child.signalCode}): ${p.stderrTail().slice(-600)}`);
          });
        let stopping = false;
        let sent = 0;
        const startWorker = async (port: number) => {
          const p = await startProcess(ROOT, 'worker', port, workerEnv, START_TIMEOUT_MS, readWorkerLog);
          watchExit(p);
          return p;
        };

        // The destination, created through the management API of an api-role Sluice in this process.
        const api = await startSluice({ role: 'api', dataDir, databaseUrl: schema.url, port: 0, host: '127.0.0.1', env, logger: false });
        const created = await fetch(`${api.url}/api/projects/${PROJECT_ID}/hog_functions/`, {
          method: 'POST',
          headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify(everyEventDestination(sink.url)),
        });
        expect(created.status).toBe(201);
        const destinationId = ((await created.json()) as { id: string }).id;
        await api.close();

        const ports = await Promise.all(Array.from({ length: 2 + WORKERS }, () => freePort()));
        const startCapture = async (port: number) => {
          const p = await startProcess(ROOT, 'capture', port, env, START_TIMEOUT_MS);
          watchExit(p);
          return p;
        };
        const starting = [...ports.slice(0, 2).map(startCapture), ...ports.slice(2).map(startWorker)];
        const settled = await Promise.allSettled(starting);
        processes.push(...settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])));
        for (const r of settled) if (r.status === 'rejected') throw r.reason;
        const captures = processes.slice(0, 2);
        const workers = processes.slice(2);
        store = await openStore({ dataDir, databaseUrl: schema.url, poolSize: 2 });
        const cluster = store;

        const plan = planEvents(EVENTS);
        const mergePairs = plan.filter((e) => e.kind !== 'capture').map((e): [string, string] => [e.distinctId, e.other!]);
        const crossing = mergePairs.filter(([a, b]) => partitionOf(PROJECT_ID, a, cluster.partitionCount) !== partitionOf(PROJECT_ID, b, cluster.partitionCount));
        expect(mergePairs.length).toBe(MERGE_EVENTS);
        expect(crossing.length, 'merges whose two ids live in different partitions').toBeGreaterThan(mergePairs.length * 0.8);

        const kill = async (index: number) => {
          const victim = workers[index]!;
          killedHere.add(victim);
          victim.child.kill('SIGKILL');
          await victim.exited;
        };
        const killAndRestart = async (index: number) => {
          await kill(index);
          const again = await startWorker(workers[index]!.port);
          workers[index] = again;
          processes.push(again);
        };

        // The mid-merge kill: once the first merges are sent, watch the store and SIGKILL worker 1 as soon as
        // person processing has passed some merge events while others still wait in its own partitions.
        let mergesSent = false;
        let midMerge: MidMergeKill | null = null;
        let midMergeKilledAt: number | null = null;
        const watchMerges = async () => {
          const tracker = new MergeTracker(cluster);
          while (!mergesSent) await new Promise((resolve) => setTimeout(resolve, 20));
          for (;;) {
            const victimPartitions = await partitionsOf(cluster, workers[1]!.child.pid!);
            const { processed, pending } = await tracker.progress(victimPartitions);
            if (processed > 0 && pending > 0) {
              await kill(1);
              midMergeKilledAt = Date.now();
              midMerge = { processed, pendingInVictim: pending, victimPartitions };
              return;
            }
            if (processed === mergePairs.length) {
              // Missed the window: kill anyway (the run still checks delivery and persons), and fail below.
              await kill(1);
              midMergeKilledAt = Date.now();
              return;
            }
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        };
        const mergeWatch = watchMerges();
        mergeWatch.catch(() => {}); // awaited (and thrown) after sending

        // Back-pressure: no client sends while more than MAX_BACKLOG events are unfinished — sent and not yet at
        // the sink, or with an invocation still queued or running (delivered, its outcome not yet written).
        // Without it, on this 2-core machine the senders starved the workers: 2.5 s leases lapsed and moved
        // back and forth, outcomes were written so late that invocation locks expired (up to 67% duplicates),
        // and the health watcher disabled the destination.
        let heldBackMs = 0;
        let unfinishedInvocations = 0;
        const backlog = () => Math.max(sent - sink.uuids.size, unfinishedInvocations);
        const countUnfinished = async () => {
          const [queued, running] = await Promise.all((['queued', 'running'] as const).map((state) => cluster.countInvocations({ projectId: PROJECT_ID, states: [state] })));
          unfinishedInvocations = queued! + running!;
        };
        const backlogBelowLimit = async () => {
          const from = Date.now();
          while (backlog() > MAX_BACKLOG && Date.now() < started + DEADLINE_MS) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            await countUnfinished();
          }
          heldBackMs += Date.now() - from;
        };

        // The second kill (worker 0, restarted) comes once the first victim's claimed invocations were reclaimed
        // (its locks expired): otherwise the second victim may hold some of them, and an invocation reclaimed
        // twice counts as one that crashed its worker twice — failed unrun, which costs the destination's
        // health 100 tokens each (measured: 124 failed, destination disabled). The clients keep their last
        // tenth until it happened, so it always hits a working cluster.
        let restart: Promise<void> | null = null;
        let restartError: unknown = null;
        const restartWhenDue = () => {
          if (restart || midMergeKilledAt === null || Date.now() - midMergeKilledAt < LOCK_MS + 10_000 || sent < EVENTS * 0.6) return;
          restart = killAndRestart(0).catch((error: unknown) => void (restartError = error));
        };
        const restartStarted = async () => {
          while (!restart && Date.now() < started + DEADLINE_MS) {
            restartWhenDue();
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        };

        // Send: CLIENTS posthog-node clients, half to each capture process, each flushing every CHUNK events.
        const senders = Array.from({ length: CLIENTS }, async (_, c) => {
          const client = new PostHog(TOKEN, {
            host: `http://127.0.0.1:${captures[c % captures.length]!.port}`,
            flushAt: CHUNK,
            maxBatchSize: CHUNK,
            maxQueueSize: CHUNK * 4,
            flushInterval: 0,
            // A loaded machine answers slowly; a client-side timeout would resend (and store twice) a batch.
            requestTimeout: 60_000,
          });
          const mine = plan.filter((e) => e.client === c);
          for (let from = 0; from < mine.length; from += CHUNK) {
            if (c === 0) await countUnfinished();
            await backlogBelowLimit();
            if (from >= mine.length * 0.9) await restartStarted();
            const chunk = mine.slice(from, from + CHUNK);
            for (const e of chunk) send(client, e);
            await client.flush();
            sent += chunk.length;
            if (chunk.some((e) => e.kind !== 'capture')) mergesSent = true;
            restartWhenDue();
          }
          await client.shutdown();
        });
        await Promise.all(senders);
        const sentAt = Date.now();
        await mergeWatch;
        await restart;
        if (restartError) throw restartError;

        // What was stored: every planned event (once, unless a client resent a batch), plus the extras.
        const byKey = new Map<string, StoredEvent>();
        const extras = new Map<string, number>();
        let storedTwice = 0;
        for (let after = 0; ; ) {
          const page = await cluster.readEvents(after, 5_000);
          if (page.length === 0) break;
          after = page[page.length - 1]!.seq;
          for (const e of page) {
            const key = storedKey(e);
            if (key === null) extras.set(e.event, (extras.get(e.event) ?? 0) + 1);
            else if (byKey.has(key)) storedTwice++;
            else byKey.set(key, e);
          }
        }
        const notStored = plan.filter((e) => !byKey.has(e.key)).map((e) => e.key);
        expect(notStored.slice(0, 10), `${notStored.length} sent events not stored`).toEqual([]);

        // Wait for every planned event at the sink and every event through person processing.
        const uuids = plan.map((p) => byKey.get(p.key)!.uuid);
        const deadline = started + DEADLINE_MS;
        const lastSeq = await cluster.lastEventSeq();
        const allDelivered = () => uuids.every((u) => sink.uuids.has(u));
        // A destination the health watcher disabled parks its events (replayable, not lost): stop waiting.
        const disabled = async () => (await cluster.listDestinationHealth(PROJECT_ID)).find((h) => h.state.startsWith('disabled')) ?? null;
        while ((!allDelivered() || (await cluster.hasUnprocessed('persons', lastSeq))) && Date.now() < deadline && !(await disabled())) {
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        const deliveredAt = Date.now();
        const missing = plan.filter((p) => !sink.uuids.has(byKey.get(p.key)!.uuid));
        const lag = (await cluster.partitionLag(['persons', 'destinations'], 100_000)).filter((l) => l.events > 0);
        const personsLag = lag.filter((l) => l.consumer === 'persons');
        const matcherLag = lag.filter((l) => l.consumer === 'destinations');
        const leases = await cluster.listLeases();
        const queue = await queueCounts(cluster);
        const healthChanges = (await cluster.listDestinationHealthChanges(PROJECT_ID, destinationId, 20)).reverse().map(
          (c) => `${seconds(c.at)} s ${c.from} → ${c.to}: ${c.reason}`,
        );

        // The serial reference, once the cluster is done: this process also answers the sink, and its stalls
        // would look like a slow destination to the workers.
        const serialStarted = Date.now();
        const expected = await serialPersons(
          plan.map((p) => {
            const { seq: _seq, partition: _partition, position: _position, ...event } = byKey.get(p.key)!;
            return event;
          }),
        );
        const serialMs = Date.now() - serialStarted;
        const actual = await personsOf(cluster);
        const differences = personDifferences(expected, actual);
        const deliveries = uuids.reduce((n, u) => n + (sink.uuids.get(u) ?? 0), 0);
        const duplicates = deliveries - (uuids.length - missing.length);
        const killed = midMerge as MidMergeKill | null;
        const restarted = (restart as Promise<void> | null) !== null;
        console.log(
          `[scale] ${EVENTS} events (${mergePairs.length} merges, ${crossing.length} crossing partitions) over ${ALL_IDS.length} distinct ids ` +
            `via 2 capture + ${WORKERS} worker processes, 2 SIGKILLs (${restarted ? 'the second restarted' : 'the second never happened'}; the first with ` +
            (killed ? `${killed.processed}/${mergePairs.length} merges processed and ${killed.pendingInVictim} waiting in its partitions ${killed.victimPartitions.join(',')}` : 'the merges window missed') +
            `): sent in ${seconds(sentAt)} s (clients held back ${(heldBackMs / CLIENTS / 1000).toFixed(1)} s each), delivered and persons processed ${seconds(deliveredAt)} s after start; ` +
            `${duplicates} duplicates (${((duplicates / EVENTS) * 100).toFixed(2)}%), ${log.conflicts} person batches redone after conflicts, ` +
            `${log.failedBatches} failed batches, ${storedTwice} events stored twice, other events ${JSON.stringify(Object.fromEntries(extras))}; ` +
            `${actual.size} persons, serial reference ${(serialMs / 1000).toFixed(1)} s; this process stalled at most ${Math.round(loopDelay.max / 1e6)} ms`,
        );
        if (log.warnings.size > 0) console.log(`[scale] worker warnings and errors: ${JSON.stringify(Object.fromEntries(log.warnings))}`);
        if (healthChanges.length > 0) console.log(`[scale] destination health changes:\n  ${healthChanges.join('\n  ')}`);

        // Every problem at once, so one failed run says all it can.
        const problems: string[] = [];
        if (personsLag.length > 0) problems.push(`person processing unfinished in partitions ${JSON.stringify(personsLag)}`);
        // 800 users (with their anonymous ids and aliases merged in) plus the 160 anonymous ids never identified.
        if (expected.size !== USERS + USERS / 5) problems.push(`the serial run made ${expected.size} persons, not ${USERS + USERS / 5}`);
        if (differences.length > 0) problems.push(`persons differ from the serial run:\n    ${differences.join('\n    ')}`);
        if (missing.length > 0) {
          const sample = missing.slice(0, 10).map((p) => `${p.key} (${p.distinctId}, partition ${partitionOf(PROJECT_ID, p.distinctId, cluster.partitionCount)})`);
          problems.push(
            `${missing.length} events not delivered by the deadline, e.g. ${sample.join(', ')}; matcher lag ${JSON.stringify(matcherLag)}; ` +
              `invocations ${JSON.stringify(queue)}; leases ${JSON.stringify(leases.map((l) => [l.partition, l.owner, l.epoch, l.expiresAt - Date.now()]))}`,
          );
        }
        const disabledBy = await disabled();
        if (disabledBy) problems.push(`the health watcher disabled the sink destination (events parked, not lost): ${disabledBy.reason}`);
        if (unexpectedExits.length > 0) problems.push(`processes ended on their own:\n    ${unexpectedExits.join('\n    ')}`);
        if (!restarted) problems.push('the second kill (with a restart) never happened');
        if (!killed) problems.push('the mid-merge kill missed its window: every merge was processed before worker 1 was seen with merges pending');
        expect(problems).toEqual([]);
        stopping = true;
        await Promise.all(processes.map((p) => stopProcess(p)));
      },
      DEADLINE_MS + 60_000,
    );
  });
}
