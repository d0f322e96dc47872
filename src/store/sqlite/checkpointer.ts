/**
 * WAL checkpoints in a background thread.
 *
 * In WAL mode every commit appends pages to `sluice.db-wal`; a checkpoint copies them back into the
 * database file. By default SQLite runs the checkpoint inside whichever commit pushes the WAL past 1,000
 * pages — on the main thread, in the middle of capture or delivery. Measured on the end-to-end benchmark
 * those checkpoints were the largest single cost of the main thread (about a fifth of it).
 *
 * So the main connection checkpoints only as a safety net (`SAFETY_NET_BYTES`), and this thread, with its
 * own connection, runs `wal_checkpoint(PASSIVE)` every `intervalMs`. A passive checkpoint never blocks
 * the writer or readers; it copies what it can, and SQLite restarts the WAL from its beginning once a
 * checkpoint has caught up, so the file stays small.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The main connection's own checkpoint threshold (SQLite counts it in pages of the database's size):
 * reached only if the background thread falls behind.
 */
export const SAFETY_NET_BYTES = 80 * 1024 * 1024;

export interface CheckpointerOptions {
  /** How often the thread checkpoints. Default 100 ms. */
  intervalMs?: number;
}

// The thread's code: CommonJS, so it can `require` better-sqlite3 by the path resolved here.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename);
db.pragma('busy_timeout = 1000');
let checkpoints = 0;
const run = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    checkpoints++;
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: String(error && error.message || error) });
  }
};
const timer = setInterval(run, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'count') parentPort.postMessage({ type: 'count', checkpoints });
  else if (message === 'stop') {
    clearInterval(timer);
    run();
    db.close();
    parentPort.close();
  }
});
`;

export class BackgroundCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  /** The last error the thread reported (a checkpoint that failed is retried at the next tick). */
  lastError: string | null = null;

  constructor(filename: string, options: CheckpointerOptions = {}) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { filename, driver, intervalMs: options.intervalMs ?? 100 } });
    this.worker.unref();
    this.worker.on('message', (message: { type: string; message?: string }) => {
      if (message.type === 'error') this.lastError = message.message ?? 'unknown error';
    });
    this.worker.on('error', (error) => {
      this.lastError = error.message;
    });
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
  }

  /** Checkpoints run so far (tests). */
  count(): Promise<number> {
    return new Promise((resolve) => {
      const onMessage = (message: { type: string; checkpoints?: number }) => {
        if (message.type !== 'count') return;
        this.worker.off('message', onMessage);
        resolve(message.checkpoints ?? 0);
      };
      this.worker.on('message', onMessage);
      this.worker.postMessage('count');
    });
  }

  /** Runs a last checkpoint, closes the thread's connection and waits for the thread to end. */
  async stop(): Promise<void> {
    // Unreferenced while it runs (it must not keep the process alive); referenced while it stops, or the
    // process could end before the thread has, and the rest of a shutdown would never run.
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}
