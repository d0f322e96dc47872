/**
 * Function forms of operators, mostly for compiled HogQL (reference §8.5). These are deliberately
 * raw: `equals` is `===` with no coercion, the orderings are plain JS comparisons, `plus` is JS `+`.
 */
import type { HogValue } from '../values.js';
import { type StlTable, define } from './define.js';

/** Values as JS sees them in a raw comparison or arithmetic. */
type Raw = number;

function truthy(value: HogValue | undefined): boolean {
  return Boolean(value);
}

function multiIf(args: HogValue[]): HogValue {
  let i = 0;
  for (; i + 1 < args.length; i += 2) if (truthy(args[i])) return args[i + 1] ?? null;
  return i < args.length ? (args[i] ?? null) : null;
}

export const MATH_FUNCTIONS: StlTable = {
  equals: define(2, 2, ([a, b]) => (a ?? null) === (b ?? null)),
  notEquals: define(2, 2, ([a, b]) => (a ?? null) !== (b ?? null)),
  greater: define(2, 2, ([a, b]) => (a as Raw) > (b as Raw)),
  greaterOrEquals: define(2, 2, ([a, b]) => (a as Raw) >= (b as Raw)),
  less: define(2, 2, ([a, b]) => (a as Raw) < (b as Raw)),
  lessOrEquals: define(2, 2, ([a, b]) => (a as Raw) <= (b as Raw)),
  and: define(1, undefined, (args) => args.every(truthy)),
  or: define(1, undefined, (args) => args.some(truthy)),
  not: define(1, 1, ([x]) => !truthy(x)),
  if: define(3, 3, ([c, a, b]) => (truthy(c) ? (a ?? null) : (b ?? null))),
  multiIf: define(3, undefined, multiIf),
  plus: define(2, 2, ([a, b]) => (a as Raw) + (b as Raw)),
  minus: define(2, 2, ([a, b]) => (a as Raw) - (b as Raw)),
  min2: define(2, 2, ([a, b]) => ((a as Raw) < (b as Raw) ? (a ?? null) : (b ?? null))),
  floor: define(1, 2, ([x]) => Math.floor(x as Raw)),
  round: define(1, 2, ([x]) => Math.round(x as Raw)),
};
