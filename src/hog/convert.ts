/**
 * Conversions between plain JS data (globals, host function arguments, JSON state) and Hog values.
 * Plain objects become Maps; Maps become plain objects. Tagged Hog objects (errors, closures,
 * callables, dates) pass through unchanged in both directions.
 */
import {
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
    case 'object':
      // The cycle guard is only allocated for containers: most values read from globals are scalars.
      return objectToHog(value as object, seen ?? new Set());
    default:
      return null;
  }
}

function objectToHog(value: object, seen: Set<object>): HogValue {
  if (seen.has(value)) return null;
  if (value instanceof Date) return { __hogDateTime__: true, dt: value.getTime() / 1000, zone: 'UTC' };
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      const items = value.map((item) => jsToHog(item, seen));
      return (value as { __isHogTuple?: boolean }).__isHogTuple ? makeTuple(items) : items;
    }
    if (value instanceof Map) {
      const map = new Map<HogValue, HogValue>();
      for (const [k, v] of value) map.set(jsToHog(k, seen), jsToHog(v, seen));
      return map;
    }
    if (isTaggedHogObject(value)) return value as HogValue;
    const map = new Map<HogValue, HogValue>();
    for (const key of Object.keys(value)) map.set(key, jsToHog((value as Record<string, unknown>)[key], seen));
    return map;
  } finally {
    seen.delete(value);
  }
}

/**
 * `jsToHog` for plain data (objects, arrays, scalars), also adding to `tally.cost` what the VM's
 * memory accounting (`deepCost` in `vm/memory.ts`) would measure for the result: 8 per value, plus a
 * string's length; a dict's keys count as values. Saves the VM a second walk over globals it reads.
 * Anything else (Maps, dates, tagged Hog objects, cycles) goes through `jsToHog` and `measure`.
 */
export function jsToHogTallied(value: unknown, tally: { cost: number }, measure: (value: HogValue) => number, depth = 0): HogValue {
  if (value === undefined || value === null) {
    tally.cost += 8;
    return null;
  }
  switch (typeof value) {
    case 'string':
      tally.cost += 8 + value.length;
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
  tally.cost += 8;
  if (Array.isArray(value)) {
    const items = new Array<HogValue>(value.length);
    for (let i = 0; i < value.length; i++) items[i] = jsToHogTallied(value[i], tally, measure, depth + 1);
    return items;
  }
  const map = new Map<HogValue, HogValue>();
  for (const key of Object.keys(value)) {
    tally.cost += 8 + key.length;
    map.set(key, jsToHogTallied((value as Record<string, unknown>)[key], tally, measure, depth + 1));
  }
  return map;
}

/**
 * Hog → plain JS (JSON-safe apart from non-finite numbers). Maps become objects with their keys
 * stringified; tuples become arrays unless `keepTupleFlag`; cycles become null.
 */
export function hogToJs(value: HogValue, seen?: Set<object>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen === undefined) seen = new Set();
  else if (seen.has(value)) return null;
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => hogToJs(item ?? null, seen));
    if (value instanceof Map) {
      const obj: Record<string, unknown> = {};
      for (const [k, v] of value) obj[typeof k === 'string' ? k : String(k)] = hogToJs(v, seen);
      return obj;
    }
    return value;
  } finally {
    seen.delete(value);
  }
}
