/**
 * JSON (reference §5.3, §8.4): `jsonStringify` / `jsonParse` round-trip dicts, dates, datetimes and
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
import { type StlTable, define } from './define.js';

function callableLabel(value: HogValue): string {
  const callable = isHogClosure(value) ? value.callable : (value as { name?: string; argCount: number });
  return `fn<${callable.name || 'lambda'}(${callable.argCount})>`;
}

/** Hog → plain JSON-ready JS: dicts become objects, functions their label, cycles null. */
export function hogToJson(value: HogValue | undefined, ancestors: Set<object> = new Set()): unknown {
  if (value === null || value === undefined || typeof value !== 'object') return value ?? null;
  if (isHogClosure(value) || isHogCallable(value)) return callableLabel(value);
  if (isHogDateTime(value) || isHogDate(value) || isHogInterval(value)) return { ...value };
  if (ancestors.has(value)) return null;
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => hogToJson(v, ancestors));
    if (isHogError(value)) return { ...value, payload: hogToJson(value.payload, ancestors) ?? undefined };
    const obj: Record<string, unknown> = {};
    for (const [k, v] of value as Map<HogValue, HogValue>) obj[jsonKey(k)] = hogToJson(v, ancestors);
    return obj;
  } finally {
    ancestors.delete(value);
  }
}

function jsonKey(key: HogValue): string {
  return typeof key === 'string' ? key : String(key);
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

export function jsonStringify(value: HogValue, indent?: HogValue): string {
  const plain = hogToJson(value);
  const text = typeof indent === 'number' && indent > 0 ? JSON.stringify(plain, null, indent) : JSON.stringify(plain);
  return text ?? 'null';
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
  const n = parseInt(String(value));
  return Number.isNaN(n) ? null : n;
}

function toFloatOrNull(value: HogValue): HogValue {
  const n = parseFloat(String(value));
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
