/**
 * JSON: `jsonStringify` / `jsonParse` round-trip dicts, dates, datetimes and
 * errors; the ClickHouse-style `JSON*` helpers read a path from JSON text or an already-parsed value.
 */
import {
  type HogValue,
  isHogCallable,
  isHogClosure,
  isHogDate,
  isHogDateTime,
  isHogDict,
  isHogError,
  isHogInterval,
  makeHogError,
} from '../values.js';
import { jsString } from '../convert.js';
import { beginWalk, endWalk, spend } from '../vm/meter.js';
import { type StlTable, define } from './define.js';

function callableLabel(value: HogValue): string {
  const callable = isHogClosure(value) ? value.callable : (value as { name?: string; argCount: number });
  return `fn<${callable.name || 'lambda'}(${callable.argCount})>`;
}

/**
 * JSON text of a Hog value, written directly rather than through `JSON.stringify` of a converted
 * copy: the writer reports every piece to the conversion meter (`vm/meter.ts`) as it goes, so a
 * value that shares references cannot expand past the run's budget inside one native call. The
 * output is what `JSON.stringify` gives for the value with dicts as objects (keys in `Object.keys`
 * order, later duplicates overwriting), functions as `fn<name(n)>` labels and cycles as null.
 */
class JsonWriter {
  private ancestors: Set<object> | null = null;
  private readonly colon: string;

  /** `gap` is the indentation unit (`''` for compact output), as `JSON.stringify`'s `space`. */
  constructor(private readonly gap: string) {
    this.colon = gap === '' ? ':' : ': ';
  }

  /**
   * Every container charges 8 bytes per slot before its members are written, which covers a
   * member's separators and a short value (a number of up to 7 characters, `false`, `null`);
   * strings and longer numbers charge their own text.
   */
  write(value: unknown, indent: string): string {
    switch (typeof value) {
      case 'string':
        return this.string(value);
      case 'number': {
        const text = Number.isFinite(value) ? String(value) : 'null';
        if (text.length > 7) spend(text.length);
        return text;
      }
      case 'boolean':
        return value ? 'true' : 'false';
      case 'object':
        return value === null ? 'null' : this.object(value, indent);
      default:
        return 'null';
    }
  }

  /** A string is charged before it is escaped, so repeating a long one is stopped before the work. */
  private string(value: string): string {
    spend(8 + value.length);
    if (PLAIN_JSON_STRING.test(value)) return `"${value}"`;
    const text = JSON.stringify(value);
    spend(text.length - value.length);
    return text;
  }

  private object(value: object, indent: string): string {
    const isArray = Array.isArray(value);
    const isDict = !isArray && value instanceof Map;
    if (!isArray && !isDict) {
      if (isHogClosure(value) || isHogCallable(value)) return this.string(callableLabel(value as HogValue));
      if (isHogDateTime(value) || isHogDate(value) || isHogInterval(value)) return this.plainObject(value, indent, false);
    }
    const ancestors = (this.ancestors ??= new Set());
    if (ancestors.has(value)) return 'null';
    ancestors.add(value);
    let text: string;
    if (isArray) text = this.array(value as unknown[], indent);
    else if (isDict) text = this.dict(value as Map<HogValue, HogValue>, indent);
    else text = this.plainObject(value, indent, isHogError(value));
    ancestors.delete(value);
    return text;
  }

  private array(items: readonly unknown[], indent: string): string {
    if (items.length === 0) return '[]';
    if (this.gap === '') {
      spend(8 * (items.length + 1));
      let out = '[';
      for (let i = 0; i < items.length; i++) out += (i > 0 ? ',' : '') + this.write(items[i], indent);
      return out + ']';
    }
    const inner = indent + this.gap;
    const separator = `,\n${inner}`;
    spend((8 + separator.length) * (items.length + 1) + indent.length);
    let out = '';
    for (let i = 0; i < items.length; i++) out += (i > 0 ? separator : '') + this.write(items[i], inner);
    return `[\n${inner}${out}\n${indent}]`;
  }

  /**
   * A dict in the order of the plain object JS would build from it. Iterating the dict gives that
   * order when every key is a string that cannot be an array index (those come first in an object)
   * nor `__proto__` (which an assignment drops): the common case, written directly.
   */
  private dict(map: Map<HogValue, HogValue>, indent: string): string {
    spend(8 * (2 * map.size + 1));
    for (const key of map.keys()) {
      if (typeof key !== 'string' || key === '__proto__') return this.members(objectOrder(map), indent, false);
      const first = key.charCodeAt(0);
      if (first >= 48 && first <= 57) return this.members(objectOrder(map), indent, false);
    }
    return this.members(map as Map<string, unknown>, indent, false);
  }

  private plainObject(value: object, indent: string, isError: boolean): string {
    const keys = Object.keys(value);
    spend(8 * (2 * keys.length + 1));
    const entries = new Map<string, unknown>();
    for (const key of keys) entries.set(key, (value as Record<string, unknown>)[key]);
    return this.members(entries, indent, isError);
  }

  /** `{"k":v,…}`; like `JSON.stringify`, members whose value is undefined (or an error's null payload) are left out. */
  private members(entries: Map<string, unknown>, indent: string, isError: boolean): string {
    const inner = indent + this.gap;
    const separator = this.gap === '' ? ',' : `,\n${inner}`;
    let out = '';
    for (const [key, value] of entries) {
      if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
      if (isError && key === 'payload' && value === null) continue;
      if (this.gap !== '') spend(separator.length);
      out += (out === '' ? '' : separator) + this.string(key) + this.colon + this.write(value, inner);
    }
    if (out === '') return '{}';
    if (this.gap === '') return `{${out}}`;
    spend(inner.length + indent.length);
    return `{\n${inner}${out}\n${indent}}`;
  }
}

/** Text `JSON.stringify` writes unchanged between quotes (no quote, backslash, control or surrogate). */
const PLAIN_JSON_STRING = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** The dict's entries in the order (and with the overwrites) of the plain object it would become. */
function objectOrder(map: Map<HogValue, HogValue>): Map<string, unknown> {
  const obj: Record<string, HogValue> = Object.create(null) as Record<string, HogValue>;
  for (const [k, v] of map) {
    const key = jsonKey(k);
    // An ordinary object assignment drops `__proto__` (it sets the prototype instead).
    if (key !== '__proto__') obj[key] = v;
  }
  const ordered = new Map<string, unknown>();
  for (const key of Object.keys(obj)) ordered.set(key, obj[key]);
  return ordered;
}

function jsonKey(key: HogValue): string {
  return typeof key === 'string' ? key : jsString(key);
}

/** Parsed JSON → Hog: objects become dicts, except tagged dates, datetimes and errors. */
export function jsonToHog(value: unknown): HogValue {
  if (Array.isArray(value)) return value.map(jsonToHog);
  if (typeof value !== 'object' || value === null) return (value ?? null) as HogValue;
  const obj = value as Record<string, unknown>;
  if (obj.__hogDateTime__) return { __hogDateTime__: true, dt: Number(obj.dt), zone: String(obj.zone ?? 'UTC') };
  if (obj.__hogDate__) return { __hogDate__: true, year: Number(obj.year), month: Number(obj.month), day: Number(obj.day) };
  if (obj.__hogError__) {
    const payload = obj.payload === undefined ? undefined : jsonToHog(obj.payload);
    return makeHogError(String(obj.type ?? 'Error'), obj.message as string | null, payload);
  }
  const map = new Map<HogValue, HogValue>();
  for (const key of Object.keys(obj)) map.set(key, jsonToHog(obj[key]));
  return map;
}

/** `jsonStringify(value, indent?)`: an indent is a number of spaces, at most 10, as in `JSON.stringify`. */
export function jsonStringify(value: HogValue, indent?: HogValue): string {
  const spaces = typeof indent === 'number' && indent >= 1 ? Math.min(10, Math.floor(indent)) : 0;
  const writer = new JsonWriter(spaces === 0 ? '' : ' '.repeat(spaces));
  if (typeof value !== 'object' || value === null) return writer.write(value ?? null, '');
  beginWalk(value, true);
  const text = writer.write(value, '');
  endWalk();
  return text;
}

export function jsonParse(text: HogValue): HogValue {
  if (typeof text !== 'string') throw new Error(`jsonParse expects a string, got ${text === null ? 'null' : typeof text}`);
  return jsonToHog(JSON.parse(text));
}

const MISSING = Symbol('missing');

/** The JSON argument as a Hog value: text is parsed; MISSING when it is invalid JSON. */
function parseJsonArg(json: HogValue): HogValue | typeof MISSING {
  if (typeof json !== 'string') return json;
  try {
    return jsonToHog(JSON.parse(json));
  } catch {
    return MISSING;
  }
}

/** One path step: dict key, or 1-based (negative from the end) array index; MISSING if absent. */
function step(container: HogValue, key: HogValue): HogValue | typeof MISSING {
  if (isHogDict(container)) return container.has(key) ? (container.get(key) ?? null) : MISSING;
  if (!Array.isArray(container) || typeof key !== 'number' || !Number.isInteger(key) || key === 0) return MISSING;
  const index = key > 0 ? key - 1 : container.length + key;
  return index >= 0 && index < container.length ? (container[index] ?? null) : MISSING;
}

/** Follow `path` into a JSON argument; MISSING when the JSON is invalid or the path is absent. */
export function jsonPath(json: HogValue, path: HogValue[]): HogValue | typeof MISSING {
  let current = parseJsonArg(json);
  for (const key of path) {
    if (current === MISSING) return MISSING;
    current = step(current, key ?? null);
  }
  return current;
}

function extracted(args: HogValue[]): HogValue {
  const value = jsonPath(args[0] ?? null, args.slice(1));
  return value === MISSING ? null : value;
}

function sizeOf(value: HogValue): number {
  if (Array.isArray(value)) return value.length;
  if (isHogDict(value)) return value.size;
  return 0;
}

function toIntOrNull(value: HogValue): HogValue {
  const n = parseInt(jsString(value));
  return Number.isNaN(n) ? null : n;
}

function toFloatOrNull(value: HogValue): HogValue {
  const n = parseFloat(jsString(value));
  return Number.isNaN(n) ? null : n;
}

export const JSON_FUNCTIONS: StlTable = {
  jsonParse: define(1, 1, ([s]) => jsonParse(s ?? null)),
  jsonStringify: define(1, 2, ([v, indent]) => jsonStringify(v ?? null, indent)),
  isValidJSON: define(1, 1, ([s]) => typeof s === 'string' && parseJsonArg(s) !== MISSING),
  JSONHas: define(1, undefined, ([json, ...path]) => jsonPath(json ?? null, path) !== MISSING),
  JSONLength: define(1, undefined, (args) => sizeOf(extracted(args))),
  JSONExtractBool: define(1, undefined, (args) => {
    const value = extracted(args);
    return typeof value === 'boolean' ? value : false;
  }),
  JSONExtractInt: define(1, undefined, (args) => toIntOrNull(extracted(args))),
  JSONExtractFloat: define(1, undefined, (args) => toFloatOrNull(extracted(args))),
  JSONExtractString: define(1, undefined, (args) => {
    const value = extracted(args);
    if (value === null) return null;
    return typeof value === 'string' ? value : jsonStringify(value);
  }),
  JSONExtractArrayRaw: define(1, undefined, (args) => {
    const value = extracted(args);
    return Array.isArray(value) ? value : null;
  }),
  JSONExtract: define(2, undefined, (args) => extracted(args.slice(0, -1))),
};
