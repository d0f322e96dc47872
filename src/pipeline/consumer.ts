/**
 * The one consumer of the partitioned log. Every stage of the pipeline (person processing, destination
 * matching) is a function of a batch; this module does the rest, the same way for each stage:
 *
 * - one loop per owned partition reads from the stage's offset in batches, in position order;
 * - while a partition is caught up, committed items are handed over in memory (`push`), skipping a
 *   store read; when it falls behind (too much queued), restarts, or fails, it reads the store again;
 * - the stage writes its output together with the new offset in one transaction, fenced by the
 *   partition's lease, so a crash redoes a whole batch and a stale owner can never commit.
 *
 * `readFromStore` turns the memory hand-over off: needed when other processes append (Postgres), because
 * a process only sees its own commits in memory.
 */
import type { LeaseFence, LogPosition, PartitionOffsetWrite, Store } from '../store/store.js';
import { comparePositions, LeaseLostError, PersonConflictError, START_POSITION } from '../store/store.js';

/** What a stage consumes: anything with a partition and a position in it. */
export interface LogItem {
  seq: number;
  partition: number;
  position: LogPosition;
}

export interface StageLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface Stage<T extends LogItem> {
  /** The consumer name its offsets are stored under. */
  readonly name: string;
  read(store: Store, partition: number, after: LogPosition, limit: number): Promise<T[]>;
  /**
   * Processes one batch (all of one partition, in order) and commits its output with `offset` in one
   * transaction. Throws `LeaseLostError` when the store refuses the fence, `PersonConflictError` (or any
   * error) to have the batch read again and redone.
   */
  process(batch: T[], offset: PartitionOffsetWrite): Promise<void>;
  /** Drops any cache that may be stale (after a failed batch or a conflict). */
  reset?(partition: number): void;
}

export interface ConsumerOptions {
  store: Store;
  logger?: StageLogger;
  batchSize: number;
  /** Items handed over in memory and not yet processed before falling back to the store. */
  maxQueued: number;
  readFromStore: boolean;
  /** Idle poll interval when reading from the store (ms). */
  pollMs: number;
  /** Wait after a failed batch before reading it again (ms). */
  retryDelayMs: number;
}

const silent: StageLogger = { info() {}, warn() {}, error() {} };

/** One stage × one partition: the loop. */
export class PartitionConsumer<T extends LogItem> {
  private offset: LogPosition = START_POSITION;
  private queue: T[] = [];
  private queueHead = 0;
  private memoryMode = false;
  /** Highest position handed over, so the store catch-up knows when it may switch to memory. */
  private highestPushed: LogPosition = START_POSITION;
  private stopping = false;
  /** Set by `halt`: return after the batch in progress, leaving the rest to the partition's next owner. */
  private halting = false;
  private loop: Promise<void> | null = null;
  /** The batch being processed, if any: its commit may be visible in the store before its stage returns. */
  private inProgress: Promise<unknown> | null = null;
  private wake: (() => void) | null = null;
  /** Set when the store refused our fence: the partition belongs to another process now. */
  lost = false;

  constructor(
    private readonly stage: Stage<T>,
    readonly fence: LeaseFence,
    private readonly options: ConsumerOptions,
    /** Told after every committed batch (the stage runner counts, releases waiters, hands downstream). */
    private readonly committed: (batch: T[]) => void,
    /** Told when the lease was found lost. */
    private readonly onLost: (consumer: PartitionConsumer<T>) => void,
  ) {}

  get partition(): number {
    return this.fence.partition;
  }

  get position(): LogPosition {
    return this.offset;
  }

  async start(): Promise<void> {
    this.offset = (await this.options.store.getPartitionOffsets(this.stage.name))[this.partition] ?? START_POSITION;
    this.loop = this.run();
  }

  /** Hands over committed items of this partition, in position order. */
  push(items: T[]): void {
    if (items.length === 0) return;
    const last = items[items.length - 1]!.position;
    if (!this.options.readFromStore) {
      if (this.memoryMode && this.queue.length - this.queueHead + items.length <= this.options.maxQueued) {
        for (const item of items) this.queue.push(item);
      } else if (this.memoryMode) {
        this.logger.warn({ stage: this.stage.name, partition: this.partition }, 'falling behind; reading from the store');
        this.leaveMemoryMode();
      }
    }
    if (comparePositions(last, this.highestPushed) > 0) this.highestPushed = last;
    this.signal();
  }

  /** Whether a full batch is waiting in memory (the stage may then skip yielding to the event loop). */
  get backlogged(): boolean {
    return this.memoryMode && this.queue.length - this.queueHead >= this.options.batchSize;
  }

  /** Processes what was handed over so far (memory mode) or what the store holds now, then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.signal();
    await this.loop;
  }

  /** Finishes the batch in progress and stops (the partition moves to another process). */
  async halt(): Promise<void> {
    this.halting = true;
    this.stopping = true;
    this.signal();
    await this.loop;
  }

  private get logger(): StageLogger {
    return this.options.logger ?? silent;
  }

  private leaveMemoryMode(): void {
    this.memoryMode = false;
    this.queue = [];
    this.queueHead = 0;
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async nextBatch(): Promise<T[]> {
    const { batchSize } = this.options;
    if (this.memoryMode) {
      while (this.queueHead < this.queue.length && comparePositions(this.queue[this.queueHead]!.position, this.offset) <= 0) this.queueHead++;
      const batch = this.queue.slice(this.queueHead, this.queueHead + batchSize);
      this.queueHead += batch.length;
      if (this.queueHead >= this.queue.length) {
        this.queue = [];
        this.queueHead = 0;
      }
      return batch;
    }
    const batch = await this.stage.read(this.options.store, this.partition, this.offset, batchSize);
    if (this.options.readFromStore) return batch;
    const lastRead = batch.length > 0 ? batch[batch.length - 1]!.position : this.offset;
    if (batch.length < batchSize && comparePositions(lastRead, this.highestPushed) >= 0) {
      // Caught up with everything committed: later commits arrive in memory.
      this.memoryMode = true;
      this.queue = [];
      this.queueHead = 0;
    }
    return batch;
  }

  private async run(): Promise<void> {
    for (;;) {
      if (this.lost || this.halting) return;
      let batch: T[];
      try {
        batch = await this.nextBatch();
      } catch (error) {
        this.logger.error({ err: error, stage: this.stage.name, partition: this.partition }, 'reading the partition failed');
        if (this.stopping) return;
        await this.sleep(this.options.retryDelayMs);
        continue;
      }
      if (batch.length === 0) {
        // In memory mode everything handed over is processed; reading the store, everything committed is.
        if (this.stopping) return;
        await this.sleep(this.options.readFromStore ? this.options.pollMs : 1_000);
        continue;
      }
      const processing = this.processBatch(batch);
      this.inProgress = processing;
      const done = await processing;
      this.inProgress = null;
      if (done) continue;
      if (this.lost || this.stopping) return;
    }
  }

  /**
   * Resolves once the batch in progress, if any, has returned from its stage. A caller that saw a batch's
   * offset committed in the store waits here for what the stage does after its commit (the matcher hands
   * the batch's invocations to the worker then).
   */
  async batchReturned(): Promise<void> {
    await this.inProgress?.catch(() => {});
  }

  /** Processes and commits one batch; false when it failed (it will be read again from the store). */
  private async processBatch(batch: T[]): Promise<boolean> {
    const position = batch[batch.length - 1]!.position;
    const offset: PartitionOffsetWrite = { consumer: this.stage.name, partition: this.partition, position, fence: this.fence };
    try {
      await this.stage.process(batch, offset);
    } catch (error) {
      this.leaveMemoryMode();
      this.stage.reset?.(this.partition);
      if (error instanceof LeaseLostError) {
        this.logger.warn({ stage: this.stage.name, partition: this.partition }, error.message);
        this.lost = true;
        this.onLost(this);
        return false;
      }
      if (error instanceof PersonConflictError) {
        // Another partition's batch changed the same persons: reload them and redo at once.
        this.logger.info({ stage: this.stage.name, partition: this.partition }, error.message);
        return false;
      }
      this.logger.error({ err: error, stage: this.stage.name, partition: this.partition, fromSeq: batch[0]!.seq }, 'a batch failed; retrying from the store');
      if (!this.stopping) await this.sleep(this.options.retryDelayMs);
      return false;
    }
    this.offset = position;
    this.committed(batch);
    return true;
  }
}
