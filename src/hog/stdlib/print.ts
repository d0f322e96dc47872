/**
 * Printing Hog values (reference §5): `printHogValue` is the printed form used by `print` for
 * non-strings, by `toString`, and for everything nested in a collection; `printHogStringOutput`
 * is one `print` argument; `toHogString` is `toString` / `concat`.
 */
import { DateTime } from 'luxon';
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

const PLAIN_IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function escapeWith(value: string, map: Record<string, string>): string {
  let out = '';
  for (const c of value) out += map[c] ?? c;
  return out;
}

/** `'it\'s'`: a string literal as Hog source. */
export function escapeString(value: string): string {
  return `'${escapeWith(value, QUOTE_ESCAPES)}'`;
}

/** An identifier as Hog source: bare when plain, else in backticks. */
export function escapeIdentifier(name: string | number): string {
  if (typeof name === 'number') return String(name);
  if (PLAIN_IDENTIFIER.test(name)) return name;
  return `\`${escapeWith(name, BACKTICK_ESCAPES)}\``;
}

function printDateTime(dt: number, zone: string): string {
  const seconds = String(dt);
  return `DateTime(${seconds}${seconds.includes('.') ? '' : '.0'}, ${escapeString(zone)})`;
}

/** Containers and errors: the ones that can hold other values, so the only ones that can cycle. */
function printObject(value: object, ancestors: Set<object>): string {
  const print = (v: HogValue | undefined): string => printValue(v ?? null, ancestors);
  if (Array.isArray(value)) {
    const items = (value as HogValue[]).map(print).join(', ');
    if ((value as { __isHogTuple?: boolean }).__isHogTuple) {
      return value.length < 2 ? `tuple(${items})` : `(${items})`;
    }
    return `[${items}]`;
  }
  if (value instanceof Map) {
    const pairs = [...value.entries()].map(([k, v]) => `${print(k)}: ${print(v)}`);
    return `{${pairs.join(', ')}}`;
  }
  if (isHogError(value)) {
    const payload = value.payload ? `, ${print(value.payload)}` : '';
    return `${String(value.type)}(${escapeString(String(value.message))}${payload})`;
  }
  const entries = Object.entries(value).map(([k, v]) => `${print(k)}: ${print(v as HogValue)}`);
  return `{${entries.join(', ')}}`;
}

function printValue(value: HogValue | undefined, ancestors: Set<object>): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return escapeString(value);
  if (typeof value !== 'object') return String(value);
  if (isHogDateTime(value)) return printDateTime(value.dt, value.zone);
  if (isHogDate(value)) return `Date(${value.year}, ${value.month}, ${value.day})`;
  if (isHogClosure(value)) return printValue(value.callable, ancestors);
  if (isHogCallable(value)) return `fn<${escapeIdentifier(value.name ?? 'lambda')}(${value.argCount})>`;
  if (ancestors.has(value)) return 'null';
  ancestors.add(value);
  try {
    return printObject(value, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

/** The printed form of a value: strings quoted and escaped, dicts `{'k': v}`, tuples `(a, b)`, … */
export function printHogValue(value: HogValue): string {
  return printValue(value, new Set());
}

/** `print`'s formatting of one argument: a string prints raw, anything else as `printHogValue`. */
export function printHogStringOutput(value: HogValue): string {
  return typeof value === 'string' ? value : printHogValue(value);
}

/**
 * `toString(x)` (§5.4): a string is itself, a Date is `YYYY-MM-DD`, a DateTime is ISO 8601 with
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
