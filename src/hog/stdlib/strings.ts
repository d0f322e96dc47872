/**
 * String functions. Null-tolerant as test `nulls` requires: the helpers that
 * transform a string return null for a null input. Any other non-string is a type error.
 */
import { randomUUID } from 'node:crypto';
import { jsNumber, jsString } from '../convert.js';
import { spend } from '../vm/meter.js';
import type { HogValue } from '../values.js';
import { type StlTable, define, isNullish } from './define.js';
import { hogTypeOf } from './core.js';
import { likeMatch, regexExtract, regexMatch } from './regex.js';

/** The string argument, or a clear type error naming the function. */
function expectString(name: string, value: HogValue | undefined): string {
  if (typeof value === 'string') return value;
  throw new Error(`Function ${name} expects a string, got ${hogTypeOf(value)}`);
}

/** A string → string (or anything) function that passes null through. */
function nullable(name: string, transform: (s: string, rest: HogValue[]) => HogValue) {
  return (args: HogValue[]): HogValue => {
    const [s, ...rest] = args;
    return isNullish(s) ? null : transform(expectString(name, s), rest);
  };
}

function trimChar(value: HogValue | undefined): string | null {
  if (isNullish(value)) return ' ';
  return typeof value === 'string' && value.length === 1 ? value : null;
}

function trimmer(name: string, left: boolean, right: boolean) {
  return nullable(name, (s, [ch]) => {
    const c = trimChar(ch);
    if (c === null) return '';
    let start = 0;
    let end = s.length;
    while (left && start < end && s[start] === c) start++;
    while (right && end > start && s[end - 1] === c) end--;
    return s.slice(start, end);
  });
}

/** `substring(s, start, len?)` with a 1-based start; `''` for a bad start or length. */
export function hogSubstring(s: HogValue, start: HogValue, len: HogValue): string {
  if (typeof s !== 'string') return '';
  const from = jsNumber(start) - 1;
  const length = typeof len === 'number' ? len : s.length - from;
  if (!Number.isFinite(from) || from < 0 || length < 0 || from >= s.length) return '';
  return s.slice(from, from + length);
}

function positionOf(hay: HogValue, needle: HogValue, caseInsensitive: boolean): number {
  if (typeof hay !== 'string') return 0;
  const n = needle === null ? 'null' : jsString(needle);
  return caseInsensitive ? hay.toLowerCase().indexOf(n.toLowerCase()) + 1 : hay.indexOf(n) + 1;
}

function splitByString(sep: string, s: string, max: HogValue | undefined): HogValue[] {
  const parts = s.split(sep);
  return typeof max === 'number' && max >= 0 ? parts.slice(0, max) : parts;
}

/** LIKE for Hog values: a null or non-string pattern never matches; a non-string value is its string. */
export function hogLike(value: HogValue, pattern: HogValue, caseInsensitive: boolean): boolean {
  if (isNullish(value) || isNullish(pattern)) return false;
  return likeMatch(jsString(value), jsString(pattern), caseInsensitive);
}

/** `=~` / `match()`: false when either side is null or empty; `(?i)` prefix for the ci forms. */
export function hogRegexMatch(value: HogValue, pattern: HogValue, caseInsensitive = false): boolean {
  if (isNullish(value) || isNullish(pattern) || value === '' || pattern === '') return false;
  return regexMatch((caseInsensitive ? '(?i)' : '') + jsString(pattern), jsString(value));
}

/**
 * The length of `s.replaceAll(from, to)`, counted without building it: a long replacement for a
 * short (or empty) needle multiplies a string's size, which the meter must see before the work.
 */
function replacedLength(s: string, from: string, to: string): number {
  if (from === '') return s.length + (s.length + 1) * to.length;
  let count = 0;
  for (let at = s.indexOf(from); at >= 0; at = s.indexOf(from, at + from.length)) count++;
  return s.length + count * (to.length - from.length);
}

function tryDecodeURL(s: string): HogValue {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]*={0,2}|[A-Za-z0-9\-_]*={0,2})$/;

function tryBase64Decode(s: string): string {
  const compact = s.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 === 1) return '';
  return Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64').toString('utf8');
}

export const STRING_FUNCTIONS: StlTable = {
  lower: define(1, 1, nullable('lower', (s) => s.toLowerCase())),
  upper: define(1, 1, nullable('upper', (s) => s.toUpperCase())),
  reverse: define(1, 1, nullable('reverse', (s) => s.split('').reverse().join(''))),
  trim: define(1, 2, trimmer('trim', true, true)),
  trimLeft: define(1, 2, trimmer('trimLeft', true, false)),
  trimRight: define(1, 2, trimmer('trimRight', false, true)),
  replaceOne: define(3, 3, nullable('replaceOne', (s, [needle, rep]) => {
    const from = expectString('replaceOne', needle);
    return s.replace(from, () => expectString('replaceOne', rep));
  })),
  replaceAll: define(3, 3, nullable('replaceAll', (s, [needle, rep]) => {
    const from = expectString('replaceAll', needle);
    if (typeof rep === 'string' && rep.length > from.length) spend(replacedLength(s, from, rep));
    return s.replaceAll(from, () => expectString('replaceAll', rep));
  })),
  splitByString: define(2, 3, ([sep, s, max]) => {
    if (isNullish(s) || isNullish(sep)) return null;
    return splitByString(expectString('splitByString', sep), expectString('splitByString', s), max);
  }),
  substring: define(2, 3, ([s, start, len]) => hogSubstring(s ?? null, start ?? null, len ?? null)),
  position: define(2, 3, ([hay, needle]) => positionOf(hay ?? null, needle ?? null, false)),
  positionCaseInsensitive: define(2, 3, ([hay, needle]) => positionOf(hay ?? null, needle ?? null, true)),
  startsWith: define(2, 2, ([s, prefix]) => typeof s === 'string' && typeof prefix === 'string' && s.startsWith(prefix)),
  like: define(2, 2, ([s, p]) => hogLike(s ?? null, p ?? null, false)),
  ilike: define(2, 2, ([s, p]) => hogLike(s ?? null, p ?? null, true)),
  notLike: define(2, 2, ([s, p]) => !hogLike(s ?? null, p ?? null, false)),
  notILike: define(2, 2, ([s, p]) => !hogLike(s ?? null, p ?? null, true)),
  match: define(2, 2, ([s, re]) => hogRegexMatch(s ?? null, re ?? null)),
  extractRegex: define(2, 2, ([s, re]) => {
    if (isNullish(s) || isNullish(re)) return '';
    return regexExtract(jsString(re), jsString(s));
  }),
  multiSearchAnyCaseInsensitive: define(2, 2, ([hay, needles]) => {
    if (isNullish(hay) || !Array.isArray(needles)) return 0;
    const h = jsString(hay).toLowerCase();
    return needles.some((n) => h.includes(jsString(n).toLowerCase())) ? 1 : 0;
  }),
  encodeURLComponent: define(1, 1, nullable('encodeURLComponent', (s) => encodeURIComponent(s))),
  decodeURLComponent: define(1, 1, nullable('decodeURLComponent', (s) => decodeURIComponent(s))),
  tryDecodeURLComponent: define(1, 1, nullable('tryDecodeURLComponent', tryDecodeURL)),
  base64Encode: define(1, 1, nullable('base64Encode', (s) => Buffer.from(s, 'utf8').toString('base64'))),
  base64Decode: define(1, 1, nullable('base64Decode', (s) => Buffer.from(s, 'base64').toString('utf8'))),
  tryBase64Decode: define(1, 1, ([s]) => (typeof s === 'string' ? tryBase64Decode(s) : '')),
  generateUUIDv4: define(0, 0, () => randomUUID()),
  randomFloat: define(0, 0, () => Math.random()),
};
