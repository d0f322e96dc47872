/** Number conversions: `toInt`, `toFloat`. Unparseable input gives null. */
import { type HogValue, isHogDate, isHogDateTime } from '../values.js';
import { type StlTable, define } from './define.js';
import { daysSinceEpoch } from './dates.js';

/** `toInt(x)`: DateTime → floor(epoch seconds); Date → days since epoch; else `parseInt` or null. */
export function toInt(value: HogValue | undefined): HogValue {
  if (isHogDateTime(value)) return Math.floor(value.dt);
  if (isHogDate(value)) return daysSinceEpoch(value);
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : null;
  if (typeof value !== 'string') return null;
  const n = parseInt(value, 10);
  return Number.isNaN(n) ? null : n;
}

/** `toFloat(x)`: DateTime → epoch seconds; Date → days since epoch; else `parseFloat` or null. */
export function toFloat(value: HogValue | undefined): HogValue {
  if (isHogDateTime(value)) return value.dt;
  if (isHogDate(value)) return daysSinceEpoch(value);
  if (typeof value === 'number') return Number.isNaN(value) ? null : value;
  if (typeof value !== 'string') return null;
  const n = parseFloat(value);
  return Number.isNaN(n) ? null : n;
}

export const CONVERSION_FUNCTIONS: StlTable = {
  toInt: define(1, 1, ([x]) => toInt(x)),
  toFloat: define(1, 1, ([x]) => toFloat(x)),
};
