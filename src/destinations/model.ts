/**
 * The destination model: what a user configures and what Sluice stores. Field names follow PostHog's
 * hog functions (`inputs_schema`, `inputs`, `filters`, `masking`, `mappings`, `template_id`, …), so a
 * configuration exported from PostHog loads here unchanged and the other way round.
 *
 * Shapes only: no behaviour lives in this file. Compiled forms (bytecode) sit next to their sources,
 * as PostHog stores them: `bytecode` beside `hog`, `inputs.<key>.bytecode` beside the value,
 * `filters.bytecode`, `masking.bytecode`.
 */
import type { Bytecode } from '../hog/index.js';

export type { Bytecode };

// ---------------------------------------------------------------------------------------------
// Inputs

/** The input types Sluice knows. The list is the single source for validation and the UI form. */
export const INPUT_TYPES = [
  'string',
  'number',
  'boolean',
  'choice',
  'dictionary',
  'json',
  'email',
  'integration',
  'integration_field',
  'native_email',
] as const;

export type InputType = (typeof INPUT_TYPES)[number];

export interface InputChoice {
  value: string;
  label: string;
}

/** One item of `inputs_schema`: how one input is asked for and checked. */
export interface InputSchemaItem {
  key: string;
  type: InputType;
  label?: string;
  description?: string;
  required?: boolean;
  default?: unknown;
  /** Encrypted at rest, never returned by the API (it answers `{"secret": true}`). */
  secret?: boolean;
  /**
   * Request headers that carry a credential (usually made from this input): redacted by name, like
   * `Authorization`, wherever requests are shown (test runs, logs).
   */
  secret_headers?: string[];
  hidden?: boolean;
  /** For `choice`: the allowed values. */
  choices?: InputChoice[];
  /** Whether string leaves of the value are templates. Defaults to true. */
  templating?: boolean;
  /** For `integration` / `integration_field` inputs (kept for PostHog compatibility). */
  integration?: string;
  integration_key?: string;
  integration_field?: string;
  requires_field?: string;
}

/**
 * A compiled input value: the value's tree with every templated string replaced by its bytecode.
 * Subtrees without any template collapse into one `literal` node.
 */
export type CompiledValue =
  | { kind: 'literal'; value: unknown }
  | { kind: 'template'; bytecode: Bytecode }
  | { kind: 'array'; items: CompiledValue[] }
  | { kind: 'dict'; entries: Record<string, CompiledValue> };

/** One input as stored: `{value, bytecode?, order?}`, as in PostHog. */
export interface InputValue {
  value: unknown;
  /** The compiled tree of `value`, present after validation. */
  bytecode?: CompiledValue;
  /** Position in dependency order (0 first), present after validation. */
  order?: number;
  /** Set by the API on secret inputs it returns redacted. */
  secret?: boolean;
}

export type Inputs = Record<string, InputValue>;

/** The value a client sends back in place of a secret it was never shown. */
export interface SecretMarker {
  secret: true;
}

// ---------------------------------------------------------------------------------------------
// Filters

export const PROPERTY_OPERATORS = [
  'exact',
  'is_not',
  'icontains',
  'not_icontains',
  'regex',
  'not_regex',
  'gt',
  'gte',
  'lt',
  'lte',
  'is_set',
  'is_not_set',
  'is_date_exact',
  'is_date_before',
  'is_date_after',
  'in',
  'not_in',
] as const;

export type PropertyOperator = (typeof PROPERTY_OPERATORS)[number];

export const PROPERTY_FILTER_TYPES = ['event', 'person', 'group', 'element', 'hogql'] as const;

export type PropertyFilterType = (typeof PROPERTY_FILTER_TYPES)[number];

/** One property condition, PostHog's JSON: `{key, type, operator, value, group_type_index?}`. */
export interface PropertyFilter {
  key: string;
  type: PropertyFilterType;
  /** Defaults to `exact`. Ignored for `hogql`, whose `key` is a Hog expression. */
  operator?: PropertyOperator;
  /** A scalar, or a list (`exact` matches any of them, `is_not` none of them). */
  value?: unknown;
  /** For `group` filters: which group type (0–4). */
  group_type_index?: number;
  label?: string;
}

/** A nested AND/OR of property filters, as PostHog's property groups. */
export interface PropertyGroupFilter {
  type: 'AND' | 'OR';
  values: PropertyFilterLike[];
}

export type PropertyFilterLike = PropertyFilter | PropertyGroupFilter;

/** One entry of `filters.events`: the event name (`null`: any event) and its own property filters. */
export interface EventFilter {
  id: string | null;
  name?: string;
  type?: 'events';
  order?: number;
  properties?: PropertyFilterLike[];
}

/** One entry of `filters.actions` (PostHog's saved actions). Sluice has no actions yet: rejected. */
export interface ActionFilter {
  id: number | string;
  name?: string;
  type?: 'actions';
  properties?: PropertyFilterLike[];
}

export interface Filters {
  /** What feeds the destination. Only `events` for now. */
  source?: 'events';
  /** OR-ed: the event must match one entry. Empty or absent: every event. */
  events?: EventFilter[];
  actions?: ActionFilter[];
  /** AND-ed with everything. */
  properties?: PropertyFilterLike[];
  /** Exclude test accounts using the project's test-account filters. */
  filter_test_accounts?: boolean;
  /** Sluice: an extra Hog expression, AND-ed. */
  hog?: string;
  /** The compiled filter, present after validation. */
  bytecode?: Bytecode;
  /** The generated Hog source `bytecode` came from (for debugging and the test panel). */
  source_hog?: string;
}

// ---------------------------------------------------------------------------------------------
// Masking, mappings, retries

/** Run once per `hash` value per `ttl` seconds, and again after `threshold` masked events. */
export interface Masking {
  /** Seconds, 60 to 86 400. */
  ttl: number;
  /** A template (`{person.id}`); its value is hashed with sha256. */
  hash: string;
  threshold?: number | null;
  /** The compiled `hash` template, present after validation. */
  bytecode?: Bytecode;
}

/** One mapping: its own inputs and filters; each matching mapping is its own invocation. */
export interface Mapping {
  name: string;
  inputs: Inputs;
  inputs_schema?: InputSchemaItem[];
  filters?: Filters;
  disabled?: boolean;
}

/** Sluice's delivery retry policy for one destination. */
export interface RetryPolicy {
  /** Total attempts, the first included. */
  max_attempts?: number;
  /** Stop retrying this long after the first attempt. */
  max_window_seconds?: number;
}

// ---------------------------------------------------------------------------------------------
// The destination

/**
 * What a function is: a `destination` runs on matching events; a `source_webhook` runs on HTTP requests
 * to its public URL and creates events (docs/sources.md); a `transformation` changes or drops each
 * captured event before persons and destinations see it (docs/transformations.md). Absent on functions
 * saved before sources: a destination.
 */
export const FUNCTION_TYPES = ['destination', 'source_webhook', 'transformation'] as const;

export type FunctionType = (typeof FUNCTION_TYPES)[number];

/** The type of a stored function, `destination` when it predates the field. */
export function functionTypeOf(config: { type?: unknown }): FunctionType {
  return config.type === 'source_webhook' || config.type === 'transformation' ? config.type : 'destination';
}

export interface Destination {
  id: string;
  /** Absent: `destination`. */
  type?: FunctionType;
  name: string;
  description: string;
  enabled: boolean;
  /** The Hog program's source. */
  hog: string;
  /** Its compiled bytecode. */
  bytecode: Bytecode;
  /**
   * Sluice: the source map of `bytecode`, `[ip0, line0, ip1, line1, …]` (`CompileResult.lines`), so
   * runtime errors can name the line. Absent on destinations saved before it existed.
   */
  bytecode_lines?: number[];
  inputs_schema: InputSchemaItem[];
  inputs: Inputs;
  filters: Filters;
  masking: Masking | null;
  mappings: Mapping[] | null;
  template_id: string | null;
  icon_url: string | null;
  created_at: string;
  updated_at: string;
  retry_policy?: RetryPolicy;
  /** Transformations only: where it runs in the project's chain (lower first; docs/transformations.md). */
  execution_order?: number | null;
  /** Transformations only: whether it may change the event's `uuid`, `distinct_id` and `timestamp`. */
  allow_identity_changes?: boolean;
}

/** The fields a client may send to create or update a destination. */
export type DestinationInput = Partial<Omit<Destination, 'bytecode' | 'bytecode_lines' | 'created_at' | 'updated_at'>>;

/** A template as the validator needs it: code, schema and defaults to copy. */
export interface TemplateLike {
  id: string;
  type?: FunctionType;
  name: string;
  description?: string;
  hog: string;
  inputs_schema: InputSchemaItem[];
  filters?: Filters | null;
  masking?: Masking | null;
  mappings?: Mapping[] | null;
  icon_url?: string | null;
  /** Old input key → new key, for configurations written before the template renamed an input. */
  renamed_inputs?: Record<string, string>;
}
