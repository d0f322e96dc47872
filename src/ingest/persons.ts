import { createHash, randomUUID } from 'node:crypto';
import type {
  Event,
  Group,
  GroupSnapshot,
  GroupType,
  JsonObject,
  Person,
  PersonBatchWrite,
  PersonSnapshot,
} from '../store/store.js';

/**
 * The person and group rules of PostHog, applied to an in-memory model of one project's persons and
 * groups. Pure of I/O: the pipeline loads what a batch needs into the model, applies events in order, and
 * writes the model's changes. Every change replaces objects instead of mutating them, so a snapshot taken
 * for one event never sees the changes of a later one.
 */

/** Distinct ids PostHog refuses to merge on, because SDKs send them by mistake. */
const ILLEGAL_IDS_ANY_CASE = new Set(['anonymous', 'guest', 'distinctid', 'distinct_id', 'id', 'not_authenticated', 'email', 'undefined', 'true', 'false']);
const ILLEGAL_IDS_EXACT = new Set(['[object Object]', 'NaN', 'None', 'none', 'null', '0']);
export const MAX_GROUP_TYPES = 5;
/** Longest distinct id list copied into each enriched event's person. */
const MAX_SNAPSHOT_DISTINCT_IDS = 100;

/** Event properties PostHog copies to the person: the latest value as-is, the first one as `$initial_…`. */
const CAMPAIGN_PROPERTIES = [
  'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term', 'gclid', 'gad_source', 'fbclid', 'msclkid',
  'dclid', 'twclid', 'li_fat_id', 'mc_cid', 'igshid', 'ttclid',
];
const DEVICE_PROPERTIES = [
  '$browser', '$browser_version', '$device_type', '$os', '$os_version', '$current_url', '$pathname', '$referrer',
  '$referring_domain',
];

export function isIllegalDistinctId(id: string): boolean {
  return id.length === 0 || ILLEGAL_IDS_EXACT.has(id) || ILLEGAL_IDS_ANY_CASE.has(id.toLowerCase());
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deterministic id for the person of a personless event, so repeated events agree on it. */
export function personlessId(projectId: number, distinctId: string): string {
  const hex = createHash('sha1').update(`sluice-personless:${projectId}:${distinctId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Computes the person properties an event asks for; returns the same object when nothing changes. */
export function applyPropertyUpdates(current: JsonObject, eventProps: JsonObject, withInitial = true): JsonObject {
  let next: JsonObject | undefined;
  const write = (key: string, value: unknown): void => {
    next ??= { ...current };
    next[key] = value;
  };
  const has = (key: string): boolean => (next ?? current)[key] !== undefined;

  const setOnce = eventProps.$set_once;
  if (isObject(setOnce)) {
    for (const key of Object.keys(setOnce)) if (!has(key)) write(key, setOnce[key]);
  }
  if (withInitial) {
    for (const key of CAMPAIGN_PROPERTIES) {
      const value = eventProps[key];
      if (value === undefined) continue;
      if (!has(`$initial_${key}`)) write(`$initial_${key}`, value);
      if ((next ?? current)[key] !== value) write(key, value);
    }
    for (const key of DEVICE_PROPERTIES) {
      const value = eventProps[key];
      if (value === undefined) continue;
      const initial = `$initial_${key.slice(1)}`;
      if (!has(initial)) write(initial, value);
    }
  }
  const set = eventProps.$set;
  if (isObject(set)) {
    for (const key of Object.keys(set)) {
      const value = set[key];
      if (!Object.is((next ?? current)[key], value) || !(key in (next ?? current))) write(key, value);
    }
  }
  const unset = eventProps.$unset;
  const unsetKeys = Array.isArray(unset) ? unset : isObject(unset) ? Object.keys(unset) : [];
  for (const key of unsetKeys) {
    if (typeof key === 'string' && key in (next ?? current)) {
      next ??= { ...current };
      delete next[key];
    }
  }
  return next ?? current;
}

interface ModelPerson {
  id: string;
  properties: JsonObject;
  isIdentified: boolean;
  version: number;
  /** The version the store holds, as far as this model knows (`null`: not stored yet). */
  storedVersion: number | null;
  createdAt: string;
  distinctIds: string[];
  snapshot: PersonSnapshot | undefined;
}

interface ModelGroup {
  groupTypeIndex: number;
  groupKey: string;
  properties: JsonObject;
  version: number;
  storedVersion: number | null;
  createdAt: string;
  snapshot: GroupSnapshot | undefined;
}

export interface Warning {
  kind: 'cannot_merge_already_identified' | 'illegal_distinct_id' | 'too_many_group_types';
  detail: string;
}

const EMPTY_GROUPS: Record<string, GroupSnapshot> = Object.freeze({}) as Record<string, GroupSnapshot>;

/** One project's persons and groups, as far as they are loaded, plus the changes not yet written. */
export class ProjectModel {
  readonly projectId: number;
  /** Distinct id → person; `null` when known to have none. */
  private readonly byDistinctId = new Map<string, ModelPerson | null>();
  /**
   * Distinct id → the person id the store maps it to, as far as this model knows. Every write states
   * what it expects here, so a concurrent change by another partition's batch is refused, not overwritten.
   */
  private readonly storedMapping = new Map<string, string | null>();
  private readonly groupTypes = new Map<string, number>();
  private readonly groups = new Map<string, ModelGroup | null>();
  private dirtyPersons = new Set<ModelPerson>();
  /** Persons merged away: id → the version the store holds. */
  private deletedPersonIds = new Map<string, number | null>();
  private distinctIdWrites = new Map<string, ModelPerson>();
  private newGroupTypes: GroupType[] = [];
  private dirtyGroups = new Set<ModelGroup>();
  readonly warnings: Warning[] = [];
  private readonly newId: () => string;

  constructor(projectId: number, groupTypes: GroupType[], newId: () => string = randomUUID) {
    this.projectId = projectId;
    for (const t of groupTypes) this.groupTypes.set(t.groupType, t.groupTypeIndex);
    this.newId = newId;
  }

  get size(): number {
    return this.byDistinctId.size + this.groups.size;
  }

  // ---- loading -------------------------------------------------------------------------------------

  /** Distinct ids an event needs that the model does not know yet. */
  missingDistinctIds(event: Event, into: Set<string>): void {
    const need = (id: unknown): void => {
      if (typeof id === 'string' && id.length > 0 && !this.byDistinctId.has(id)) into.add(id);
    };
    need(event.distinct_id);
    const props = event.properties;
    if (event.event === '$identify') need(props.$anon_distinct_id);
    if (event.event === '$create_alias' || event.event === '$merge_dangerously') need(props.alias);
  }

  /** Groups an event refers to that the model does not know yet (types without an index have no groups). */
  missingGroups(event: Event, into: Map<string, { groupTypeIndex: number; groupKey: string }>): void {
    for (const [type, key] of groupRefs(event)) {
      const index = this.groupTypes.get(type);
      if (index === undefined) continue;
      const id = `${index}\u0000${key}`;
      if (!this.groups.has(id)) into.set(id, { groupTypeIndex: index, groupKey: key });
    }
  }

  addLoadedPersons(requested: Iterable<string>, found: Map<string, Person>): void {
    const byId = new Map<string, ModelPerson>();
    for (const distinctId of requested) {
      const person = found.get(distinctId);
      if (person === undefined) {
        this.byDistinctId.set(distinctId, null);
        this.storedMapping.set(distinctId, null);
        continue;
      }
      let model = byId.get(person.id);
      if (model === undefined) {
        model = {
          id: person.id,
          properties: person.properties,
          isIdentified: person.isIdentified,
          version: person.version,
          storedVersion: person.version,
          createdAt: person.createdAt,
          distinctIds: person.distinctIds,
          snapshot: undefined,
        };
        byId.set(person.id, model);
        for (const d of person.distinctIds) {
          this.byDistinctId.set(d, model);
          this.storedMapping.set(d, person.id);
        }
      }
      this.byDistinctId.set(distinctId, model);
      this.storedMapping.set(distinctId, person.id);
    }
  }

  addLoadedGroups(requested: Iterable<{ groupTypeIndex: number; groupKey: string }>, found: Group[]): void {
    for (const ref of requested) this.groups.set(`${ref.groupTypeIndex}\u0000${ref.groupKey}`, null);
    for (const g of found) {
      this.groups.set(`${g.groupTypeIndex}\u0000${g.groupKey}`, {
        groupTypeIndex: g.groupTypeIndex,
        groupKey: g.groupKey,
        properties: g.properties,
        version: g.version,
        storedVersion: g.version,
        createdAt: g.createdAt,
        snapshot: undefined,
      });
    }
  }

  // ---- applying events ------------------------------------------------------------------------------

  /** Applies one event's person and group changes; returns the person and groups as of after the event. */
  apply(event: Event, nowIso: string): { person: PersonSnapshot; groups: Record<string, GroupSnapshot> } {
    const props = event.properties;
    if (props.$process_person_profile === false) {
      const existing = this.byDistinctId.get(event.distinct_id);
      const person = existing ? this.snapshotOf(existing) : this.personlessSnapshot(event.distinct_id);
      return { person, groups: this.groupsOf(event, nowIso) };
    }
    if (event.event === '$identify' && typeof props.$anon_distinct_id === 'string') {
      this.merge(event.distinct_id, props.$anon_distinct_id, true, false, nowIso);
    } else if ((event.event === '$create_alias' || event.event === '$merge_dangerously') && typeof props.alias === 'string') {
      this.merge(event.distinct_id, props.alias, false, event.event === '$merge_dangerously', nowIso);
    }
    const person = this.ensurePerson(event.distinct_id, nowIso);
    const properties = applyPropertyUpdates(person.properties, props);
    const identify = event.event === '$identify' && !person.isIdentified;
    if (properties !== person.properties || identify) {
      person.properties = properties;
      if (identify) person.isIdentified = true;
      this.touch(person);
    }
    if (event.event === '$groupidentify') this.groupIdentify(props, nowIso);
    return { person: this.snapshotOf(person), groups: this.groupsOf(event, nowIso) };
  }

  private touch(person: ModelPerson): void {
    person.version++;
    person.snapshot = undefined;
    this.dirtyPersons.add(person);
  }

  private ensurePerson(distinctId: string, nowIso: string): ModelPerson {
    const existing = this.byDistinctId.get(distinctId);
    if (existing) return existing;
    const person: ModelPerson = {
      id: this.newId(),
      properties: {},
      isIdentified: false,
      version: 0,
      storedVersion: null,
      createdAt: nowIso,
      distinctIds: [distinctId],
      snapshot: undefined,
    };
    this.byDistinctId.set(distinctId, person);
    this.distinctIdWrites.set(distinctId, person);
    this.touch(person);
    return person;
  }

  private addDistinctId(person: ModelPerson, distinctId: string): void {
    person.distinctIds = [...person.distinctIds, distinctId];
    this.byDistinctId.set(distinctId, person);
    this.distinctIdWrites.set(distinctId, person);
    this.touch(person);
  }

  /**
   * `$identify` and `$create_alias`: `target` is the event's distinct id, `other` the anonymous id or
   * alias. PostHog's rules: if only one side has a person, the other id joins it; if neither has one, a
   * person is created with both; if both have different persons, they merge into the target's person
   * (target's properties win conflicts), unless the other person is already identified (refused, except
   * for `$merge_dangerously`).
   */
  private merge(targetId: string, otherId: string, isIdentify: boolean, force: boolean, nowIso: string): void {
    if (targetId === otherId) return;
    if (isIllegalDistinctId(otherId) || isIllegalDistinctId(targetId)) {
      this.warnings.push({ kind: 'illegal_distinct_id', detail: `refused to merge "${otherId}" into "${targetId}"` });
      return;
    }
    const target = this.byDistinctId.get(targetId) ?? null;
    const other = this.byDistinctId.get(otherId) ?? null;
    if (target !== null && other !== null) {
      if (target === other) return;
      if (other.isIdentified && !force) {
        this.warnings.push({
          kind: 'cannot_merge_already_identified',
          detail: `refused to merge already identified "${otherId}" into "${targetId}"`,
        });
        return;
      }
      target.properties = { ...other.properties, ...target.properties };
      target.distinctIds = [...target.distinctIds, ...other.distinctIds];
      for (const d of other.distinctIds) {
        this.byDistinctId.set(d, target);
        this.distinctIdWrites.set(d, target);
      }
      if (isIdentify) target.isIdentified = true;
      this.dirtyPersons.delete(other);
      this.deletedPersonIds.set(other.id, other.storedVersion);
      this.touch(target);
    } else if (other !== null) {
      this.addDistinctId(other, targetId);
      if (isIdentify) other.isIdentified = true;
    } else if (target !== null) {
      this.addDistinctId(target, otherId);
    } else {
      const person = this.ensurePerson(otherId, nowIso);
      this.addDistinctId(person, targetId);
      if (isIdentify) person.isIdentified = true;
    }
  }

  private snapshotOf(person: ModelPerson): PersonSnapshot {
    person.snapshot ??= {
      id: person.id,
      properties: person.properties,
      distinct_ids:
        person.distinctIds.length > MAX_SNAPSHOT_DISTINCT_IDS ? person.distinctIds.slice(0, MAX_SNAPSHOT_DISTINCT_IDS) : person.distinctIds,
      is_identified: person.isIdentified,
      created_at: person.createdAt,
      processed: true,
    };
    return person.snapshot;
  }

  private personlessSnapshot(distinctId: string): PersonSnapshot {
    return {
      id: personlessId(this.projectId, distinctId),
      properties: {},
      distinct_ids: [distinctId],
      is_identified: false,
      created_at: '',
      processed: false,
    };
  }

  // ---- groups ---------------------------------------------------------------------------------------

  private typeIndex(type: string): number | undefined {
    const known = this.groupTypes.get(type);
    if (known !== undefined) return known;
    if (this.groupTypes.size >= MAX_GROUP_TYPES) {
      this.warnings.push({ kind: 'too_many_group_types', detail: `group type "${type}" ignored: a project has at most ${MAX_GROUP_TYPES}` });
      return undefined;
    }
    const index = this.groupTypes.size;
    this.groupTypes.set(type, index);
    this.newGroupTypes.push({ projectId: this.projectId, groupType: type, groupTypeIndex: index });
    return index;
  }

  private groupIdentify(props: JsonObject, nowIso: string): void {
    const type = props.$group_type;
    const key = groupKey(props.$group_key);
    if (typeof type !== 'string' || type.length === 0 || key === undefined) return;
    const index = this.typeIndex(type);
    if (index === undefined) return;
    const id = `${index}\u0000${key}`;
    let group = this.groups.get(id) ?? null;
    if (group === null) {
      group = { groupTypeIndex: index, groupKey: key, properties: {}, version: 0, storedVersion: null, createdAt: nowIso, snapshot: undefined };
      this.groups.set(id, group);
      this.dirtyGroups.add(group);
    }
    const set = props.$group_set;
    if (isObject(set)) {
      const next = applyPropertyUpdates(group.properties, { $set: set }, false);
      if (next !== group.properties) {
        group.properties = next;
        group.version++;
        group.snapshot = undefined;
        this.dirtyGroups.add(group);
      }
    }
  }

  private groupsOf(event: Event, nowIso: string): Record<string, GroupSnapshot> {
    const refs = groupRefs(event);
    if (refs.length === 0) return EMPTY_GROUPS;
    void nowIso;
    const out: Record<string, GroupSnapshot> = {};
    for (const [type, key] of refs) {
      const index = this.typeIndex(type);
      if (index === undefined) continue;
      const group = this.groups.get(`${index}\u0000${key}`) ?? null;
      if (group === null) {
        out[type] = { key, index, properties: {} };
      } else {
        group.snapshot ??= { key, index, properties: group.properties };
        out[type] = group.snapshot;
      }
    }
    return out;
  }

  // ---- writing --------------------------------------------------------------------------------------

  /**
   * Moves the pending changes into `write`, with what the store must still hold for them to apply
   * (`write.expect`), and forgets them. The model then assumes the write succeeds; if it fails, the
   * caller must drop the model and load again.
   */
  drainChanges(write: Omit<PersonBatchWrite, 'enrichments' | 'offset'>): void {
    for (const p of this.dirtyPersons) {
      write.expect.persons.push({ id: p.id, version: p.storedVersion });
      p.storedVersion = p.version;
      write.upsertPersons.push({
        id: p.id,
        projectId: this.projectId,
        properties: p.properties,
        isIdentified: p.isIdentified,
        version: p.version,
        createdAt: p.createdAt,
        distinctIds: p.distinctIds,
      });
    }
    for (const [id, storedVersion] of this.deletedPersonIds) {
      write.deletePersonIds.push(id);
      write.expect.persons.push({ id, version: storedVersion });
    }
    for (const [distinctId, person] of this.distinctIdWrites) {
      write.setDistinctIds.push({ projectId: this.projectId, distinctId, personId: person.id });
      write.expect.distinctIds.push({ projectId: this.projectId, distinctId, personId: this.storedMapping.get(distinctId) ?? null });
      this.storedMapping.set(distinctId, person.id);
    }
    write.upsertGroupTypes.push(...this.newGroupTypes);
    for (const g of this.dirtyGroups) {
      write.expect.groups.push({ projectId: this.projectId, groupTypeIndex: g.groupTypeIndex, groupKey: g.groupKey, version: g.storedVersion });
      g.storedVersion = g.version;
      write.upsertGroups.push({
        projectId: this.projectId,
        groupTypeIndex: g.groupTypeIndex,
        groupKey: g.groupKey,
        properties: g.properties,
        version: g.version,
        createdAt: g.createdAt,
      });
    }
    this.dirtyPersons = new Set();
    this.deletedPersonIds = new Map();
    this.distinctIdWrites = new Map();
    this.newGroupTypes = [];
    this.dirtyGroups = new Set();
    this.warnings.length = 0;
  }
}

function groupKey(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** The `[type, key]` pairs an event belongs to: its `$groups`, plus the group a `$groupidentify` names. */
function groupRefs(event: Event): [string, string][] {
  const props = event.properties;
  const out: [string, string][] = [];
  const groups = props.$groups;
  if (isObject(groups)) {
    for (const type of Object.keys(groups)) {
      const key = groupKey(groups[type]);
      if (key !== undefined) out.push([type, key]);
    }
  }
  if (event.event === '$groupidentify' && typeof props.$group_type === 'string') {
    const key = groupKey(props.$group_key);
    if (key !== undefined && !out.some(([t]) => t === props.$group_type)) out.push([props.$group_type, key]);
  }
  return out;
}
