/**
 * One stage in one process: a {@link PartitionConsumer} for every partition this process owns, created
 * and stopped as ownership changes (`assign`, `revoke`), plus what callers wait on (`waitFor`) and what
 * the next stage listens to (`onCommitted`).
 */
import type { LeaseFence, Store } from '../store/store.js';
import { PartitionConsumer, type ConsumerOptions, type LogItem, type Stage, type StageLogger } from './consumer.js';
import { measuredStage } from './stage-cpu.js';

export type CommitListener<T> = (batch: T[]) => void | Promise<void>;

export interface StageRunnerOptions {
  store: Store;
  logger?: StageLogger;
  batchSize?: number;
  maxQueued?: number;
  readFromStore?: boolean;
  pollMs?: number;
  retryDelayMs?: number;
  /** Told when a partition's lease was found lost (the assigner gives it up). */
  onLost?: (partition: number) => void;
}

export class StageRunner<T extends LogItem> {
  private readonly consumers = new Map<number, PartitionConsumer<T>>();
  private readonly listeners = new Set<CommitListener<T>>();
  private readonly waiters = new Set<() => void>();
  private readonly consumerOptions: ConsumerOptions;
  private readonly onLost: ((partition: number) => void) | undefined;
  /** The stage as the consumers run it: its CPU time and events counted (`stage-cpu.ts`). */
  private readonly measured: Stage<T>;
  processed = 0;

  constructor(
    private readonly stage: Stage<T>,
    options: StageRunnerOptions,
  ) {
    this.onLost = options.onLost;
    this.measured = measuredStage(stage);
    this.consumerOptions = {
      store: options.store,
      ...(options.logger ? { logger: options.logger } : {}),
      batchSize: options.batchSize ?? 2_000,
      maxQueued: options.maxQueued ?? 100_000,
      readFromStore: options.readFromStore ?? false,
      pollMs: options.pollMs ?? 100,
      retryDelayMs: options.retryDelayMs ?? 1_000,
    };
  }

  get name(): string {
    return this.stage.name;
  }

  /** The leases of the partitions being consumed now. */
  get fences(): LeaseFence[] {
    return [...this.consumers.values()].map((c) => c.fence);
  }

  get partitions(): number[] {
    return [...this.consumers.keys()].sort((a, b) => a - b);
  }

  /** Starts consuming a partition this process now owns. */
  async assign(fence: LeaseFence): Promise<void> {
    const current = this.consumers.get(fence.partition);
    if (current && current.fence.epoch === fence.epoch && !current.lost) return;
    if (current) await this.revoke(fence.partition);
    const consumer = new PartitionConsumer<T>(
      this.measured,
      fence,
      this.consumerOptions,
      (batch) => this.afterCommit(batch),
      (lost) => {
        if (this.consumers.get(lost.partition) === lost) this.consumers.delete(lost.partition);
        this.onLost?.(lost.partition);
      },
    );
    this.consumers.set(fence.partition, consumer);
    this.stage.reset?.(fence.partition);
    await consumer.start();
  }

  /** Finishes the partition's current batch and stops consuming it (it moves to another process). */
  async revoke(partition: number): Promise<void> {
    const consumer = this.consumers.get(partition);
    if (!consumer) return;
    this.consumers.delete(partition);
    await consumer.halt();
  }

  /** Hands committed items over to the consumers of their partitions (in memory, when they are caught up). */
  push(items: T[]): void {
    if (items.length === 0) return;
    if (this.consumers.size === 1 && items.every((i) => i.partition === items[0]!.partition)) {
      this.consumers.get(items[0]!.partition)?.push(items);
      return;
    }
    const byPartition = new Map<number, T[]>();
    for (const item of items) {
      let list = byPartition.get(item.partition);
      if (!list) byPartition.set(item.partition, (list = []));
      list.push(item);
    }
    for (const [partition, list] of byPartition) this.consumers.get(partition)?.push(list);
  }

  /** Whether a partition has a full batch waiting in memory. */
  backlogged(partition: number): boolean {
    return this.consumers.get(partition)?.backlogged ?? false;
  }

  onCommitted(listener: CommitListener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves once no event with `seq <= seq` is left unprocessed by this stage, whichever process
   * processes it (checked in the store after each local commit, and every `pollMs` meanwhile), and this
   * process's batches in progress have returned: a commit is visible in the store before the stage that
   * made it has handed its output on.
   */
  async waitFor(seq: number, pollMs = 100): Promise<void> {
    const store = this.consumerOptions.store;
    while (await store.hasUnprocessed(this.stage.name, seq)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, pollMs);
        this.waiters.add(done);
      });
    }
    await Promise.all([...this.consumers.values()].map((consumer) => consumer.batchReturned()));
  }

  /** Stops every partition, each after processing what was handed over to it (shutdown). */
  async stop(): Promise<void> {
    const all = [...this.consumers.values()];
    this.consumers.clear();
    await Promise.all(all.map((c) => c.stop()));
  }

  private afterCommit(batch: T[]): void {
    this.processed += batch.length;
    for (const wake of [...this.waiters]) wake();
    for (const listener of this.listeners) {
      try {
        const result = listener(batch);
        if (result instanceof Promise) result.catch((error: unknown) => this.consumerOptions.logger?.error({ err: error }, 'a commit listener failed'));
      } catch (error) {
        this.consumerOptions.logger?.error({ err: error }, 'a commit listener failed');
      }
    }
  }
}
