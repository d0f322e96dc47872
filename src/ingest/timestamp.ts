/**
 * Event time, computed the way PostHog does:
 * - `timestamp` and `sent_at` both present: the client clock's skew is removed, giving
 *   `now + (timestamp - sent_at)`, unless `properties.$ignore_sent_at` is true;
 * - else `offset` (milliseconds before sending): `now - offset`;
 * - else `timestamp` as given; else `now`.
 * A result that cannot be parsed, or lies more than 23 hours in the future, becomes `now`.
 */
const MAX_FUTURE_MS = 23 * 60 * 60 * 1000;
const MIN_TIME_MS = Date.UTC(0, 0, 1);

export function parseTime(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string' || value.length === 0) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export interface TimestampInput {
  timestamp: unknown;
  sentAt: unknown;
  offset: unknown;
  ignoreSentAt: boolean;
}

export function computeTimestamp(input: TimestampInput, nowMs: number): string {
  const timestamp = parseTime(input.timestamp);
  const sentAt = input.ignoreSentAt ? undefined : parseTime(input.sentAt);
  let result: number;
  if (timestamp !== undefined && sentAt !== undefined) {
    result = nowMs + (timestamp - sentAt);
  } else if (typeof input.offset === 'number' && Number.isFinite(input.offset)) {
    result = nowMs - input.offset;
  } else if (timestamp !== undefined) {
    result = timestamp;
  } else {
    result = nowMs;
  }
  if (!(result >= MIN_TIME_MS) || result > nowMs + MAX_FUTURE_MS) result = nowMs;
  return isoOf(result);
}

/** The last time formatted: the events of a request mostly share one (the request's `now`). */
let lastMs = NaN;
let lastIso = '';

function isoOf(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
