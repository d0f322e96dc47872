/**
 * Printing Hog values: `printHogValue` is the printed form used by `print` for
 * non-strings, by `toString`, and for everything nested in a collection; `printHogStringOutput`
 * is one `print` argument; `toHogString` is `toString` / `concat`. Printing is metered (see
 * `vm/meter.ts`): a value that shares references prints each reference in full.
 */
import { DateTime } from 'luxon';
import { jsString } from '../convert.js';
import { beginWalk, endWalk, spend } from '../vm/meter.js';
import {
  type HogValue,
  isHogCallable,
  isHogClosure,
  isHogDate,
  isHogDateTime,
  isHogError,
} from '../values.js';

const STRING_ESCAPES: Record<string, string> = {
  '\b': '\\b',
  '\f': '\\f',
  '\r': '\\r',
  '\n': '\\n',
  '\t': '\\t',
  '\0': '\\0',
  '\v': '\\v',
  '\\': '\\\\',
};

const QUOTE_ESCAPES: Record<string, string> = { ...STRING_ESCAPES, "'": "\\'" };
/** The Hog lexer accepts a doubled backtick inside a quoted identifier. */
const BACKTICK_ESCAPES: Record<string, string> = { ...STRING_ESCAPES, '`': '``' };
// One regex pass instead of a loop per character: a long string prints in native code.
const QUOTE_SPECIALS = /[\b\f\r\n\t\0\v\\']/g;
const BACKTICK_SPECIALS = /[\b\f\r\n\t\0\v\\`]/g;

const PLAIN_IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `'it\'s'`: a string literal as Hog source. */
export function escapeString(value: string): string {
  return `'${value.replace(QUOTE_SPECIALS, (c) => QUOTE_ESCAPES[c]!)}'`;
}

/** An identifier as Hog source: bare when plain, else in backticks. */
export function escapeIdentifier(name: string | number): string {
  if (typeof name === 'number') return String(name);
  if (PLAIN_IDENTIFIER.test(name)) return name;
  return `\`${name.replace(BACKTICK_SPECIALS, (c) => BACKTICK_ESCAPES[c]!)}\``;
}

function printDateTime(dt: number, zone: string): string {
  const seconds = String(dt);
  return `DateTime(${seconds}${seconds.includes('.') ? '' : '.0'}, ${escapeString(zone)})`;
}

/**
 * Containers and errors: the ones that can hold other values, so the only ones that can cycle or
 * share. Each is charged 8 bytes per slot up front (more than its brackets and separators take),
 * and its leaves are charged as they print, so the meter bounds the output whatever is shared.
 */
function printObject(value: object, ancestors: Set<object>): string {
  if (Array.isArray(value)) {
    spend(8 * (value.length + 1));
    let items = '';
    for (let i = 0; i < value.length; i++) items += (i > 0 ? ', ' : '') + printValue(value[i] ?? null, ancestors);
    if ((value as { __isHogTuple?: boolean }).__isHogTuple) {
      return value.length < 2 ? `tuple(${items})` : `(${items})`;
    }
    return `[${items}]`;
  }
  if (value instanceof Map) {
    spend(8 * (2 * value.size + 1));
    let pairs = '';
    for (const [k, v] of value) pairs += `${pairs === '' ? '' : ', '}${printValue(k, ancestors)}: ${printValue(v, ancestors)}`;
    return `{${pairs}}`;
  }
  if (isHogError(value)) {
    const type = jsString(value.type);
    const message = escapeString(jsString(value.message));
    spend(8 + type.length + message.length);
    const payload = value.payload ? `, ${printValue(value.payload, ancestors)}` : '';
    return `${type}(${message}${payload})`;
  }
  const keys = Object.keys(value);
  spend(8 * (2 * keys.length + 1));
  const entries = keys.map((k) => `${printValue(k, ancestors)}: ${printValue((value as Record<string, HogValue>)[k] ?? null, ancestors)}`);
  return `{${entries.join(', ')}}`;
}

/** A value that holds no other value: its printed text. */
function printLeaf(value: HogValue): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return escapeString(value);
  if (typeof value !== 'object') return String(value);
  if (isHogDateTime(value)) return printDateTime(value.dt, value.zone);
  if (isHogDate(value)) return `Date(${value.year}, ${value.month}, ${value.day})`;
  const callable = isHogClosure(value) ? value.callable : value;
  return `fn<${escapeIdentifier((callable as { name?: string }).name ?? 'lambda')}(${(callable as { argCount?: number }).argCount})>`;
}

function isLeaf(value: HogValue): boolean {
  return (
    typeof value !== 'object' || value === null || isHogDateTime(value) || isHogDate(value) || isHogClosure(value) || isHogCallable(value)
  );
}

/**
 * `ancestors` is null at the top level: a lone scalar prints without a cycle guard or a charge
 * (it is already in memory). Inside a container every leaf is charged its text, a string before it
 * is escaped, so repeating a long string through shared references is stopped before the work.
 */
function printValue(value: HogValue | undefined, ancestors: Set<object> | null): string {
  const v = value ?? null;
  if (isLeaf(v)) {
    if (ancestors === null) return printLeaf(v);
    if (typeof v === 'string') spend(8 + v.length);
    const text = printLeaf(v);
    spend(typeof v === 'string' ? text.length - v.length : 8 + text.length);
    return text;
  }
  const seen = ancestors ?? new Set<object>();
  if (seen.has(v as object)) return 'null';
  seen.add(v as object);
  try {
    return printObject(v as object, seen);
  } finally {
    seen.delete(v as object);
  }
}

/** The printed form of a value: strings quoted and escaped, dicts `{'k': v}`, tuples `(a, b)`, … */
export function printHogValue(value: HogValue): string {
  if (isLeaf(value)) return printLeaf(value);
  beginWalk(value as object, true);
  const text = printValue(value, null);
  endWalk();
  return text;
}

/** `print`'s formatting of one argument: a string prints raw, anything else as `printHogValue`. */
export function printHogStringOutput(value: HogValue): string {
  return typeof value === 'string' ? value : printHogValue(value);
}

/**
 * `toString(x)`: a string is itself, a Date is `YYYY-MM-DD`, a DateTime is ISO 8601 with
 * milliseconds in its zone, anything else its printed form (`null` → `'null'`).
 */
export function toHogString(value: HogValue): string {
  if (typeof value === 'string') return value;
  if (isHogDate(value)) {
    const pad = (n: number, width: number): string => String(n).padStart(width, '0');
    return `${pad(value.year, 4)}-${pad(value.month, 2)}-${pad(value.day, 2)}`;
  }
  if (isHogDateTime(value)) {
    const dt = DateTime.fromMillis(Math.round(value.dt * 1000), { zone: value.zone || 'UTC' });
    return (dt.isValid ? dt.toISO() : null) ?? printHogValue(value);
  }
  return printHogValue(value);
}

/** `concat`'s conversion: like `toString`, except null becomes `''`. */
export function toConcatString(value: HogValue): string {
  return value === null || value === undefined ? '' : toHogString(value);
}
