/**
 * Conversions between plain JS data (globals, host function arguments, JSON state) and Hog values,
 * and JS's own coercions (`String(x)`, `Number(x)`) made safe for Hog values. Plain objects become
 * Maps; Maps become plain objects. Tagged Hog objects (closures, callables, dates) pass through
 * unchanged in both directions; an error's payload is converted like any other value.
 *
 * Every walk here copies: a value that shares references is expanded once per reference, so each
 * visit is reported to the conversion meter (`vm/meter.ts`), which ends the run when one native call
 * expands more than the run's remaining memory budget or outlives its deadline.
 */
import { beginWalk, endWalk, spend } from './vm/meter.js';
import {
  type HogError,
  type HogValue,
  isHogCallable,
  isHogClosure,
  isHogDate,
  isHogDateTime,
  isHogError,
  isHogInterval,
  makeTuple,
} from './values.js';

function isTaggedHogObject(v: object): boolean {
  return isHogError(v) || isHogClosure(v) || isHogCallable(v) || isHogDate(v) || isHogDateTime(v) || isHogInterval(v);
}

/**
 * `String(value)` for any value. JS's own `String(array)` joins nested arrays recursively and so
 * expands every shared reference in one native call; this does the same join under the meter.
 * Strings, scalars, dicts (`[object Map]`) and other objects cost nothing extra.
 */
export function jsString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return String(value);
  beginWalk(value, false);
  const text = joinArray(value, null);
  endWalk();
  return text;
}

/** `Array.prototype.join(',')` as JS does it: null items are empty, an array inside itself is `''`. */
function joinArray(array: readonly unknown[], ancestors: Set<object> | null): string {
  const seen = ancestors ?? new Set<object>();
  if (seen.has(array)) return '';
  seen.add(array);
  spend(8 * (array.length + 1));
  let out = '';
  for (let i = 0; i < array.length; i++) {
    if (i > 0) out += ',';
    const item = array[i];
    if (item === null || item === undefined) continue;
    if (Array.isArray(item)) {
      out += joinArray(item, seen);
    } else {
      const text = typeof item === 'string' ? item : String(item);
      spend(text.length);
      out += text;
    }
  }
  seen.delete(array);
  return out;
}

/** `Number(value)`, with an array read through the bounded `jsString` as JS would read its join. */
export function jsNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  return Number(Array.isArray(value) ? jsString(value) : value);
}

/**
 * The operand JS's relational operators and `+` would see: an array becomes its (bounded) join;
 * anything else is left for JS, whose coercion of it is cheap.
 */
export function jsPrimitive<T>(value: T): T | string {
  return Array.isArray(value) ? jsString(value) : value;
}

/**
 * Plain JS → Hog. Always makes fresh containers, so the host's objects are never shared with (or
 * mutated by) the program. Cycles become null.
 */
export function jsToHog(value: unknown, seen?: Set<object>): HogValue {
  if (value === undefined || value === null) return null;
  switch (typeof value) {
    case 'boolean':
    case 'number':
    case 'string':
      return value;
    case 'bigint':
      return Number(value);
    case 'object': {
      if (seen !== undefined) return objectToHog(value as object, seen);
      // The cycle guard is only allocated for containers: most values read from globals are scalars.
      beginWalk(value as object, true);
      const converted = objectToHog(value as object, new Set());
      endWalk();
      return converted;
    }
    default:
      return null;
  }
}

/** A value inside a container: its string (shared, but expanded by whoever prints it) is charged. */
function childToHog(value: unknown, seen: Set<object>): HogValue {
  if (typeof value === 'string') {
    spend(value.length);
    return value;
  }
  return jsToHog(value, seen);
}

function objectToHog(value: object, seen: Set<object>): HogValue {
  if (seen.has(value)) return null;
  if (value instanceof Date) return { __hogDateTime__: true, dt: value.getTime() / 1000, zone: 'UTC' };
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      spend(8 * (value.length + 1));
      const items = new Array<HogValue>(value.length);
      for (let i = 0; i < value.length; i++) items[i] = childToHog(value[i], seen);
      return (value as { __isHogTuple?: boolean }).__isHogTuple ? makeTuple(items) : items;
    }
    if (value instanceof Map) {
      spend(8 * (2 * value.size + 1));
      const map = new Map<HogValue, HogValue>();
      for (const [k, v] of value) map.set(childToHog(k, seen), childToHog(v, seen));
      return map;
    }
    if (isHogError(value)) return errorWithPayload(value, value.payload === undefined ? undefined : jsToHog(value.payload, seen));
    if (isTaggedHogObject(value)) return value as HogValue;
    const keys = Object.keys(value);
    spend(8 * (2 * keys.length + 1));
    const map = new Map<HogValue, HogValue>();
    for (const key of keys) map.set(childToHog(key, seen), childToHog((value as Record<string, unknown>)[key], seen));
    return map;
  } finally {
    seen.delete(value);
  }
}

/** A copy of `error` with its payload converted (the payload is the only value an error holds). */
function errorWithPayload(error: HogError, payload: unknown): HogError {
  spend(8);
  if (payload === undefined) return { ...error };
  return { ...error, payload: payload as HogValue };
}

/**
 * `jsToHog` for plain data (objects, arrays, scalars), also adding to `tally.cost` what the VM's
 * memory accounting (`deepCost` in `vm/memory.ts`) would measure for the result: 8 per value, plus a
 * string's length; a dict's keys count as values. Saves the VM a second walk over globals it reads.
 * Anything else (Maps, dates, tagged Hog objects, cycles) goes through `jsToHog` and `measure`.
 * Host data may share references too, so the copy is metered like any other conversion.
 */
export function jsToHogTallied(value: unknown, tally: { cost: number }, measure: (value: HogValue) => number, depth = 0): HogValue {
  if (value === undefined || value === null) {
    tally.cost += 8;
    return null;
  }
  switch (typeof value) {
    case 'string':
      tally.cost += 8 + value.length;
      spend(value.length);
      return value;
    case 'boolean':
    case 'number':
      tally.cost += 8;
      return value;
    case 'object':
      break;
    default: {
      const converted = jsToHog(value);
      tally.cost += measure(converted);
      return converted;
    }
  }
  // Deep plain data (or a cycle) is left to the general converter, which guards against cycles.
  const plain = depth < 64 && (Array.isArray(value) ? !(value as { __isHogTuple?: boolean }).__isHogTuple : Object.getPrototypeOf(value) === Object.prototype);
  if (!plain || isTaggedHogObject(value)) {
    const converted = jsToHog(value);
    tally.cost += measure(converted);
    return converted;
  }
  if (depth === 0) {
    beginWalk(value as object, true);
    const converted = plainToHogTallied(value as object, tally, measure, depth);
    endWalk();
    return converted;
  }
  return plainToHogTallied(value as object, tally, measure, depth);
}

function plainToHogTallied(value: object, tally: { cost: number }, measure: (value: HogValue) => number, depth: number): HogValue {
  tally.cost += 8;
  if (Array.isArray(value)) {
    spend(8 * (value.length + 1));
    const items = new Array<HogValue>(value.length);
    for (let i = 0; i < value.length; i++) items[i] = jsToHogTallied(value[i], tally, measure, depth + 1);
    return items;
  }
  const map = new Map<HogValue, HogValue>();
  // Scalars, the usual property values, are handled here rather than by a call each, and their cost
  // and text summed, then charged once per dict (strings are shared, not copied, so the meter may
  // hear of them after the loop, as `containerToJs` does). `for…in` walks the own keys in the order
  // `Object.keys` lists them without making that list.
  let cost = 0;
  let text = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const child = (value as Record<string, unknown>)[key];
    cost += 8 + key.length;
    text += key.length;
    if (typeof child === 'string') {
      cost += 8 + child.length;
      text += child.length;
      map.set(key, child);
    } else if (typeof child === 'number' || typeof child === 'boolean') {
      cost += 8;
      map.set(key, child);
    } else if (child === null || child === undefined) {
      cost += 8;
      map.set(key, null);
    } else {
      map.set(key, jsToHogTallied(child, tally, measure, depth + 1));
    }
  }
  tally.cost += cost;
  spend(8 * (2 * map.size + 1) + text);
  return map;
}

/**
 * Hog → plain JS (JSON-safe apart from non-finite numbers). Maps become objects with their keys
 * stringified; tuples become arrays; an error's payload is converted; cycles become null.
 */
export function hogToJs(value: HogValue, seen?: Set<object>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen !== undefined) return containerToJs(value, seen);
  beginWalk(value, true);
  const converted = containerToJs(value, new Set());
  endWalk();
  return converted;
}

/**
 * One container (or tagged object) of `hogToJs`. Strings are shared, not copied, so their lengths
 * are charged once per container after its loop rather than one call per string.
 */
function containerToJs(value: object, seen: Set<object>): unknown {
  if (seen.has(value)) return null;
  seen.add(value);
  let converted: unknown = value;
  if (Array.isArray(value)) {
    spend(8 * (value.length + 1));
    const items = new Array<unknown>(value.length);
    let text = 0;
    for (let i = 0; i < value.length; i++) {
      const item = value[i] ?? null;
      if (typeof item === 'string') text += item.length;
      items[i] = typeof item === 'object' && item !== null ? containerToJs(item, seen) : item;
    }
    if (text > 0) spend(text);
    converted = items;
  } else if (value instanceof Map) {
    spend(8 * (2 * value.size + 1));
    const obj: Record<string, unknown> = {};
    let text = 0;
    for (const [k, v] of value) {
      const key = typeof k === 'string' ? k : jsString(k);
      text += key.length;
      if (typeof v === 'string') text += v.length;
      obj[key] = typeof v === 'object' && v !== null ? containerToJs(v, seen) : v;
    }
    if (text > 0) spend(text);
    converted = obj;
  } else if (isHogError(value)) {
    converted = errorWithPayload(value, value.payload === undefined ? undefined : hogToJs(value.payload, seen));
  }
  // A walk that throws ends the run, so the guard needs no `finally`.
  seen.delete(value);
  return converted;
}
