/**
 * Value semantics used by the VM's instructions: comparisons with `unifyComparisonTypes`
 * (reference §4.5), property reads and writes (§3.3, §2.2), membership (§4.6) and pattern matching.
 * The run loop inlines the common number/string cases and falls back to these helpers.
 */
import { HogVMError } from '../errors.js';
import { likeMatch, regexMatch } from '../stdlib/regex.js';
import type { HogDate, HogDateTime, HogValue } from '../values.js';

/** Comparison kinds, one per comparison opcode. */
export const Cmp = { EQ: 0, NOT_EQ: 1, GT: 2, GT_EQ: 3, LT: 4, LT_EQ: 5 } as const;
export type CmpKind = (typeof Cmp)[keyof typeof Cmp];

/** Epoch seconds of a date or datetime, else null. A bare date is UTC midnight. */
function temporalSeconds(value: HogValue): number | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Map) return null;
  if ((value as HogDateTime).__hogDateTime__ === true) return (value as HogDateTime).dt;
  if ((value as HogDate).__hogDate__ === true) {
    const d = value as HogDate;
    return Date.UTC(d.year, d.month - 1, d.day) / 1000;
  }
  return null;
}

const DATE_STRING =
  /^\s*(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?\s*$/;

/**
 * Epoch seconds of a date-like string in the strict grammar of §8.6, or null. A string without a
 * zone is read as UTC; fractions are truncated to milliseconds.
 */
export function dateStringToSeconds(text: string): number | null {
  const m = DATE_STRING.exec(text);
  if (m === null) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  if (date.getUTCDate() !== day) return null;
  return (date.getTime() - zoneOffsetMinutes(m[8]) * 60_000) / 1000;
}

function zoneOffsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
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
  // Relational operators on mixed values follow JS (null acts as 0), as PostHog's VM does.
  const a = l as number;
  const b = r as number;
  switch (kind) {
    case Cmp.EQ:
      return a === b;
    case Cmp.NOT_EQ:
      return a !== b;
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

/** `left <op> right` after `unifyComparisonTypes` (§4.5). */
export function compareValues(kind: CmpKind, left: HogValue, right: HogValue): boolean {
  let l: unknown = left;
  let r: unknown = right;
  const ls = temporalSeconds(left);
  const rs = temporalSeconds(right);
  if (ls !== null && rs !== null) {
    l = ls;
    r = rs;
  } else if (ls !== null && typeof right === 'string' && dateStringToSeconds(right) !== null) {
    l = ls;
    r = dateStringToSeconds(right);
  } else if (rs !== null && typeof left === 'string' && dateStringToSeconds(left) !== null) {
    l = dateStringToSeconds(left);
    r = rs;
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

/** Human type name used in error messages. */
function jsTypeOf(value: unknown): string {
  return typeof value;
}

/** One property read `obj[key]` (§3.3). `nullish` only differs for chains, so it is unused here. */
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
    const value = Object.hasOwn(obj, key) ? (obj as unknown as Record<string, HogValue>)[key] : undefined;
    return value === undefined ? null : value;
  }
  return null;
}

/**
 * `obj[key] := value` in place (§2.2). Returns how many new array slots were created, so the caller
 * can account for the memory before they are filled.
 */
export function setProperty(obj: HogValue, key: HogValue, value: HogValue, checkGrowth: (slots: number) => void): void {
  if (obj instanceof Map) {
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
    throw new HogVMError(`Can not set ${String(key)} on non-object: ${jsTypeOf(obj)}`);
  }
  throw new HogVMError(`Can not set ${String(key)} on element of type ${jsTypeOf(obj)}`);
}

/** `needle in container`: substring test for strings, SameValueZero for arrays and tuples (§4.6). */
export function contains(container: HogValue, needle: HogValue): boolean {
  if (typeof container === 'string') return container.includes(String(needle));
  if (Array.isArray(container)) return container.includes(needle);
  const type = container === null ? 'null' : container instanceof Map ? 'dict' : typeof container;
  throw new HogVMError(`Can not use IN on a value of type ${type}`);
}

/** SQL LIKE as an unanchored search (§4.6). */
export function like(value: HogValue, pattern: HogValue, caseInsensitive: boolean): boolean {
  return likeMatch(String(value), String(pattern), caseInsensitive);
}

/** Regex search; false when either operand is null or empty (§4.6). */
export function regex(value: HogValue, pattern: HogValue, caseInsensitive: boolean): boolean {
  if (!value || !pattern) return false;
  return regexMatch((caseInsensitive ? '(?i)' : '') + String(pattern), String(value));
}
