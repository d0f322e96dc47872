/**
 * Output, types, nulls and the functions the language's own constructs call by name (`keys`,
 * `values` and `length` drive `for … in`).
 */
import {
  type HogValue,
  isHogCallable,
  isHogClosure,
  isHogDate,
  isHogDateTime,
  isHogDict,
  isHogError,
  isHogTuple,
  makeTuple,
} from '../values.js';
import { type StlTable, define, isNullish } from './define.js';
import { printHogStringOutput, toConcatString, toHogString } from './print.js';

/** `typeof(x)`. */
export function hogTypeOf(value: HogValue | undefined): string {
  if (isNullish(value)) return 'null';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'float';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return isHogTuple(value) ? 'tuple' : 'array';
  if (isHogDict(value)) return value.has('__hx_ast') ? 'sql' : 'object';
  if (isHogClosure(value) || isHogCallable(value)) return 'function';
  if (isHogError(value)) return 'error';
  if (isHogDateTime(value)) return 'datetime';
  if (isHogDate(value)) return 'date';
  return 'object';
}

/** `empty(x)`: null, `''`, `[]` and `{}` are empty; numbers and booleans never are. */
export function isEmptyValue(value: HogValue | undefined): boolean {
  if (isNullish(value)) return true;
  if (typeof value === 'string') return value.length === 0;
  if (typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.length === 0;
  if (isHogDict(value)) return value.size === 0;
  return Object.keys(value).length === 0;
}

/** `keys(x)`: dict keys in order, 0-based indexes of an array or tuple, else `[]`. */
export function hogKeys(value: HogValue | undefined): HogValue[] {
  if (Array.isArray(value)) return value.map((_, i) => i);
  if (isHogDict(value)) return [...value.keys()];
  return [];
}

/** `values(x)`: dict values in order, a copy of an array or tuple (as an array), else `[]`. */
export function hogValues(value: HogValue | undefined): HogValue[] {
  if (Array.isArray(value)) return [...value];
  if (isHogDict(value)) return [...value.values()];
  return [];
}

/** `length(x)`: UTF-16 length of a string, size of an array; null for anything else. */
export function hogLength(value: HogValue | undefined): HogValue {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  return null;
}

export const CORE_FUNCTIONS: StlTable = {
  print: define(0, undefined, (args, ctx) => {
    ctx.print(args.map((a) => printHogStringOutput(a ?? null)).join(' '));
    return null;
  }),
  typeof: define(1, 1, ([x]) => hogTypeOf(x)),
  toString: define(1, 2, ([x]) => toHogString(x ?? null)),
  toUUID: define(1, 1, ([x]) => toHogString(x ?? null)),
  concat: define(1, undefined, (args) => {
    // A loop rather than map/join: concat is what every template with text around a hole runs.
    let out = '';
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      out += typeof a === 'string' ? a : toConcatString(a ?? null);
    }
    return out;
  }),
  tuple: define(0, undefined, (args) => makeTuple([...args])),
  keys: define(1, 1, ([x]) => hogKeys(x)),
  values: define(1, 1, ([x]) => hogValues(x)),
  length: define(1, 1, ([x]) => hogLength(x)),
  isNull: define(1, 1, ([x]) => isNullish(x)),
  isNotNull: define(1, 1, ([x]) => !isNullish(x)),
  ifNull: define(2, 2, ([a, b]) => (isNullish(a) ? (b ?? null) : a)),
  coalesce: define(1, undefined, (args) => args.find((a) => !isNullish(a)) ?? null),
  assumeNotNull: define(1, 1, ([x]) => {
    if (isNullish(x)) throw new Error('Value is null in assumeNotNull');
    return x;
  }),
  empty: define(1, 1, ([x]) => isEmptyValue(x)),
  notEmpty: define(1, 1, ([x]) => !isEmptyValue(x)),
};
