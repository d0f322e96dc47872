import { STL } from '../index.js';
import type { HogValue } from '../../values.js';
import type { StlContext } from '../types.js';

/** A context that records printed lines; the clock is fixed at 2024-05-03T12:34:56.789Z. */
export function makeContext(nowMs = Date.UTC(2024, 4, 3, 12, 34, 56, 789)): StlContext & { lines: string[] } {
  const lines: string[] = [];
  return { lines, print: (line) => lines.push(line), now: () => nowMs };
}

/** Call an STL function by name, as the VM would after its arity check. */
export function call(name: string, ...args: HogValue[]): HogValue {
  const entry = STL[name];
  if (!entry) throw new Error(`no STL function ${name}`);
  return entry.fn(args, makeContext());
}

export function dict(entries: [HogValue, HogValue][] | Record<string, HogValue>): Map<HogValue, HogValue> {
  return Array.isArray(entries) ? new Map(entries) : new Map(Object.entries(entries));
}
