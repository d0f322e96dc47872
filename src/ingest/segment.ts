/**
 * The Segment tracking API (also spoken by RudderStack and Jitsu SDKs), translated into PostHog-shaped raw
 * events so that normalization, persons, groups and destinations work on them unchanged. The mapping is
 * documented in docs/ingest.md ("Segment-spec API").
 */
import { createHash } from 'node:crypto';
import type { JsonObject } from '../store/store.js';
import { IngestError, type IngestErrorCode } from './errors.js';
import type { CaptureFormat } from './intake.js';
import type { Envelope } from './normalize.js';
import { parseTime } from './timestamp.js';
import { uuidv8FromDigest } from './uuid.js';

export const SEGMENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type SegmentType = (typeof SEGMENT_TYPES)[number];

/** The group type a `group` call names when its traits carry no `group_type`. */
export const DEFAULT_GROUP_TYPE = 'company';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `context` fields lifted into PostHog properties; the rest stays in `$segment_context`. */
const LIFTED_CONTEXT = new Set(['ip', 'library', 'userAgent']);

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A Segment id: a non-empty string, or a number (the spec allows numeric user ids). */
function idOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** The username of `Authorization: Basic …`, which Segment SDKs use to send the write key. */
export function basicAuthUser(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Basic\s+(\S+)\s*$/i.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon === -1 ? decoded : decoded.slice(0, colon);
  return user.length > 0 ? user : undefined;
}

/**
 * The event uuid for a `messageId`. A UUID is kept; any other id (`node-next-…`, `ajs-…`) becomes a UUID
 * derived from it, so a retried batch stores each event once. The first 48 bits are the message's own
 * timestamp when it has one (retries resend it unchanged), so derived ids sort by time like the v7 ids
 * intake makes, keeping the events index append-only; the rest is a SHA-256 of the id.
 */
export function uuidForMessageId(messageId: string, timestamp: unknown): string {
  if (UUID.test(messageId)) return messageId.toLowerCase();
  const hash = createHash('sha256').update(messageId).digest();
  const ms = parseTime(timestamp);
  if (ms !== undefined && ms >= 0 && ms < 2 ** 48) hash.writeUIntBE(Math.floor(ms), 0, 6);
  return uuidv8FromDigest(hash);
}

function reject(code: IngestErrorCode, detail: string): never {
  throw new IngestError(code, detail);
}

/** Copies what the message's `context` says into PostHog's properties; the rest is kept as `$segment_context`. */
function applyContext(props: JsonObject, context: JsonObject | undefined): void {
  if (context === undefined) return;
  const ip = textOf(context.ip);
  if (ip !== undefined) props.$ip ??= ip;
  const agent = textOf(context.userAgent);
  if (agent !== undefined) props.$raw_user_agent ??= agent;
  if (isObject(context.library)) {
    const name = textOf(context.library.name);
    if (name !== undefined) props.$lib ??= name;
    const version = textOf(context.library.version);
    if (version !== undefined) props.$lib_version ??= version;
  }
  if (isObject(context.page)) applyPage(props, context.page);
  const groupId = idOf(context.groupId);
  if (groupId !== undefined && props.$groups === undefined) props.$groups = { [DEFAULT_GROUP_TYPE]: groupId };
  const rest: JsonObject = {};
  let any = false;
  for (const key of Object.keys(context)) {
    if (LIFTED_CONTEXT.has(key)) continue;
    rest[key] = context[key] as JsonObject[string];
    any = true;
  }
  if (any) props.$segment_context ??= rest;
}

/** Page facts (`context.page` or a page call's properties) as PostHog's web properties. */
function applyPage(props: JsonObject, page: JsonObject): void {
  const pairs: [string, unknown][] = [
    ['$current_url', page.url],
    ['$pathname', page.path],
    ['$referrer', page.referrer],
    ['$title', page.title],
  ];
  for (const [key, value] of pairs) {
    const text = textOf(value);
    if (text !== undefined && props[key] === undefined) props[key] = text;
  }
}

function objectField(message: JsonObject, key: string): JsonObject | undefined {
  const value = message[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) reject('SLUICE_ERR_INGEST_INVALID_EVENT', `"${key}" must be a JSON object, not ${kindOf(value)}`);
  return value;
}

/** The PostHog event name and type-specific properties of one call. */
function mapCall(type: SegmentType, message: JsonObject, props: JsonObject, distinctId: string): { name: unknown; distinctId: string } {
  switch (type) {
    case 'track':
      return { name: message.event, distinctId };
    case 'identify': {
      const traits = objectField(message, 'traits');
      if (traits !== undefined) props.$set = traits;
      const userId = idOf(message.userId);
      const anonymousId = idOf(message.anonymousId);
      // Both ids: the anonymous person merges into the user, as posthog-js's identify does.
      if (userId !== undefined && anonymousId !== undefined && userId !== anonymousId) props.$anon_distinct_id = anonymousId;
      return { name: '$identify', distinctId };
    }
    case 'page': {
      applyPage(props, props);
      const name = textOf(message.name);
      if (name !== undefined) props.name ??= name;
      const category = textOf(message.category);
      if (category !== undefined) props.category ??= category;
      return { name: '$pageview', distinctId };
    }
    case 'screen': {
      const name = textOf(message.name) ?? textOf(props.name);
      if (name !== undefined) props.$screen_name = name;
      return { name: '$screen', distinctId };
    }
    case 'group': {
      const groupId = idOf(message.groupId);
      if (groupId === undefined) reject('SLUICE_ERR_INGEST_INVALID_EVENT', 'a group call needs a "groupId"');
      const traits = { ...objectField(message, 'traits') };
      const groupType = textOf(traits.group_type) ?? textOf(props.group_type) ?? DEFAULT_GROUP_TYPE;
      // group_type routes the call; it is not a property of the group.
      delete traits.group_type;
      props.$group_type = groupType;
      props.$group_key = groupId;
      props.$group_set = traits;
      props.$groups = { ...(isObject(props.$groups) ? props.$groups : {}), [groupType]: groupId };
      return { name: '$groupidentify', distinctId };
    }
    case 'alias': {
      const previousId = idOf(message.previousId);
      const userId = idOf(message.userId);
      if (previousId === undefined || userId === undefined) {
        reject('SLUICE_ERR_INGEST_MISSING_DISTINCT_ID', 'an alias call needs both "previousId" and "userId"');
      }
      // The user is the merge target and the previous id joins it: the other way round, PostHog's rules
      // would refuse the merge once the user is identified.
      props.alias = previousId;
      return { name: '$create_alias', distinctId: userId };
    }
  }
}

function typeOf(message: JsonObject, fixed: SegmentType | undefined): SegmentType {
  if (fixed !== undefined) return fixed;
  const type = message.type;
  if (typeof type !== 'string') reject('SLUICE_ERR_INGEST_INVALID_EVENT', 'a batch item needs a "type" (track, identify, page, screen, group or alias)');
  if (!(SEGMENT_TYPES as readonly string[]).includes(type)) {
    reject('SLUICE_ERR_INGEST_INVALID_EVENT', `unknown "type" ${JSON.stringify(type.slice(0, 40))}: expected one of ${SEGMENT_TYPES.join(', ')}`);
  }
  return type as SegmentType;
}

/** One Segment message as a PostHog raw event. */
export function translateSegmentMessage(raw: unknown, fixedType: SegmentType | undefined, batchContext: JsonObject | undefined, sentAt: unknown): JsonObject {
  if (!isObject(raw)) reject('SLUICE_ERR_INGEST_INVALID_EVENT', `a Segment message must be a JSON object, not ${kindOf(raw)}`);
  const type = typeOf(raw, fixedType);
  const properties = objectField(raw, 'properties');
  // The parsed body belongs to intake alone: properties are adopted, not copied.
  const props: JsonObject = properties ?? {};
  const ownContext = objectField(raw, 'context');
  const context = batchContext === undefined ? ownContext : { ...batchContext, ...ownContext };
  const distinctId = idOf(raw.userId) ?? idOf(raw.anonymousId);
  if (distinctId === undefined && type !== 'alias') {
    reject('SLUICE_ERR_INGEST_MISSING_DISTINCT_ID', `a ${type} call needs a "userId" or an "anonymousId"`);
  }
  const mapped = mapCall(type, raw, props, distinctId ?? '');
  applyContext(props, context);
  const event: JsonObject = { event: mapped.name as JsonObject[string], distinct_id: mapped.distinctId, properties: props };
  const timestamp = raw.timestamp ?? raw.originalTimestamp;
  if (timestamp !== undefined) event.timestamp = timestamp as JsonObject[string];
  const messageSentAt = raw.sentAt ?? sentAt;
  if (messageSentAt !== undefined && timestamp !== undefined) event.sent_at = messageSentAt as JsonObject[string];
  const messageId = idOf(raw.messageId);
  if (messageId !== undefined) event.uuid = uuidForMessageId(messageId, timestamp);
  return event;
}

/**
 * The Segment body format for one request: `/v1/batch` takes `{"batch": [...]}`, the single-call paths
 * (`/v1/track`, …) one message whose type is the path's. The write key is the project token, from the
 * Basic auth username or `writeKey` in the body.
 */
export function segmentFormat(fixedType: SegmentType | undefined, basicUser: string | undefined): CaptureFormat {
  let batchContext: JsonObject | undefined;
  let sentAt: unknown;
  return {
    readEnvelope(body: unknown): Envelope {
      if (!isObject(body)) {
        reject('SLUICE_ERR_INGEST_INVALID_PAYLOAD', `request body must be a JSON object (a Segment message, or {"batch": [...]} on /v1/batch), not ${kindOf(body)}`);
      }
      // Segment's browser library may name the write key only inside each batched message.
      const first = Array.isArray(body.batch) ? body.batch[0] : undefined;
      const writeKey = textOf(body.writeKey) ?? (isObject(first) ? textOf(first.writeKey) : undefined);
      if (writeKey !== undefined && basicUser !== undefined && writeKey !== basicUser) {
        reject('SLUICE_ERR_INGEST_MIXED_TOKENS', 'the Basic auth username and "writeKey" in the body name different write keys; send one');
      }
      sentAt = body.sentAt;
      const token = basicUser ?? writeKey;
      if (fixedType !== undefined) return { events: [body], token, sentAt: undefined };
      if (!Array.isArray(body.batch)) {
        reject('SLUICE_ERR_INGEST_INVALID_PAYLOAD', `"batch" must be an array of Segment messages, not ${body.batch === undefined ? 'missing' : kindOf(body.batch)}`);
      }
      if (body.context !== undefined && !isObject(body.context)) reject('SLUICE_ERR_INGEST_INVALID_PAYLOAD', '"context" must be a JSON object');
      batchContext = body.context;
      return { events: body.batch, token, sentAt: undefined };
    },
    translate(raw: unknown): unknown {
      return translateSegmentMessage(raw, fixedType, batchContext, sentAt);
    },
  };
}
