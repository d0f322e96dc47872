/**
 * Filters: PostHog's filter JSON → a Hog expression (source text) → bytecode, and matching an event
 * against that bytecode.
 *
 * The shape of the generated expression follows PostHog's `hog_function_filters_to_expr`:
 *
 *     <test-account filters> and <global property filters> and (<event 1> or <event 2> …) and (<hog>)
 *
 * where each event entry is `event.event = '<name>'` (or `true` for `id: null`) AND-ed with its own
 * property filters. Operators compile as PostHog's `property_to_expr` does (`icontains` → `toString(x)
 * ilike '%v%'`, `regex` → `ifNull(match(toString(x), 'v'), false)`, `is_set` → `x != null`, …), with two
 * deliberate differences, both documented in docs/destinations-model.md:
 *   - a list value for `exact` / `in` becomes `x = a or x = b` (not `x in (a, b)`), so `'1'` and `1`
 *     compare the same way whether one value or several are given;
 *   - gt/gte/lt/lte turn a numeric string value into a number.
 *
 * The expression reads the destination globals: `event.properties`, `person.properties`,
 * plus, for filters only, `group_<index>` (the group of that type index, PostHog's filter name) and the
 * PostHog filter aliases `properties`, `distinct_id` and `elements_chain`, added by `filterGlobals`.
 *
 * Every value from the filter JSON enters the source only through `hogString` / `hogLiteral`, so a
 * value can never change the expression's structure.
 */
import { compileExpressionSource, isKeywordName, type Bytecode } from '../hog/index.js';
import { MAX_EXPRESSION_BYTES, MAX_PROGRAM_BYTES, sourceSizeError } from '../hog/source-limits.js';
import { compileRegex } from '../hog/stdlib/regex.js';
import {
  PROPERTY_OPERATORS,
  type EventFilter,
  type Filters,
  type PropertyFilter,
  type PropertyFilterLike,
  type PropertyGroupFilter,
  type PropertyOperator,
} from './model.js';
import { findCallProblems } from './calls.js';
import { errorMessage, runWithEngine, type HogRunner } from './run-hog.js';

export interface FilterError {
  /** `filters.properties[0].operator`, `filters.hog`, … */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export type CompileFiltersResult =
  | { ok: true; source: string; bytecode: Bytecode }
  | { ok: false; errors: FilterError[] };

export interface CompileFiltersOptions {
  /** The project's test-account filters, applied when `filter_test_accounts` is true. */
  testAccountFilters?: PropertyFilterLike[];
  /** Prefix of error paths; `mappings[2].filters` for a mapping's filters. Default `filters`. */
  path?: string;
}

/** Highest group type index PostHog allows (five group types, 0–4). */
const MAX_GROUP_TYPE_INDEX = 4;

// ---------------------------------------------------------------------------------------------
// Safe source text

const STRING_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
  '\v': '\\v',
  '\x07': '\\a',
};

/** A Hog string literal whose value is exactly `text`, whatever it contains. */
export function hogString(text: string): string {
  return `'${text.replace(/[\\'\n\r\t\0\b\f\v\x07]/g, (c) => STRING_ESCAPES[c] ?? c)}'`;
}

/** A Hog literal for a scalar JSON value; `undefined` for anything else. */
export function hogLiteral(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return hogString(value);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (value === Infinity) return 'inf';
    if (value === -Infinity) return '-inf';
    // Parenthesised so `x - -1`-style folding can never glue it to a neighbouring token.
    return value < 0 ? `(${String(value)})` : String(value);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Property filters → source

/** Thrown inside this module while building; turned into a `FilterError` at the top. */
class BuildError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

function isGroupFilter(filter: PropertyFilterLike): filter is PropertyGroupFilter {
  return (filter as PropertyGroupFilter).type === 'AND' || (filter as PropertyGroupFilter).type === 'OR';
}

function joinAll(parts: string[], op: 'and' | 'or'): string {
  if (parts.length === 0) return 'true';
  if (parts.length === 1) return parts[0]!;
  return `(${parts.join(` ${op} `)})`;
}

const PLAIN_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * `base.key` when the key reads as a name, else `base['key']`. The dotted form compiles to one global
 * read of the whole chain, so the VM converts only the property's value; the indexed form first copies
 * every property of the event (or person) into a Hog dict, once per comparison.
 */
function propertyOf(base: string, key: string): string {
  return PLAIN_NAME.test(key) && !isKeywordName(key) ? `${base}.${key}` : `${base}[${hogString(key)}]`;
}

/** The expression reading the filtered property: `event.properties.$browser`, `event.properties['a b']`, … */
function fieldFor(filter: PropertyFilter, path: string): string {
  switch (filter.type) {
    case 'event':
      if (filter.key === '$elements_chain') return 'event.elements_chain';
      return propertyOf('event.properties', filter.key);
    case 'person':
      return propertyOf('person.properties', filter.key);
    case 'group': {
      const index = filter.group_type_index;
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > MAX_GROUP_TYPE_INDEX) {
        throw new BuildError(`${path}.group_type_index`, `a group filter needs group_type_index 0 to ${MAX_GROUP_TYPE_INDEX}`);
      }
      return propertyOf(`group_${index}.properties`, filter.key);
    }
    case 'element':
      throw new BuildError(`${path}.type`, 'element property filters are not supported yet');
    case 'hogql':
      throw new BuildError(`${path}.type`, 'a hogql filter has no field'); // handled by the caller
  }
}

/** `'15'` → 15 for numeric comparisons; anything else unchanged. */
function numericIfPossible(value: unknown): unknown {
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return value;
}

function literalOrThrow(value: unknown, valuePath: string): string {
  const literal = hogLiteral(value);
  if (literal === undefined) throw new BuildError(valuePath, 'the value must be a string, number, boolean or null');
  return literal;
}

/**
 * A regex operator's pattern, compiled here with the VM's own RE2 compiler: a pattern RE2 rejects would
 * make `match` throw on every event, so it is refused at save instead.
 */
function checkedPattern(value: unknown, path: string): string {
  const pattern = String(value);
  try {
    compileRegex(pattern);
  } catch (error) {
    throw new BuildError(path, errorMessage(error));
  }
  return pattern;
}

const RELATIVE_DATE = /^-?\d+[hdwmqy]$/i;

/** One operator applied to one scalar value; `path` is where the value sits, for errors. */
function compareOne(field: string, operator: PropertyOperator, value: unknown, path: string): string {
  switch (operator) {
    case 'exact':
    case 'in':
    case 'is_date_exact':
      return `${field} = ${literalOrThrow(value, path)}`;
    case 'is_not':
    case 'not_in':
      return `${field} != ${literalOrThrow(value, path)}`;
    case 'icontains':
      return `toString(${field}) ilike ${hogString(`%${String(value)}%`)}`;
    case 'not_icontains':
      return `toString(${field}) not ilike ${hogString(`%${String(value)}%`)}`;
    case 'regex':
      return `ifNull(match(toString(${field}), ${hogString(checkedPattern(value, path))}), false)`;
    case 'not_regex':
      return `ifNull(not(match(toString(${field}), ${hogString(checkedPattern(value, path))})), true)`;
    case 'gt':
      return `${field} > ${literalOrThrow(numericIfPossible(value), path)}`;
    case 'gte':
      return `${field} >= ${literalOrThrow(numericIfPossible(value), path)}`;
    case 'lt':
      return `${field} < ${literalOrThrow(numericIfPossible(value), path)}`;
    case 'lte':
      return `${field} <= ${literalOrThrow(numericIfPossible(value), path)}`;
    case 'is_date_before':
    case 'is_date_after': {
      if (typeof value !== 'string' || RELATIVE_DATE.test(value)) {
        throw new BuildError(path, `${operator} needs an absolute date (YYYY-MM-DD or an ISO timestamp)`);
      }
      return `${field} ${operator === 'is_date_before' ? '<' : '>'} ${hogString(value)}`;
    }
    case 'is_set':
      return `${field} != null`;
    case 'is_not_set':
      return `${field} = null`;
  }
}

/** Operators whose list form means "none of them" (AND); every other list means "any of them" (OR). */
const NEGATIVE_OPERATORS: ReadonlySet<PropertyOperator> = new Set(['is_not', 'not_in', 'not_icontains', 'not_regex']);

function propertyToSource(filter: PropertyFilter, path: string): string {
  if (filter.type === 'hogql') return userExpression(filter.key, `${path}.key`);
  const operator = filter.operator ?? 'exact';
  if (!(PROPERTY_OPERATORS as readonly string[]).includes(operator)) {
    throw new BuildError(`${path}.operator`, `unknown operator '${String(operator)}'`);
  }
  const field = fieldFor(filter, path);
  if (operator === 'is_set' || operator === 'is_not_set') return compareOne(field, operator, null, `${path}.value`);
  const value = filter.value;
  if (Array.isArray(value)) {
    if (value.length === 0) return 'true';
    const parts = value.map((v, i) => compareOne(field, operator, v, `${path}.value[${i}]`));
    return joinAll(parts, NEGATIVE_OPERATORS.has(operator) ? 'and' : 'or');
  }
  return compareOne(field, operator, value, `${path}.value`);
}

function propertiesToSource(filters: PropertyFilterLike[], path: string): string[] {
  if (!Array.isArray(filters)) throw new BuildError(path, 'must be a list of property filters');
  return filters.map((filter, i) => propertyLikeToSource(filter, `${path}[${i}]`));
}

function propertyLikeToSource(filter: PropertyFilterLike, path: string): string {
  if (typeof filter !== 'object' || filter === null) throw new BuildError(path, 'must be a property filter object');
  if (isGroupFilter(filter)) {
    return joinAll(propertiesToSource(filter.values, `${path}.values`), filter.type === 'AND' ? 'and' : 'or');
  }
  if (typeof filter.key !== 'string') throw new BuildError(`${path}.key`, 'must be a string');
  if (!['event', 'person', 'group', 'element', 'hogql'].includes(filter.type)) {
    throw new BuildError(`${path}.type`, `unknown property filter type '${String(filter.type)}'`);
  }
  return propertyToSource(filter, path);
}

/**
 * A user-written Hog expression, checked on its own first (so errors point into the user's text),
 * then embedded between newlines and parentheses so a trailing `--` or `//` comment cannot swallow
 * the rest of the generated expression.
 */
function userExpression(source: string, path: string): string {
  const tooBig = sourceSizeError(source, MAX_EXPRESSION_BYTES);
  if (tooBig !== null) throw new BuildError(path, tooBig);
  const { bytecode, diagnostics } = compileExpressionSource(source);
  if (diagnostics.length > 0) {
    const first = diagnostics[0]!;
    throw Object.assign(new BuildError(path, first.message), { line: first.line, column: first.column });
  }
  // A call to a function filters cannot run would fail on every event: refuse it now, where it is.
  const call = findCallProblems(bytecode, source, 'filter')[0];
  if (call !== undefined) throw Object.assign(new BuildError(path, call.message), { line: call.line, column: call.column });
  return `(\n${source}\n)`;
}

function eventToSource(entry: EventFilter, path: string): string {
  if (typeof entry !== 'object' || entry === null) throw new BuildError(path, 'must be an event filter object');
  if (entry.id !== null && typeof entry.id !== 'string') throw new BuildError(`${path}.id`, 'must be an event name or null');
  const parts: string[] = [];
  if (entry.id !== null) parts.push(`event.event = ${hogString(entry.id)}`);
  if (entry.properties !== undefined && entry.properties !== null) {
    parts.push(...propertiesToSource(entry.properties, `${path}.properties`));
  }
  return joinAll(parts, 'and');
}

/** The Hog expression for a filters object; throws `BuildError`. */
function filtersToSource(filters: Filters, options: CompileFiltersOptions, path: string): string {
  const parts: string[] = [];
  if (filters.filter_test_accounts === true && options.testAccountFilters !== undefined) {
    parts.push(...propertiesToSource(options.testAccountFilters, 'project.test_account_filters'));
  }
  if (filters.properties !== undefined && filters.properties !== null) {
    parts.push(...propertiesToSource(filters.properties, `${path}.properties`));
  }
  if (filters.actions !== undefined && filters.actions !== null && filters.actions.length > 0) {
    throw new BuildError(`${path}.actions`, 'action filters are not supported; filter on events instead');
  }
  if (filters.events !== undefined && filters.events !== null) {
    if (!Array.isArray(filters.events)) throw new BuildError(`${path}.events`, 'must be a list of event filters');
    if (filters.events.length > 0) {
      parts.push(joinAll(filters.events.map((e, i) => eventToSource(e, `${path}.events[${i}]`)), 'or'));
    }
  }
  if (typeof filters.hog === 'string' && filters.hog.trim() !== '') {
    parts.push(userExpression(filters.hog, `${path}.hog`));
  }
  if (parts.length === 0) return 'true';
  return parts.length === 1 ? parts[0]! : parts.join(' and ');
}

// ---------------------------------------------------------------------------------------------
// Public API

/** Compile a filters object to Hog source and bytecode. Absent or empty filters match every event. */
export function compileFilters(filters: Filters | null | undefined, options: CompileFiltersOptions = {}): CompileFiltersResult {
  const path = options.path ?? 'filters';
  if (filters === null || filters === undefined) filters = {};
  if (typeof filters !== 'object' || Array.isArray(filters)) {
    return { ok: false, errors: [{ path, message: 'must be an object' }] };
  }
  let source: string;
  try {
    source = filtersToSource(filters, options, path);
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    const { line, column } = error as BuildError & { line?: number; column?: number };
    return { ok: false, errors: [{ path: error.path, message: error.message, ...(line !== undefined ? { line, column } : {}) }] };
  }
  // Generated from the filters' values, so it is bounded like a program, not like one expression.
  const tooBig = sourceSizeError(source, MAX_PROGRAM_BYTES);
  if (tooBig !== null) return { ok: false, errors: [{ path, message: `the generated filter is too long: ${tooBig}` }] };
  const { bytecode, diagnostics } = compileExpressionSource(source);
  if (diagnostics.length > 0) {
    const message = diagnostics.map((d) => d.message).join('; ');
    return { ok: false, errors: [{ path, message: `the generated filter did not compile: ${message}` }] };
  }
  return { ok: true, source, bytecode };
}

/** Group type indexes PostHog allows; each gets a `group_<n>` filter global. */
const GROUP_INDEXES = [0, 1, 2, 3, 4] as const;

/** Destination globals (`Globals` from globals.ts, or any object of that shape). */
interface GlobalsForFilter {
  event?: { distinct_id?: unknown; properties?: unknown; elements_chain?: unknown } | null;
  groups?: Record<string, { index?: unknown } | null> | null;
}

/**
 * The destination globals plus the names PostHog's filters read: `group_0`…`group_4` (the event's
 * group of that type index, or null), `properties`, `distinct_id`, `elements_chain`. Shallow: nothing
 * is copied but the top-level object.
 */
export function filterGlobals(globals: GlobalsForFilter): Record<string, unknown> {
  const out: Record<string, unknown> = {
    person: null,
    groups: {},
    properties: globals.event?.properties ?? {},
    distinct_id: globals.event?.distinct_id ?? null,
    elements_chain: globals.event?.elements_chain ?? '',
    ...globals,
  };
  for (const index of GROUP_INDEXES) out[`group_${index}`] = null;
  for (const group of Object.values(globals.groups ?? {})) {
    if (group !== null && typeof group.index === 'number') out[`group_${group.index}`] = group;
  }
  return out;
}

export interface MatchOptions {
  runner?: HogRunner;
  timeoutMs?: number;
  memoryLimit?: number;
}

/**
 * Run compiled filters on one event's globals. Matches only when the result is exactly `true`; a Hog
 * error is no match, with the message in `error` (counted as `filtering_failed`).
 */
export function matchesFilters(
  bytecode: Bytecode,
  globals: GlobalsForFilter,
  options: MatchOptions = {},
): { matched: boolean; error?: string } {
  const runner = options.runner ?? runWithEngine;
  try {
    const result = runner(bytecode, {
      globals: filterGlobals(globals),
      timeout: options.timeoutMs,
      memoryLimit: options.memoryLimit,
    });
    return { matched: result === true };
  } catch (error) {
    return { matched: false, error: errorMessage(error) };
  }
}
