/**
 * What a transformation's code returned, read back into an event. The rules (docs/transformations.md):
 *
 *   - `return null` drops the event — the only way to drop one;
 *   - a dict is the new event: `event` (or, when only `name` changed, `name`), `properties`, and the
 *     identity fields `uuid`, `distinct_id`, `timestamp`, which are left as they were when absent;
 *     other keys (`url`, …) are ignored;
 *   - anything else (a string, a list, no `return` at all) is an error, and so is a dict that would not
 *     pass capture's own checks (size, depth, field types) or that changes an identity field without
 *     `allow_identity_changes`. The caller then passes the event on unchanged.
 */
import { findTooDeep } from '../ingest/depth.js';
import { formatBytes } from '../ingest/limits.js';
import type { Event, JsonObject } from '../store/store.js';
import type { TransformationLimits } from './limits.js';

export type ReadResult =
  | { kind: 'dropped' }
  | { kind: 'unchanged' }
  | { kind: 'transformed'; event: Event; propertiesJson: string }
  | { kind: 'invalid'; message: string };

export interface ReadOptions {
  allowIdentityChanges: boolean;
  limits: Pick<TransformationLimits, 'maxEventBytes' | 'maxEventDepth'>;
}

/** What the code returns when it ends without a `return` (appended by `withEndMarker`). */
export const NO_RETURN = '\u0000sluice:the code ended without a return';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_EVENT_NAME_LENGTH = 200;
const MAX_DISTINCT_ID_LENGTH = 200;
const IDENTITY_FIELDS = ['uuid', 'distinct_id', 'timestamp'] as const;

class Invalid extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `a ${typeof value}`;
}

/** Reads the returned value against the event the transformation received. Never throws. */
export function readReturnedEvent(value: unknown, input: Event, options: ReadOptions): ReadResult {
  if (value === null) return { kind: 'dropped' };
  if (value === NO_RETURN) return { kind: 'invalid', message: 'the code ended without a return: end it with `return event` (or `return null` to drop the event)' };
  if (!isRecord(value)) return { kind: 'invalid', message: `the code returned ${describe(value)}; return the event (a dict) or null to drop it` };
  try {
    const event = eventOf(value, input, options);
    if (isSameEvent(event, input)) return { kind: 'unchanged' };
    return { kind: 'transformed', event, propertiesJson: checkedPropertiesJson(event, options) };
  } catch (error) {
    if (error instanceof Invalid) return { kind: 'invalid', message: error.message };
    throw error;
  }
}

/** What a transformation that gave the event back untouched did to it (see `isUntouchedInput`). */
export const UNCHANGED: ReadResult = Object.freeze({ kind: 'unchanged' });

/**
 * Whether `value`, the code's own `event` global given back untouched (the VM's `unchangedGlobal`),
 * reads as `unchanged` without reading it again: it still holds the input's fields, as the chain built
 * it, and the input itself would pass the checks on a returned event.
 */
export function isUntouchedInput(value: unknown, input: Event): boolean {
  return isRecord(value) && holdsInput(value, input) && passesAsReturned(input);
}

/** Whether the event globals `value` hold exactly `input`'s fields (the properties the very same object). */
function holdsInput(value: Record<string, unknown>, input: Event): boolean {
  return (
    value.properties === input.properties &&
    value.event === input.event &&
    value.name === input.event &&
    value.uuid === input.uuid &&
    value.distinct_id === input.distinct_id &&
    value.timestamp === input.timestamp &&
    value.elements_chain === (input.elements_chain ?? '')
  );
}

/** The checks `eventOf` makes that an event given back with the input's own fields could still fail. */
function passesAsReturned(input: Event): boolean {
  const name: unknown = input.event;
  const chain: unknown = input.elements_chain;
  return typeof name === 'string' && name !== '' && name.length <= MAX_EVENT_NAME_LENGTH && isRecord(input.properties) && (chain === undefined || typeof chain === 'string');
}

function eventOf(returned: Record<string, unknown>, input: Event, options: ReadOptions): Event {
  const event: Event = {
    uuid: identityField(returned, input, 'uuid', options),
    event: eventName(returned, input),
    distinct_id: identityField(returned, input, 'distinct_id', options),
    properties: propertiesOf(returned),
    timestamp: identityField(returned, input, 'timestamp', options),
  };
  const chain = returned.elements_chain;
  if (chain !== undefined && chain !== null && typeof chain !== 'string') throw new Invalid(`elements_chain must be a string, not ${describe(chain)}`);
  // The globals show a missing chain as ''; giving '' back keeps it missing.
  if (typeof chain === 'string' && (chain !== '' || input.elements_chain !== undefined)) event.elements_chain = chain;
  else if (chain === undefined && input.elements_chain !== undefined) event.elements_chain = input.elements_chain;
  return event;
}

/** `event` is the name; the globals also carry it as `name`, which counts when only it was changed. */
function eventName(returned: Record<string, unknown>, input: Event): string {
  let name = returned.event;
  if ((name === undefined || name === input.event) && typeof returned.name === 'string' && returned.name !== input.event) name = returned.name;
  if (name === undefined) return input.event;
  if (typeof name !== 'string' || name === '') throw new Invalid(`event must be a non-empty string, not ${describe(name)}`);
  if (name.length > MAX_EVENT_NAME_LENGTH) throw new Invalid(`event must be at most ${MAX_EVENT_NAME_LENGTH} characters (got ${name.length})`);
  return name;
}

function propertiesOf(returned: Record<string, unknown>): JsonObject {
  const properties = returned.properties;
  if (properties === undefined || properties === null) return {};
  if (!isRecord(properties)) throw new Invalid(`properties must be a dict, not ${describe(properties)}`);
  return properties;
}

/** An identity field as returned: unchanged when absent; a change needs `allow_identity_changes` and a valid value. */
function identityField(returned: Record<string, unknown>, input: Event, field: (typeof IDENTITY_FIELDS)[number], options: ReadOptions): string {
  const value = returned[field];
  if (value === undefined || value === input[field]) return input[field];
  if (!options.allowIdentityChanges) {
    throw new Invalid(`the code changed ${field} (from ${JSON.stringify(input[field])} to ${JSON.stringify(value)}), which needs allow_identity_changes on this transformation`);
  }
  switch (field) {
    case 'uuid':
      if (typeof value !== 'string' || !UUID.test(value)) throw new Invalid(`uuid must be a UUID, not ${describe(value)}`);
      return value.toLowerCase();
    case 'distinct_id':
      if ((typeof value !== 'string' && typeof value !== 'number') || String(value).trim() === '') {
        throw new Invalid(`distinct_id must be a non-empty string, not ${describe(value)}`);
      }
      if (String(value).length > MAX_DISTINCT_ID_LENGTH) throw new Invalid(`distinct_id must be at most ${MAX_DISTINCT_ID_LENGTH} characters`);
      return String(value);
    case 'timestamp': {
      const ms = typeof value === 'string' ? Date.parse(value) : NaN;
      if (Number.isNaN(ms)) throw new Invalid(`timestamp must be an ISO-8601 date and time, not ${describe(value)}`);
      return new Date(ms).toISOString();
    }
  }
}

function isSameEvent(event: Event, input: Event): boolean {
  return (
    event.event === input.event &&
    event.uuid === input.uuid &&
    event.distinct_id === input.distinct_id &&
    event.timestamp === input.timestamp &&
    event.elements_chain === input.elements_chain &&
    sameJson(event.properties, input.properties)
  );
}

/**
 * Whether two JSON values serialize alike, key order aside: what "unchanged" means for an event. Far
 * cheaper than a general deep equality on the plain data both sides are, and it runs on every event.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  const rightKeys = Object.keys(right);
  if (keys.length !== rightKeys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    // Usually both list their keys in the same order; otherwise look the key up.
    if (key !== rightKeys[i] && !Object.hasOwn(right, key)) return false;
    if (!sameJson(left[key], right[key])) return false;
  }
  return true;
}

/**
 * The checks capture makes on every event, made again on a changed one: everything after capture (JSON,
 * storage, the globals of destinations) relies on them. The serialized properties are returned, so the
 * caller need not serialize them twice.
 */
function checkedPropertiesJson(event: Event, options: ReadOptions): string {
  const tooDeep = findTooDeep(event, options.limits.maxEventDepth);
  if (tooDeep !== null) throw new Invalid(`the returned event is nested deeper than ${options.limits.maxEventDepth} levels (at ${tooDeep.path})`);
  const json = JSON.stringify(event.properties);
  const max = options.limits.maxEventBytes;
  const size = json.length * 3 <= max ? json.length : Buffer.byteLength(json);
  if (size > max) throw new Invalid(`the returned event is larger than ${formatBytes(max)} (${size} bytes of properties)`);
  // Postgres cannot store U+0000 in text or JSON; capture replaces it, a transformation must not add it.
  const fields = [event.event, event.distinct_id, event.elements_chain ?? ''];
  if (fields.some((text) => text.includes('\u0000')) || (json.includes('\\u0000') && containsNul(event.properties))) {
    throw new Invalid('the returned event contains the character U+0000, which cannot be stored');
  }
  return json;
}

/** Whether a key or string anywhere in `root` holds U+0000 (`\\u0000` in the JSON text may be an escaped backslash). */
function containsNul(root: unknown): boolean {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return true;
    } else if (Array.isArray(value)) {
      for (const item of value) pending.push(item);
    } else if (isRecord(value)) {
      for (const [key, child] of Object.entries(value)) {
        if (key.includes('\u0000')) return true;
        pending.push(child);
      }
    }
  }
  return false;
}
