/**
 * Masking: a destination with `masking: {ttl, hash, threshold?}` runs at most once per
 * value of its `hash` template per `ttl` seconds; with a `threshold` it runs again once that many
 * events of the same hash have been seen since the last run.
 *
 * This file holds the masking key of an invocation, an in-memory gate (`MaskingGate`, one process, lost
 * on restart) and the gate the runtime uses, `SharedMaskingGate`: the same decisions on the store's
 * shared counters (SQLite, Postgres, or Redis), so they survive restarts and leader changes.
 */
import { createHash } from 'node:crypto';
import type { Bytecode } from '../hog/index.js';
import type { CounterIncrement, SharedCounters } from '../store/store.js';
import type { Masking } from './model.js';
import { errorMessage, runWithEngine, type HogRunner } from './run-hog.js';

export const MASKING_MIN_TTL = 60;
export const MASKING_MAX_TTL = 86_400;

/** The text a hash template's value stands for: strings as they are, other values as JSON. */
function hashText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'null';
  return JSON.stringify(value);
}

/** sha256 hex of the hash template's value. */
export function maskingKeyOf(value: unknown): string {
  return createHash('sha256').update(hashText(value)).digest('hex');
}

/** Evaluate a destination's compiled `masking.bytecode` on the invocation's globals and hash it. */
export function computeMaskingKey(
  masking: Pick<Masking, 'bytecode'>,
  globals: Record<string, unknown>,
  options: { runner?: HogRunner; timeoutMs?: number; memoryLimit?: number } = {},
): { ok: true; key: string } | { ok: false; error: string } {
  if (!masking.bytecode) return { ok: false, error: 'masking has no compiled hash' };
  const runner = options.runner ?? runWithEngine;
  try {
    const value = runner(masking.bytecode as Bytecode, {
      globals,
      timeout: options.timeoutMs,
      memoryLimit: options.memoryLimit,
    });
    return { ok: true, key: maskingKeyOf(value) };
  } catch (error) {
    return { ok: false, error: `masking hash failed: ${errorMessage(error)}` };
  }
}

interface GateEntry {
  /** Events seen for this hash since its last run, that run included. */
  count: number;
  expiresAtMs: number;
}

/** One event × destination to decide, in `MaskingDecider.decide`. */
export interface MaskingCheck {
  destinationId: string;
  /** The destination's stored version: a saved destination starts with fresh windows. */
  version: number;
  /** `computeMaskingKey`'s key. */
  key: string;
  masking: Pick<Masking, 'ttl' | 'threshold'>;
}

/** Decides a batch of masking checks (true: the event runs, false: it is masked), in order. */
export interface MaskingDecider {
  decide(checks: readonly MaskingCheck[], nowMs: number): Promise<boolean[]>;
  /** Forget a destination's state, where the state is not keyed by version already. */
  reset(destinationId: string): void;
}

/**
 * In-memory masking state for one process. `shouldRun` answers whether an event with this key runs
 * (true) or is masked (false), and records it:
 *   - the first event of a key runs and opens a window of `ttl` seconds;
 *   - later events in the window are masked;
 *   - with `threshold` n, the event after n seen in the window runs and opens a new window;
 *   - once the window expires, the next event runs again.
 * Expired entries are swept as the gate is used, so memory follows the number of live keys.
 */
export class MaskingGate {
  private readonly entries = new Map<string, GateEntry>();
  private nextSweepMs = 0;

  constructor(private readonly sweepIntervalMs = 60_000) {}

  shouldRun(destinationId: string, key: string, nowMs: number, masking: Pick<Masking, 'ttl' | 'threshold'>): boolean {
    this.sweep(nowMs);
    const id = `${destinationId}\u0000${key}`;
    const ttlMs = clampTtl(masking.ttl) * 1000;
    const entry = this.entries.get(id);
    if (entry === undefined || entry.expiresAtMs <= nowMs) {
      this.entries.set(id, { count: 1, expiresAtMs: nowMs + ttlMs });
      return true;
    }
    entry.count += 1;
    const threshold = masking.threshold;
    if (typeof threshold === 'number' && threshold > 0 && entry.count > threshold) {
      entry.count = 1;
      entry.expiresAtMs = nowMs + ttlMs;
      return true;
    }
    return false;
  }

  /** `shouldRun` for each check in turn (the version is not part of the key: `reset` on a change). */
  async decide(checks: readonly MaskingCheck[], nowMs: number): Promise<boolean[]> {
    return checks.map((c) => this.shouldRun(c.destinationId, c.key, nowMs, c.masking));
  }

  /** Forget a destination's state (its masking changed, or it was deleted). */
  reset(destinationId: string): void {
    const prefix = `${destinationId}\u0000`;
    for (const id of this.entries.keys()) if (id.startsWith(prefix)) this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }

  private sweep(nowMs: number): void {
    if (nowMs < this.nextSweepMs) return;
    this.nextSweepMs = nowMs + this.sweepIntervalMs;
    for (const [id, entry] of this.entries) if (entry.expiresAtMs <= nowMs) this.entries.delete(id);
  }
}

/**
 * Which of `count` events of one key run, given the key's shared count before them (`before`, 0 when its
 * window is absent or expired): the count runs on without resetting, so in `MaskingGate`'s terms the
 * events numbered 1, n + 1, 2n + 1, … of a window run (n = threshold), or only the first without one.
 */
export function maskingRuns(before: number, count: number, threshold: number | null | undefined): boolean[] {
  const n = typeof threshold === 'number' && threshold > 0 ? threshold : 0;
  const runs: boolean[] = [];
  for (let j = 1; j <= count; j++) {
    const c = before + j;
    runs.push(n > 0 ? (c - 1) % n === 0 : c === 1);
  }
  return runs;
}

/**
 * `MaskingGate`'s decisions on shared counters: one counter per destination version and hash, expiring
 * after the masking ttl, its expiry renewed when a threshold opens a new window (`renewEvery`). A matcher
 * batch is one `incrementMany` call: repeats of a key within the batch are added up and decided here.
 */
export class SharedMaskingGate implements MaskingDecider {
  constructor(
    private readonly counters: SharedCounters,
    private readonly prefix = 'mask:',
  ) {}

  async decide(checks: readonly MaskingCheck[], nowMs: number): Promise<boolean[]> {
    if (checks.length === 0) return [];
    const groups = new Map<string, { indexes: number[]; check: MaskingCheck }>();
    checks.forEach((check, index) => {
      const id = `${this.prefix}${check.destinationId}:${check.version}:${check.key}`;
      const group = groups.get(id);
      if (group) group.indexes.push(index);
      else groups.set(id, { indexes: [index], check });
    });
    const increments: CounterIncrement[] = [];
    for (const [key, { indexes, check }] of groups) {
      const threshold = check.masking.threshold;
      increments.push({ key, by: indexes.length, ttlMs: clampTtl(check.masking.ttl) * 1000, renewEvery: typeof threshold === 'number' && threshold > 0 ? threshold : null });
    }
    const values = await this.counters.incrementMany(increments, nowMs);
    const out = new Array<boolean>(checks.length);
    let g = 0;
    for (const { indexes, check } of groups.values()) {
      const after = values[g++]!.value;
      // A fresh window counts exactly this batch's events; a live one had at least one before.
      const before = Math.max(0, after - indexes.length);
      const runs = maskingRuns(before, indexes.length, check.masking.threshold);
      indexes.forEach((index, j) => (out[index] = runs[j]!));
    }
    return out;
  }

  /** Nothing to forget: a saved destination has a new version, so new keys. */
  reset(_destinationId: string): void {}
}

function clampTtl(ttl: number): number {
  if (!Number.isFinite(ttl)) return MASKING_MIN_TTL;
  return Math.min(MASKING_MAX_TTL, Math.max(MASKING_MIN_TTL, ttl));
}
