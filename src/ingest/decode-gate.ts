import { IngestError } from './errors.js';

/** What a request that could not get a decode slot is told to wait before retrying (seconds). */
export const DECODE_RETRY_AFTER_SECONDS = 1;

export interface DecodeGateOptions {
  /** Decodes running at once. */
  slots: number;
  /** Requests waiting for a slot; one more is refused at once. */
  maxQueued: number;
  /** Longest wait for a slot (ms); then the request is refused. */
  maxWaitMs: number;
}

interface Waiter {
  grant: () => void;
  timer: NodeJS.Timeout;
}

function busy(detail: string): IngestError {
  return new IngestError('SLUICE_ERR_INGEST_UNAVAILABLE', detail, { retry_after: DECODE_RETRY_AFTER_SECONDS });
}

/**
 * Bounds the capture work that costs CPU and memory in proportion to what a client sends (inflating,
 * parsing, validating a body), so a flood of large or compressed bodies waits its turn instead of
 * starving the API, `/_health` and the store. A request that cannot get a slot soon is refused with a
 * 503 the SDKs retry.
 */
export class DecodeGate {
  private running = 0;
  private readonly queue: Waiter[] = [];

  constructor(private readonly options: DecodeGateOptions) {}

  /** Runs `work` in a slot, waiting for one if needed. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Decodes running now and requests waiting (tests, metrics). */
  get load(): { running: number; queued: number } {
    return { running: this.running, queued: this.queue.length };
  }

  private acquire(): Promise<void> {
    if (this.running < this.options.slots) {
      this.running++;
      return Promise.resolve();
    }
    if (this.queue.length >= this.options.maxQueued) {
      return Promise.reject(busy('capture is busy decoding other requests; retry shortly'));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(waiter.timer);
          resolve();
        },
        timer: setTimeout(() => {
          this.queue.splice(this.queue.indexOf(waiter), 1);
          reject(busy(`capture waited ${this.options.maxWaitMs} ms for other requests to be decoded; retry shortly`));
        }, this.options.maxWaitMs),
      };
      // A waiting request holds its connection open anyway; the timer alone must not keep a process alive.
      waiter.timer.unref();
      this.queue.push(waiter);
    });
  }

  /** Hands the slot straight to the next waiter, so a newcomer cannot overtake the queue. */
  private release(): void {
    const next = this.queue.shift();
    if (next !== undefined) next.grant();
    else this.running--;
  }
}
