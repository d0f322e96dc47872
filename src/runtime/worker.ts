/**
 * The worker schedules invocations: takes them (handed over in memory by the matcher, or claimed from
 * the queue in batches), runs each through an `Execution` (the `InvocationRunner` in this thread, or in
 * delivery threads), and keeps the books around that.
 *
 * - At most `concurrency` run at once, and at most `maxPerDestination` of one destination (a quarter of
 *   it when the destination is degraded), so one slow destination never holds every slot.
 * - Claims leave the invocations of destinations at their cap in the queue (they could only wait), and go
 *   on while the worker holds up to twice `maxPending`: so a destination that is slow but keeps succeeding
 *   (health may never degrade it) and has filled `maxPending` through the matcher's hand-over does not
 *   stall the others, whose invocations the matcher then stores queued — they are claimed and run at once.
 * - A destination disabled by its health watcher gets its invocations `parked` for a replay.
 * - A rescheduled invocation is claimed again when it is due (a timer), without waiting for the poll.
 * - Locks of everything this worker holds are extended every `lockMs / 3`; after a crash they expire and
 *   another worker (or this one after a restart) reclaims the invocations.
 */
import { randomUUID } from 'node:crypto';
import type { Store, NewInvocation } from '../store/store.js';
import type { DestinationRegistry } from './destination-registry.js';
import type { RuntimeRecorder } from './recorder.js';
import type { WarnErrorLogger } from './logger.js';
import type { InvocationSink } from './matcher.js';
import { workFromNew, type Execution, type Work } from './runner.js';
import { usedUpByCrashes } from './interrupted.js';

export interface WorkerOptions {
  store: Store;
  registry: DestinationRegistry;
  /** Where invocations run: this thread's `InvocationRunner`, or the delivery threads. */
  execution: Execution;
  recorder: RuntimeRecorder;
  logger?: WarnErrorLogger;
  workerId?: string;
  /** Invocations claimed per store round trip. Default 100. */
  batchSize?: number;
  /** Invocations run at the same time. Default 200. */
  concurrency?: number;
  /** How long a claim holds before another worker may take the invocation. Default 30 000. */
  lockMs?: number;
  /** How often the queue is polled when nothing woke the worker. Default 1 000. */
  pollMs?: number;
  /**
   * Invocations kept in memory and not started — handed over by the matcher, claimed, or held behind
   * their destination's cap — at most (twice as many through claims, which skip destinations already
   * holding some). Beyond it the matcher stores new ones queued, so a destination slower than its traffic
   * costs the queue's disk, not the process's memory. Default 10 000.
   */
  maxPending?: number;
  /**
   * Invocations of one destination running at the same time, so one slow or timing-out destination never
   * holds every slot; a degraded destination gets a quarter of it. Default `concurrency / 4`.
   */
  maxPerDestination?: number;
  now?: () => number;
}

const silent: WarnErrorLogger = { warn() {}, error() {} };

/** The worker's `concurrency` default when invocations run in this thread. */
export const DEFAULT_CONCURRENCY = 200;
/**
 * The default with delivery threads: a run handed to a thread stays in flight until this thread takes
 * its result back, which waits behind capture and matching when they are busy; four times the window
 * keeps the threads fed.
 */
export const THREADED_CONCURRENCY = 800;

/** Held invocations up to which claims go on once the hand-over has filled `maxPending` (see `claimLimit`). */
const CLAIM_HELD_FACTOR = 2;

/** A first-in first-out line with O(1) take from the front (an array's `shift` copies when it is long). */
class Line<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  take(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head]!;
    this.items[this.head++] = undefined as T;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  takeAll(): T[] {
    const all = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return all;
  }

  ids(map: (item: T) => string): string[] {
    const out: string[] = [];
    for (let i = this.head; i < this.items.length; i++) out.push(map(this.items[i]!));
    return out;
  }
}

export class Worker implements InvocationSink {
  readonly workerId: string;
  private readonly store: Store;
  private readonly registry: DestinationRegistry;
  private readonly execution: Execution;
  private readonly recorder: RuntimeRecorder;
  private readonly logger: WarnErrorLogger;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly lockMs: number;
  private readonly pollMs: number;
  private readonly maxPending: number;
  private readonly now: () => number;

  /** Handed over or claimed, not started yet (locked by us). */
  private pending = new Line<Work>();
  /** Held back at their destination's cap, then released: they start before `pending`. */
  private released = new Line<Work>();
  /** Running now, by id. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private running = false;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wakeLoop: (() => void) | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private retryTimers = new Set<NodeJS.Timeout>();
  private drained: (() => void) | null = null;
  /**
   * Whether the store's queue may hold due work: set by a wake-up (unclaimed invocations stored, a retry
   * due, the poll timer), cleared when a claim comes back short. Finishing an invocation claims more only
   * while it is set, so a worker fed in memory does not query an empty queue after every invocation.
   */
  private queueMayHaveWork = true;
  /** Counts the moments the queue may have gained work; a claim that was under way then cannot have seen it. */
  private queueChanges = 0;
  private readonly maxPerDestination: number;
  /** Running invocations per destination, and those held back while their destination is at its cap. */
  private readonly runningPer = new Map<string, number>();
  private readonly held = new Map<string, Line<Work>>();
  private heldCount = 0;
  /** Counters for tests and the benchmark. */
  readonly stats = { succeeded: 0, failed: 0, retried: 0, fetches: 0 };

  constructor(options: WorkerOptions) {
    this.store = options.store;
    this.registry = options.registry;
    this.execution = options.execution;
    this.recorder = options.recorder;
    this.logger = options.logger ?? silent;
    this.workerId = options.workerId ?? `worker-${randomUUID()}`;
    this.batchSize = options.batchSize ?? 100;
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.lockMs = options.lockMs ?? 30_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.maxPending = options.maxPending ?? 10_000;
    this.maxPerDestination = Math.max(1, options.maxPerDestination ?? Math.floor(this.concurrency / 4));
    this.now = options.now ?? Date.now;
  }

  get busy(): number {
    return this.inFlight.size + this.unstarted;
  }

  /** Invocations started and not finished. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Invocations in memory not started yet: pending, released and held back at their destination's cap. */
  private get unstarted(): number {
    return this.pending.length + this.released.length + this.heldCount;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.heartbeat = setInterval(() => void this.extendLocks(), Math.max(50, Math.floor(this.lockMs / 3)));
    this.loop = this.run();
  }

  // ---- InvocationSink (the matcher's side) --------------------------------------------------------------

  reserve(count: number): { workerId: string; lockedUntil: number } | null {
    if (!this.running || this.stopping) return null;
    if (this.unstarted + count > this.maxPending) return null;
    return { workerId: this.workerId, lockedUntil: this.now() + this.lockMs };
  }

  accept(invocations: NewInvocation[]): void {
    for (const invocation of invocations) this.pending.push(workFromNew(invocation));
    this.startPending();
  }

  wake(): void {
    this.queueMayHaveGrown();
    this.resumeLoop();
  }

  /** The queue may hold work this worker has not seen: set the flag, and tell a claim under way. */
  private queueMayHaveGrown(): void {
    this.queueMayHaveWork = true;
    this.queueChanges++;
  }

  private resumeLoop(): void {
    const wake = this.wakeLoop;
    this.wakeLoop = null;
    wake?.();
  }

  /** Stops claiming, finishes what runs, gives back what was not started, writes everything buffered. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.wake();
    await this.loop;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    const unstarted = [...this.released.takeAll(), ...this.pending.takeAll(), ...this.takeHeld()];
    for (const work of unstarted) this.recorder.update(work.id, { state: 'queued' });
    await Promise.all(this.inFlight.values());
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    await this.recorder.flush();
    this.running = false;
  }

  /** Resolves when nothing is pending or running (tests). */
  idle(): Promise<void> {
    if (this.busy === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.drained;
      this.drained = () => {
        previous?.();
        resolve();
      };
    });
  }

  // ---- the loop -----------------------------------------------------------------------------------------

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeLoop = null;
        resolve();
      }, ms);
      this.wakeLoop = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /**
   * How many one claim may take: while fewer than `maxPending` are held, up to it. Past it — the matcher's
   * hand-over filled it behind slow destinations, whose invocations claims skip, so what they bring mostly
   * starts at once — up to as many again.
   */
  private claimLimit(): number {
    const bound = this.heldCount < this.maxPending ? this.maxPending : CLAIM_HELD_FACTOR * this.maxPending;
    return Math.min(this.batchSize, this.concurrency - this.inFlight.size, bound - this.heldCount);
  }

  private hasRoomToClaim(): boolean {
    return this.pending.length === 0 && this.released.length === 0 && this.claimLimit() > 0 && this.concurrency - this.inFlight.size >= Math.min(this.batchSize, this.concurrency / 2);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.startPending();
      if (this.queueMayHaveWork && this.hasRoomToClaim()) {
        const claimed = await this.claim(this.claimLimit());
        // Something claimed, or a short claim that a wake-up overtook (`claim` left the flag set): again.
        if (claimed !== null && (claimed > 0 || this.queueMayHaveWork)) continue;
      }
      if (this.stopping) break;
      await this.sleep(this.pollMs);
      // Whatever ended the sleep (a wake-up or the poll timer), look in the queue again.
      this.queueMayHaveWork = true;
    }
  }

  /** Claims up to `limit`; how many it got, or null when the store failed (then the loop waits a poll). */
  private async claim(limit: number): Promise<number | null> {
    const changesBefore = this.queueChanges;
    try {
      const claimed = await this.store.claimInvocations({
        workerId: this.workerId,
        limit,
        now: this.now(),
        lockMs: this.lockMs,
        // Destinations with invocations held behind their cap: more of theirs could only wait.
        skipDestinations: [...this.held.keys()],
      });
      for (const invocation of claimed) this.pending.push(invocation);
      // Short: nothing more was claimable when the claim ran — unless the queue changed since it started
      // (the matcher stored invocations meanwhile): a wake-up lost here would wait for the next poll.
      if (claimed.length < limit && this.queueChanges === changesBefore) this.queueMayHaveWork = false;
      return claimed.length;
    } catch (error) {
      this.logger.error({ err: error }, 'claiming invocations failed');
      return null;
    }
  }

  private startPending(): void {
    while (this.inFlight.size < this.concurrency) {
      const work = this.released.take() ?? this.pending.take();
      if (!work) break;
      if (this.inFlight.has(work.id)) continue;
      if (this.holdAtDestinationCap(work)) continue;
      // One reaction for both endings (rather than `catch` and then `finally`): it runs per invocation.
      const done = this.process(work).then(
        () => this.finished(work),
        (error: unknown) => {
          this.logger.error({ err: error, invocationId: work.id }, 'invocation crashed the worker; it will be retried after its lock expires');
          this.finished(work);
        },
      );
      this.inFlight.set(work.id, done);
    }
  }

  /** An invocation ended (whichever way): its slots go to the next ones. */
  private finished(work: Work): void {
    this.inFlight.delete(work.id);
    this.releaseDestinationSlot(work.destinationId);
    if (this.pending.length > 0 || this.released.length > 0) this.startPending();
    else if (this.queueMayHaveWork && this.hasRoomToClaim()) this.resumeLoop();
    if (this.busy === 0 && this.drained) {
      const drained = this.drained;
      this.drained = null;
      drained();
    }
  }

  /** Takes a slot of the work's destination, or holds the work back (true) while the destination is at its cap. */
  private holdAtDestinationCap(work: Work): boolean {
    const running = this.runningPer.get(work.destinationId) ?? 0;
    const degraded = this.registry.health?.stateOf(work.destinationId) === 'degraded';
    const cap = degraded ? Math.max(1, Math.floor(this.maxPerDestination / 4)) : this.maxPerDestination;
    if (running < cap) {
      this.runningPer.set(work.destinationId, running + 1);
      return false;
    }
    let list = this.held.get(work.destinationId);
    if (!list) this.held.set(work.destinationId, (list = new Line<Work>()));
    list.push(work);
    this.heldCount++;
    return true;
  }

  /** Frees a slot of the destination and moves its next held invocation to the front of the line. */
  private releaseDestinationSlot(destinationId: string): void {
    const running = (this.runningPer.get(destinationId) ?? 1) - 1;
    if (running > 0) this.runningPer.set(destinationId, running);
    else this.runningPer.delete(destinationId);
    const list = this.held.get(destinationId);
    if (!list || list.length === 0) return;
    this.released.push(list.take()!);
    this.heldCount--;
    if (list.length === 0) {
      this.held.delete(destinationId);
      // Claims skipped it while it held some: its queued invocations are claimable again.
      this.queueMayHaveGrown();
    }
  }

  private takeHeld(): Work[] {
    const all = [...this.held.values()].flatMap((line) => line.takeAll());
    this.held.clear();
    this.heldCount = 0;
    return all;
  }

  private async extendLocks(): Promise<void> {
    const idOf = (work: Work) => work.id;
    const ids = [...this.inFlight.keys(), ...this.pending.ids(idOf), ...this.released.ids(idOf), ...[...this.held.values()].flatMap((line) => line.ids(idOf))];
    if (ids.length === 0) return;
    try {
      await this.store.extendInvocationLocks({ workerId: this.workerId, ids, lockedUntil: this.now() + this.lockMs });
    } catch (error) {
      this.logger.error({ err: error }, 'extending invocation locks failed');
    }
  }

  // ---- one invocation -----------------------------------------------------------------------------------

  private async process(work: Work): Promise<void> {
    if (this.registry.health?.isDisabled(work.destinationId)) {
      // Disabled by its health watcher: kept as `parked` for a replay; parked invocations are never claimed.
      this.recorder.update(work.id, { state: 'parked' });
      this.recorder.metric(work.projectId, work.destinationId, 'parked');
      return;
    }
    if (work.attempts > 0 && (await this.failIfUsedUpByCrashes(work))) return;
    const outcome = await this.execution.run(work);
    this.recorder.tap?.ran(work, outcome.kind, this.now());
    this.stats.fetches += outcome.fetches;
    if (outcome.kind === 'succeeded') this.stats.succeeded++;
    else if (outcome.kind === 'failed') this.stats.failed++;
    else if (outcome.kind === 'retried') {
      this.stats.retried++;
      this.wakeWhenDue(outcome.retryInMs ?? 0);
    }
  }

  /**
   * A reclaimed invocation whose last attempts crashed the process running it (each reclaim of a stalled
   * invocation counts one, `claimInvocations`) fails here rather than crash the process again.
   */
  private async failIfUsedUpByCrashes(work: Work): Promise<boolean> {
    const policy = await this.registry.retryPolicy(work.projectId, work.destinationId);
    if (!policy) return false;
    const outcome = usedUpByCrashes(work, policy, this.recorder, this.now());
    if (!outcome) return false;
    this.stats.failed++;
    return true;
  }

  /** Claims a rescheduled invocation again when it is due, without waiting for the next poll. */
  private wakeWhenDue(delayMs: number): void {
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      void this.recorder.flush().then(() => this.wake());
    }, delayMs);
    timer.unref?.();
    this.retryTimers.add(timer);
  }
}
