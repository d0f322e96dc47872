import { describe, expect, it } from 'vitest';
import { compileFilters, hogString, matchesFilters } from '../filters.js';
import { buildGlobals, type BuildGlobalsInput } from '../globals.js';
import type { Filters, PropertyFilter } from '../model.js';

function globalsFor(overrides: {
  event?: string;
  properties?: Record<string, unknown>;
  person?: Record<string, unknown> | null;
  groups?: BuildGlobalsInput['groups'];
}) {
  return buildGlobals({
    event: {
      uuid: '0190a1b2-0000-7000-8000-000000000001',
      event: overrides.event ?? '$pageview',
      distinct_id: 'user-1',
      properties: overrides.properties ?? {},
      timestamp: '2024-05-01T12:00:00.000Z',
    },
    person: overrides.person === null ? null : { id: 'p-1', properties: overrides.person ?? {} },
    groups: overrides.groups ?? {},
    project: { id: 1, name: 'Test' },
    source: { name: 'Webhook', id: 'd-1' },
    siteUrl: 'http://localhost:8000',
  });
}

function compile(filters: Filters, testAccountFilters?: PropertyFilter[]) {
  const result = compileFilters(filters, { testAccountFilters });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result;
}

function matches(filters: Filters, event: Parameters<typeof globalsFor>[0], testAccountFilters?: PropertyFilter[]) {
  const { bytecode } = compile(filters, testAccountFilters);
  const outcome = matchesFilters(bytecode, globalsFor(event));
  if (outcome.error) throw new Error(outcome.error);
  return outcome.matched;
}

function prop(type: 'event' | 'person', key: string, operator: PropertyFilter['operator'], value?: unknown): Filters {
  return { properties: [{ type, key, operator, value }] };
}

describe('compileFilters: events', () => {
  it('matches every event when filters are empty or absent', () => {
    expect(compile({}).source).toBe('true');
    expect(matches({}, { event: 'anything' })).toBe(true);
    expect(matches({ events: [] }, { event: 'anything' })).toBe(true);
  });

  it('compiles an event entry to event.event = name', () => {
    expect(compile({ events: [{ id: '$pageview', type: 'events' }] }).source).toBe("event.event = '$pageview'");
    expect(matches({ events: [{ id: '$pageview' }] }, { event: '$pageview' })).toBe(true);
    expect(matches({ events: [{ id: '$pageview' }] }, { event: '$autocapture' })).toBe(false);
  });

  it('treats an event entry with id null as any event', () => {
    expect(matches({ events: [{ id: null, properties: [{ type: 'event', key: 'a', value: 1 }] }] }, { event: 'x', properties: { a: 1 } })).toBe(true);
  });

  it('ORs several event entries', () => {
    const filters: Filters = { events: [{ id: 'signed_up' }, { id: 'purchased' }] };
    expect(matches(filters, { event: 'signed_up' })).toBe(true);
    expect(matches(filters, { event: 'purchased' })).toBe(true);
    expect(matches(filters, { event: '$pageview' })).toBe(false);
  });

  it('ANDs an event entry with its own property filters', () => {
    const filters: Filters = {
      events: [{ id: '$pageview', properties: [{ type: 'event', key: '$browser', value: 'Chrome' }] }, { id: 'purchased' }],
    };
    expect(matches(filters, { event: '$pageview', properties: { $browser: 'Chrome' } })).toBe(true);
    expect(matches(filters, { event: '$pageview', properties: { $browser: 'Safari' } })).toBe(false);
    expect(matches(filters, { event: 'purchased', properties: { $browser: 'Safari' } })).toBe(true);
  });

  it('ANDs global property filters with the events', () => {
    const filters: Filters = {
      events: [{ id: 'a' }, { id: 'b' }],
      properties: [{ type: 'event', key: 'plan', value: 'pro' }],
    };
    expect(matches(filters, { event: 'b', properties: { plan: 'pro' } })).toBe(true);
    expect(matches(filters, { event: 'b', properties: { plan: 'free' } })).toBe(false);
  });

  it('rejects action filters with a path', () => {
    const result = compileFilters({ actions: [{ id: 3, type: 'actions' }] });
    expect(result).toEqual({ ok: false, errors: [{ path: 'filters.actions', message: expect.stringContaining('not supported') }] });
  });
});

describe('compileFilters: property reads', () => {
  it('reads plain keys as one chain and others by index, with the same results', () => {
    const keys = ['plan', '$browser', 'first name', 'utm-source', 'and', 'NULL', '9lives', "it's"];
    const filters: Filters = { properties: keys.map((key) => ({ key, type: 'event', operator: 'exact', value: 'yes' })) };
    const { source } = compile(filters);
    expect(source).toContain('event.properties.plan = ');
    expect(source).toContain('event.properties.$browser = ');
    // Keywords, spaces, dashes, leading digits and quotes go by index.
    for (const key of ['first name', 'utm-source', 'and', 'NULL', '9lives', "it's"]) expect(source).toContain(`event.properties[${hogString(key)}]`);
    const all = Object.fromEntries(keys.map((key) => [key, 'yes']));
    expect(matches(filters, { properties: all })).toBe(true);
    for (const key of keys) expect(matches(filters, { properties: { ...all, [key]: 'no' } })).toBe(false);
  });
});

describe('compileFilters: operators on event properties', () => {
  const cases: [PropertyFilter['operator'], unknown, Record<string, unknown>, boolean][] = [
    ['exact', 'Chrome', { v: 'Chrome' }, true],
    ['exact', 'Chrome', { v: 'chrome' }, false],
    ['exact', ['Chrome', 'Firefox'], { v: 'Firefox' }, true],
    ['exact', ['Chrome', 'Firefox'], { v: 'Safari' }, false],
    ['exact', '42', { v: 42 }, true],
    ['exact', 'true', { v: true }, true],
    ['is_not', 'Chrome', { v: 'Firefox' }, true],
    ['is_not', 'Chrome', { v: 'Chrome' }, false],
    ['is_not', ['Chrome', 'Firefox'], { v: 'Firefox' }, false],
    ['is_not', ['Chrome', 'Firefox'], { v: 'Safari' }, true],
    ['icontains', 'ROME', { v: 'Chrome 120' }, true],
    ['icontains', 'edge', { v: 'Chrome 120' }, false],
    ['not_icontains', 'edge', { v: 'Chrome' }, true],
    ['not_icontains', 'ROME', { v: 'Chrome' }, false],
    ['regex', '^Chr.me \\d+$', { v: 'Chrome 120' }, true],
    ['regex', '^Fire', { v: 'Chrome' }, false],
    ['regex', '^Fire', {}, false],
    ['not_regex', '^Fire', { v: 'Chrome' }, true],
    ['not_regex', '^Chr', { v: 'Chrome' }, false],
    ['gt', 10, { v: 11 }, true],
    ['gt', '10', { v: 10 }, false],
    ['gte', '10', { v: 10 }, true],
    ['lt', 10, { v: 9.5 }, true],
    ['lt', 10, { v: 10 }, false],
    ['lte', 10, { v: 10 }, true],
    ['lte', 10, { v: 10.5 }, false],
    ['is_date_before', '2024-06-01', { v: '2024-05-01T12:00:00Z' }, true],
    ['is_date_after', '2024-06-01', { v: '2024-05-01T12:00:00Z' }, false],
  ];
  for (const [operator, value, properties, expected] of cases) {
    it(`${operator} ${JSON.stringify(value)} on ${JSON.stringify(properties.v ?? null)} is ${expected}`, () => {
      expect(matches(prop('event', 'v', operator, value), { properties })).toBe(expected);
    });
  }

  it('is_set and is_not_set test presence', () => {
    expect(matches(prop('event', 'v', 'is_set'), { properties: { v: 0 } })).toBe(true);
    expect(matches(prop('event', 'v', 'is_set'), { properties: {} })).toBe(false);
    expect(matches(prop('event', 'v', 'is_not_set'), { properties: {} })).toBe(true);
    expect(matches(prop('event', 'v', 'is_not_set'), { properties: { v: 'x' } })).toBe(false);
  });

  it('defaults the operator to exact', () => {
    expect(matches({ properties: [{ type: 'event', key: 'v', value: 'x' }] }, { properties: { v: 'x' } })).toBe(true);
  });

  it('reads property keys with any characters', () => {
    const key = "it's a \\ key.with dots";
    expect(matches(prop('event', key, 'exact', 'y'), { properties: { [key]: 'y' } })).toBe(true);
  });

  it('rejects an unknown operator with the filter path', () => {
    const result = compileFilters({ properties: [{ type: 'event', key: 'v', operator: 'contains' as never, value: 1 }] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.path).toBe('filters.properties[0].operator');
  });

  it('rejects a relative date for is_date_before', () => {
    const result = compileFilters(prop('event', 'v', 'is_date_before', '-7d'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.path).toBe('filters.properties[0].value');
  });
});

describe('compileFilters: person and group properties', () => {
  it('filters on person properties with each kind of operator', () => {
    expect(matches(prop('person', 'email', 'icontains', '@example.com'), { person: { email: 'max@EXAMPLE.com' } })).toBe(true);
    expect(matches(prop('person', 'email', 'exact', 'a@b.c'), { person: { email: 'x@y.z' } })).toBe(false);
    expect(matches(prop('person', 'age', 'gte', 18), { person: { age: 30 } })).toBe(true);
    expect(matches(prop('person', 'email', 'is_set'), { person: {} })).toBe(false);
    expect(matches(prop('person', 'email', 'regex', '@posthog\\.com$'), { person: { email: 'a@posthog.com' } })).toBe(true);
  });

  it('treats a personless event as having no person properties', () => {
    expect(matches(prop('person', 'email', 'is_not_set'), { person: null })).toBe(true);
    expect(matches(prop('person', 'email', 'exact', 'x'), { person: null })).toBe(false);
  });

  it('filters on group properties by group_type_index', () => {
    const groups = {
      company: { key: 'acme', index: 0, properties: { plan: 'enterprise', seats: 40 } },
      team: { key: 'growth', index: 1, properties: { plan: 'free' } },
    };
    const on = (index: number, operator: PropertyFilter['operator'], value: unknown): Filters => ({
      properties: [{ type: 'group', key: index === 0 ? 'plan' : 'plan', group_type_index: index, operator, value }],
    });
    expect(matches(on(0, 'exact', 'enterprise'), { groups })).toBe(true);
    expect(matches(on(1, 'exact', 'enterprise'), { groups })).toBe(false);
    expect(matches(on(1, 'is_not', 'enterprise'), { groups })).toBe(true);
    expect(matches(on(2, 'is_set', null), { groups })).toBe(false);
    expect(
      matches({ properties: [{ type: 'group', key: 'seats', group_type_index: 0, operator: 'gt', value: '10' }] }, { groups }),
    ).toBe(true);
  });

  it('requires a valid group_type_index', () => {
    const result = compileFilters({ properties: [{ type: 'group', key: 'plan', value: 'x' }] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.path).toBe('filters.properties[0].group_type_index');
  });
});

describe('compileFilters: test accounts and Hog expressions', () => {
  const testAccounts: PropertyFilter[] = [{ type: 'person', key: 'email', operator: 'not_icontains', value: '@sluice.dev' }];

  it('applies the project test-account filters when filter_test_accounts is on', () => {
    const filters: Filters = { events: [{ id: '$pageview' }], filter_test_accounts: true };
    expect(matches(filters, { person: { email: 'dev@sluice.dev' } }, testAccounts)).toBe(false);
    expect(matches(filters, { person: { email: 'max@example.com' } }, testAccounts)).toBe(true);
  });

  it('ignores the test-account filters when filter_test_accounts is off', () => {
    expect(matches({ events: [{ id: '$pageview' }] }, { person: { email: 'dev@sluice.dev' } }, testAccounts)).toBe(true);
  });

  it('ANDs an optional Hog expression', () => {
    const filters: Filters = { events: [{ id: '$pageview' }], hog: "event.properties.path like '/docs%'" };
    expect(matches(filters, { properties: { path: '/docs/intro' } })).toBe(true);
    expect(matches(filters, { properties: { path: '/blog' } })).toBe(false);
  });

  it('keeps a trailing comment in the Hog expression from swallowing the rest', () => {
    const filters: Filters = { hog: 'true -- always', events: [{ id: '$pageview' }] };
    const { source } = compile(filters);
    expect(matches(filters, { event: 'other' })).toBe(false);
    expect(source).toContain("event.event = '$pageview'");
  });

  it('reports a Hog syntax error with its path, line and column', () => {
    const result = compileFilters({ hog: "event.event = \n  'x' and (" });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors[0]).toMatchObject({ path: 'filters.hog', line: expect.any(Number), column: expect.any(Number) });
    }
  });

  it('supports hogql property filters written against PostHog filter globals', () => {
    const filters: Filters = { properties: [{ type: 'hogql', key: "properties.plan = 'pro'" }] };
    expect(matches(filters, { properties: { plan: 'pro' } })).toBe(true);
    expect(matches(filters, { properties: { plan: 'free' } })).toBe(false);
  });
});

describe('compileFilters: injection-safe values', () => {
  it('escapes quotes and backslashes so a value stays data', () => {
    expect(hogString("a'b\\c")).toBe("'a\\'b\\\\c'");
    const evil = "x' or true or '";
    const filters = prop('event', 'v', 'exact', evil);
    expect(matches(filters, { properties: { v: 'something else' } })).toBe(false);
    expect(matches(filters, { properties: { v: evil } })).toBe(true);
  });

  it('keeps backslash sequences, newlines and comment markers literal', () => {
    for (const value of ['a\\', "\\'", 'line1\nline2\ttab\r', '-- comment', '/* c', '{event}', '\u0000\u0007\b\f\v']) {
      expect(matches(prop('event', 'v', 'exact', value), { properties: { v: value } })).toBe(true);
      expect(matches(prop('event', 'v', 'exact', value), { properties: { v: `${value}x` } })).toBe(false);
    }
  });

  it('keeps an event name with quotes literal', () => {
    const name = "it's \\' or 1 = 1 or '";
    expect(matches({ events: [{ id: name }] }, { event: name })).toBe(true);
    expect(matches({ events: [{ id: name }] }, { event: '$pageview' })).toBe(false);
  });

  it('rejects object values instead of embedding them', () => {
    const result = compileFilters(prop('event', 'v', 'exact', { a: 1 }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.path).toBe('filters.properties[0].value');
  });
});

describe('matchesFilters', () => {
  it('matches only when the result is exactly true', () => {
    const run = (hog: string) => {
      const { bytecode } = compile({ hog });
      return matchesFilters(bytecode, globalsFor({})).matched;
    };
    expect(run('true')).toBe(true);
    expect(run('1')).toBe(false);
    expect(run("'true'")).toBe(false);
    expect(run('[1]')).toBe(false);
    expect(run('null')).toBe(false);
  });

  it('reports a runtime error as no match with the message', () => {
    const { bytecode } = compile({ hog: "match(event.event, '(')" });
    const outcome = matchesFilters(bytecode, globalsFor({}));
    expect(outcome.matched).toBe(false);
    expect(outcome.error).toEqual(expect.any(String));
  });
});
