/**
 * The limits of one transformation on one event (docs/transformations.md). Tighter than a destination's
 * (100 ms, 64 MiB): a transformation runs inline, on every captured event, before persons and
 * destinations see it, so its cost is paid by the whole pipeline rather than by one delivery.
 */
import { DEFAULT_LIMITS, MAX_EVENT_DEPTH } from '../ingest/limits.js';

export interface TransformationLimits {
  /**
   * Hog VM time for one transformation on one event: its filters, its inputs and its code together share
   * this budget. Converting the event into the VM counts too, so very large events (hundreds of KB of
   * properties) can use it up on their own and pass through unchanged.
   */
  timeoutMs: number;
  /**
   * The first `warmUpRuns` events a transformation runs on after it is loaded get `warmUpTimeoutMs`
   * instead: a first run pays one-time costs (V8 compiling the VM's paths for this code, each regular
   * expression compiled once) that can take several milliseconds on their own.
   */
  warmUpRuns: number;
  warmUpTimeoutMs: number;
  /** Bytes of live Hog values the VM may hold (the event itself included). */
  memoryLimit: number;
  /** `print` lines kept per transformation per event; then one warning. */
  maxLogLines: number;
  /** The largest returned event: its properties serialized as JSON, as capture counts them. */
  maxEventBytes: number;
  /** The deepest returned event (the event object is level 1), as capture allows. */
  maxEventDepth: number;
}

export const DEFAULT_TRANSFORMATION_LIMITS: Readonly<TransformationLimits> = Object.freeze({
  timeoutMs: 5,
  warmUpRuns: 3,
  warmUpTimeoutMs: 50,
  memoryLimit: 8 * 1024 * 1024,
  maxLogLines: 10,
  maxEventBytes: DEFAULT_LIMITS.maxEventBytes,
  maxEventDepth: MAX_EVENT_DEPTH,
});
