/**
 * Function forms of operators, mostly for compiled HogQL. These are deliberately
 * raw: `equals` is `===` with no coercion, the orderings are plain JS comparisons, `plus` is JS `+`.
 */
import { jsNumber, jsPrimitive } from '../convert.js';
import type { HogValue } from '../values.js';
import { type StlTable, define } from './define.js';

/**
 * Values as JS sees them in a raw comparison or arithmetic. An array operand is coerced by the
 * bounded `jsPrimitive` first: JS's own coercion joins it, expanding shared references unmetered.
 */
type Raw = number;

const raw = (value: HogValue | undefined): Raw => jsPrimitive(value) as Raw;

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
  greater: define(2, 2, ([a, b]) => raw(a) > raw(b)),
  greaterOrEquals: define(2, 2, ([a, b]) => raw(a) >= raw(b)),
  less: define(2, 2, ([a, b]) => raw(a) < raw(b)),
  lessOrEquals: define(2, 2, ([a, b]) => raw(a) <= raw(b)),
  and: define(1, undefined, (args) => args.every(truthy)),
  or: define(1, undefined, (args) => args.some(truthy)),
  not: define(1, 1, ([x]) => !truthy(x)),
  if: define(3, 3, ([c, a, b]) => (truthy(c) ? (a ?? null) : (b ?? null))),
  multiIf: define(3, undefined, multiIf),
  plus: define(2, 2, ([a, b]) => raw(a) + raw(b)),
  minus: define(2, 2, ([a, b]) => raw(a) - raw(b)),
  min2: define(2, 2, ([a, b]) => (raw(a) < raw(b) ? (a ?? null) : (b ?? null))),
  floor: define(1, 2, ([x]) => Math.floor(jsNumber(x))),
  round: define(1, 2, ([x]) => Math.round(jsNumber(x))),
};
