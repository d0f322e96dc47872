/**
 * Row → object mapping and other dialect-neutral helpers shared by the SQLite and Postgres stores.
 *
 * A row here is what either driver hands back for `SELECT *` on the table of the same name (snake_case
 * columns, JSON kept as text). Where the drivers differ in a column's JS type (a boolean is `0`/`1` in
 * SQLite and `true`/`false` in Postgres) the row type allows both. No SQL and no driver types here.
 */
import type {
  ApiKey,
  ClusterMember,
  PartitionLease,
  DestinationHealth,
  DestinationHealthChange,
  DestinationHealthState,
  EnrichedEvent,
  Enrichment,
  Group,
  GroupType,
  Invocation,
  InvocationState,
  JsonObject,
  LogEntry,
  LogLevel,
  LogPosition,
  MetricPoint,
  Person,
  PersonSnapshot,
  Project,
  RecentEventsQuery,
  StoredDestination,
  StoredEvent,
} from './store.js';

/**
 * Postgres `text` and `jsonb` cannot hold U+0000 (a write with one fails the whole statement, and with it
 * every other row in the batch). Both stores write U+FFFD in its place, as PostHog does, so a value reads
 * back the same from either backend. The common case is one native scan.
 */
export function storableText(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

/** {@link storableText} for a column that may be null. */
export function storableTextOrNull<T extends string | null | undefined>(text: T): T {
  return (typeof text === 'string' ? storableText(text) : text) as T;
}

/**
 * The filter part of a recent-events query (after `project_id`), with `placeholder()` giving each
 * dialect's next parameter marker. Event names are matched with one `IN` list.
 */
export function recentEventsWhere(query: RecentEventsQuery, placeholder: () => string): { where: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  if (query.events !== undefined && query.events.length > 0) {
    parts.push(`event IN (${query.events.map(() => placeholder()).join(', ')})`);
    values.push(...query.events);
  }
  if (query.distinctId !== undefined) {
    parts.push(`distinct_id = ${placeholder()}`);
    values.push(query.distinctId);
  }
  if (query.after !== undefined) {
    parts.push(`timestamp >= ${placeholder()}`);
    values.push(query.after);
  }
  if (query.before !== undefined) {
    parts.push(`timestamp < ${placeholder()}`);
    values.push(query.before);
  }
  return { where: parts.map((p) => ` AND ${p}`).join(''), values };
}

/** A SQLite boolean column (`0`/`1`) or a Postgres one. */
type SqlBoolean = boolean | 0 | 1;

function isTrue(value: SqlBoolean): boolean {
  return value === true || value === 1;
}

// ---- projects, keys, events, persons, groups ------------------------------------------------------------

export interface ProjectRow {
  id: number;
  name: string;
  api_token: string;
  settings: string;
  created_at: string;
}

export function toProject(row: ProjectRow): Project {
  return { id: row.id, name: row.name, apiToken: row.api_token, settings: JSON.parse(row.settings) as JsonObject, createdAt: row.created_at };
}

/** The columns `findApiKey` reads (never the secure value). */
export interface ApiKeyRow {
  id: string;
  label: string;
  mask_value: string;
  created_at: string;
  /** JSON array of scope strings. */
  scopes: string;
  /** JSON array of project ids, or NULL for every project. */
  scoped_projects: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Every column of `api_keys` but the secure value, for the queries that read keys. */
export const API_KEY_COLUMNS = 'id, label, mask_value, created_at, scopes, scoped_projects, last_used_at, revoked_at';

export function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    label: row.label,
    maskValue: row.mask_value,
    createdAt: row.created_at,
    scopes: JSON.parse(row.scopes) as string[],
    projects: row.scoped_projects === null ? null : (JSON.parse(row.scoped_projects) as number[]),
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export interface EventRow {
  seq: number;
  partition: number;
  /** Postgres: the appending transaction's id (`xid8` as text); absent on SQLite (one writer: 0). */
  tx?: string | number;
  project_id: number;
  uuid: string;
  event: string;
  distinct_id: string;
  properties: string;
  timestamp: string;
  elements_chain: string | null;
  received_at: string;
}

function positionOf(row: EventRow): LogPosition {
  return { tx: row.tx === undefined ? 0 : Number(row.tx), seq: row.seq };
}

export function toStoredEvent(row: EventRow): StoredEvent {
  const event: StoredEvent = {
    seq: row.seq,
    partition: row.partition,
    position: positionOf(row),
    projectId: row.project_id,
    uuid: row.uuid,
    event: row.event,
    distinct_id: row.distinct_id,
    properties: JSON.parse(row.properties) as JsonObject,
    timestamp: row.timestamp,
    receivedAt: row.received_at,
  };
  if (row.elements_chain !== null) event.elements_chain = row.elements_chain;
  return event;
}

/**
 * An event row joined with its `enriched_events` row (person and groups as `x_person`, `x_groups`; the
 * transformed event, when a transformation changed it, as `x_event`).
 */
export type EnrichedEventRow = EventRow & { x_person: string; x_groups: string; x_event: string | null };

/**
 * `enriched_events.event_json`: a transformed event's fields as JSON, reusing its serialized properties
 * when it carries them (a transformation that changed the properties has just serialized them).
 */
export function transformedEventJson(event: NonNullable<Enrichment['event']>): string {
  const properties = event.propertiesJson ?? JSON.stringify(event.properties);
  const chain = event.elements_chain === undefined ? '' : `,"elements_chain":${JSON.stringify(event.elements_chain)}`;
  return `{"uuid":${JSON.stringify(event.uuid)},"event":${JSON.stringify(event.event)},"distinct_id":${JSON.stringify(event.distinct_id)},"properties":${properties},"timestamp":${JSON.stringify(event.timestamp)}${chain}}`;
}

/** The event destinations see: the transformed one when a transformation changed it, else the stored one. */
function enrichedEventOf(row: EnrichedEventRow): EnrichedEvent['event'] {
  if (row.x_event !== null) return JSON.parse(row.x_event) as EnrichedEvent['event'];
  const event: EnrichedEvent['event'] = {
    uuid: row.uuid,
    event: row.event,
    distinct_id: row.distinct_id,
    properties: JSON.parse(row.properties) as JsonObject,
    timestamp: row.timestamp,
  };
  if (row.elements_chain !== null) event.elements_chain = row.elements_chain;
  return event;
}

export function toEnrichedEvent(row: EnrichedEventRow): EnrichedEvent {
  const event = enrichedEventOf(row);
  return {
    seq: row.seq,
    partition: row.partition,
    position: positionOf(row),
    projectId: row.project_id,
    event,
    person: JSON.parse(row.x_person) as PersonSnapshot,
    groups: JSON.parse(row.x_groups) as EnrichedEvent['groups'],
  };
}

export interface PersonRow {
  id: string;
  project_id: number;
  properties: string;
  is_identified: SqlBoolean;
  version: number;
  created_at: string;
}

/** `distinctIds` come from `person_distinct_ids`, in the order the person gained them. */
export function toPerson(row: PersonRow, distinctIds: string[]): Person {
  return {
    id: row.id,
    projectId: row.project_id,
    properties: JSON.parse(row.properties) as JsonObject,
    isIdentified: isTrue(row.is_identified),
    version: row.version,
    createdAt: row.created_at,
    distinctIds,
  };
}

export interface GroupTypeRow {
  project_id: number;
  group_type: string;
  group_type_index: number;
}

export function toGroupType(row: GroupTypeRow): GroupType {
  return { projectId: row.project_id, groupType: row.group_type, groupTypeIndex: row.group_type_index };
}

export interface GroupRow {
  project_id: number;
  group_type_index: number;
  group_key: string;
  properties: string;
  version: number;
  created_at: string;
}

export function toGroup(row: GroupRow): Group {
  return {
    projectId: row.project_id,
    groupTypeIndex: row.group_type_index,
    groupKey: row.group_key,
    properties: JSON.parse(row.properties) as JsonObject,
    version: row.version,
    createdAt: row.created_at,
  };
}

/** Serializes each person snapshot object once: consecutive events of one person often share it. */
export class SnapshotJson {
  private readonly cache = new WeakMap<object, string>();

  of(person: PersonSnapshot): string {
    let json = this.cache.get(person);
    if (json === undefined) {
      json = JSON.stringify(person);
      this.cache.set(person, json);
    }
    return json;
  }
}

// ---- destinations, invocations, logs, metrics ------------------------------------------------------------

export interface DestinationRow {
  id: string;
  project_id: number;
  enabled: SqlBoolean;
  config: string;
  created_at: string;
  updated_at: string;
  version: number;
}

/**
 * The `type` column of a function's config (destinations/model.ts `FUNCTION_TYPES`, kept in step):
 * anything but a source or a transformation is a destination, as rows from before the column were. The
 * column keeps transformations out of the matcher's list of destinations.
 */
export function functionTypeColumn(config: JsonObject): 'destination' | 'source_webhook' | 'transformation' {
  return config.type === 'source_webhook' || config.type === 'transformation' ? config.type : 'destination';
}

export function toDestination(row: DestinationRow): StoredDestination {
  return {
    id: row.id,
    projectId: row.project_id,
    enabled: isTrue(row.enabled),
    config: JSON.parse(row.config) as JsonObject,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export interface InvocationRow {
  id: string;
  project_id: number;
  destination_id: string;
  mapping_index: number | null;
  event_uuid: string;
  globals: string;
  priority: number;
  scheduled_at: number;
  state: InvocationState;
  suspension: string | null;
  attempts: number;
  first_attempt_at: number | null;
  locked_by: string | null;
  locked_until: number | null;
  error: string | null;
  created_at: number;
  finished_at: number | null;
}

/**
 * The `suspension` column's text. A suspension carries what secret inputs became (the pending request,
 * the VM stack), so the runtime encrypts it and the store takes it only in that shape,
 * `{"encrypted": "v1:…"}`: a plaintext suspension reaching the store is a bug, refused loudly rather than
 * written to disk (and to the WAL).
 */
export function suspensionColumn(suspension: JsonObject | null | undefined): string | null {
  if (suspension === null || suspension === undefined) return null;
  const keys = Object.keys(suspension);
  const encrypted = (suspension as { encrypted?: unknown }).encrypted;
  if (keys.length !== 1 || typeof encrypted !== 'string' || !encrypted.startsWith('v1:')) {
    throw new Error(`an invocation suspension must be stored encrypted as {"encrypted": "v1:…"}; got an object with keys ${JSON.stringify(keys)}`);
  }
  return JSON.stringify(suspension);
}

export function toInvocation(row: InvocationRow): Invocation {
  return {
    id: row.id,
    projectId: row.project_id,
    destinationId: row.destination_id,
    mappingIndex: row.mapping_index,
    eventUuid: row.event_uuid,
    globals: JSON.parse(row.globals) as JsonObject,
    priority: row.priority,
    scheduledAt: row.scheduled_at,
    state: row.state,
    suspension: row.suspension === null ? null : (JSON.parse(row.suspension) as JsonObject),
    attempts: row.attempts,
    firstAttemptAt: row.first_attempt_at,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until,
    error: row.error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

/** Lowest priority number first, then the oldest schedule: the order claims hand out work in. */
export function byClaimOrder(a: Invocation, b: Invocation): number {
  return a.priority - b.priority || a.scheduledAt - b.scheduledAt;
}

export interface LogRow {
  project_id: number;
  destination_id: string;
  invocation_id: string | null;
  timestamp: string;
  level: LogLevel;
  message: string;
}

export function toLog(row: LogRow): LogEntry {
  return {
    projectId: row.project_id,
    destinationId: row.destination_id,
    invocationId: row.invocation_id,
    timestamp: row.timestamp,
    level: row.level,
    message: row.message,
  };
}

/** One `destination_metrics` row as `queryMetrics` reads it. */
export interface MetricRow {
  name: string;
  hour: string;
  count: number;
}

/** `2026-01-02T03:00:00.000Z` → `2026-01-02T00:00:00.000Z`. */
function dayOf(hour: string): string {
  return `${hour.slice(0, 10)}T00:00:00.000Z`;
}

/**
 * Hourly metric rows summed into points per bucket (hour or day) and name, keeping only `names` when
 * given (and not empty), sorted by bucket then name.
 */
export function toMetricPoints(rows: MetricRow[], query: { interval: 'hour' | 'day'; names?: string[] }): MetricPoint[] {
  const names = query.names && query.names.length > 0 ? new Set(query.names) : null;
  const points = new Map<string, MetricPoint>();
  for (const row of rows) {
    if (names && !names.has(row.name)) continue;
    const bucket = query.interval === 'day' ? dayOf(row.hour) : row.hour;
    const key = `${bucket}\u0000${row.name}`;
    const point = points.get(key);
    if (point) point.count += row.count;
    else points.set(key, { name: row.name, bucket, count: row.count });
  }
  return [...points.values()].sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

// ---- destination health --------------------------------------------------------------------------------

export interface HealthRow {
  project_id: number;
  destination_id: string;
  state: DestinationHealthState;
  since: number;
  reason: string | null;
  until: number | null;
  tokens: number;
  tokens_at: number;
  temporary_disables: string;
}

export function toHealth(row: HealthRow): DestinationHealth {
  return {
    projectId: row.project_id,
    destinationId: row.destination_id,
    state: row.state,
    since: row.since,
    reason: row.reason,
    until: row.until,
    tokens: Number(row.tokens),
    tokensAt: row.tokens_at,
    temporaryDisables: JSON.parse(row.temporary_disables) as number[],
  };
}

export interface HealthChangeRow {
  project_id: number;
  destination_id: string;
  at: number;
  from_state: DestinationHealthState;
  to_state: DestinationHealthState;
  reason: string;
  until: number | null;
}

export function toHealthChange(row: HealthChangeRow): DestinationHealthChange {
  return {
    projectId: row.project_id,
    destinationId: row.destination_id,
    at: row.at,
    from: row.from_state,
    to: row.to_state,
    reason: row.reason,
    until: row.until,
  };
}

/** A `partition_leases` row. */
export interface LeaseRow {
  partition: number;
  owner: string | null;
  epoch: number;
  expires_at: number;
}

/** A `cluster_members` row. */
export interface MemberRow {
  id: string;
  role: string;
  host: string;
  pid: number;
  started_at: number;
  heartbeat_at: number;
}

export function toLease(row: LeaseRow): PartitionLease {
  return { partition: row.partition, owner: row.owner, epoch: row.epoch, expiresAt: row.expires_at };
}

export function toMember(row: MemberRow): ClusterMember {
  return { id: row.id, role: row.role, host: row.host, pid: row.pid, startedAt: row.started_at, heartbeatAt: row.heartbeat_at };
}
