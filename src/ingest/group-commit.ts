import type { NewEvent, Store, StoredEvent } from '../store/store.js';
import { IngestError } from './errors.js';
import { partitionOf } from '../store/partitions.js';

export interface GroupCommitOptions {
  /** Flush at once when this many events are waiting (default 20 000). */
  maxBatchEvents?: number;
  /** Called after each commit with the events that were stored (duplicates left out), in `seq` order. */
  onCommitted?: (events: StoredEvent[]) => void;
}

interface Waiter {
  events: NewEvent[];
  resolve: (seqs: (number | null)[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: every request's events wait in one queue, and all requests that arrived in the same turn
 * of the event loop (or while the previous commit ran) are written in one store transaction. Each caller's
 * promise resolves only after that transaction committed, so the HTTP 200 follows durability.
 */
export class GroupCommitWriter {
  private readonly store: Store;
  private readonly maxBatchEvents: number;
  private readonly onCommitted: ((events: StoredEvent[]) => void) | undefined;
  private waiting: Waiter[] = [];
  private waitingEvents = 0;
  private scheduled = false;
  private running: Promise<void> | null = null;
  private closed = false;
  /** Statistics for logs and the benchmark. */
  commits = 0;
  committedEvents = 0;

  constructor(store: Store, options: GroupCommitOptions = {}) {
    this.store = store;
    this.maxBatchEvents = options.maxBatchEvents ?? 20_000;
    this.onCommitted = options.onCommitted;
  }

  /** Resolves with each event's `seq` (null for an ignored duplicate) once the events are committed. */
  write(events: NewEvent[]): Promise<(number | null)[]> {
    if (this.closed) {
      return Promise.reject(new IngestError('SLUICE_ERR_INGEST_UNAVAILABLE', 'Sluice is shutting down; retry shortly'));
    }
    if (events.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.waiting.push({ events, resolve, reject });
      this.waitingEvents += events.length;
      this.schedule();
    });
  }

  /** Stops accepting writes and resolves once everything accepted so far is committed. */
  async close(): Promise<void> {
    this.closed = true;
    await this.drain();
  }

  /** Resolves once every write made before the call is committed. */
  async drain(): Promise<void> {
    while (this.running !== null || this.waiting.length > 0) {
      if (this.running === null) this.running = this.flushLoop();
      await this.running;
    }
  }

  private schedule(): void {
    if (this.running !== null || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      // Nothing waiting (a `drain` took it first): starting a loop now would finish synchronously, before
      // `running` is assigned, and leave a settled promise there that no later write would replace.
      if (this.running === null && this.waiting.length > 0) this.running = this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.waiting.length > 0) await this.flushOnce();
    } finally {
      this.running = null;
    }
  }

  private takeBatch(): Waiter[] {
    let count = 0;
    let n = 0;
    while (n < this.waiting.length && (n === 0 || count + this.waiting[n]!.events.length <= this.maxBatchEvents)) {
      count += this.waiting[n]!.events.length;
      n++;
    }
    const batch = this.waiting.splice(0, n);
    this.waitingEvents -= count;
    return batch;
  }

  private async flushOnce(): Promise<void> {
    const batch = this.takeBatch();
    const failure = await this.commit(batch);
    if (failure === null) return;
    if (batch.length === 1) {
      batch[0]!.reject(storeFailure(failure.error));
      return;
    }
    // One request's events may be what the store refused: each request is written alone, so only its own
    // caller hears the error, and the others' events are stored as if they had come alone.
    for (const waiter of batch) {
      const alone = await this.commit([waiter]);
      if (alone !== null) waiter.reject(storeFailure(alone.error));
    }
  }

  /** Writes the waiters' events in one transaction and resolves them; on failure resolves none and returns the error. */
  private async commit(batch: Waiter[]): Promise<{ error: unknown } | null> {
    const all: NewEvent[] = batch.length === 1 ? batch[0]!.events : batch.flatMap((w) => w.events);
    let seqs: (number | null)[];
    let tx: number;
    try {
      ({ seqs, tx } = await this.store.appendEvents(all));
    } catch (error) {
      return { error };
    }
    this.commits++;
    this.committedEvents += all.length;
    let offset = 0;
    for (const w of batch) {
      w.resolve(seqs.slice(offset, offset + w.events.length));
      offset += w.events.length;
    }
    if (this.onCommitted) {
      const partitions = this.store.partitionCount;
      const stored: StoredEvent[] = [];
      for (let i = 0; i < all.length; i++) {
        const seq = seqs[i];
        if (seq !== null && seq !== undefined) {
          const e = all[i] as StoredEvent;
          e.seq = seq;
          e.partition = partitionOf(e.projectId, e.distinct_id, partitions);
          e.position = { tx, seq };
          stored.push(e);
        }
      }
      this.onCommitted(stored);
    }
    return null;
  }
}

function storeFailure(error: unknown): IngestError {
  return new IngestError('SLUICE_ERR_INGEST_UNAVAILABLE', `events could not be stored: ${String(error)}`);
}
