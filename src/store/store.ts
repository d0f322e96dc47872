/**
 * The storage contract of Sluice. Every operation is named in Sluice's terms (projects, keys, events,
 * persons, groups, consumer offsets); no SQL, connection or transaction type appears here, so a Postgres
 * implementation can follow the SQLite one without touching callers. Only `src/store/**` may import a
 * database driver.
 */

export type JsonObject = { [key: string]: unknown };

export interface Project {
  id: number;
  name: string;
  /** Public token the SDKs send (`phc_…`). */
  apiToken: string;
  settings: JsonObject;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  label: string;
  /** Last characters of the key, for display (`…a1b2`). Never the key itself. */
  maskValue: string;
  createdAt: string;
  /** What the key may do: `group:read`/`group:write` strings, or `*` for everything (`src/api/scopes.ts`). */
  scopes: string[];
  /** The project ids the key may use; `null`: every project. */
  projects: number[] | null;
  /** When a request last authenticated with it (recorded at most once a minute); `null`: never. */
  lastUsedAt: string | null;
  /** When it was revoked; a revoked key authenticates nothing. */
  revokedAt: string | null;
}

export interface NewApiKey {
  label: string;
  /** The hex sha256 of the key; the key itself is never stored. */
  secureValue: string;
  maskValue: string;
  scopes: string[];
  projects: number[] | null;
}

/** The normalized event, as intake hands it to the store. */
export interface Event {
  uuid: string;
  event: string;
  distinct_id: string;
  properties: JsonObject;
  /** ISO-8601 with milliseconds, UTC. */
  timestamp: string;
  elements_chain?: string;
}

export interface NewEvent extends Event {
  projectId: number;
  /** When Sluice received the request (ISO-8601). */
  receivedAt: string;
  /** `properties` already serialized as JSON, when the caller has it (intake does, to measure sizes). */
  propertiesJson?: string;
}

/**
 * An event as stored. `seq` is unique and grows with each append; `partition` is
 * `partitionOf(projectId, distinct_id, partitionCount)`; `position` orders it inside its partition.
 */
export interface StoredEvent extends NewEvent {
  seq: number;
  partition: number;
  position: LogPosition;
}

/**
 * Where an event sits in its partition's order, and what a consumer's offset is made of. Compare with
 * `comparePositions`. On SQLite (one writer) `tx` is always 0 and `seq` alone orders; on Postgres `tx` is
 * the appending transaction's id (`xid8`) and a partition is read in `(tx, seq)` order, only below the
 * oldest transaction still running, so a late commit can never land behind an offset (see
 * postgres-store.ts). Kafka's single offset maps onto this pair.
 */
export interface LogPosition {
  tx: number;
  seq: number;
}

export const START_POSITION: LogPosition = Object.freeze({ tx: 0, seq: 0 });

export function comparePositions(a: LogPosition, b: LogPosition): number {
  return a.tx !== b.tx ? (a.tx < b.tx ? -1 : 1) : a.seq - b.seq;
}

/**
 * A partition lease as its holder sees it: every write that moves one of the partition's offsets names
 * it, and the store refuses the write (`LeaseLostError`) unless the lease still has this owner and epoch.
 */
export interface LeaseFence {
  partition: number;
  owner: string;
  epoch: number;
}

/** A consumer's offset in one partition, moved atomically with the stage's output. */
export interface PartitionOffsetWrite {
  consumer: string;
  partition: number;
  position: LogPosition;
  /** Omitted only by single-process callers that own every partition by construction (tests, tools). */
  fence?: LeaseFence;
}

/** Thrown when a fenced write finds its lease taken over: the writer must stop consuming the partition. */
export class LeaseLostError extends Error {
  constructor(fence: LeaseFence) {
    super(`partition ${fence.partition} is no longer leased to ${fence.owner} at epoch ${fence.epoch}: another process owns it now`);
    this.name = 'LeaseLostError';
  }
}

/**
 * Thrown when a person-processing write finds persons, distinct ids or groups changed since it loaded
 * them (another partition's batch merged or updated them): nothing was written; reload and redo.
 */
export class PersonConflictError extends Error {
  constructor(detail: string) {
    super(`persons changed concurrently: ${detail}`);
    this.name = 'PersonConflictError';
  }
}

export interface PartitionLease {
  partition: number;
  owner: string | null;
  epoch: number;
  /** Epoch ms (database clock) after which another process may take it. */
  expiresAt: number;
}

/** A live Sluice process, as it announces itself (`store.heartbeat`). */
export interface ClusterMember {
  id: string;
  role: string;
  host: string;
  pid: number;
  startedAt: number;
  /** Epoch ms of its last heartbeat (database clock). */
  heartbeatAt: number;
}

/** How far one consumer is behind in one partition. */
export interface PartitionLag {
  consumer: string;
  partition: number;
  /** Events of the partition after the consumer's offset, counted up to `cap`. */
  events: number;
}

export interface RecentEventsQuery {
  /** Any of these event names. */
  events?: string[];
  distinctId?: string;
  /** ISO-8601 bounds on the event's timestamp: `after` inclusive, `before` exclusive. */
  after?: string;
  before?: string;
  limit: number;
  /** How many of the newest events (all projects) to look through at most. */
  scan: number;
}

export interface AppendResult {
  /** For each input event, in order: its `seq`, or `null` when an event with the same project and uuid
   *  was already stored (a client retry) and this copy was ignored. */
  seqs: (number | null)[];
  /** The appending transaction's id (Postgres `xid8`; 0 on SQLite): the `tx` of every stored event's position. */
  tx: number;
}

export interface Person {
  id: string;
  projectId: number;
  properties: JsonObject;
  isIdentified: boolean;
  /** Incremented on every change. */
  version: number;
  createdAt: string;
  distinctIds: string[];
}

export interface GroupType {
  projectId: number;
  groupType: string;
  groupTypeIndex: number;
}

export interface Group {
  projectId: number;
  groupTypeIndex: number;
  groupKey: string;
  properties: JsonObject;
  version: number;
  createdAt: string;
}

export interface GroupRef {
  groupTypeIndex: number;
  groupKey: string;
}

/** The person as a destination sees it for one event, including that event's own changes. */
export interface PersonSnapshot {
  id: string;
  properties: JsonObject;
  distinct_ids: string[];
  is_identified: boolean;
  created_at: string;
  /** False for a "personless" event (`$process_person_profile: false`) of an unknown distinct id. */
  processed: boolean;
}

export interface GroupSnapshot {
  key: string;
  index: number;
  properties: JsonObject;
}

export interface Enrichment {
  seq: number;
  partition: number;
  position: LogPosition;
  projectId: number;
  person: PersonSnapshot;
  groups: Record<string, GroupSnapshot>;
  /**
   * What the project's transformations made of the event, only when it differs from the stored one
   * (docs/transformations.md). The stored event is never changed; destinations read this instead.
   * `propertiesJson`, when present, is `properties` already serialized.
   */
  event?: Event & { propertiesJson?: string };
}

/** An event a transformation dropped: person processing passed it, destinations never see it. */
export interface DroppedEvent {
  seq: number;
  partition: number;
  position: LogPosition;
  projectId: number;
}

/** An event together with the person and groups it was processed against. */
export interface EnrichedEvent {
  seq: number;
  partition: number;
  position: LogPosition;
  projectId: number;
  event: Event;
  person: PersonSnapshot;
  groups: Record<string, GroupSnapshot>;
}

/**
 * Everything one person-processing batch changes, written atomically together with the consumer offset
 * so a crash never applies an event's changes twice or skips them.
 */
export interface PersonBatchWrite {
  /** Full rows to insert or replace. */
  upsertPersons: Person[];
  deletePersonIds: string[];
  /** Distinct ids pointing at a (new) person; replaces any previous mapping. */
  setDistinctIds: { projectId: number; distinctId: string; personId: string }[];
  upsertGroupTypes: GroupType[];
  upsertGroups: Group[];
  enrichments: Enrichment[];
  /** Events of the batch that a transformation dropped: recorded as passed, never read by destinations. */
  dropped?: DroppedEvent[];
  /**
   * The next stage's consumer (the matcher's `destinations`). When this batch keeps no event and that
   * consumer has already passed every kept event of the partition, its offset moves to this batch's end
   * too: a partition whose events are all dropped would otherwise keep it at its first dropped event, and
   * lag and waiting would look through every dropped event after it, forever.
   */
  downstream?: string;
  /**
   * What this batch read and relies on being unchanged (other partitions' batches may touch the same
   * persons through merges): each person's `version` when loaded (`null`: it must not exist yet, i.e. it
   * is new), each distinct id's person (`null`: it must have none), each group's version (`null`: new).
   * Any mismatch fails the whole write with `PersonConflictError`.
   */
  expect: {
    persons: { id: string; version: number | null }[];
    distinctIds: { projectId: number; distinctId: string; personId: string | null }[];
    groups: { projectId: number; groupTypeIndex: number; groupKey: string; version: number | null }[];
  };
  /** The partition's new offset, fenced by its lease. */
  offset: PartitionOffsetWrite;
}


/** What `claimInvocations` is asked for. */
export interface ClaimRequest {
  workerId: string;
  limit: number;
  now: number;
  lockMs: number;
  /** Destinations whose invocations are not claimed this time (default: none). */
  skipDestinations?: readonly string[];
}

export interface Store {
  readonly dialect: string;
  close(): Promise<void>;

  // projects and keys
  createProject(input: { name: string; apiToken: string }): Promise<Project>;
  listProjects(): Promise<Project[]>;
  getProject(id: number): Promise<Project | null>;
  getProjectByToken(apiToken: string): Promise<Project | null>;
  /** Replaces the project's settings (the caller merges); `null` when there is no such project. */
  updateProjectSettings(id: number, settings: JsonObject): Promise<Project | null>;
  /** `secureValue` is the hex sha256 of the key; the key itself is never stored. */
  createApiKey(input: NewApiKey): Promise<ApiKey>;
  /** The key with this hash, revoked or not (the caller refuses revoked ones). */
  findApiKey(secureValue: string): Promise<ApiKey | null>;
  /** Every key ever created, revoked ones included. */
  countApiKeys(): Promise<number>;
  /** Every key, revoked ones included, oldest first. */
  listApiKeys(): Promise<ApiKey[]>;
  getApiKey(id: string): Promise<ApiKey | null>;
  /** Marks the key revoked at `at` (a second revoke keeps the first time); `null` when there is no such key. */
  revokeApiKey(id: string, at: string): Promise<ApiKey | null>;
  /** Records a use at `at` unless one at or after `notBefore` is recorded already (cheap: one indexed update). */
  touchApiKey(id: string, at: string, notBefore: string): Promise<void>;

  // events
  /** Stores all events durably in one atomic write (group commit). Resolves only once committed. */
  appendEvents(events: NewEvent[]): Promise<AppendResult>;
  /** Events with `seq > afterSeq`, in `seq` order, all partitions (inspection and tests; consumers read partitions). */
  readEvents(afterSeq: number, limit: number): Promise<StoredEvent[]>;
  countEvents(projectId?: number): Promise<number>;
  /**
   * A project's recent events, newest first, for the events API and the test panel. Only the newest
   * `query.scan` events of the log are looked at (no index serves arbitrary filters, and capture must
   * not pay for one), so an old or rare event may not be found.
   */
  listRecentEvents(projectId: number, query: RecentEventsQuery): Promise<StoredEvent[]>;
  lastEventSeq(): Promise<number>;
  listEventUuids(projectId: number): Promise<string[]>;

  // the partitioned log (docs/ARCHITECTURE.md, "Partitions")
  /** P, fixed when the store was created (`SLUICE_PARTITIONS`). */
  readonly partitionCount: number;
  /** A partition's events after `after`, in position order, only those no later commit can precede. */
  readPartition(partition: number, after: LogPosition, limit: number): Promise<StoredEvent[]>;
  /**
   * A partition's enriched events after `after` (person processing's output), in position order: the
   * transformed event where a transformation changed it, and none that a transformation dropped.
   */
  readEnrichedPartition(partition: number, after: LogPosition, limit: number): Promise<EnrichedEvent[]>;
  /** A consumer's offset in every partition (index = partition). */
  getPartitionOffsets(consumer: string): Promise<LogPosition[]>;
  /** Moves offsets with no other output (a batch whose events produced nothing to write). */
  commitOffsets(offsets: PartitionOffsetWrite[]): Promise<void>;
  /**
   * Whether any event with `seq <= seq` is still after the consumer's offset in its partition. Events a
   * transformation dropped do not count: no consumer after person processing ever reads them.
   */
  hasUnprocessed(consumer: string, seq: number): Promise<boolean>;
  /** Per partition and consumer, events after the offset (dropped ones not counted), each count capped at `cap`. */
  partitionLag(consumers: string[], cap: number): Promise<PartitionLag[]>;

  // partition ownership (src/runtime/partition-assigner.ts)
  /** Announces (or refreshes) a live process; returns the database clock (epoch ms). */
  heartbeat(member: Omit<ClusterMember, 'heartbeatAt'>): Promise<number>;
  /** Processes whose last heartbeat is within `withinMs` of the database clock. */
  listMembers(withinMs: number): Promise<ClusterMember[]>;
  /** Removes a process's announcement (clean shutdown). */
  removeMember(id: string): Promise<void>;
  listLeases(): Promise<PartitionLease[]>;
  /**
   * Takes the partition for `owner` if it is free, expired, or already `owner`'s; a new holder gets
   * epoch + 1. Returns the fence, or null when another live holder has it.
   */
  acquireLease(partition: number, owner: string, ttlMs: number): Promise<LeaseFence | null>;
  /** Extends `owner`'s leases; returns those still held (a missing one was taken over: stop it). */
  renewLeases(owner: string, partitions: number[], ttlMs: number): Promise<LeaseFence[]>;
  /** Gives a partition up (only if still held with this fence). */
  releaseLease(fence: LeaseFence): Promise<void>;

  // person processing
  /** Persons (with all their distinct ids) keyed by the requested distinct ids that have one. */
  loadPersons(projectId: number, distinctIds: string[]): Promise<Map<string, Person>>;
  listGroupTypes(): Promise<GroupType[]>;
  loadGroups(projectId: number, refs: GroupRef[]): Promise<Group[]>;
  commitPersonBatch(write: PersonBatchWrite): Promise<void>;
  /** Enriched events with `seq > afterSeq`, in `seq` order, all partitions (inspection and tests); as `readEnrichedPartition`. */
  readEnrichedEvents(afterSeq: number, limit: number): Promise<EnrichedEvent[]>;

  // management reads
  getPersonByDistinctId(projectId: number, distinctId: string): Promise<Person | null>;
  listPersons(projectId: number, page: { limit: number; offset: number }): Promise<Person[]>;
  listGroups(projectId: number, filter: { groupTypeIndex?: number; limit: number; offset: number }): Promise<Group[]>;

  // destinations
  saveDestination(input: { id: string; projectId: number; enabled: boolean; config: JsonObject }): Promise<StoredDestination>;
  getDestination(projectId: number, id: string): Promise<StoredDestination | null>;
  listDestinations(projectId: number): Promise<StoredDestination[]>;
  /** Soft delete: it disappears from lists and stops receiving events. Returns false if absent. */
  deleteDestination(projectId: number, id: string): Promise<boolean>;
  /** A `source_webhook` function by id, enabled or not, in any project (its public URL names no project). */
  getSource(id: string): Promise<StoredDestination | null>;
  /** Every enabled destination of every project (what the matcher runs); sources are left out. */
  listEnabledDestinations(): Promise<StoredDestination[]>;
  /** Highest destination `version`: changes whenever any destination is written. */
  destinationsVersion(): Promise<number>;

  // invocations (the durable queue)
  /**
   * Stores invocations and, atomically with them, a consumer offset (the matcher's position). With
   * `claim`, they are stored already `running` and locked by that worker (a worker in the same process
   * takes them from memory, skipping a claim round trip; if it dies, the lock expires and they are
   * reclaimed like any stalled invocation).
   */
  enqueueInvocations(
    invocations: NewInvocation[],
    offset?: PartitionOffsetWrite,
    claim?: { workerId: string; lockedUntil: number },
  ): Promise<void>;
  /**
   * Claims up to `limit` due invocations for `workerId`: queued ones with `scheduledAt <= now`, and running
   * ones whose lock expired (stalled: their worker died). Lowest priority number first, then oldest.
   * They become `running`, locked until `now + lockMs`; a stalled one's `attempts` goes up by one (the
   * attempt its worker was making when it died). Invocations of `skipDestinations` are left where they are:
   * the worker holds as many of theirs as it wants already.
   */
  claimInvocations(input: ClaimRequest): Promise<Invocation[]>;
  /** Extends the locks of invocations still being worked on. */
  extendInvocationLocks(input: { workerId: string; ids: string[]; lockedUntil: number }): Promise<void>;
  /** Records progress or an outcome; a non-running state releases the lock. */
  updateInvocation(id: string, update: InvocationUpdate): Promise<void>;
  /** Several updates in one transaction (a worker's finished batch). */
  updateInvocations(updates: { id: string; update: InvocationUpdate }[]): Promise<void>;
  /** A worker's buffered results in one transaction: invocation updates, log lines and metric increments. */
  commitInvocationBatch(batch: InvocationBatchWrite): Promise<void>;
  getInvocation(id: string): Promise<Invocation | null>;
  /** Newest first. `after` (inclusive) and `before` (exclusive) bound `createdAt` (epoch ms). */
  listInvocations(
    projectId: number,
    destinationId: string,
    query: { states?: InvocationState[]; limit: number; before?: number; after?: number },
  ): Promise<Invocation[]>;
  /** `after` (inclusive) and `before` (exclusive) bound `createdAt` (epoch ms), as in `listInvocations`. */
  countInvocations(query: { projectId?: number; destinationId?: string; states?: InvocationState[]; after?: number; before?: number }): Promise<number>;
  /** Deletes finished (succeeded, failed, skipped) invocations that finished before `before` (epoch ms). */
  deleteFinishedInvocations(before: number): Promise<number>;
  /** Deletes `parked` invocations created before `before` (epoch ms): parked events are kept for a limited time. */
  deleteParkedInvocations(before: number): Promise<number>;

  // destination health (src/runtime/health.ts)
  getDestinationHealth(projectId: number, destinationId: string): Promise<DestinationHealth | null>;
  /** The stored health of every destination of a project (all projects without `projectId`). */
  listDestinationHealth(projectId?: number): Promise<DestinationHealth[]>;
  /** Inserts or replaces the destination's health; with `change`, appends it to the history in the same transaction. */
  saveDestinationHealth(health: DestinationHealth, change?: DestinationHealthChange): Promise<void>;
  /** A destination's state changes, newest first. */
  listDestinationHealthChanges(projectId: number, destinationId: string, limit: number): Promise<DestinationHealthChange[]>;

  // logs and metrics
  appendLogs(entries: LogEntry[]): Promise<void>;
  queryLogs(projectId: number, destinationId: string, query: LogQuery): Promise<LogEntry[]>;
  deleteLogsBefore(timestamp: string): Promise<number>;
  incrementMetrics(increments: MetricIncrement[]): Promise<void>;
  queryMetrics(
    projectId: number,
    destinationId: string,
    query: { after: string; before: string; interval: 'hour' | 'day'; names?: string[] },
  ): Promise<MetricPoint[]>;
  deleteMetricsBefore(hour: string): Promise<number>;

  // several processes on one database (Postgres); SQLite answers the same calls for its one process
  /**
   * Calls `listener` after any destination is written, by this process or (Postgres: LISTEN/NOTIFY)
   * any other, within about a second. Returns the unsubscribe function.
   */
  onDestinationsChanged(listener: () => void): () => void;
  /**
   * Tries to become the one holder of an exclusive role (`persons`, …) among every process sharing the
   * store. `null` when another process holds it. The lease ends with `release()`, or by itself when the
   * holder dies or loses its connection (then `lost` resolves): another process may take it over.
   */
  tryLead(name: string): Promise<Leadership | null>;
  /** Runs `fn` while holding a named lock shared by every process (waits for it). */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** The atomic counters with expiry that health, masking and rate limits share across processes. */
  readonly counters: SharedCounters;
}

export interface Leadership {
  readonly name: string;
  /** Resolves if the lease is lost without `release()` (connection gone): stop acting as the holder. */
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

/** A counter's value and when it expires (epoch ms). */
export interface CounterValue {
  value: number;
  expiresAt: number;
}

/**
 * Atomic counters with a time to live, shared by every process: the store's table (SQLite, Postgres) or
 * Redis when `SLUICE_REDIS_URL` is set. An expired counter counts as absent.
 */
/** One increment of {@link SharedCounters.incrementMany}. */
export interface CounterIncrement {
  key: string;
  /** Whole number ≥ 0 (0 reads the counter in the same round trip, starting a window if there is none). */
  by: number;
  ttlMs: number;
  /**
   * With n ≥ 1, the expiry also moves to `now + ttlMs` whenever this increment makes the count pass
   * 1 + m·n for some m ≥ 1 (it reaches a new block of n): masking's threshold opens a new window.
   */
  renewEvery?: number | null;
}

export interface SharedCounters {
  /** Adds `by`; an absent or expired counter starts from 0 and expires `ttlMs` after `now`. */
  increment(key: string, by: number, ttlMs: number, now: number): Promise<CounterValue>;
  /**
   * Several increments in one round trip, each atomic like `increment` (plus `renewEvery`); values in the
   * order given. Keys must be distinct (add up repeats first); a repeated key throws.
   */
  incrementMany(increments: readonly CounterIncrement[], now: number): Promise<CounterValue[]>;
  /** Sets the value and a new expiry. */
  set(key: string, value: number, ttlMs: number, now: number): Promise<void>;
  get(key: string, now: number): Promise<CounterValue | null>;
  delete(key: string): Promise<void>;
  /** Removes expired counters (Redis expires them itself); returns how many. */
  sweep(now: number): Promise<number>;
}

// ---------------------------------------------------------------------------------------------------------
// Destinations, invocations, logs and metrics (the destinations runtime)

/**
 * A destination as stored: the validated configuration (`src/destinations/model.ts`'s `Destination`) as
 * JSON, with secret input values already encrypted by the caller. The store does not look inside
 * `config` beyond these columns.
 */
export interface StoredDestination {
  id: string;
  projectId: number;
  enabled: boolean;
  /** The full `Destination` object. */
  config: JsonObject;
  createdAt: string;
  updatedAt: string;
  /** Bumped on every write; lets workers notice configuration changes. */
  version: number;
}

export type InvocationState = 'queued' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'parked';

export interface NewInvocation {
  id: string;
  projectId: number;
  destinationId: string;
  /** Index into the destination's mappings, or null for the destination itself. */
  mappingIndex: number | null;
  eventUuid: string;
  /** The destination globals without `inputs` (secrets are never stored here). */
  globals: JsonObject;
  /** `globals` already serialized, exactly `JSON.stringify(globals)`, when the caller has it (the matcher
   *  does, to serialize an event's globals once for all its destinations). Stores write it as it is. */
  globalsJson?: string;
  /** Lower runs first. Degraded destinations get a higher number. */
  priority: number;
  /** Epoch ms when it may run. */
  scheduledAt: number;
  state?: 'queued' | 'parked';
}

export interface Invocation extends Omit<NewInvocation, 'state'> {
  state: InvocationState;
  /** The executor's `Suspension` (VM state + pending request) while waiting on a fetch; else null. */
  suspension: JsonObject | null;
  attempts: number;
  /** Epoch ms of the first attempt, for the retry window. */
  firstAttemptAt: number | null;
  lockedBy: string | null;
  /** Epoch ms; a `running` invocation past this is stalled and may be claimed again. */
  lockedUntil: number | null;
  error: string | null;
  createdAt: number;
  finishedAt: number | null;
}

export interface InvocationUpdate {
  state: InvocationState;
  /**
   * The worker whose run this update records: applied only while that worker still holds the
   * invocation's lock. A worker that lost it (paused past `lockMs`, its invocation reclaimed and run by
   * another) can then no longer overwrite the newer owner's progress or outcome. Unset: unconditional.
   */
  lockedBy?: string;
  suspension?: JsonObject | null;
  attempts?: number;
  firstAttemptAt?: number | null;
  scheduledAt?: number;
  error?: string | null;
  finishedAt?: number | null;
}

export interface InvocationBatchWrite {
  updates: { id: string; update: InvocationUpdate }[];
  logs: LogEntry[];
  metrics: MetricIncrement[];
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  projectId: number;
  destinationId: string;
  invocationId: string | null;
  /** ISO-8601 with milliseconds. */
  timestamp: string;
  level: LogLevel;
  message: string;
}

export interface LogQuery {
  levels?: LogLevel[];
  /** Case-insensitive substring of the message. */
  search?: string;
  invocationId?: string;
  /** ISO timestamps, exclusive. */
  after?: string;
  before?: string;
  limit: number;
}

export interface MetricIncrement {
  projectId: number;
  destinationId: string;
  /** triggered, succeeded, failed, filtered, filtering_failed, inputs_failed, masked, fetch, retried, … */
  name: string;
  /** Start of the hour bucket, ISO-8601 (`2026-01-02T03:00:00.000Z`). */
  hour: string;
  count: number;
}

export interface MetricPoint {
  name: string;
  /** Start of the bucket (hour or day), ISO-8601. */
  bucket: string;
  count: number;
}

// ---------------------------------------------------------------------------------------------------------
// Destination health (the health watcher's state, src/runtime/health.ts)

export type DestinationHealthState = 'healthy' | 'degraded' | 'disabled_temporarily' | 'disabled_permanently';

/** A destination's health as the watcher left it. Times are epoch ms. */
export interface DestinationHealth {
  projectId: number;
  destinationId: string;
  state: DestinationHealthState;
  /** When the current state began. */
  since: number;
  reason: string | null;
  /** When a temporary disable ends; null otherwise. */
  until: number | null;
  /** The token bucket: its level, and when that level was computed. */
  tokens: number;
  tokensAt: number;
  /** Starts of the recent temporary disables (the watcher keeps the last 24 hours). */
  temporaryDisables: number[];
}

/** One state change, for the destination's health history. */
export interface DestinationHealthChange {
  projectId: number;
  destinationId: string;
  /** Epoch ms. */
  at: number;
  from: DestinationHealthState;
  to: DestinationHealthState;
  reason: string;
  until: number | null;
}
