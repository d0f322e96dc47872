/**
 * Approximate memory accounting. Every value costs 8 bytes, a string 8 + its length,
 * an array 8 + its elements, a dict 8 + its keys and values. Unlike PostHog's VM, which re-measures
 * each pushed value, this VM only charges allocations it sees (new strings from calls, new arrays
 * and dicts, globals) to a running counter, and deep-measures the live stack when that counter could
 * have pushed usage past the limit. A shared object is counted once per measurement.
 */
import type { HogValue } from '../values.js';

export const COST_PER_VALUE = 8;

/** Cost of a freshly created value, without descending into its elements. */
export function shallowCost(value: HogValue): number {
  if (typeof value === 'string') return COST_PER_VALUE + value.length;
  if (Array.isArray(value)) return COST_PER_VALUE * (value.length + 1);
  if (value instanceof Map) return COST_PER_VALUE * (2 * value.size + 1);
  return COST_PER_VALUE;
}

/** Deep cost of the values (iterative, so deep nesting cannot overflow the JS stack). */
export function deepCost(values: readonly unknown[], count: number, seen: Set<object>): number {
  const work: unknown[] = [];
  for (let i = 0; i < count; i++) work.push(values[i]);
  let total = 0;
  while (work.length > 0) {
    const value = work.pop();
    total += COST_PER_VALUE;
    if (typeof value === 'string') {
      total += value.length;
      continue;
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) work.push(value[i]);
    } else if (value instanceof Map) {
      for (const [k, v] of value) work.push(k, v);
    } else {
      for (const key of Object.keys(value)) {
        total += key.length;
        work.push((value as Record<string, unknown>)[key]);
      }
    }
  }
  return total;
}
