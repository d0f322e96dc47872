/**
 * Validation of a destination as a client sends it (create, update, partial update, test run of an
 * unsaved configuration). Everything is checked and compiled in one pass, and every problem is
 * reported, each with a field path (`inputs.url.value`, `filters.properties[0].operator`, `hog`) and,
 * for code and templates, the line and column:
 *
 *   validateDestination(body, {existing?, templates?, testAccountFilters?})
 *     → {ok: true, destination, secretInputs} | {ok: false, errors}
 *
 * The normalized destination carries its compiled forms: `bytecode` (the program), each input's
 * `bytecode` tree and `order`, `filters.bytecode`, `masking.bytecode`, and the same for mappings.
 *
 * Secrets: `secretInputs` lists the keys whose schema item says `secret: true`, for the API layer to
 * encrypt; nothing is encrypted here. A value equal to the marker `{"secret": true}` means "keep what is
 * stored": the value is taken from `existing`, and it is an error when nothing is stored.
 *
 * With `existing`, fields absent from `body` keep their stored value (partial update); `inputs`, when
 * sent, replaces the stored inputs as a whole (with markers resolved).
 */
import { randomUUID } from 'node:crypto';
import { compileProgramSource, compileTemplateSource } from '../hog/index.js';
import { MAX_EXPRESSION_BYTES, MAX_PROGRAM_BYTES, sourceSizeError } from '../hog/source-limits.js';
import { findCallProblems, type HogPlace } from './calls.js';
import { compileFilters } from './filters.js';
import { isEncryptedSecret, isSecretMarker } from './secrets.js';
import { MASKING_MAX_TTL, MASKING_MIN_TTL } from './masking.js';
import {
  FUNCTION_TYPES,
  functionTypeOf,
  INPUT_TYPES,
  type CompiledValue,
  type FunctionType,
  type Destination,
  type Filters,
  type InputSchemaItem,
  type InputType,
  type Inputs,
  type Mapping,
  type Masking,
  type PropertyFilterLike,
  type RetryPolicy,
  type TemplateLike,
} from './model.js';
import { compileInputs } from './templating.js';

export interface ValidationError {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export interface ValidateOptions {
  /** The stored destination, on update: the base for absent fields and stored secrets. */
  existing?: Destination;
  /** Finds a template by id, for `template_id`. */
  templates?: (id: string) => TemplateLike | undefined;
  /** The project's test-account filters (for `filter_test_accounts`). */
  testAccountFilters?: PropertyFilterLike[];
  /** Clock and id source, for tests. */
  now?: () => Date;
  newId?: () => string;
}

export type ValidateResult =
  | { ok: true; destination: Destination; secretInputs: string[] }
  | { ok: false; errors: ValidationError[] };

// ---------------------------------------------------------------------------------------------
// Small checks

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string with a `{` is a template: its type is only known when it is evaluated. */
function isTemplated(value: unknown): boolean {
  return typeof value === 'string' && value.includes('{');
}

const INPUT_KEY = /^[A-Za-z_$][\w$]*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_NAME_LENGTH = 400;

class Collector {
  readonly errors: ValidationError[] = [];

  add(path: string, message: string, position?: { line?: number; column?: number }): void {
    const error: ValidationError = { path, message };
    if (position?.line !== undefined) {
      error.line = position.line;
      error.column = position.column;
    }
    this.errors.push(error);
  }
}

function optionalString(body: Json, field: string, errors: Collector, path = field): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    errors.add(path, 'must be a string');
    return undefined;
  }
  return value;
}

function nullableString(body: Json, field: string, errors: Collector): string | null | undefined {
  if (body[field] === null) return null;
  return optionalString(body, field, errors);
}

// ---------------------------------------------------------------------------------------------
// Top-level fields and icon_url

/** The fields a client may write (`DestinationInput`). */
export const WRITABLE_FIELDS: readonly string[] = [
  'type', 'name', 'description', 'enabled', 'hog', 'inputs_schema', 'inputs', 'filters', 'masking', 'mappings', 'template_id', 'icon_url', 'retry_policy',
  'execution_order', 'allow_identity_changes',
];

/**
 * Fields of a destination as the API (or PostHog) returns it, which a client may send back unchanged:
 * they are ignored, as they describe the stored object rather than change it.
 */
const READ_ONLY_FIELDS: readonly string[] = ['id', 'webhook_url', 'status', 'created_at', 'created_by', 'updated_at', 'bytecode', 'transpiled', 'template'];

/**
 * Errors for the fields of a create or update body that Sluice would otherwise ignore: a misspelt
 * field (`enabeld`) must not look like a successful save. `type` must be a known function type, and
 * `deleted` (PostHog's soft delete) may only be `false`.
 */
export function unknownFieldErrors(body: unknown): ValidationError[] {
  if (!isObject(body)) return [];
  const errors: ValidationError[] = [];
  for (const field of Object.keys(body)) {
    if (field === 'type' && !(FUNCTION_TYPES as readonly unknown[]).includes(body.type)) {
      errors.push({ path: 'type', message: `type must be one of ${FUNCTION_TYPES.map((t) => `'${t}'`).join(', ')}, not ${JSON.stringify(body.type)}` });
    } else if (WRITABLE_FIELDS.includes(field)) {
      continue;
    } else if (field === 'deleted' && body.deleted !== false) {
      errors.push({ path: 'deleted', message: 'to delete a destination, send DELETE to its URL' });
    } else if (!READ_ONLY_FIELDS.includes(field) && field !== 'deleted') {
      errors.push({ path: field, message: `unknown field '${field}'; a destination has ${WRITABLE_FIELDS.join(', ')}` });
    }
  }
  return errors;
}

const MAX_ICON_URL_LENGTH = 2048;

/**
 * The UI shows `icon_url` as an image, so only an https URL or a path on this server is accepted: no
 * `javascript:`, `data:` or plain-http URL, no `//host` (another host) and no backslash (which browsers
 * read as a slash).
 */
function checkIconUrl(url: string, errors: Collector): void {
  if (url === '') return;
  const problem = iconUrlProblem(url);
  if (problem !== null) errors.add('icon_url', problem);
}

function iconUrlProblem(url: string): string | null {
  if (url.length > MAX_ICON_URL_LENGTH) return `must be at most ${MAX_ICON_URL_LENGTH} characters`;
  if (/[\s\\\u0000-\u001f\u007f]/.test(url)) return 'must be an https URL or a relative path, without spaces, backslashes or control characters';
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url);
  if (scheme === null) {
    return url.startsWith('//') ? 'must be an https URL or a relative path; //host URLs are not accepted' : null;
  }
  if (scheme[1]!.toLowerCase() !== 'https') return `must be an https URL or a relative path, not a ${scheme[1]!.toLowerCase()}: URL`;
  try {
    if (new URL(url).hostname === '') return 'must be an https URL with a host';
  } catch {
    return 'must be a valid https URL';
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// inputs_schema

/** An `inputs_schema` checked on its own, as `validateDestination` checks it: the typed items, or every problem. */
export function validateInputsSchema(raw: unknown): { ok: true; schema: InputSchemaItem[] } | { ok: false; errors: ValidationError[] } {
  const errors = new Collector();
  const schema = validateSchema(raw, 'inputs_schema', errors);
  return errors.errors.length === 0 ? { ok: true, schema } : { ok: false, errors: errors.errors };
}

function isInputType(value: unknown): value is InputType {
  return typeof value === 'string' && (INPUT_TYPES as readonly string[]).includes(value);
}

function validateSchema(raw: unknown, path: string, errors: Collector): InputSchemaItem[] {
  if (!Array.isArray(raw)) {
    errors.add(path, 'must be a list of input definitions');
    return [];
  }
  const seen = new Set<string>();
  const schema: InputSchemaItem[] = [];
  raw.forEach((item, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(item)) {
      errors.add(at, 'must be an object');
      return;
    }
    let ok = true;
    const { key, type } = item;
    if (typeof key !== 'string' || !INPUT_KEY.test(key)) {
      errors.add(`${at}.key`, 'must be a name of letters, digits, _ or $, not starting with a digit');
      ok = false;
    } else if (seen.has(key)) {
      errors.add(`${at}.key`, `duplicate input key '${key}'`);
      ok = false;
    }
    if (!isInputType(type)) {
      errors.add(`${at}.type`, `unknown input type '${String(item.type)}'; expected one of ${INPUT_TYPES.join(', ')}`);
      ok = false;
    }
    for (const flag of ['required', 'secret', 'hidden', 'templating'] as const) {
      if (item[flag] !== undefined && typeof item[flag] !== 'boolean') {
        errors.add(`${at}.${flag}`, 'must be true or false');
        ok = false;
      }
    }
    for (const text of ['label', 'description'] as const) {
      if (item[text] !== undefined && item[text] !== null && typeof item[text] !== 'string') {
        errors.add(`${at}.${text}`, 'must be a string');
        ok = false;
      }
    }
    if (item.type === 'choice') {
      const choices = item.choices;
      if (!Array.isArray(choices) || choices.length === 0 || !choices.every((c) => isObject(c) && typeof c.value === 'string')) {
        errors.add(`${at}.choices`, 'a choice input needs a non-empty list of {value, label}');
        ok = false;
      }
    }
    if (ok && typeof key === 'string' && isInputType(type)) {
      seen.add(key);
      // Fields the model does not check here (choices' labels, integration names, …) are kept as given.
      schema.push({ ...item, key, type });
    }
  });
  return schema;
}

// ---------------------------------------------------------------------------------------------
// inputs

/** The type check of one (non-template) input value against its schema item; a message or null. */
function checkInputType(item: InputSchemaItem, value: unknown): string | null {
  switch (item.type) {
    case 'string':
      return typeof value === 'string' ? null : 'must be a string';
    case 'number':
      if (isTemplated(value)) return null;
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
    case 'boolean':
      if (isTemplated(value)) return null;
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'choice': {
      if (isTemplated(value)) return null;
      const allowed = (item.choices ?? []).map((c) => c.value);
      return allowed.includes(value as string) ? null : `must be one of ${allowed.map((v) => `'${v}'`).join(', ')}`;
    }
    case 'email':
      if (isObject(value)) return null; // PostHog's email composer value: {to, from, subject, html, text}
      if (typeof value !== 'string') return 'must be an email address';
      return isTemplated(value) || EMAIL.test(value.trim()) ? null : 'must be an email address';
    case 'dictionary':
      return isObject(value) ? null : 'must be an object of keys to values';
    case 'json':
      return value === undefined ? 'must be a JSON value' : null;
    case 'integration':
    case 'integration_field':
    case 'native_email':
      return null;
  }
}

function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * Resolve secret markers, fill schema defaults, check required inputs and value types. Returns the
 * inputs keyed in schema order; keys the schema does not list are dropped, as PostHog does.
 */
function validateInputValues(
  schema: InputSchemaItem[],
  raw: unknown,
  stored: Inputs | undefined,
  path: string,
  errors: Collector,
): Inputs {
  const inputs: Inputs = {};
  if (raw !== undefined && raw !== null && !isObject(raw)) {
    errors.add(path, 'must be an object of {key: {value}}');
    return inputs;
  }
  const given = (raw ?? {}) as Json;
  for (const item of schema) {
    const at = `${path}.${item.key}`;
    const entry = given[item.key];
    let value: unknown;
    if (entry === undefined || entry === null) {
      value = item.default;
    } else if (!isObject(entry) || !('value' in entry)) {
      errors.add(at, 'must be an object {value}');
      continue;
    } else {
      value = entry.value;
    }
    if (isSecretMarker(value)) {
      const kept = stored?.[item.key]?.value;
      if (isEmptyValue(kept)) {
        errors.add(`${at}.value`, `inputs.${item.key}: secret marker sent but no value is stored`);
        continue;
      }
      value = kept;
      if (isEncryptedSecret(kept)) {
        // Stored encrypted (the caller did not decrypt `existing`): keep it as it is, unchecked.
        inputs[item.key] = { value };
        continue;
      }
    }
    if (isEmptyValue(value)) {
      if (item.required) errors.add(`${at}.value`, 'this input is required');
      continue;
    }
    const typeError = checkInputType(item, value);
    if (typeError !== null) {
      errors.add(`${at}.value`, typeError);
      continue;
    }
    inputs[item.key] = { value };
  }
  return inputs;
}

/** Check and compile inputs against their schema; the result carries `bytecode` and `order`. */
function validateAndCompileInputs(
  schema: InputSchemaItem[],
  raw: unknown,
  stored: Inputs | undefined,
  path: string,
  errors: Collector,
): Inputs {
  const inputs = validateInputValues(schema, raw, stored, path, errors);
  const compiled = compileInputs(schema, inputs, { pathPrefix: path });
  if (!compiled.ok) {
    for (const e of compiled.errors) errors.add(e.path, e.message, e);
    return inputs;
  }
  compiled.compiled.order.forEach((key, order) => {
    inputs[key] = { value: inputs[key]!.value, bytecode: compiled.compiled.values[key], order };
  });
  return inputs;
}

// ---------------------------------------------------------------------------------------------
// hog, filters, masking, mappings, retry policy

function compileHog(source: string, errors: Collector): { bytecode: Destination['bytecode']; lines: number[] } {
  const tooBig = sourceSizeError(source, MAX_PROGRAM_BYTES);
  if (tooBig !== null) {
    errors.add('hog', tooBig);
    return { bytecode: [], lines: [] };
  }
  const { bytecode, diagnostics, lines } = compileProgramSource(source);
  for (const d of diagnostics) errors.add('hog', d.message, d);
  return { bytecode, lines };
}

function validateFilters(raw: unknown, path: string, options: ValidateOptions, errors: Collector): Filters {
  if (raw === undefined || raw === null) raw = {};
  if (!isObject(raw)) {
    errors.add(path, 'must be an object');
    return {};
  }
  if (raw.hog !== undefined && raw.hog !== null && typeof raw.hog !== 'string') {
    errors.add(`${path}.hog`, 'must be a string');
    return {};
  }
  if (raw.filter_test_accounts !== undefined && typeof raw.filter_test_accounts !== 'boolean') {
    errors.add(`${path}.filter_test_accounts`, 'must be true or false');
  }
  const { bytecode: _oldBytecode, source_hog: _oldSource, ...filters } = raw as Filters;
  const result = compileFilters(filters, { path, testAccountFilters: options.testAccountFilters });
  if (!result.ok) {
    for (const e of result.errors) errors.add(e.path, e.message, e);
    return filters;
  }
  return { ...filters, bytecode: result.bytecode, source_hog: result.source };
}

function validateMasking(raw: unknown, errors: Collector): Masking | null {
  if (raw === undefined || raw === null) return null;
  if (!isObject(raw)) {
    errors.add('masking', 'must be an object {ttl, hash, threshold?} or null');
    return null;
  }
  const { ttl, hash, threshold } = raw;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < MASKING_MIN_TTL || ttl > MASKING_MAX_TTL) {
    errors.add('masking.ttl', `must be a whole number of seconds from ${MASKING_MIN_TTL} to ${MASKING_MAX_TTL}`);
  }
  if (threshold !== undefined && threshold !== null && (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold < 1)) {
    errors.add('masking.threshold', 'must be a positive whole number or null');
  }
  if (typeof hash !== 'string' || hash.trim() === '') {
    errors.add('masking.hash', 'must be a template, e.g. {person.id}');
    return null;
  }
  const tooBig = sourceSizeError(hash, MAX_EXPRESSION_BYTES);
  if (tooBig !== null) errors.add('masking.hash', tooBig);
  const { bytecode, diagnostics } = tooBig === null ? compileTemplateSource(hash) : { bytecode: [], diagnostics: [] };
  for (const d of diagnostics) errors.add('masking.hash', d.message, d);
  return { ttl: ttl as number, hash, threshold: (threshold as number | null | undefined) ?? null, bytecode };
}

function validateMappings(
  raw: unknown,
  stored: Mapping[] | null | undefined,
  options: ValidateOptions,
  errors: Collector,
): Mapping[] | null {
  if (raw === undefined || raw === null) return null;
  if (!Array.isArray(raw)) {
    errors.add('mappings', 'must be a list of mappings or null');
    return null;
  }
  return raw.map((item, i): Mapping => {
    const at = `mappings[${i}]`;
    if (!isObject(item)) {
      errors.add(at, 'must be an object {name, inputs, filters}');
      return { name: '', inputs: {} };
    }
    const name = typeof item.name === 'string' ? item.name : '';
    if (typeof item.name !== 'string') errors.add(`${at}.name`, 'must be a string');
    if (item.disabled !== undefined && typeof item.disabled !== 'boolean') errors.add(`${at}.disabled`, 'must be true or false');
    const schema = item.inputs_schema === undefined ? [] : validateSchema(item.inputs_schema, `${at}.inputs_schema`, errors);
    const inputs = validateAndCompileInputs(schema, item.inputs, stored?.[i]?.inputs, `${at}.inputs`, errors);
    const filters = validateFilters(item.filters, `${at}.filters`, options, errors);
    const mapping: Mapping = { name, inputs, filters };
    if (item.inputs_schema !== undefined) mapping.inputs_schema = schema;
    if (item.disabled !== undefined) mapping.disabled = item.disabled === true;
    return mapping;
  });
}

function validateRetryPolicy(raw: unknown, errors: Collector): RetryPolicy | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) {
    errors.add('retry_policy', 'must be an object {max_attempts?, max_window_seconds?}');
    return undefined;
  }
  const policy: RetryPolicy = {};
  if (raw.max_attempts !== undefined) {
    const n = raw.max_attempts;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 1000) {
      errors.add('retry_policy.max_attempts', 'must be a whole number from 1 to 1000');
    } else policy.max_attempts = n;
  }
  if (raw.max_window_seconds !== undefined) {
    const n = raw.max_window_seconds;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 7 * 86_400) {
      errors.add('retry_policy.max_window_seconds', 'must be a whole number of seconds from 1 to 604800 (7 days)');
    } else policy.max_window_seconds = n;
  }
  return policy;
}

// ---------------------------------------------------------------------------------------------
// Calls to functions that do not exist (filters check their own: see filters.ts)

function reportCalls(bytecode: Destination['bytecode'] | undefined, source: string, place: HogPlace, path: string, errors: Collector, lines?: number[]): void {
  if (bytecode === undefined || bytecode.length === 0) return; // did not compile: already reported
  for (const problem of findCallProblems(bytecode, source, place, lines)) errors.add(path, problem.message, problem);
}

const PLAIN_KEY = /^[A-Za-z_$][\w$]*$/;

/** The same paths templating.ts gives its compile errors: `inputs.body.value.user`, `…value[1]`. */
function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return PLAIN_KEY.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** Walk a compiled input tree beside its value: each template leaf is checked with its own source. */
function reportTemplateCalls(node: CompiledValue | undefined, value: unknown, path: string, errors: Collector): void {
  if (node === undefined) return;
  if (node.kind === 'template' && typeof value === 'string') reportCalls(node.bytecode, value, 'template', path, errors);
  else if (node.kind === 'array' && Array.isArray(value)) node.items.forEach((item, i) => reportTemplateCalls(item, value[i], childPath(path, i), errors));
  else if (node.kind === 'dict' && isObject(value)) {
    for (const [key, entry] of Object.entries(node.entries)) reportTemplateCalls(entry, value[key], childPath(path, key), errors);
  }
}

/** Secret inputs are skipped: they are used literally, never evaluated (see secrets.ts in the API). */
function reportInputCalls(inputs: Inputs, schema: InputSchemaItem[], path: string, errors: Collector): void {
  const secret = new Set(schema.filter((item) => item.secret === true).map((item) => item.key));
  for (const [key, input] of Object.entries(inputs)) {
    if (!secret.has(key)) reportTemplateCalls(input.bytecode, input.value, `${path}.${key}.value`, errors);
  }
}

// ---------------------------------------------------------------------------------------------
// Function type: destinations and webhook sources

/** The type, which is chosen at creation: a destination does not turn into a source or back. */
function validateType(raw: unknown, existing: Destination | undefined, errors: Collector): FunctionType {
  if (typeof raw !== 'string' || !(FUNCTION_TYPES as readonly string[]).includes(raw)) {
    errors.add('type', `must be one of ${FUNCTION_TYPES.map((t) => `'${t}'`).join(', ')}, not ${JSON.stringify(raw)}`);
    return 'destination';
  }
  const type = raw as FunctionType;
  if (existing !== undefined && functionTypeOf(existing) !== type) {
    errors.add('type', `cannot change a ${functionTypeOf(existing)} into a ${type}; create a new one instead`);
  }
  return type;
}

/**
 * A source runs on HTTP requests, not on events: filters, masking and mappings would never apply, so
 * they are refused rather than silently ignored. `fetch` is refused too: a source answers its caller
 * synchronously and must stay fast (docs/sources.md).
 */
function checkSourceFields(
  filters: Filters,
  masking: Masking | null,
  mappings: Mapping[] | null,
  bytecode: Destination['bytecode'],
  hog: unknown,
  lines: number[],
  errors: Collector,
): void {
  const hasFilters = (filters.events?.length ?? 0) > 0 || (filters.actions?.length ?? 0) > 0 || (filters.properties?.length ?? 0) > 0 ||
    (filters.hog ?? '') !== '' || filters.filter_test_accounts === true;
  if (hasFilters) errors.add('filters', 'a source_webhook has no filters: it runs on every request to its URL');
  if (masking !== null) errors.add('masking', 'a source_webhook has no masking: it runs on every request to its URL');
  if (mappings !== null && mappings.length > 0) errors.add('mappings', 'a source_webhook has no mappings');
  if (typeof hog !== 'string' || bytecode.length === 0) return;
  const fetchCall = findCallProblems(bytecode, hog, 'filter', lines).find((p) => p.name === 'fetch');
  if (fetchCall) errors.add('hog', 'fetch() is not available in sources: a source answers its caller at once (see docs/sources.md)', fetchCall);
}

/** The largest `execution_order` accepted: room for any number of rearrangements, within a 32-bit column. */
export const MAX_EXECUTION_ORDER = 1_000_000;

/**
 * A transformation runs on every captured event and hands the event on: filters choose the events it
 * changes, but masking and mappings (which split or thin out deliveries) have no meaning. Its code is
 * synchronous and pure — `fetch` would hold up capture and `postHogCapture` would create events from
 * inside the pipeline — so both are refused here, with their position (docs/transformations.md).
 */
function checkTransformationFields(
  masking: Masking | null,
  mappings: Mapping[] | null,
  bytecode: Destination['bytecode'],
  hog: unknown,
  lines: number[],
  errors: Collector,
): void {
  if (masking !== null) errors.add('masking', 'a transformation has no masking: it runs on every event its filters match');
  if (mappings !== null && mappings.length > 0) errors.add('mappings', 'a transformation has no mappings');
  if (typeof hog !== 'string' || bytecode.length === 0) return;
  for (const problem of findCallProblems(bytecode, hog, 'filter', lines)) {
    if (problem.name === 'fetch') {
      errors.add('hog', 'fetch() is not available in transformations: they run synchronously on every event before it is stored for destinations (see docs/transformations.md)', problem);
    } else if (problem.name === 'postHogCapture') {
      errors.add('hog', 'postHogCapture() is not available in transformations: return the changed event instead', problem);
    }
  }
}

/** `execution_order`: a whole number, or null (placed last when created). Only transformations keep it. */
function validateExecutionOrder(raw: unknown, errors: Collector): number | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0 || raw > MAX_EXECUTION_ORDER) {
    errors.add('execution_order', `must be a whole number from 0 to ${MAX_EXECUTION_ORDER}, or null`);
    return null;
  }
  return raw;
}

/** `allow_identity_changes`: true or false, and true only on a transformation (nothing else could use it). */
function validateIdentityChanges(raw: unknown, type: FunctionType, errors: Collector): boolean {
  if (raw === undefined || raw === null) return false;
  if (typeof raw !== 'boolean') {
    errors.add('allow_identity_changes', 'must be true or false');
    return false;
  }
  if (raw && type !== 'transformation') errors.add('allow_identity_changes', 'only a transformation can change events: remove allow_identity_changes');
  return raw;
}

// ---------------------------------------------------------------------------------------------
// The destination

/**
 * A configuration written for a template's earlier input names still works: an old key the schema no
 * longer has is read as its new name (unless the new name is given too). Anything else is left for the
 * input validation to judge.
 */
function renameOldInputs(given: unknown, schema: InputSchemaItem[], renames: Record<string, string> | undefined): unknown {
  if (renames === undefined || !isObject(given)) return given;
  const keys = new Set(schema.map((item) => item.key));
  let renamed: Record<string, unknown> | null = null;
  for (const [oldKey, newKey] of Object.entries(renames)) {
    if (!(oldKey in given) || keys.has(oldKey) || !keys.has(newKey) || newKey in given) continue;
    renamed ??= { ...given };
    renamed[newKey] = renamed[oldKey];
    delete renamed[oldKey];
  }
  return renamed ?? given;
}

/** Validate and compile a destination. See the file header for the contract. */
export function validateDestination(body: unknown, options: ValidateOptions = {}): ValidateResult {
  const errors = new Collector();
  if (!isObject(body)) return { ok: false, errors: [{ path: '', message: 'the body must be a JSON object' }] };
  const existing = options.existing;

  // A template fills whatever the body and the stored destination leave out.
  let template: TemplateLike | undefined;
  const templateId = nullableString(body, 'template_id', errors);
  if (typeof templateId === 'string' && existing?.template_id !== templateId) {
    template = options.templates?.(templateId);
    if (template === undefined) errors.add('template_id', `unknown template '${templateId}'`);
  }
  const pick = <K extends keyof Destination>(field: K, fromTemplate?: unknown): unknown =>
    field in body ? body[field] : existing !== undefined ? existing[field] : fromTemplate;

  const type = validateType(pick('type', template?.type ?? 'destination') ?? 'destination', existing, errors);
  if (template !== undefined && (template.type ?? 'destination') !== type) {
    errors.add('template_id', `template '${template.id}' makes a ${template.type ?? 'destination'}, not a ${type}`);
  }

  const name = pick('name', template?.name);
  if (typeof name !== 'string' || name.trim() === '') errors.add('name', 'a destination needs a name');
  else if (name.length > MAX_NAME_LENGTH) errors.add('name', `must be at most ${MAX_NAME_LENGTH} characters`);

  const description = pick('description', template?.description ?? '') ?? '';
  if (typeof description !== 'string') errors.add('description', 'must be a string');

  const enabled = pick('enabled', true) ?? true;
  if (typeof enabled !== 'boolean') errors.add('enabled', 'must be true or false');

  const iconUrl = pick('icon_url', template?.icon_url ?? null) ?? null;
  if (iconUrl !== null && typeof iconUrl !== 'string') errors.add('icon_url', 'must be a string or null');
  else if (typeof iconUrl === 'string' && 'icon_url' in body) checkIconUrl(iconUrl, errors);

  const hog = pick('hog', template?.hog);
  let bytecode: Destination['bytecode'] = [];
  let bytecodeLines: number[] = [];
  if (typeof hog !== 'string' || hog.trim() === '') errors.add('hog', 'a destination needs Hog code (or a template_id)');
  else ({ bytecode, lines: bytecodeLines } = compileHog(hog, errors));

  const schema = validateSchema(pick('inputs_schema', template?.inputs_schema ?? []) ?? [], 'inputs_schema', errors);
  const templateOfRecord = template ?? (existing?.template_id ? options.templates?.(existing.template_id) : undefined);
  const givenInputs = renameOldInputs(pick('inputs', {}), schema, templateOfRecord?.renamed_inputs);
  const inputs = validateAndCompileInputs(schema, givenInputs, existing?.inputs, 'inputs', errors);
  const filters = validateFilters(pick('filters', template?.filters ?? {}), 'filters', options, errors);
  const masking = validateMasking(pick('masking', template?.masking ?? null), errors);
  const mappings = validateMappings(pick('mappings', template?.mappings ?? null), existing?.mappings, options, errors);
  const retryPolicy = validateRetryPolicy(pick('retry_policy'), errors);
  // Other types accept and drop `execution_order`: PostHog exports carry it on every function.
  const executionOrder = validateExecutionOrder(pick('execution_order'), errors);
  const allowIdentityChanges = validateIdentityChanges(pick('allow_identity_changes'), type, errors);
  if (typeof hog === 'string') reportCalls(bytecode, hog, 'code', 'hog', errors, bytecodeLines);
  if (type === 'source_webhook') checkSourceFields(filters, masking, mappings, bytecode, hog, bytecodeLines, errors);
  if (type === 'transformation') checkTransformationFields(masking, mappings, bytecode, hog, bytecodeLines, errors);
  reportInputCalls(inputs, schema, 'inputs', errors);
  if (masking !== null) reportCalls(masking.bytecode, masking.hash, 'template', 'masking.hash', errors);
  mappings?.forEach((m, i) => reportInputCalls(m.inputs, [...schema, ...(m.inputs_schema ?? [])], `mappings[${i}].inputs`, errors));

  if (errors.errors.length > 0) return { ok: false, errors: errors.errors };

  const now = (options.now ?? (() => new Date()))().toISOString();
  const destination: Destination = {
    id: existing?.id ?? (typeof body.id === 'string' && body.id !== '' ? body.id : (options.newId ?? randomUUID)()),
    type,
    name: (name as string).trim(),
    description: description as string,
    enabled: enabled as boolean,
    hog: hog as string,
    bytecode,
    bytecode_lines: bytecodeLines,
    inputs_schema: schema,
    inputs,
    filters,
    masking,
    mappings,
    template_id: templateId !== undefined ? templateId : (existing?.template_id ?? null),
    icon_url: iconUrl as string | null,
    created_at: existing?.created_at ?? now,
    updated_at: now,
  };
  if (retryPolicy !== undefined) destination.retry_policy = retryPolicy;
  if (type === 'transformation') {
    destination.execution_order = executionOrder;
    destination.allow_identity_changes = allowIdentityChanges;
  }
  const secretInputs = schema.filter((s) => s.secret === true && s.key in inputs).map((s) => s.key);
  return { ok: true, destination, secretInputs };
}
