/**
 * Hog values as the VM holds them in memory. The shapes of errors, closures,
 * callables, dates and datetimes match PostHog's, so serialized VM state and bytecode results
 * are interchangeable with `@posthog/hogvm`.
 *
 *   null | boolean | number | string    — as in JS (one number type: the double)
 *   HogValue[]                          — an array; a tuple is an array with `__isHogTuple = true`
 *   Map<HogValue, HogValue>             — a dict, insertion-ordered, any key type
 *   HogError, HogClosure, HogCallable, HogDate, HogDateTime, HogInterval — tagged plain objects
 *
 * The tagged objects are type aliases, not interfaces, and every field of each is itself a Hog value:
 * so each fits `HogFields`, and `obj.field` reads in Hog are typed without casts.
 */

export type HogValue =
  | null
  | boolean
  | number
  | string
  | HogArray
  | HogDict
  | HogError
  | HogClosure
  | HogCallable
  | HogDate
  | HogDateTime
  | HogInterval;

export type HogArray = HogValue[] & { __isHogTuple?: boolean };
/** The fields of a tagged object, read by name (`err.message`, `date.year`). */
export type HogFields = Readonly<Record<string, HogValue | undefined>>;
export type HogDict = Map<HogValue, HogValue>;

export type HogError = {
  __hogError__: true;
  type: string;
  message: string;
  payload?: HogValue;
};

export type HogCallable = {
  __hogCallable__: 'local' | 'stl' | 'async';
  name: string;
  argCount: number;
  upvalueCount: number;
  /** For `local`: index of the first body instruction in `chunk`. */
  ip: number;
  /** `root`, an imported chunk's name, or `stl/<name>` for bytecode STL functions. */
  chunk: string;
};

export type HogClosure = {
  __hogClosure__: true;
  callable: HogCallable;
  /** Upvalue ids (not references), so closures survive JSON serialization. */
  upvalues: number[];
};

export type HogDate = {
  __hogDate__: true;
  year: number;
  month: number;
  day: number;
};

export type HogDateTime = {
  __hogDateTime__: true;
  /** Epoch seconds, fractional. */
  dt: number;
  zone: string;
};

export type HogInterval = {
  __hogInterval__: true;
  value: number;
  unit: string;
};

export function isHogArray(v: unknown): v is HogArray {
  return Array.isArray(v);
}

export function isHogTuple(v: unknown): v is HogArray {
  return Array.isArray(v) && (v as HogArray).__isHogTuple === true;
}

export function makeTuple(items: HogValue[]): HogArray {
  const tuple = items as HogArray;
  tuple.__isHogTuple = true;
  return tuple;
}

export function isHogDict(v: unknown): v is HogDict {
  return v instanceof Map;
}

export function isHogError(v: unknown): v is HogError {
  return typeof v === 'object' && v !== null && (v as HogError).__hogError__ === true;
}

export function isHogClosure(v: unknown): v is HogClosure {
  return typeof v === 'object' && v !== null && (v as HogClosure).__hogClosure__ === true;
}

export function isHogCallable(v: unknown): v is HogCallable {
  return typeof v === 'object' && v !== null && typeof (v as HogCallable).__hogCallable__ === 'string';
}

export function isHogDate(v: unknown): v is HogDate {
  return typeof v === 'object' && v !== null && (v as HogDate).__hogDate__ === true;
}

export function isHogDateTime(v: unknown): v is HogDateTime {
  return typeof v === 'object' && v !== null && (v as HogDateTime).__hogDateTime__ === true;
}

export function isHogInterval(v: unknown): v is HogInterval {
  return typeof v === 'object' && v !== null && (v as HogInterval).__hogInterval__ === true;
}

export function makeHogError(type: string, message?: string | null, payload?: HogValue): HogError {
  const error: HogError = { __hogError__: true, type, message: message ?? 'An error occurred' };
  if (payload !== undefined && payload !== null) error.payload = payload;
  return error;
}
