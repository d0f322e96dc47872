/**
 * Masking (product.md §5): a destination with `masking: {ttl, hash, threshold?}` runs at most once per
 * value of its `hash` template per `ttl` seconds; with a `threshold` it runs again once that many
 * events of the same hash have been seen since the last run.
 *
 * This file holds the pure part: the masking key of an invocation, and an in-memory gate. The shared,
 * persistent gate (several workers) keeps the same semantics in the store.
 */
import { createHash } from 'node:crypto';
import type { Bytecode } from '../hog/index.js';
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

function clampTtl(ttl: number): number {
  if (!Number.isFinite(ttl)) return MASKING_MIN_TTL;
  return Math.min(MASKING_MAX_TTL, Math.max(MASKING_MIN_TTL, ttl));
}
