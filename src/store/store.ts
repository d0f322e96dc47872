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
}

/** The normalized event of product.md §1, as intake hands it to the store. */
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

/** An event as stored: `seq` is its position in the one global intake order. */
export interface StoredEvent extends NewEvent {
  seq: number;
}

export interface AppendResult {
  /** For each input event, in order: its `seq`, or `null` when an event with the same project and uuid
   *  was already stored (a client retry) and this copy was ignored. */
  seqs: (number | null)[];
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
  projectId: number;
  person: PersonSnapshot;
  groups: Record<string, GroupSnapshot>;
}

/** An event together with the person and groups it was processed against. */
export interface EnrichedEvent {
  seq: number;
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
  offset: { consumer: string; seq: number };
}

export interface Store {
  readonly dialect: string;
  close(): Promise<void>;

  // projects and keys
  createProject(input: { name: string; apiToken: string }): Promise<Project>;
  listProjects(): Promise<Project[]>;
  getProject(id: number): Promise<Project | null>;
  getProjectByToken(apiToken: string): Promise<Project | null>;
  /** `secureValue` is the hex sha256 of the key; the key itself is never stored. */
  createApiKey(input: { label: string; secureValue: string; maskValue: string }): Promise<ApiKey>;
  findApiKey(secureValue: string): Promise<ApiKey | null>;
  countApiKeys(): Promise<number>;

  // events
  /** Stores all events durably in one atomic write (group commit). Resolves only once committed. */
  appendEvents(events: NewEvent[]): Promise<AppendResult>;
  /** Events with `seq > afterSeq`, in `seq` order. */
  readEvents(afterSeq: number, limit: number): Promise<StoredEvent[]>;
  countEvents(projectId?: number): Promise<number>;
  lastEventSeq(): Promise<number>;
  listEventUuids(projectId: number): Promise<string[]>;

  // person processing
  getOffset(consumer: string): Promise<number>;
  /** Persons (with all their distinct ids) keyed by the requested distinct ids that have one. */
  loadPersons(projectId: number, distinctIds: string[]): Promise<Map<string, Person>>;
  listGroupTypes(): Promise<GroupType[]>;
  loadGroups(projectId: number, refs: GroupRef[]): Promise<Group[]>;
  commitPersonBatch(write: PersonBatchWrite): Promise<void>;
  /** Enriched events with `seq > afterSeq`, in `seq` order: the destinations runtime's input. */
  readEnrichedEvents(afterSeq: number, limit: number): Promise<EnrichedEvent[]>;

  // management reads
  getPersonByDistinctId(projectId: number, distinctId: string): Promise<Person | null>;
  listPersons(projectId: number, page: { limit: number; offset: number }): Promise<Person[]>;
  listGroups(projectId: number, filter: { groupTypeIndex?: number; limit: number; offset: number }): Promise<Group[]>;
}
