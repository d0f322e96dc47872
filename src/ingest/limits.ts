import { availableParallelism } from 'node:os';

/** Limits of intake. All are configurable; the size defaults follow PostHog's capture. */
export interface IngestLimits {
  /** Largest request body, after decompression and base64 decoding. */
  maxBodyBytes: number;
  /** Largest single event (its properties serialized as JSON). */
  maxEventBytes: number;
  /** Deepest nesting of one event, counting the event object itself as level 1. */
  maxEventDepth: number;
  /** Most events in one request. */
  maxEventsPerRequest: number;
  /** Request bodies being decoded (inflated, parsed, validated) at the same time. */
  maxConcurrentDecodes: number;
  /** Requests that may wait for a decode slot; more are answered 503 at once. */
  maxQueuedDecodes: number;
  /** Longest wait for a decode slot before the request is answered 503 (ms). */
  maxDecodeWaitMs: number;
}

/**
 * Nesting deeper than this is refused per event at capture. Real events stay within a handful of levels;
 * the cap is what lets everything after capture (JSON serialization, Hog globals, thread messages) recurse
 * over event data without ever running out of stack.
 */
export const MAX_EVENT_DEPTH = 64;

export const DEFAULT_LIMITS: IngestLimits = {
  maxBodyBytes: 20 * 1024 * 1024,
  maxEventBytes: 1024 * 1024,
  maxEventDepth: MAX_EVENT_DEPTH,
  // SDKs send tens to hundreds per request. A request's events are validated and committed as one unit
  // on the main thread, so 20 MiB of tiny events (650,000) held it for 25 s; 10,000 take well under one.
  maxEventsPerRequest: 10_000,
  // Decoding is CPU (inflate, JSON.parse) and memory (up to maxBodyBytes per body twice over): one per
  // core keeps the main thread and RSS for everything else, whatever the number of clients. Inflating runs
  // on libuv's threads, which compete with the main thread for the same cores.
  maxConcurrentDecodes: Math.max(2, availableParallelism()),
  maxQueuedDecodes: 256,
  maxDecodeWaitMs: 5_000,
};

export function formatBytes(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
