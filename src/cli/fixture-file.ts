/**
 * The `fixtures` of a `sluice test` file, checked field by field: every problem is named with its path
 * (`fixtures[2].expect.requests[0].url: …`), and each fixture is built from the values that passed, so the
 * runner gets exactly the `TemplateFixture` shape. Fields a fixture does not know are ignored.
 */
import type { ExpectedRequest, FixtureEvent, TemplateFixture } from '../templates/types.js';

type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isStringRecord = (value: unknown): value is Record<string, string> => isObject(value) && Object.values(value).every((v) => typeof v === 'string');
const STATUSES = ['succeeded', 'failed', 'skipped'] as const;
type Status = (typeof STATUSES)[number];
const isStatus = (value: unknown): value is Status => typeof value === 'string' && (STATUSES as readonly string[]).includes(value);

/** Problems named one by one; past this many, only counted (a generated file can have thousands). */
const MAX_PROBLEMS = 20;

/** Collects the problems of one file; each check returns the typed value, or undefined after naming the problem. */
class Problems {
  private readonly named: string[] = [];
  private count = 0;

  add(at: string, message: string): undefined {
    if (this.count++ < MAX_PROBLEMS) this.named.push(`${at}: ${message}`);
    return undefined;
  }

  get any(): boolean {
    return this.count > 0;
  }

  get list(): string[] {
    const more = this.count - this.named.length;
    return more > 0 ? [...this.named, `… and ${more} more problems`] : this.named;
  }

  /** An optional field: absent stays absent; present must pass `check`. */
  optional<T>(value: unknown, at: string, check: (v: unknown) => v is T, message: string): T | undefined {
    if (value === undefined || check(value)) return value;
    return this.add(at, message);
  }
}

function eventOf(raw: unknown, at: string, problems: Problems): FixtureEvent | undefined {
  if (!isObject(raw) || typeof raw.event !== 'string') return problems.add(at, 'must be an object with an "event" name');
  const event: FixtureEvent = { event: raw.event };
  for (const field of ['distinct_id', 'uuid', 'timestamp', 'elements_chain'] as const) {
    const value = problems.optional(raw[field], `${at}.${field}`, (v): v is string => typeof v === 'string', 'must be a string');
    if (value !== undefined) event[field] = value;
  }
  const properties = problems.optional(raw.properties, `${at}.properties`, isObject, 'must be an object');
  if (properties !== undefined) event.properties = properties;
  return event;
}

function personOf(raw: unknown, at: string, problems: Problems): TemplateFixture['person'] {
  if (raw === undefined || raw === null) return raw;
  if (!isObject(raw)) return problems.add(at, 'must be null or an object {id?, properties?}');
  const id = problems.optional(raw.id, `${at}.id`, (v): v is string => typeof v === 'string', 'must be a string');
  const properties = problems.optional(raw.properties, `${at}.properties`, isObject, 'must be an object');
  return { ...(id !== undefined ? { id } : {}), ...(properties !== undefined ? { properties } : {}) };
}

function groupsOf(raw: unknown, at: string, problems: Problems): TemplateFixture['groups'] {
  if (raw === undefined) return undefined;
  if (!isObject(raw)) return problems.add(at, 'must be an object of {key, index, properties?} by group type');
  const groups: NonNullable<TemplateFixture['groups']> = {};
  for (const [type, group] of Object.entries(raw)) {
    if (!isObject(group) || typeof group.key !== 'string' || !Number.isInteger(group.index)) {
      problems.add(`${at}.${type}`, 'must be an object {key, index, properties?}');
      continue;
    }
    const properties = problems.optional(group.properties, `${at}.${type}.properties`, isObject, 'must be an object');
    groups[type] = { key: group.key, index: Number(group.index), ...(properties !== undefined ? { properties } : {}) };
  }
  return groups;
}

function responsesOf(raw: unknown, at: string, problems: Problems): TemplateFixture['responses'] {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || !raw.every((r) => isObject(r) && typeof r.status === 'number' && (r.headers === undefined || isStringRecord(r.headers)))) {
    return problems.add(at, 'must be a list of {status, body?, headers?}');
  }
  return raw.filter(isObject).map((r) => ({
    status: Number(r.status),
    ...('body' in r ? { body: r.body } : {}),
    ...(isStringRecord(r.headers) ? { headers: r.headers } : {}),
  }));
}

function requestOf(raw: unknown, at: string, problems: Problems): ExpectedRequest | undefined {
  if (!isObject(raw) || typeof raw.method !== 'string' || typeof raw.url !== 'string') return problems.add(at, 'must be an object with "method" and "url"');
  const headers = problems.optional(raw.headers, `${at}.headers`, isStringRecord, 'must be an object of strings');
  return { method: raw.method, url: raw.url, ...(headers !== undefined ? { headers } : {}), ...('body' in raw ? { body: raw.body } : {}) };
}

function expectOf(raw: unknown, at: string, problems: Problems): TemplateFixture['expect'] | undefined {
  if (!isObject(raw)) return problems.add(at, 'must be an object {status?, requests, error?, logsMustNotContain?}');
  if (!Array.isArray(raw.requests)) return problems.add(`${at}.requests`, 'must be a list of {method, url, headers?, body?}');
  const requests = raw.requests.map((r, j) => requestOf(r, `${at}.requests[${j}]`, problems));
  const status = problems.optional(raw.status, `${at}.status`, isStatus, 'must be succeeded, failed or skipped');
  const error = problems.optional(raw.error, `${at}.error`, (v): v is string => typeof v === 'string', 'must be a string');
  const hidden = problems.optional(
    raw.logsMustNotContain,
    `${at}.logsMustNotContain`,
    (v): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string'),
    'must be a list of strings',
  );
  return {
    requests: requests.filter((r): r is ExpectedRequest => r !== undefined),
    ...(status !== undefined ? { status } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(hidden !== undefined ? { logsMustNotContain: hidden } : {}),
  };
}

function fixtureOf(raw: unknown, at: string, problems: Problems): TemplateFixture | undefined {
  if (!isObject(raw)) return problems.add(at, 'must be an object');
  const name = typeof raw.name === 'string' && raw.name !== '' ? raw.name : problems.add(`${at}.name`, 'must be a non-empty string');
  const event = eventOf(raw.event, `${at}.event`, problems);
  const inputs = problems.optional(raw.inputs, `${at}.inputs`, isObject, 'must be an object') ?? {};
  const person = personOf(raw.person, `${at}.person`, problems);
  const groups = groupsOf(raw.groups, `${at}.groups`, problems);
  const now = problems.optional(raw.now, `${at}.now`, (v): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v)), 'must be an ISO-8601 time');
  const maxFetches = problems.optional(raw.maxFetches, `${at}.maxFetches`, (v): v is number => Number.isInteger(v) && Number(v) > 0, 'must be a positive integer');
  const responses = responsesOf(raw.responses, `${at}.responses`, problems);
  const expected = expectOf(raw.expect, `${at}.expect`, problems);
  if (name === undefined || event === undefined || expected === undefined) return undefined;
  return {
    name,
    event,
    inputs,
    expect: expected,
    ...(person !== undefined ? { person } : {}),
    ...(groups !== undefined ? { groups } : {}),
    ...(now !== undefined ? { now } : {}),
    ...(maxFetches !== undefined ? { maxFetches } : {}),
    ...(responses !== undefined ? { responses } : {}),
    ...(raw.posthog === true ? { posthog: true as const } : {}),
  };
}

/** The fixtures, or every problem found in them (each with its path). */
export function readFixtures(raw: unknown): { ok: true; fixtures: TemplateFixture[] } | { ok: false; problems: string[] } {
  const problems = new Problems();
  if (!Array.isArray(raw)) return { ok: false, problems: ['fixtures: must be a list of fixtures ({name, event, inputs, expect})'] };
  const fixtures = raw.map((f, i) => fixtureOf(f, `fixtures[${i}]`, problems));
  if (problems.any) return { ok: false, problems: problems.list };
  return { ok: true, fixtures: fixtures.filter((f): f is TemplateFixture => f !== undefined) };
}
