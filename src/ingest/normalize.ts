import { uuidv7 } from './uuid.js';
import type { JsonObject, NewEvent } from '../store/store.js';
import { findTooDeep } from './depth.js';
import { IngestError, NOT_AN_OBJECT } from './errors.js';
import { formatBytes, type IngestLimits } from './limits.js';
import { computeTimestamp } from './timestamp.js';

/** A request's events plus the request-level fields PostHog SDKs put around them. */
export interface Envelope {
  events: unknown[];
  token: string | undefined;
  sentAt: unknown;
}

/** Request facts every event of the request shares. */
export interface NormalizeContext {
  projectId: number;
  nowMs: number;
  receivedAt: string;
  sentAt: unknown;
  ip: string | undefined;
  /** `$lib`/`$lib_version` from v1's `PostHog-Sdk-Info` header, when the body does not name them. */
  lib: { name: string; version: string } | undefined;
  limits: IngestLimits;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_DISTINCT_ID_LENGTH = 200;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The project token one raw event names for itself (`api_key`, `token`, `$token`, in properties too), if any. */
export function eventToken(raw: unknown): string | undefined {
  return isObject(raw) ? tokenOf(raw) : undefined;
}

function tokenOf(obj: JsonObject): string | undefined {
  const props = isObject(obj.properties) ? obj.properties : undefined;
  return stringField(obj.api_key) ?? stringField(obj.token) ?? stringField(obj.$token) ?? stringField(props?.token) ?? stringField(props?.$token);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.slice(0, 40))}${value.length > 40 ? '…' : ''})`;
  return `a ${typeof value} (${String(value)})`;
}

/** Finds the events and the project token in any body shape PostHog accepts. */
export function readEnvelope(body: unknown): Envelope {
  if (Array.isArray(body)) {
    const first = body.find(isObject);
    return { events: body, token: first ? tokenOf(first) : undefined, sentAt: undefined };
  }
  if (!isObject(body)) {
    throw new IngestError('SLUICE_ERR_INGEST_INVALID_PAYLOAD', `${NOT_AN_OBJECT}, not ${kindOf(body)}`);
  }
  const sentAt = body.sent_at ?? body.created_at;
  if (body.batch !== undefined || (body.data !== undefined && body.event === undefined)) {
    const inner = body.batch ?? body.data;
    const events = Array.isArray(inner) ? inner : isObject(inner) ? [inner] : undefined;
    if (events === undefined) {
      throw new IngestError('SLUICE_ERR_INGEST_INVALID_PAYLOAD', '"batch" must be an array of events');
    }
    const first = events.find(isObject);
    return { events, token: tokenOf(body) ?? (first ? tokenOf(first) : undefined), sentAt };
  }
  return { events: [body], token: tokenOf(body), sentAt };
}

function distinctIdOf(raw: JsonObject, props: JsonObject): string {
  const value = raw.distinct_id ?? raw.$distinct_id ?? props.distinct_id ?? props.$distinct_id;
  if (value === undefined || value === null) {
    throw new IngestError('SLUICE_ERR_INGEST_MISSING_DISTINCT_ID', 'event has no distinct_id');
  }
  const id = typeof value === 'string' ? value : JSON.stringify(value);
  if (id.length === 0) throw new IngestError('SLUICE_ERR_INGEST_MISSING_DISTINCT_ID', 'distinct_id is empty');
  return id.length > MAX_DISTINCT_ID_LENGTH ? id.slice(0, MAX_DISTINCT_ID_LENGTH) : id;
}

const NUL = '\u0000';
const REPLACEMENT = '\uFFFD';

function replaceNul(text: string): string {
  return text.includes(NUL) ? text.replaceAll(NUL, REPLACEMENT) : text;
}

/**
 * U+0000 becomes U+FFFD in every key and string of a value (a copy where it changed). Postgres cannot
 * store U+0000, and an event must read the same on both backends; PostHog makes the same replacement.
 * Only called when the serialized event shows an escaped NUL, so the walk costs nothing on normal events;
 * the depth was checked before, so the recursion is bounded.
 */
function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return replaceNul(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(withoutNul);
  const copy: JsonObject = {};
  for (const [key, child] of Object.entries(value as JsonObject)) copy[replaceNul(key)] = withoutNul(child);
  return copy;
}

function mergeTopLevelUpdate(props: JsonObject, key: '$set' | '$set_once', value: unknown): void {
  if (!isObject(value)) return;
  props[key] = isObject(props[key]) ? { ...value, ...(props[key] as JsonObject) } : value;
}

function refuseTooDeep(raw: JsonObject, maxDepth: number): void {
  const tooDeep = findTooDeep(raw, maxDepth);
  if (tooDeep !== null) {
    throw new IngestError('SLUICE_ERR_INGEST_EVENT_TOO_DEEP', `event is nested deeper than ${maxDepth} levels (at ${tooDeep.path})`);
  }
}

/**
 * Validates one raw event and turns it into the internal event. Throws {@link IngestError} with the
 * reason when the event cannot be accepted; the caller rejects only this event.
 */
export function normalizeEvent(raw: unknown, ctx: NormalizeContext): NewEvent {
  if (!isObject(raw)) throw new IngestError('SLUICE_ERR_INGEST_INVALID_EVENT', 'event must be a JSON object');
  // Before anything that recurses over the event (JSON.stringify below, and everything after capture).
  refuseTooDeep(raw, ctx.limits.maxEventDepth);
  const name = raw.event;
  if (typeof name !== 'string' || name.length === 0) {
    throw new IngestError('SLUICE_ERR_INGEST_MISSING_EVENT_NAME', 'event has no "event" name');
  }
  let props: JsonObject;
  if (raw.properties === undefined || raw.properties === null) props = {};
  // The parsed request body belongs to intake alone: properties are adopted, not copied.
  else if (isObject(raw.properties)) props = raw.properties;
  else throw new IngestError('SLUICE_ERR_INGEST_INVALID_EVENT', '"properties" must be a JSON object');

  const distinctId = replaceNul(distinctIdOf(raw, props));

  let uuid: string;
  if (raw.uuid === undefined || raw.uuid === null) uuid = uuidv7();
  else if (typeof raw.uuid === 'string' && UUID.test(raw.uuid)) uuid = raw.uuid.toLowerCase();
  else throw new IngestError('SLUICE_ERR_INGEST_INVALID_UUID', `"uuid" is not a UUID: ${JSON.stringify(raw.uuid).slice(0, 60)}`);

  // Fields the SDKs put beside properties end up inside them, as PostHog does.
  mergeTopLevelUpdate(props, '$set', raw.$set);
  mergeTopLevelUpdate(props, '$set_once', raw.$set_once);
  if (isObject(raw.options)) {
    // Capture v1 lifts a few sentinels into `options`; put them back where person processing looks.
    if (typeof raw.options.process_person_profile === 'boolean') props.$process_person_profile = raw.options.process_person_profile;
  }
  if (typeof raw.session_id === 'string' && props.$session_id === undefined) props.$session_id = raw.session_id;
  if (typeof raw.window_id === 'string' && props.$window_id === undefined) props.$window_id = raw.window_id;
  if (ctx.lib !== undefined && props.$lib === undefined) {
    props.$lib = ctx.lib.name;
    props.$lib_version = ctx.lib.version;
  }
  if (ctx.ip !== undefined && props.$ip === undefined) props.$ip = ctx.ip;
  delete props.token;
  delete props.$token;

  const ignoreSentAt =
    props.$ignore_sent_at === true || (isObject(raw.options) && raw.options.disable_skew_correction === true);
  const timestamp = computeTimestamp(
    { timestamp: raw.timestamp, sentAt: raw.sent_at ?? ctx.sentAt, offset: raw.offset, ignoreSentAt },
    ctx.nowMs,
  );

  // JSON.stringify writes U+0000 as the escape `\u0000` (a literal backslash-u in a string is doubled, so
  // this can only over-match, and then the walk finds nothing to replace).
  let propertiesJson = JSON.stringify(props);
  if (propertiesJson.includes('\\u0000')) {
    props = withoutNul(props) as JsonObject;
    propertiesJson = JSON.stringify(props);
  }
  // A UTF-16 unit is at most 3 UTF-8 bytes: count bytes only when the string could be too large.
  const max = ctx.limits.maxEventBytes;
  const size = propertiesJson.length * 3 <= max ? propertiesJson.length : Buffer.byteLength(propertiesJson);
  if (size > max) {
    throw new IngestError(
      'SLUICE_ERR_INGEST_EVENT_TOO_LARGE',
      `event is larger than ${formatBytes(max)} (${size} bytes of properties)`,
    );
  }

  const event: NewEvent = {
    projectId: ctx.projectId,
    uuid,
    event: replaceNul(name),
    distinct_id: distinctId,
    properties: props,
    timestamp,
    receivedAt: ctx.receivedAt,
    propertiesJson,
  };
  const chain = stringField(raw.elements_chain) ?? stringField(props.$elements_chain);
  if (chain !== undefined) event.elements_chain = replaceNul(chain);
  return event;
}
