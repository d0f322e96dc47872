/**
 * Leadership and named locks for a store used by one process (SQLite): the same calls as Postgres's
 * advisory locks, answered in memory. Also the in-process destination-change listeners.
 */
import type { Leadership } from './store.js';

export class LocalCoordination {
  private readonly leaders = new Set<string>();
  private readonly locks = new Map<string, Promise<void>>();
  private readonly listeners = new Set<() => void>();

  onDestinationsChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notifyDestinationsChanged(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // A listener's failure is its own; the write already committed.
      }
    }
  }

  async tryLead(name: string): Promise<Leadership | null> {
    if (this.leaders.has(name)) return null;
    this.leaders.add(name);
    let released = false;
    return {
      name,
      lost: new Promise<void>(() => {}),
      release: async () => {
        if (released) return;
        released = true;
        this.leaders.delete(name);
      },
    };
  }

  async withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(name) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const chained = previous.then(() => mine);
    this.locks.set(name, chained);
    await previous;
    try {
      return await fn();
    } finally {
      done();
      if (this.locks.get(name) === chained) this.locks.delete(name);
    }
  }
}
