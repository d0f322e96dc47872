/**
 * Stage threads (`SLUICE_STAGE_THREADS=N`, Postgres): person processing and matching for this process's
 * partitions run in N `worker_threads`, so one process uses several cores for them. Each thread has its
 * own store connections, destination registry and transformation chains (`stage-thread.ts`); the main
 * thread keeps capture, the API, the partition assigner and the worker (claims, delivery scheduling).
 *
 * This is the main thread's side, one `PartitionWork` for the assigner in place of the two stages:
 *
 * - **Spreading.** A partition lives in exactly one thread at a time, in the one with the fewest. Threads
 *   are started as partitions need them: a new one only when every started thread already has one. The
 *   lease fence goes with each assignment, so every offset a thread commits is fenced in the database as
 *   it is in the main thread. Moving a partition (`move`; `rebalance` once assignments have been quiet for
 *   a second and the counts differ by more than one, e.g. after another process took partitions or a
 *   restart) is a revoke that waits until the thread has finished its batch, then an assignment elsewhere
 *   with the same fence.
 * - **Coming back.** Lost leases (the assigner gives the partition up); new invocations, which a thread
 *   stores already claimed by the main thread's worker while the worker has granted it room (`claims`,
 *   as the matcher hands them over in memory in the main thread) and sends over to run, or else stores
 *   queued and says so (the worker claims at once rather than at its next poll); processed counts; each
 *   thread's stage CPU (`stage-cpu.ts`); and everything the stages record — metrics, log lines, health
 *   observations — which the main thread's recorder writes and its Prometheus tap and health monitor see,
 *   as if the stages had run here. The threads batch these per event-loop turn.
 * - **Going out.** Destination changes (the thread reloads at once), the states of the functions the
 *   process's health monitor does not consider healthy (mirrored: matching and transformations read them
 *   as they read the monitor in the main thread), and, in the `all` role, "partition p has new events up
 *   to here" after a capture commit, so the thread reads the store without waiting for its next poll.
 * - **A thread that dies** (any crash) takes no partition with it: its leases are given up and taken again
 *   with a new epoch (`orphaned`), which waits for and then fences any write it left in flight, and the
 *   assigner assigns them to the threads alive. The thread is started again (at once the first time, then
 *   after a growing pause), and partitions are moved onto it until the counts differ by one at most.
 * - **Stopping** lets every thread finish what the store holds for its partitions while the leases still
 *   fence its commits (the assigner's drain), then close its store.
 */
import { builtThreadEntry, THREAD_YOUNG_GENERATION_MB, ThreadCrashes } from '../threads.js';
import { fileURLToPath } from 'node:url';
import { Worker as NodeWorker } from 'node:worker_threads';
import type { HealthObservation, HealthPolicy, HealthState } from '../runtime/health.js';
import type { RuntimeMetric } from '../runtime/recorder.js';
import type { InvocationLog } from '../runtime/executor.js';
import type { OpenStoreOptions } from '../store/index.js';
import type { LeaseFence, LogLevel, NewInvocation } from '../store/store.js';
import type { PartitionWork } from './assigner.js';
import type { LogItem, StageLogger } from './consumer.js';
import { reportThreadTotals, stageCpuByThread, type StageCpuTotal } from './stage-cpu.js';

/** What a stage thread needs to build its stages: its own store, keys, and the settings the main thread's stages get. */
export interface StageThreadConfig {
  store: OpenStoreOptions;
  /** The main thread's keyring (`Keyring.exportKeys()`, primary first): transformations decrypt secret inputs with it. */
  keys: Uint8Array[];
  /** Base URL of the UI for the globals' URLs. */
  siteUrl: string;
  /** The health monitor's policy: what observations cost (transformations send only costly timings without a tap). */
  healthPolicy: HealthPolicy;
  /** The main thread's recorder has a metrics tap: send every transformation timing for its histograms. */
  tap: boolean;
  /** Send log lines (the main thread has a logger). */
  log: boolean;
  /** Destination and transformation version checks (ms). */
  reloadCheckMs?: number;
  /** Enriched events matched per batch. */
  matcherBatchSize?: number;
}

export interface StageThreadsSetup {
  /** The most threads; fewer run while the process owns fewer partitions. */
  count: number;
  config: StageThreadConfig;
}

/** A call the thread's stages made on their recorder, replayed on the main thread's (metric counts summed). */
export type StageEffect =
  | ['metric', number, string, RuntimeMetric, number]
  | ['log', number, string, string | null, LogLevel, string]
  | ['logSteps', number, string, string, InvocationLog[]]
  | ['observe', number, string, HealthObservation];

/** A log line of a thread's stages, for the main thread's logger. */
export interface ThreadLogLine {
  level: 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg?: string;
}

/** A new invocation as a thread hands it over: its globals travel as their JSON only. */
export type HandedOverInvocation = Omit<NewInvocation, 'globals'> & { globalsJson: string };

/**
 * What a thread may claim for the main thread's worker: invocations it stores already locked by the worker
 * (`lockMs` from when it stores them) and hands over in memory, up to `room` of them until the next grant.
 */
export interface ClaimGrant {
  workerId: string;
  lockMs: number;
  room: number;
}

/** Events the thread's stages committed since its last report. */
export interface ProcessedCounts {
  persons: number;
  destinations: number;
  invocations: number;
}

/** One event-loop turn of a thread's news. */
export interface StageReport {
  type: 'report';
  effects: StageEffect[];
  logs: ThreadLogLine[];
  /** Functions whose stored health should be read again (recompiled, or changed). */
  refresh: string[];
  /** Invocations were stored queued (the worker claims them from the queue). */
  invocations: boolean;
  /** Invocations stored claimed for the worker under the thread's grant, for it to run. */
  handedOver: HandedOverInvocation[];
  processed: ProcessedCounts;
  /** The thread's stage CPU totals, sent with every report of committed batches (and every second anyway). */
  cpu?: StageCpuTotal[];
}

export type ToStageThread =
  | { type: 'assign'; fence: LeaseFence }
  | { type: 'revoke'; request: number; partition: number }
  | { type: 'appended'; items: LogItem[] }
  | { type: 'health'; states: [string, HealthState][] }
  | { type: 'claims'; grant: ClaimGrant | null }
  | { type: 'changed' }
  | { type: 'stop' };

export type FromStageThread =
  | { type: 'ready' }
  | { type: 'failed'; error: string }
  | { type: 'revoked'; request: number }
  | { type: 'lost'; partition: number }
  | StageReport
  | { type: 'cpu'; totals: StageCpuTotal[] }
  | { type: 'stopped' };

/** What the stages record, on the main thread's recorder (its buffer, Prometheus tap and health monitor). */
export interface StageRecorderTarget {
  metric(projectId: number, destinationId: string, name: RuntimeMetric, count?: number): void;
  log(projectId: number, destinationId: string, invocationId: string | null, level: LogLevel, message: string): void;
  logSteps(projectId: number, destinationId: string, invocationId: string, lines: InvocationLog[]): void;
  observe(projectId: number, destinationId: string, observation: HealthObservation): void;
}

export interface StageThreadsDeps {
  /** A thread found a partition's lease lost (a fenced write refused): the assigner gives it up. */
  lost(partition: number): void;
  /**
   * A thread died holding these partitions: give the leases up and have them taken again, which waits for
   * any write the thread left in flight and fences it (the new lease has a new epoch).
   */
  orphaned(fences: LeaseFence[]): Promise<void>;
  /** Invocations were stored queued: the worker looks in the queue now. */
  invocationsCreated(): void;
  /** The worker's room for `count` invocations handed over in memory (`Worker.reserve`); null when it has none. */
  claim(count: number): { workerId: string; lockedUntil: number } | null;
  /** Invocations a thread stored claimed for the worker: it runs them (`Worker.accept`). */
  accept(invocations: NewInvocation[]): void;
  recorder: StageRecorderTarget;
  /** Re-read the stored health of these functions. */
  refreshHealth(ids: string[]): void;
  /** The functions not healthy now (the process's health monitor), mirrored into every thread. */
  healthStates(): [string, HealthState][];
  /** Events the threads processed (the main thread's counters add them). */
  processed(counts: ProcessedCounts): void;
  /** Where the pool logs (crashes, restarts). */
  logger?: StageLogger | undefined;
  /** Where the threads' own log lines go (they name their component and thread); default `logger`. */
  threadLogger?: StageLogger | undefined;
  now?: () => number;
}

/** How often the health states are compared with what the threads were last sent (also after every report with observations). */
const HEALTH_CHECK_MS = 100;
/** Threads are evened out once assignments have been quiet this long (the assigner moves several at a time). */
const REBALANCE_AFTER_MS = 1_000;
/** Invocations a thread may store claimed for the worker per grant: two matcher batches with one destination. */
const GRANT_ROOM = 4_000;
const GRANT_RENEW_MS = 1_000;

/** The built thread entry (see `builtThreadEntry`). */
function threadEntry(): URL {
  const entry = builtThreadEntry(import.meta.url, 'pipeline/stage-thread.js');
  if (entry !== null) return entry;
  throw new Error(`stage threads need the built thread entry (${fileURLToPath(new URL('./stage-thread.js', import.meta.url))}): run npm run build`);
}

/** One life of a thread slot: a restart is a new `StageThread` in the same slot. */
class StageThread {
  /** The partitions it runs, with the fence each was assigned with. */
  readonly partitions = new Map<number, LeaseFence>();
  /** Revokes waiting for the thread's answer, by request number. */
  readonly revokes = new Map<number, () => void>();
  /** Appended positions to send at the end of this turn, the last per partition. */
  appended = new Map<number, LogItem>();
  /** Whether its last grant had room (else the next tick asks the worker again), and when it was sent. */
  granted = false;
  grantedAt = 0;
  ready = false;
  /** Set when the pool stops it, so its exit is not a crash. */
  stopped = false;
  gone = false;
  lastError: Error | null = null;
  readonly exited: Promise<number>;

  constructor(
    readonly index: number,
    /** `stage-<slot>.<life>`: its CPU totals are reported under this name. */
    readonly name: string,
    readonly worker: NodeWorker,
  ) {
    this.exited = new Promise((resolve) => worker.once('exit', (code: number) => resolve(code)));
  }

  post(message: ToStageThread): void {
    if (!this.gone) this.worker.postMessage(message);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class StageThreads implements PartitionWork {
  private readonly entry = threadEntry();
  private readonly slots: (StageThread | null)[];
  /** Lives started per slot (names each life). */
  private readonly lives: number[];
  private readonly crashes: ThreadCrashes;
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  /** Partitions assigned while no thread could take them (every slot restarting). */
  private readonly unplaced = new Map<number, LeaseFence>();
  /** Assignments, revokes and moves, one at a time and in order. */
  private chain: Promise<void> = Promise.resolve();
  private nextRequest = 1;
  private healthSent = '[]';
  private healthTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  /** When a partition was last assigned or revoked, or a thread became ready. */
  private changedAt = 0;
  private rebalancing = false;
  private readonly now: () => number;
  /** Threads started again after a crash (tests, logs). */
  restarts = 0;

  private constructor(
    private readonly setup: StageThreadsSetup,
    private readonly deps: StageThreadsDeps,
  ) {
    this.slots = new Array<StageThread | null>(Math.max(1, setup.count)).fill(null);
    this.lives = new Array<number>(this.slots.length).fill(0);
    this.now = deps.now ?? Date.now;
    this.crashes = new ThreadCrashes(this.slots.length, this.now);
  }

  /** Starts the first thread (so a setup that cannot work fails the start); the others follow the partitions. */
  static async start(setup: StageThreadsSetup, deps: StageThreadsDeps): Promise<StageThreads> {
    const pool = new StageThreads(setup, deps);
    try {
      await pool.spawn(0);
    } catch (error) {
      await pool.terminate();
      throw error;
    }
    pool.healthTimer = setInterval(() => pool.tick(), HEALTH_CHECK_MS);
    pool.healthTimer.unref?.();
    return pool;
  }

  /** The most threads. */
  get size(): number {
    return this.slots.length;
  }

  /** Threads ready now. */
  get alive(): number {
    return this.slots.filter((t) => t?.ready).length;
  }

  /** Each slot's partitions (an empty list for a slot without a thread). */
  get partitionsByThread(): number[][] {
    return this.slots.map((t) => (t ? [...t.partitions.keys()].sort((a, b) => a - b) : []));
  }

  // ---- PartitionWork -----------------------------------------------------------------------------------------

  /** Runs the partition in the thread with the fewest (starting one when every started thread has some). */
  assign(fence: LeaseFence): Promise<void> {
    this.changedAt = this.now();
    return this.serially(async () => this.place(fence, null));
  }

  /** Resolves once the partition's thread has finished its batch in progress and stopped it. */
  revoke(partition: number): Promise<void> {
    this.changedAt = this.now();
    return this.serially(() => this.drain(partition));
  }

  /** Moves a partition to slot `to` (tests, `rebalance`): drained where it is, then assigned there with the same fence. */
  move(partition: number, to: number): Promise<void> {
    return this.serially(async () => {
      const from = this.threadOf(partition);
      const target = this.slots[to];
      if (!from || !target || from === target || !target.ready) return;
      const fence = from.partitions.get(partition)!;
      await this.drain(partition);
      if (!this.stopping) this.place(fence, target);
    });
  }

  /** Moves partitions from the fullest thread to the emptiest until their counts differ by one at most. */
  rebalance(): Promise<void> {
    return this.serially(async () => {
      for (;;) {
        const ready = this.slots.filter((t): t is StageThread => t !== null && t.ready && !t.stopped);
        if (ready.length < 2 || this.stopping) return;
        ready.sort((a, b) => a.partitions.size - b.partitions.size);
        const emptiest = ready[0]!;
        const fullest = ready[ready.length - 1]!;
        if (fullest.partitions.size - emptiest.partitions.size <= 1) return;
        const [partition, fence] = [...fullest.partitions][fullest.partitions.size - 1]!;
        await this.drain(partition);
        this.place(fence, emptiest);
      }
    });
  }

  /**
   * Events were committed (capture in this process): each partition's thread hears the last position, once
   * per turn, and reads the store now. Its stages read events from the store (other processes append too),
   * so the position is all it needs.
   */
  appended(items: LogItem[]): void {
    for (const item of items) {
      const thread = this.threadOf(item.partition);
      if (!thread || !thread.ready) continue;
      if (thread.appended.size === 0) queueMicrotask(() => this.sendAppended(thread));
      thread.appended.set(item.partition, { seq: item.seq, partition: item.partition, position: item.position });
    }
  }

  /** Destinations or transformations changed: every thread reloads now rather than at its next version check. */
  reload(): void {
    for (const thread of this.slots) thread?.post({ type: 'changed' });
  }

  /** Tests: ends a thread abruptly, as a crash would. */
  async kill(index: number): Promise<void> {
    const thread = this.slots[index];
    if (!thread) return;
    await thread.worker.terminate();
  }

  /** Every thread processes what the store holds for its partitions, closes its store and exits. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.healthTimer = null;
    for (const timer of this.restartTimers) clearTimeout(timer);
    this.restartTimers.clear();
    await this.chain;
    const partitions = this.partitionsByThread;
    await Promise.all(this.slots.map((thread) => (thread ? this.stopThread(thread) : undefined)));
    // What each thread did over the process's life (the benchmark reads it: `stage-cpu.ts` keeps it per thread).
    this.deps.logger?.info(
      { threads: partitions.map((list, slot) => ({ slot, partitions: list.length })), restarts: this.restarts, cpu: stageCpuByThread() },
      'stage threads stopped',
    );
  }

  // ---- placing partitions ------------------------------------------------------------------------------------

  private serially(work: () => Promise<void>): Promise<void> {
    const next = this.chain.then(work);
    this.chain = next.catch((error: unknown) => this.deps.logger?.error({ err: error }, 'a stage thread assignment failed'));
    return next;
  }

  private threadOf(partition: number): StageThread | null {
    for (const thread of this.slots) if (thread?.partitions.has(partition)) return thread;
    return null;
  }

  /** Assigns the partition to `target`, or to the thread with the fewest partitions. */
  private place(fence: LeaseFence, target: StageThread | null): void {
    if (this.stopping) return;
    const current = this.threadOf(fence.partition);
    if (current) {
      // Already here; a new epoch (the lease was taken again) restarts its consumers there.
      if (current.partitions.get(fence.partition)!.epoch === fence.epoch) return;
      current.partitions.set(fence.partition, fence);
      current.post({ type: 'assign', fence });
      return;
    }
    // A target that died while the partition drained elsewhere takes nothing: its partitions were handed back.
    const thread = target && !target.gone && !target.stopped ? target : this.leastBusy();
    if (!thread) {
      this.unplaced.set(fence.partition, fence);
      return;
    }
    this.unplaced.delete(fence.partition);
    thread.partitions.set(fence.partition, fence);
    thread.post({ type: 'assign', fence });
  }

  /** The live thread with the fewest partitions; a new one when every started thread has some and a slot is free. */
  private leastBusy(): StageThread | null {
    let best: StageThread | null = null;
    for (const thread of this.slots) {
      if (!thread || thread.stopped || thread.gone) continue;
      if (!best || thread.partitions.size < best.partitions.size) best = thread;
    }
    if (best && best.partitions.size === 0) return best;
    const free = this.slots.findIndex((t, i) => t === null && !this.restarting(i));
    if (free < 0) return best;
    void this.spawn(free).catch(() => {}); // its failure is a crash: its partitions are handed back
    return this.slots[free] ?? best;
  }

  private restarting(index: number): boolean {
    return this.crashes.hasCrashed(index) && this.slots[index] === null;
  }

  /** Stops the partition in its thread and waits until it has (or the thread is gone). */
  private async drain(partition: number): Promise<void> {
    this.unplaced.delete(partition);
    const thread = this.threadOf(partition);
    if (!thread) return;
    const request = this.nextRequest++;
    const drained = new Promise<void>((resolve) => thread.revokes.set(request, resolve));
    thread.post({ type: 'revoke', request, partition });
    if (thread.gone) thread.revokes.get(request)?.();
    await drained;
    thread.partitions.delete(partition);
  }

  private sendAppended(thread: StageThread): void {
    const items = [...thread.appended.values()];
    thread.appended = new Map();
    if (items.length > 0) thread.post({ type: 'appended', items });
  }

  // ---- threads -----------------------------------------------------------------------------------------------

  /** Starts slot `index`'s thread; resolves when it is ready, rejects if it fails before. */
  private spawn(index: number): Promise<void> {
    const life = ++this.lives[index]!;
    const worker = new NodeWorker(this.entry, {
      workerData: { ...this.setup.config, index },
      resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB },
    });
    const thread = new StageThread(index, `stage-${index}.${life}`, worker);
    this.slots[index] = thread;
    thread.post({ type: 'health', states: JSON.parse(this.healthSent) as [string, HealthState][] });
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromStageThread) => {
        if (message.type === 'ready') {
          thread.ready = true;
          this.grant(thread);
          resolve();
          this.onReady();
        } else if (message.type === 'failed') {
          thread.lastError = new Error(message.error);
          reject(new Error(`stage thread ${index} failed to start: ${message.error}`));
        } else this.onMessage(thread, message);
      });
      worker.on('error', (error) => {
        thread.lastError = error;
        this.deps.logger?.error({ err: error, thread: thread.name }, 'stage thread crashed');
      });
      void thread.exited.then((code) => {
        thread.gone = true;
        thread.ready = false;
        for (const done of thread.revokes.values()) done();
        thread.revokes.clear();
        reject(thread.lastError ?? new Error(`stage thread ${index} exited with code ${code} while starting`));
        if (!thread.stopped) this.onCrash(thread, code);
      });
    });
  }

  /** A thread became ready: partitions that waited for one are placed (the next quiet tick evens the threads out). */
  private onReady(): void {
    if (this.stopping) return;
    this.changedAt = this.now();
    const waiting = [...this.unplaced.values()];
    if (waiting.length > 0) void this.serially(async () => waiting.forEach((fence) => this.unplaced.has(fence.partition) && this.place(fence, null))).catch(() => {});
  }

  private onMessage(thread: StageThread, message: FromStageThread): void {
    switch (message.type) {
      case 'report':
        this.applyReport(thread, message);
        break;
      case 'lost':
        this.deps.lost(message.partition);
        break;
      case 'revoked': {
        const done = thread.revokes.get(message.request);
        thread.revokes.delete(message.request);
        done?.();
        break;
      }
      case 'cpu':
        reportThreadTotals(thread.name, message.totals);
        break;
      default:
        break;
    }
  }

  private applyReport(thread: StageThread, report: StageReport): void {
    const { recorder } = this.deps;
    let observed = false;
    for (const effect of report.effects) {
      switch (effect[0]) {
        case 'metric':
          recorder.metric(effect[1], effect[2], effect[3], effect[4]);
          break;
        case 'log':
          recorder.log(effect[1], effect[2], effect[3], effect[4], effect[5]);
          break;
        case 'logSteps':
          recorder.logSteps(effect[1], effect[2], effect[3], effect[4]);
          break;
        case 'observe':
          recorder.observe(effect[1], effect[2], effect[3]);
          observed = true;
          break;
      }
    }
    const logger = this.deps.threadLogger ?? this.deps.logger;
    if (logger) for (const line of report.logs) logger[line.level]({ ...line.obj, thread: thread.name }, line.msg);
    if (report.refresh.length > 0) this.deps.refreshHealth(report.refresh);
    if (report.cpu) reportThreadTotals(thread.name, report.cpu);
    const { persons, destinations, invocations } = report.processed;
    if (persons + destinations + invocations > 0) this.deps.processed(report.processed);
    if (report.handedOver.length > 0) {
      this.deps.accept(report.handedOver.map((invocation) => ({ ...invocation, globals: JSON.parse(invocation.globalsJson) as NewInvocation['globals'] })));
      this.grant(thread);
    }
    if (report.invocations) this.deps.invocationsCreated();
    // An observation may have changed a state: the threads hear of it now, not at the next check.
    if (observed) this.sendHealthIfChanged();
  }

  /** Every HEALTH_CHECK_MS: health states to the threads when they changed, grants to threads that had none. */
  private tick(): void {
    this.sendHealthIfChanged();
    // A grant is renewed after a second in any case: room a failed batch reserved but never used comes back.
    for (const thread of this.slots) if (thread?.ready && (!thread.granted || this.now() - thread.grantedAt >= GRANT_RENEW_MS)) this.grant(thread);
    // Revokes may leave one thread with most partitions (another process took the others): even them out
    // once the assigner is done moving partitions.
    if (!this.rebalancing && this.now() - this.changedAt >= REBALANCE_AFTER_MS && this.unbalanced()) {
      this.rebalancing = true;
      void this.rebalance()
        .catch(() => {}) // logged by `serially`
        .finally(() => (this.rebalancing = false));
    }
  }

  private unbalanced(): boolean {
    const counts = this.slots.filter((t): t is StageThread => t !== null && t.ready && !t.stopped).map((t) => t.partitions.size);
    return counts.length > 1 && Math.max(...counts) - Math.min(...counts) > 1;
  }

  /**
   * A fresh grant: room for GRANT_ROOM invocations if the worker has it now, else none (the thread stores
   * its invocations queued and wakes the worker). Several threads' grants may together exceed the worker's
   * room by a grant each: its pending list is a bound against runaway growth, not an exact limit.
   */
  private grant(thread: StageThread): void {
    if (this.stopping) return;
    const claim = this.deps.claim(GRANT_ROOM);
    const grant: ClaimGrant | null = claim ? { workerId: claim.workerId, lockMs: claim.lockedUntil - this.now(), room: GRANT_ROOM } : null;
    if (!grant && !thread.granted) return;
    thread.granted = grant !== null;
    thread.grantedAt = this.now();
    thread.post({ type: 'claims', grant });
  }

  /** Sends the health states to every thread when they differ from what was sent last. */
  private sendHealthIfChanged(): void {
    const states = this.deps.healthStates().sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const text = JSON.stringify(states);
    if (text === this.healthSent) return;
    this.healthSent = text;
    for (const thread of this.slots) thread?.post({ type: 'health', states });
  }

  /** A thread died on its own: its partitions go back (new leases), and the slot is started again. */
  private onCrash(thread: StageThread, code: number): void {
    const fences = [...thread.partitions.values()];
    thread.partitions.clear();
    if (this.slots[thread.index] === thread) this.slots[thread.index] = null;
    const reason = thread.lastError ? errorText(thread.lastError) : `it exited with code ${code}`;
    this.deps.logger?.error({ thread: thread.name, code, partitions: fences.map((f) => f.partition), reason }, 'stage thread exited unexpectedly; its partitions are leased again');
    if (fences.length > 0) void this.deps.orphaned(fences).catch((error: unknown) => this.deps.logger?.error({ err: error }, 'handing back a dead stage thread\'s partitions failed'));
    if (!this.stopping) this.scheduleRestart(thread.index);
  }

  private scheduleRestart(index: number): void {
    const delay = this.crashes.record(index);
    const timer = setTimeout(() => {
      this.restartTimers.delete(timer);
      if (this.stopping) return;
      this.restarts++;
      this.spawn(index).then(
        () => this.deps.logger?.warn({ thread: this.slots[index]?.name, restarts: this.restarts }, 'stage thread restarted'),
        (error: unknown) => this.deps.logger?.error({ err: error, slot: index }, 'restarting a stage thread failed; trying again'),
      );
    }, delay);
    this.restartTimers.add(timer);
  }

  private async stopThread(thread: StageThread): Promise<void> {
    if (thread.gone) return;
    thread.stopped = true;
    const stopped = new Promise<void>((resolve) => {
      thread.worker.on('message', (message: FromStageThread) => message.type === 'stopped' && resolve());
      void thread.exited.then(() => resolve());
    });
    thread.post({ type: 'stop' });
    await stopped;
    await thread.exited;
  }

  private async terminate(): Promise<void> {
    this.stopping = true;
    const threads = this.slots.filter((t): t is StageThread => t !== null);
    for (const thread of threads) thread.stopped = true;
    await Promise.all(threads.map((thread) => thread.worker.terminate().catch(() => 0)));
  }
}
