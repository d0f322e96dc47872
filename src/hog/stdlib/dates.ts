/**
 * Dates and datetimes on luxon. A Date is a calendar day; a DateTime is epoch
 * seconds plus an IANA zone. Strings are accepted only in the strict date-like grammar below, so an
 * ordinary string property is never silently read as a date.
 */
import { DateTime } from 'luxon';
import { type HogDate, type HogDateTime, type HogInterval, type HogValue, isHogDate, isHogDateTime } from '../values.js';
import { jsNumber, jsString } from '../convert.js';
import { preview } from '../vm/meter.js';
import { type StlTable, define, isNullish } from './define.js';
import type { StlContext } from './types.js';

/**
 * `WS* YYYY-MM-DD [ (T|t|space) HH:MM [:SS [(.|,) 1-9 digits]] [Z|z|±HH[[:]MM]] ] WS*`, year ≥ 0001.
 * ASCII digits only.
 */
const DATE_LIKE =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt ]((?:[01][0-9]|2[0-3])):([0-5][0-9])(?::([0-5][0-9])(?:[.,]([0-9]{1,9}))?)?(Z|z|[+-](?:[01][0-9]|2[0-3])(?::?[0-5][0-9])?)?)?$/;

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

// ---------------------------------------------------------------------------------------------
// Conversions between Hog values and luxon

function zoneOrUtc(zone: HogValue | undefined): string {
  return typeof zone === 'string' && zone !== '' ? zone : 'UTC';
}

/** A luxon DateTime at epoch seconds in `zone`; an unknown zone is an error. */
export function luxonAt(seconds: number, zone: HogValue | undefined): DateTime {
  const name = zoneOrUtc(zone);
  const dt = DateTime.fromMillis(Math.round(seconds * 1000), { zone: name });
  if (!dt.isValid && dt.invalidReason === 'unsupported zone') throw new Error(`Invalid time zone: ${name}`);
  return dt;
}

function checkZone(zone: HogValue | undefined): string {
  const name = zoneOrUtc(zone);
  luxonAt(0, name);
  return name;
}

function toHogDateTime(dt: DateTime): HogDateTime {
  return { __hogDateTime__: true, dt: dt.toMillis() / 1000, zone: dt.zoneName ?? 'UTC' };
}

function toHogDate(dt: DateTime): HogDate {
  return { __hogDate__: true, year: dt.year, month: dt.month, day: dt.day };
}

function dateAtMidnight(date: HogDate, zone: HogValue | undefined = 'UTC'): DateTime {
  return DateTime.fromObject({ year: date.year, month: date.month, day: date.day }, { zone: zoneOrUtc(zone) });
}

/**
 * Parse a date-like string. A string without an offset is read in `zone` (default UTC).
 * Fractions are truncated to milliseconds. Anything else gives null.
 */
export function parseDateString(input: HogValue, zone?: HogValue): DateTime | null {
  if (typeof input !== 'string') return null;
  const m = DATE_LIKE.exec(input.trim());
  if (!m) return null;
  const [, year, month, day, hour, minute, second, fraction, offset] = m;
  if (year === '0000') return null;
  const millis = fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
  const fields = {
    year: Number(year), month: Number(month), day: Number(day),
    hour: Number(hour ?? 0), minute: Number(minute ?? 0), second: Number(second ?? 0), millisecond: millis,
  };
  const dt = DateTime.fromObject(fields, { zone: offset ? offsetZone(offset) : zoneOrUtc(zone) });
  if (!dt.isValid || dt.day !== fields.day || dt.month !== fields.month) return null;
  return dt;
}

/** `Z` / `+05` / `+0530` / `-05:30` as a luxon fixed-offset zone name. */
function offsetZone(offset: string): string {
  if (offset === 'Z' || offset === 'z') return 'UTC';
  const digits = offset.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
  return minutes === 0 ? 'UTC' : `UTC${offset[0]}${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Epoch seconds of a date, datetime or date-like string; a Date is UTC midnight. Else null. */
export function dateLikeToSeconds(value: HogValue | undefined, zone?: HogValue): number | null {
  if (isHogDateTime(value)) return value.dt;
  if (isHogDate(value)) return dateAtMidnight(value).toMillis() / 1000;
  const parsed = parseDateString(value ?? null, zone);
  return parsed ? parsed.toMillis() / 1000 : null;
}

/**
 * Comparison-type unification for dates: both date-like objects, or one date-like
 * object and a string in the strict grammar → both as epoch seconds. Otherwise null (not a date
 * comparison; the caller falls through to its other rules).
 */
export function unifyDateLike(left: HogValue, right: HogValue): [number, number] | null {
  const leftIsDate = isHogDate(left) || isHogDateTime(left);
  const rightIsDate = isHogDate(right) || isHogDateTime(right);
  if (!leftIsDate && !rightIsDate) return null;
  if (!leftIsDate && typeof left !== 'string') return null;
  if (!rightIsDate && typeof right !== 'string') return null;
  const l = dateLikeToSeconds(left);
  const r = dateLikeToSeconds(right);
  return l === null || r === null ? null : [l, r];
}

/** -1 / 0 / 1 when `unifyDateLike` applies, else null. */
export function compareDateLike(left: HogValue, right: HogValue): number | null {
  const pair = unifyDateLike(left, right);
  if (!pair) return null;
  return Math.sign(pair[0] - pair[1]);
}

/** Any date-like input as a luxon DateTime: a DateTime in its zone, a Date at UTC midnight. */
function toLuxon(value: HogValue | undefined, fn: string): DateTime {
  if (isHogDateTime(value)) return luxonAt(value.dt, value.zone);
  if (isHogDate(value)) return dateAtMidnight(value);
  const parsed = parseDateString(value ?? null);
  if (parsed) return parsed;
  throw new Error(`Function ${fn} expects a Date, DateTime or date string, got ${describe(value)}`);
}

/** A value in an error message: short, whatever its size. */
function previewText(value: HogValue | undefined): string {
  return preview(value, jsString);
}

function describe(value: HogValue | undefined): string {
  return typeof value === 'string' ? `'${value}'` : isNullish(value) ? 'null' : typeof value;
}

// ---------------------------------------------------------------------------------------------
// formatDateTime (ClickHouse codes)

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function hour12(dt: DateTime): string {
  return pad(dt.hour % 12 === 0 ? 12 : dt.hour % 12);
}

function offsetText(dt: DateTime): string {
  const sign = dt.offset < 0 ? '-' : '+';
  const abs = Math.abs(dt.offset);
  return `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

const FORMAT_CODES: Record<string, (dt: DateTime) => string> = {
  a: (dt) => DAY_NAMES[dt.weekday - 1]!.slice(0, 3),
  b: (dt) => MONTH_NAMES[dt.month - 1]!.slice(0, 3),
  c: (dt) => pad(dt.month),
  C: (dt) => pad(dt.year % 100),
  d: (dt) => pad(dt.day),
  D: (dt) => `${pad(dt.month)}/${pad(dt.day)}/${pad(dt.year % 100)}`,
  e: (dt) => String(dt.day),
  f: (dt) => pad(dt.millisecond, 3),
  F: (dt) => `${pad(dt.year, 4)}-${pad(dt.month)}-${pad(dt.day)}`,
  g: (dt) => pad(dt.year % 100),
  G: (dt) => pad(dt.year, 4),
  h: hour12,
  H: (dt) => pad(dt.hour),
  i: (dt) => pad(dt.minute),
  I: hour12,
  j: (dt) => pad(dt.ordinal, 3),
  k: (dt) => pad(dt.hour),
  l: hour12,
  m: (dt) => pad(dt.month),
  M: (dt) => MONTH_NAMES[dt.month - 1]!,
  n: () => '\n',
  p: (dt) => (dt.hour < 12 ? 'AM' : 'PM'),
  Q: (dt) => String(dt.quarter),
  r: (dt) => `${hour12(dt)}:${pad(dt.minute)} ${dt.hour < 12 ? 'AM' : 'PM'}`,
  R: (dt) => `${pad(dt.hour)}:${pad(dt.minute)}`,
  s: (dt) => pad(dt.second),
  S: (dt) => pad(dt.second),
  t: () => '\t',
  T: (dt) => `${pad(dt.hour)}:${pad(dt.minute)}:${pad(dt.second)}`,
  u: (dt) => String(dt.weekday),
  V: (dt) => pad(dt.weekNumber),
  w: (dt) => String(dt.weekday),
  W: (dt) => DAY_NAMES[dt.weekday - 1]!,
  y: (dt) => pad(dt.year % 100),
  Y: (dt) => pad(dt.year, 4),
  z: offsetText,
  '%': () => '%',
};

/** ClickHouse-style `%` formatting; unknown codes are dropped, other text is literal. */
export function formatDateTime(dt: DateTime, format: string): string {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== '%') {
      out += format[i];
      continue;
    }
    i += 1;
    const code = FORMAT_CODES[format[i] ?? ''];
    if (code) out += code(dt);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

type Unit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';
const UNIT_ALIASES: Record<string, Unit> = {
  second: 'second', minute: 'minute', hour: 'hour', day: 'day', week: 'week', month: 'month', quarter: 'quarter', year: 'year',
};

function unitOf(fn: string, value: HogValue | undefined): Unit {
  const key = typeof value === 'string' ? value.toLowerCase().replace(/s$/, '') : '';
  const unit = UNIT_ALIASES[key];
  if (!unit) throw new Error(`Function ${fn}: unsupported unit ${previewText(value)}`);
  return unit;
}

/** `dateAdd`: keeps Date vs DateTime; months and years clamp to the month's last day. */
export function addInterval(base: HogValue, unit: Unit, amount: number): HogValue {
  if (!Number.isFinite(amount)) throw new Error(`dateAdd: amount must be a number, got ${String(amount)}`);
  const dt = toLuxon(base, 'dateAdd');
  const shifted = dt.plus({ [`${unit}s`]: amount });
  return isHogDate(base) ? toHogDate(shifted) : toHogDateTime(shifted);
}

/** `dateDiff(unit, a, b)`: `b - a` in whole units, floored; months and years by calendar fields. */
export function dateDiff(unit: Unit, start: DateTime, end: DateTime): number {
  const ms = end.toMillis() - start.toMillis();
  switch (unit) {
    case 'second': return Math.floor(ms / 1000);
    case 'minute': return Math.floor(ms / 60_000);
    case 'hour': return Math.floor(ms / 3_600_000);
    case 'day': return Math.floor(ms / 86_400_000);
    case 'week': return Math.floor(ms / (7 * 86_400_000));
    case 'month': return (end.year - start.year) * 12 + (end.month - start.month);
    case 'quarter': return (end.year - start.year) * 4 + (end.quarter - start.quarter);
    case 'year': return end.year - start.year;
  }
}

function truncate(dt: DateTime, unit: Unit): DateTime {
  return dt.startOf(unit === 'week' ? 'week' : unit);
}

/** Truncation to a DateTime in the value's zone (or `zone`); a Date counts as UTC midnight. */
function startOf(value: HogValue | undefined, unit: Unit, fn: string, zone?: HogValue): HogDateTime {
  let dt = toLuxon(value, fn);
  if (!isNullish(zone)) dt = dt.setZone(checkZone(zone));
  return toHogDateTime(truncate(dt, unit));
}

function interval(unit: string) {
  return define(1, 1, ([value]): HogInterval => ({ __hogInterval__: true, value: jsNumber(value), unit }));
}

// ---------------------------------------------------------------------------------------------
// Constructors and conversions

/** `toDateTime(x, zone)`: epoch seconds, a date string (read in `zone`), a Date or a DateTime. */
export function toDateTimeValue(value: HogValue | undefined, zone?: HogValue): HogValue {
  const name = checkZone(zone);
  if (typeof value === 'number') return { __hogDateTime__: true, dt: value, zone: name };
  if (isHogDateTime(value)) return { ...value, zone: isNullish(zone) ? value.zone : name };
  if (isHogDate(value)) return toHogDateTime(dateAtMidnight(value, name));
  const parsed = parseDateString(value ?? null, name);
  return parsed ? { __hogDateTime__: true, dt: parsed.toMillis() / 1000, zone: name } : null;
}

/** `toDate(x)`: a date string, epoch seconds (UTC), a DateTime (its local day) or a Date. */
export function toDateValue(value: HogValue | undefined): HogValue {
  if (isHogDate(value)) return value;
  if (typeof value === 'number') return toHogDate(luxonAt(value, 'UTC'));
  if (isHogDateTime(value)) return toHogDate(luxonAt(value.dt, value.zone));
  const parsed = parseDateString(value ?? null);
  return parsed ? toHogDate(parsed) : null;
}

function toUnixSeconds(value: HogValue | undefined, zone?: HogValue): HogValue {
  if (typeof value === 'number') return value;
  return dateLikeToSeconds(value, zone);
}

/** Days since 1970-01-01 of a Date. */
export function daysSinceEpoch(date: HogDate): number {
  return Math.round(dateAtMidnight(date).toMillis() / 86_400_000);
}

function component(part: HogValue | undefined, value: HogValue | undefined): HogValue {
  const dt = toLuxon(value, 'extract');
  switch (part) {
    case 'year': return dt.year;
    case 'month': return dt.month;
    case 'day': return dt.day;
    case 'hour': return dt.hour;
    case 'minute': return dt.minute;
    case 'second': return dt.second;
    default: throw new Error(`Unknown extract part: ${previewText(part)}`);
  }
}

function nowDateTime(ctx: StlContext, zone?: HogValue): HogDateTime {
  return { __hogDateTime__: true, dt: ctx.now() / 1000, zone: checkZone(zone) };
}

export const DATE_FUNCTIONS: StlTable = {
  now: define(0, 1, ([zone], ctx) => nowDateTime(ctx, zone)),
  today: define(0, 0, (_, ctx) => toHogDate(luxonAt(ctx.now() / 1000, 'UTC'))),
  toDate: define(1, 1, ([x]) => toDateValue(x)),
  toDateTime: define(1, 2, ([x, zone]) => toDateTimeValue(x, zone)),
  fromUnixTimestamp: define(1, 1, ([s]) => ({ __hogDateTime__: true, dt: jsNumber(s), zone: 'UTC' })),
  fromUnixTimestampMilli: define(1, 1, ([ms]) => ({ __hogDateTime__: true, dt: jsNumber(ms) / 1000, zone: 'UTC' })),
  toUnixTimestamp: define(1, 2, ([x, zone]) => toUnixSeconds(x, zone)),
  toUnixTimestampMilli: define(1, 2, ([x, zone]) => {
    const seconds = toUnixSeconds(x, zone);
    return typeof seconds === 'number' ? Math.round(seconds * 1000) : null;
  }),
  toTimeZone: define(2, 2, ([dt, zone]) => {
    if (!isHogDateTime(dt)) throw new Error('Expected a DateTime');
    return { ...dt, zone: checkZone(zone) };
  }),
  formatDateTime: define(2, 3, ([dt, format, zone]) => {
    if (!isHogDateTime(dt)) throw new Error('Expected a DateTime');
    if (typeof format !== 'string') throw new Error('formatDateTime expects a format string');
    return formatDateTime(luxonAt(dt.dt, isNullish(zone) ? dt.zone : zone), format);
  }),
  toYear: define(1, 1, ([x]) => component('year', x)),
  toMonth: define(1, 1, ([x]) => component('month', x)),
  toYYYYMM: define(1, 1, ([x]) => {
    const dt = toLuxon(x, 'toYYYYMM');
    return dt.year * 100 + dt.month;
  }),
  extract: define(2, 2, ([part, x]) => component(part, x)),
  toStartOfDay: define(1, 2, ([x, zone]) => startOf(x, 'day', 'toStartOfDay', zone)),
  toStartOfHour: define(1, 1, ([x]) => startOf(x, 'hour', 'toStartOfHour')),
  toStartOfMonth: define(1, 1, ([x]) => startOf(x, 'month', 'toStartOfMonth')),
  toStartOfWeek: define(1, 2, ([x]) => startOf(x, 'week', 'toStartOfWeek')),
  dateTrunc: define(2, 3, ([unit, dt, zone]) => {
    if (!isHogDateTime(dt)) throw new Error('Expected a DateTime for dateTrunc');
    return startOf(dt, unitOf('dateTrunc', unit), 'dateTrunc', zone);
  }),
  dateAdd: define(3, 3, ([unit, n, x]) => addInterval(x ?? null, unitOf('dateAdd', unit), jsNumber(n))),
  dateDiff: define(3, 3, ([unit, a, b]) => dateDiff(unitOf('dateDiff', unit), toLuxon(a, 'dateDiff'), toLuxon(b, 'dateDiff'))),
  addDays: define(2, 2, ([x, n]) => addInterval(x ?? null, 'day', jsNumber(n))),
  toIntervalDay: interval('day'),
  toIntervalHour: interval('hour'),
  toIntervalMinute: interval('minute'),
  toIntervalMonth: interval('month'),
};
