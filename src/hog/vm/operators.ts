/**
 * Value semantics used by the VM's instructions: comparisons with `unifyComparisonTypes`, property
 * reads and writes, membership and pattern matching.
 * The run loop inlines the common number/string cases and falls back to these helpers.
 */
import { jsString } from '../convert.js';
import { HogVMError } from '../errors.js';
import { likeMatch, regexMatch } from '../stdlib/regex.js';
import type { HogFields, HogValue } from '../values.js';
import { unifyDateLike } from '../stdlib/dates.js';
import { openAllowance, preview } from './meter.js';

/** Comparison kinds, one per comparison opcode. */
export const Cmp = { EQ: 0, NOT_EQ: 1, GT: 2, GT_EQ: 3, LT: 4, LT_EQ: 5 } as const;
export type CmpKind = (typeof Cmp)[keyof typeof Cmp];

function isObject(value: HogValue): boolean {
  return typeof value === 'object' && value !== null;
}

function allFiniteNumbers(items: HogValue[]): boolean {
  for (let i = 0; i < items.length; i++) {
    if (!Number.isFinite(items[i])) return false;
  }
  return true;
}

function orderArrays(left: HogValue[], right: HogValue[]): number {
  const n = Math.min(left.length, right.length);
  for (let i = 0; i < n; i++) {
    const a = left[i] as number;
    const b = right[i] as number;
    if (a !== b) return a < b ? -1 : 1;
  }
  return Math.sign(left.length - right.length);
}

function applyOrdering(kind: CmpKind, ordering: number): boolean {
  switch (kind) {
    case Cmp.EQ:
      return ordering === 0;
    case Cmp.NOT_EQ:
      return ordering !== 0;
    case Cmp.GT:
      return ordering > 0;
    case Cmp.GT_EQ:
      return ordering >= 0;
    case Cmp.LT:
      return ordering < 0;
    case Cmp.LT_EQ:
      return ordering <= 0;
  }
}

function applyRaw(kind: CmpKind, l: unknown, r: unknown): boolean {
  if (kind === Cmp.EQ) return l === r;
  if (kind === Cmp.NOT_EQ) return l !== r;
  // Relational operators on mixed values follow JS (null acts as 0), as PostHog's VM does; an
  // array operand is coerced to its join by the bounded `textOperand`, not by JS.
  const a = (Array.isArray(l) ? textOperand(l) : l) as number;
  const b = (Array.isArray(r) ? textOperand(r) : r) as number;
  switch (kind) {
    case Cmp.GT:
      return a > b;
    case Cmp.GT_EQ:
      return a >= b;
    case Cmp.LT:
      return a < b;
    case Cmp.LT_EQ:
      return a <= b;
  }
}

/** `left <op> right` after `unifyComparisonTypes`. */
export function compareValues(kind: CmpKind, left: HogValue, right: HogValue): boolean {
  let l: unknown = left;
  let r: unknown = right;
  const dates = isObject(left) || isObject(right) ? unifyDateLike(left, right) : null;
  if (dates !== null) {
    l = dates[0];
    r = dates[1];
  } else if (typeof left === 'number' && typeof right === 'string') {
    r = Number(right);
  } else if (typeof left === 'string' && typeof right === 'number') {
    l = Number(left);
  } else if (typeof left === 'boolean' && typeof right === 'string') {
    r = right === 'true';
  } else if (typeof left === 'string' && typeof right === 'boolean') {
    l = left === 'true';
  } else if (typeof left === 'boolean' && typeof right === 'number') {
    l = left ? 1 : 0;
  } else if (typeof left === 'number' && typeof right === 'boolean') {
    r = right ? 1 : 0;
  } else if (Array.isArray(left) && Array.isArray(right) && allFiniteNumbers(left) && allFiniteNumbers(right)) {
    return applyOrdering(kind, orderArrays(left, right));
  }
  return applyRaw(kind, l, r);
}

/**
 * An operand as the text JS would coerce it to. Only an array is walked (JS joins it); the
 * operators run outside any native call, so that walk opens its own allowance with the meter.
 */
function textOperand(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return String(value);
  openAllowance();
  return jsString(value);
}

/** `Number(value)` for an arithmetic operand (the run loop's path for non-numbers). */
export function numberOperand(value: HogValue): number {
  if (typeof value === 'number') return value;
  return Number(Array.isArray(value) ? textOperand(value) : value);
}

/** A key in an error message: short, whatever its size. */
function keyText(key: HogValue): string {
  return preview(key, jsString);
}

/** Human type name used in error messages. */
function jsTypeOf(value: unknown): string {
  return typeof value;
}

/** One property read `obj[key]`. `nullish` only differs for chains, so it is unused here. */
export function getProperty(obj: HogValue, key: HogValue): HogValue {
  if (obj instanceof Map) {
    const value = obj.get(key);
    return value === undefined ? null : value;
  }
  if (Array.isArray(obj)) {
    if (typeof key !== 'number') return null;
    if (key === 0) throw new HogVMError('Hog arrays start from index 1');
    const value = key > 0 ? obj[key - 1] : obj[obj.length + key];
    return value === undefined ? null : value;
  }
  if (typeof obj === 'object' && obj !== null) {
    if (typeof key !== 'string' && typeof key !== 'number') return null;
    const fields: HogFields = obj;
    const value = Object.hasOwn(fields, key) ? fields[key] : undefined;
    return value === undefined ? null : value;
  }
  return null;
}

/**
 * `obj[key] := value` in place. `checkGrowth(slots)` is told how many new value slots the
 * write creates (new dict entries, array extension) before they are allocated.
 */
export function setProperty(obj: HogValue, key: HogValue, value: HogValue, checkGrowth: (slots: number) => void): void {
  if (obj instanceof Map) {
    if (!obj.has(key)) checkGrowth(2);
    obj.set(key, value);
    return;
  }
  if (Array.isArray(obj) && typeof key === 'number' && Number.isInteger(key)) {
    if (key <= 0) throw new HogVMError('Hog arrays start from index 1');
    if (key > obj.length) {
      checkGrowth(key - obj.length);
      for (let i = obj.length; i < key - 1; i++) obj.push(null);
    }
    obj[key - 1] = value;
    return;
  }
  if (typeof obj !== 'object' || obj === null) {
    throw new HogVMError(`Can not set ${keyText(key)} on non-object: ${jsTypeOf(obj)}`);
  }
  throw new HogVMError(`Can not set ${keyText(key)} on element of type ${jsTypeOf(obj)}`);
}

/** `needle in container`: substring test for strings, SameValueZero for arrays and tuples. */
export function contains(container: HogValue, needle: HogValue): boolean {
  if (typeof container === 'string') return container.includes(textOperand(needle));
  if (Array.isArray(container)) return container.includes(needle);
  const type = container === null ? 'null' : container instanceof Map ? 'dict' : typeof container;
  throw new HogVMError(`Can not use IN on a value of type ${type}`);
}

/** SQL LIKE as an unanchored search. */
export function like(value: HogValue, pattern: HogValue, caseInsensitive: boolean): boolean {
  return likeMatch(textOperand(value), textOperand(pattern), caseInsensitive);
}

/** Regex search; false when either operand is null or empty. */
export function regex(value: HogValue, pattern: HogValue, caseInsensitive: boolean): boolean {
  if (!value || !pattern) return false;
  return regexMatch((caseInsensitive ? '(?i)' : '') + textOperand(pattern), textOperand(value));
}
