import { describe, expect, it } from 'vitest';
import type { Event, PersonBatchWrite } from '../../store/store.js';
import { applyPropertyUpdates, isIllegalDistinctId, ProjectModel } from '../persons.js';

let n = 0;
function ev(event: string, distinct_id: string, properties: Record<string, unknown> = {}): Event {
  return { uuid: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, event, distinct_id, properties, timestamp: '2026-01-01T00:00:00.000Z' };
}

function model(): ProjectModel {
  let id = 0;
  const m = new ProjectModel(1, [], () => `person-${++id}`);
  return m;
}

/** Everything unknown is absent, as for a fresh project. */
function apply(m: ProjectModel, e: Event) {
  const ids = new Set<string>();
  m.missingDistinctIds(e, ids);
  m.addLoadedPersons(ids, new Map());
  return m.apply(e, '2026-01-01T00:00:00.000Z');
}

function drain(m: ProjectModel): PersonBatchWrite {
  const w: PersonBatchWrite = { upsertPersons: [], deletePersonIds: [], setDistinctIds: [], upsertGroupTypes: [], upsertGroups: [], enrichments: [], expect: { persons: [], distinctIds: [], groups: [] }, offset: { consumer: 'x', partition: 0, position: { tx: 0, seq: 0 } } };
  m.drainChanges(w);
  return w;
}

describe('person property updates', () => {
  it('sets, sets once and unsets in PostHog order', () => {
    const next = applyPropertyUpdates({ a: 1, keep: true, gone: 1 }, { $set_once: { a: 2, b: 2 }, $set: { c: 3 }, $unset: ['gone'] }, false);
    expect(next).toEqual({ a: 1, keep: true, b: 2, c: 3 });
  });

  it('returns the same object when nothing changes', () => {
    const current = { a: 1 };
    expect(applyPropertyUpdates(current, { $set: { a: 1 }, $set_once: { a: 5 } }, false)).toBe(current);
  });

  it('records the first campaign and device values as $initial_ properties', () => {
    const first = applyPropertyUpdates({}, { utm_source: 'news', $browser: 'Firefox' });
    const second = applyPropertyUpdates(first, { utm_source: 'ads', $browser: 'Chrome' });
    expect(second).toMatchObject({ $initial_utm_source: 'news', utm_source: 'ads', $initial_browser: 'Firefox' });
  });
});

describe('person processing', () => {
  it('gives the event the person including the event\'s own $set', () => {
    const m = model();
    const { person } = apply(m, ev('$identify', 'max', { $set: { email: 'max@example.com' } }));
    expect(person.properties.email).toBe('max@example.com');
    expect(person.is_identified).toBe(true);
  });

  it('never changes the snapshot an earlier event received', () => {
    const m = model();
    const first = apply(m, ev('a', 'u', { $set: { n: 1 } })).person;
    apply(m, ev('b', 'u', { $set: { n: 2 } }));
    expect(first.properties.n).toBe(1);
  });

  it('adds the identified id to the anonymous person when only that one exists', () => {
    const m = model();
    const anon = apply(m, ev('$pageview', 'anon', { $set: { seen: true } })).person;
    const after = apply(m, ev('$identify', 'user', { $anon_distinct_id: 'anon' })).person;
    expect(after.id).toBe(anon.id);
    expect(after.distinct_ids).toEqual(['anon', 'user']);
    expect(after.properties.seen).toBe(true);
  });

  it('merges two persons with the identified side winning conflicts, and deletes the other', () => {
    const m = model();
    const anon = apply(m, ev('x', 'anon', { $set: { color: 'red', only_anon: 1 } })).person;
    const user = apply(m, ev('x', 'user', { $set: { color: 'blue' } })).person;
    const merged = apply(m, ev('$identify', 'user', { $anon_distinct_id: 'anon' })).person;
    expect(merged.id).toBe(user.id);
    expect(merged.properties).toMatchObject({ color: 'blue', only_anon: 1 });
    expect(new Set(merged.distinct_ids)).toEqual(new Set(['anon', 'user']));
    const w = drain(m);
    expect(w.deletePersonIds).toEqual([anon.id]);
    expect(w.setDistinctIds).toEqual(expect.arrayContaining([{ projectId: 1, distinctId: 'anon', personId: user.id }]));
  });

  it('refuses to merge a person that is already identified, except with $merge_dangerously', () => {
    const m = model();
    apply(m, ev('$identify', 'alice', {}));
    const bob = apply(m, ev('$identify', 'bob', {})).person;
    const after = apply(m, ev('$identify', 'bob', { $anon_distinct_id: 'alice' })).person;
    expect(after.distinct_ids).toEqual(['bob']);
    expect(m.warnings.map((w) => w.kind)).toContain('cannot_merge_already_identified');
    const forced = apply(m, ev('$merge_dangerously', 'bob', { alias: 'alice' })).person;
    expect(forced.id).toBe(bob.id);
    expect(new Set(forced.distinct_ids)).toEqual(new Set(['alice', 'bob']));
  });

  it('creates one person for both ids when alias names two unknown ids', () => {
    const m = model();
    const p = apply(m, ev('$create_alias', 'main', { alias: 'other' })).person;
    expect(new Set(p.distinct_ids)).toEqual(new Set(['main', 'other']));
    expect(p.is_identified).toBe(false);
  });

  it('ignores merges on illegal distinct ids such as "undefined"', () => {
    const m = model();
    expect(isIllegalDistinctId('undefined')).toBe(true);
    expect(isIllegalDistinctId('Anonymous')).toBe(true);
    const p = apply(m, ev('$identify', 'user', { $anon_distinct_id: 'null' })).person;
    expect(p.distinct_ids).toEqual(['user']);
  });

  it('creates no person for a personless event and gives it a stable id', () => {
    const m = model();
    const a = apply(m, ev('x', 'ghost', { $process_person_profile: false, $set: { a: 1 } })).person;
    const b = apply(m, ev('y', 'ghost', { $process_person_profile: false })).person;
    expect(a.processed).toBe(false);
    expect(a.id).toBe(b.id);
    expect(drain(m).upsertPersons).toEqual([]);
  });

  it('stores group properties from $groupidentify and attaches them with their type index', () => {
    const m = model();
    apply(m, ev('$groupidentify', 'u', { $group_type: 'company', $group_key: 'acme', $group_set: { name: 'Acme' } }));
    apply(m, ev('$groupidentify', 'u', { $group_type: 'project', $group_key: 7, $group_set: { name: 'P' } }));
    const { groups } = apply(m, ev('x', 'u', { $groups: { company: 'acme', project: '7', unknown: 'k' } }));
    expect(groups.company).toEqual({ key: 'acme', index: 0, properties: { name: 'Acme' } });
    expect(groups.project).toEqual({ key: '7', index: 1, properties: { name: 'P' } });
    expect(groups.unknown).toEqual({ key: 'k', index: 2, properties: {} });
    const w = drain(m);
    expect(w.upsertGroupTypes.map((t) => t.groupType)).toEqual(['company', 'project', 'unknown']);
    expect(w.upsertGroups).toHaveLength(2);
  });

  it('allows at most five group types per project', () => {
    const m = model();
    const groups = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((t) => [t, 'k']));
    const out = apply(m, ev('x', 'u', { $groups: groups })).groups;
    expect(Object.keys(out)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
