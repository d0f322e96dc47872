/**
 * Small helpers shared by the stdlib modules: the `define` shorthand for registry entries and the
 * value predicates most functions start with.
 */
import type { HogValue } from '../values.js';
import type { StlContext, StlFunction } from './types.js';

export type StlTable = Record<string, StlFunction>;

/** A registry entry: `define(1, 2, ([a, b]) => …)`; `maxArgs` undefined means unbounded. */
export function define(
  minArgs: number,
  maxArgs: number | undefined,
  fn: (args: HogValue[], ctx: StlContext) => HogValue,
): StlFunction {
  return maxArgs === undefined ? { fn, minArgs } : { fn, minArgs, maxArgs };
}

export function isNullish(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}
