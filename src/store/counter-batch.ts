/** Checks shared by every {@link SharedCounters.incrementMany} implementation. */
import type { CounterIncrement } from './store.js';

/** Throws on a repeated key or a bad number; returns the increments ordered by key (lock order). */
export function checkedIncrements(increments: readonly CounterIncrement[]): { increment: CounterIncrement; index: number }[] {
  const seen = new Set<string>();
  for (const inc of increments) {
    if (seen.has(inc.key)) throw new Error(`incrementMany: the key '${inc.key}' is repeated; add its increments up first`);
    seen.add(inc.key);
    if (!Number.isSafeInteger(inc.by) || inc.by < 0) throw new Error(`incrementMany: 'by' must be a whole number ≥ 0, not ${inc.by}`);
    if (!Number.isFinite(inc.ttlMs) || inc.ttlMs <= 0) throw new Error(`incrementMany: 'ttlMs' must be positive, not ${inc.ttlMs}`);
  }
  return increments.map((increment, index) => ({ increment, index })).sort((a, b) => (a.increment.key < b.increment.key ? -1 : a.increment.key > b.increment.key ? 1 : 0));
}

/** `renewEvery` as stored: a whole number ≥ 1, or 0 for none. */
export function renewOf(increment: CounterIncrement): number {
  const n = increment.renewEvery;
  return typeof n === 'number' && Number.isFinite(n) && n >= 1 ? Math.min(Math.floor(n), Number.MAX_SAFE_INTEGER) : 0;
}
