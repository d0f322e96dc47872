/**
 * Array functions (reference §8.3). None of them mutate their input: each returns a new array.
 * A non-array input gives the neutral result (`[]`, `0`, `false`, `''`).
 */
import { type HogValue, isHogDate, isHogDateTime } from '../values.js';
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

/** Natural order (§8.3, ref≠TS): numbers numerically, strings by UTF-16 code unit, dates by instant. */
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

function joinItem(value: HogValue | undefined): string {
  if (isNullish(value)) return '';
  if (Array.isArray(value)) return value.map(joinItem).join(',');
  return toHogString(value);
}

/** `range(n)` / `range(a, b)`: integers from a (default 0) up to, not including, b. */
export function hogRange(args: HogValue[]): HogValue[] {
  const [start, end] = args.length >= 2 && args[1] !== undefined ? [Number(args[0]), Number(args[1])] : [0, Number(args[0])];
  const length = Math.floor(end - start);
  if (!(length > 0)) return [];
  if (length > MAX_RANGE) throw new Error(`range() would create ${length} elements; the limit is ${MAX_RANGE}`);
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
    if (!items) return '';
    return items.map(joinItem).join(isNullish(sep) ? '' : toHogString(sep));
  }),
  range: define(1, 2, (args) => hogRange(args)),
};
