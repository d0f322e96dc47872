/**
 * Array functions. None of them mutate their input: each returns a new array.
 * A non-array input gives the neutral result (`[]`, `0`, `false`, `''`).
 */
import { type HogValue, isHogDate, isHogDateTime } from '../values.js';
import { jsNumber } from '../convert.js';
import { limitError } from '../errors.js';
import { beginWalk, endWalk, spend } from '../vm/meter.js';
import { type StlTable, define, isNullish } from './define.js';
import { toHogString } from './print.js';
import { dateLikeToSeconds } from './dates.js';

const MAX_RANGE = 10_000_000;

function asArray(value: HogValue | undefined): HogValue[] | null {
  return Array.isArray(value) ? value : null;
}

/** Sort rank across types, so mixed arrays still sort deterministically. */
function rank(value: HogValue): number {
  if (isNullish(value)) return 0;
  if (typeof value === 'boolean') return 1;
  if (typeof value === 'number') return 2;
  if (isHogDate(value) || isHogDateTime(value)) return 3;
  if (typeof value === 'string') return 4;
  return 5;
}

/** Natural order: numbers numerically, strings by UTF-16 code unit, dates by instant. */
export function compareNatural(a: HogValue, b: HogValue): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1 || ra === 2) return compareNumbers(Number(a), Number(b));
  if (ra === 3) return compareNumbers(dateLikeToSeconds(a) ?? 0, dateLikeToSeconds(b) ?? 0);
  if (ra === 4) return a! < b! ? -1 : a! > b! ? 1 : 0;
  return 0;
}

function compareNumbers(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a - b;
}

/** One `arrayStringConcat` item, charged to the meter: shared nested arrays are joined in full. */
function joinItem(value: HogValue | undefined): string {
  if (isNullish(value)) return '';
  if (typeof value === 'string') {
    spend(value.length);
    return value;
  }
  if (Array.isArray(value)) {
    spend(8 * (value.length + 1));
    return value.map(joinItem).join(',');
  }
  const text = toHogString(value);
  spend(text.length);
  return text;
}

function arrayStringConcat(items: HogValue[], sep: HogValue | undefined): string {
  const separator = isNullish(sep) ? '' : toHogString(sep);
  // The separator is repeated once per item: charge that before building anything.
  spend((8 + separator.length) * items.length);
  beginWalk(items, true);
  const text = items.map(joinItem).join(separator);
  endWalk();
  return text;
}

/** `range(n)` / `range(a, b)`: integers from a (default 0) up to, not including, b. */
export function hogRange(args: HogValue[]): HogValue[] {
  const [start, end] = args.length >= 2 && args[1] !== undefined ? [jsNumber(args[0]), jsNumber(args[1])] : [0, jsNumber(args[0])];
  const length = Math.floor(end - start);
  if (!(length > 0)) return [];
  if (length > MAX_RANGE) throw limitError(`range() would create ${length} elements; the limit is ${MAX_RANGE}`);
  spend(8 * (length + 1));
  return Array.from({ length }, (_, i) => start + i);
}

export const ARRAY_FUNCTIONS: StlTable = {
  indexOf: define(2, 2, ([arr, x]) => (asArray(arr)?.indexOf(x ?? null) ?? -1) + 1),
  has: define(2, 2, ([arr, x]) => asArray(arr)?.includes(x ?? null) ?? false),
  in: define(2, 2, ([x, arr]) => asArray(arr)?.includes(x ?? null) ?? false),
  arrayPushBack: define(2, 2, ([arr, x]) => [...(asArray(arr) ?? []), x ?? null]),
  arrayPushFront: define(2, 2, ([arr, x]) => [x ?? null, ...(asArray(arr) ?? [])]),
  arrayPopBack: define(1, 1, ([arr]) => (asArray(arr) ?? []).slice(0, -1)),
  arrayPopFront: define(1, 1, ([arr]) => (asArray(arr) ?? []).slice(1)),
  arraySort: define(1, undefined, ([arr]) => [...(asArray(arr) ?? [])].sort(compareNatural)),
  arrayReverseSort: define(1, undefined, ([arr]) => [...(asArray(arr) ?? [])].sort((a, b) => compareNatural(b, a))),
  arrayReverse: define(1, 1, ([arr]) => [...(asArray(arr) ?? [])].reverse()),
  arrayStringConcat: define(1, 2, ([arr, sep]) => {
    const items = asArray(arr);
    return items ? arrayStringConcat(items, sep) : '';
  }),
  range: define(1, 2, (args) => hogRange(args)),
};
