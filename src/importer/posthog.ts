/**
 * Import PostHog hog functions as Sluice destinations: the code, schema, inputs, filters, masking and
 * mappings each function was exported with. Shared by `POST …/hog_functions/import/` and the CLI.
 *
 * Idempotence: each imported destination's Sluice id is derived from the Sluice project and the PostHog
 * function's id (`importedDestinationId`), so a second import finds the destination it made — even after
 * it was renamed — and compares instead of creating another.
 *
 * Secrets: PostHog never exports secret input values (it sends `{"secret": true}` or leaves them out).
 * A destination with a secret input that has no value here is imported disabled and reported in
 * `needs_secrets`; its schema item is saved as not required so the save can succeed without it.
 */
import { createHash } from 'node:crypto';
import { findTooDeep } from '../ingest/depth.js';
import { uuidv8FromDigest } from '../ingest/uuid.js';
import type { Destination, InputSchemaItem, Inputs } from '../destinations/model.js';
import { isEncryptedSecret, isSecretMarker } from '../destinations/secrets.js';
import { findTemplate } from '../templates/index.js';

/** Functions per import: a project's whole export fits; a runaway payload is refused, not processed. */
export const MAX_IMPORT_FUNCTIONS = 1000;

export type ImportStatus = 'created' | 'updated' | 'unchanged' | 'skipped' | 'error';

export interface ImportItem {
  posthog_id: string | null;
  name: string;
  status: ImportStatus;
  /** The Sluice destination (absent for errors and skipped functions). */
  id?: string;
  enabled?: boolean;
  /** Secret inputs that must be set in Sluice before the destination can run. */
  needs_secrets?: string[];
  /** Why it was skipped, or its validation errors. */
  reason?: string;
  errors?: { attr: string; detail: string }[];
}

export interface ImportReport {
  dry_run: boolean;
  counts: Record<ImportStatus, number>;
  results: ImportItem[];
}

/** Nesting PostHog functions never reach (their JSON inputs included); deeper is refused, not walked. */
export const MAX_IMPORT_DEPTH = 64;

/** A PostHog list response `{results: […]}`, an array of functions, or one function; else a message. */
export function functionsOfExport(body: unknown): unknown[] | string {
  if (findTooDeep(body, MAX_IMPORT_DEPTH) !== null) return `the import is nested deeper than ${MAX_IMPORT_DEPTH} levels; PostHog exports are not`;
  const list = Array.isArray(body) ? body : isObject(body) && Array.isArray(body.results) ? body.results : isObject(body) && 'hog' in body ? [body] : null;
  if (list === null) return 'expected PostHog hog functions: a list response {"results": [...]}, an array of functions, or one function';
  if (list.length > MAX_IMPORT_FUNCTIONS) return `an import holds at most ${MAX_IMPORT_FUNCTIONS} functions, not ${list.length}`;
  return list;
}


/** The Sluice id of the destination imported from PostHog function `posthogId` into `projectId`. */
export function importedDestinationId(projectId: number, posthogId: string): string {
  // Shaped as a UUID (version 8: "custom") so it looks like every other destination id.
  return uuidv8FromDigest(createHash('sha256').update(`posthog-import\0${projectId}\0${posthogId}`).digest());
}

export interface PreparedFunction {
  posthogId: string;
  name: string;
  /** A create/update body for the destination validator. */
  body: Record<string, unknown>;
  needsSecrets: string[];
}

/** What a PostHog function becomes, before validation; a string says why it is skipped. */
export function prepareFunction(fn: Record<string, unknown>, projectId: number, existing: Destination | undefined): PreparedFunction | string {
  const type = fn.type ?? 'destination';
  if (type !== 'destination') return `a PostHog '${String(type)}' function; only destinations are imported`;
  if (fn.deleted === true) return 'deleted in PostHog';
  const posthogId = String(fn.id);
  const needsSecrets: string[] = [];
  const schema = cloneSchema(fn.inputs_schema);
  const inputs = secretAwareInputs(schema, fn.inputs, existing?.inputs, 'inputs', needsSecrets);
  const mappings = Array.isArray(fn.mappings)
    ? fn.mappings.map((m: unknown, i: number) => prepareMapping(m, schema, existing?.mappings?.[i]?.inputs, i, needsSecrets))
    : (fn.mappings ?? null);
  const templateId = typeof fn.template_id === 'string' && findTemplate(fn.template_id) ? fn.template_id : null;
  const body: Record<string, unknown> = {
    id: importedDestinationId(projectId, posthogId),
    type: 'destination',
    name: fn.name,
    description: fn.description ?? '',
    // Imported disabled until its secrets are set; once they are, PostHog's `enabled` applies again.
    enabled: needsSecrets.length > 0 ? false : fn.enabled !== false,
    hog: fn.hog,
    inputs_schema: schema,
    inputs,
    filters: withoutCompiled(fn.filters) ?? {},
    masking: withoutCompiled(fn.masking) ?? null,
    mappings,
    template_id: templateId,
    ...(typeof fn.icon_url === 'string' ? { icon_url: fn.icon_url } : {}),
  };
  return { posthogId, name: typeof fn.name === 'string' ? fn.name : posthogId, body, needsSecrets };
}

function prepareMapping(mapping: unknown, parentSchema: unknown[], stored: Inputs | undefined, index: number, needsSecrets: string[]): unknown {
  if (!isObject(mapping)) return mapping;
  const schema = cloneSchema(mapping.inputs_schema);
  const inputs = secretAwareInputs([...parentSchema, ...schema], mapping.inputs, stored, `mappings[${index}].inputs`, needsSecrets);
  return { ...mapping, inputs_schema: schema, inputs, filters: withoutCompiled(mapping.filters) ?? undefined };
}

function cloneSchema(schema: unknown): unknown[] {
  return Array.isArray(schema) ? schema.map((item) => (isObject(item) ? { ...item } : item)) : [];
}

/**
 * Secret inputs without an exported value: keep what Sluice already stores (the keep-it marker), else
 * leave them out, relax `required` so the save succeeds, and list them.
 */
function secretAwareInputs(schema: unknown[], raw: unknown, stored: Inputs | undefined, path: string, needsSecrets: string[]): unknown {
  if (raw !== undefined && raw !== null && !isObject(raw)) return raw;
  const out: Record<string, unknown> = { ...(raw as Record<string, unknown> | undefined) };
  for (const item of schema as Partial<InputSchemaItem & Record<string, unknown>>[]) {
    if (!isObject(item) || item.secret !== true || typeof item.key !== 'string') continue;
    const entry = out[item.key];
    const value = isObject(entry) ? ('value' in entry ? entry.value : entry) : undefined;
    const exported = value !== undefined && value !== null && value !== '' && !isSecretMarker(value);
    if (exported) continue;
    const kept = stored?.[item.key]?.value;
    if (kept !== undefined && kept !== null && kept !== '' && (isEncryptedSecret(kept) || typeof kept !== 'object')) {
      out[item.key] = { value: { secret: true } };
      continue;
    }
    delete out[item.key];
    if (item.default === undefined || item.default === null || item.default === '') {
      needsSecrets.push(`${path}.${item.key}`);
      (item as Record<string, unknown>).required = false;
    }
  }
  return out;
}

/** PostHog's exports carry compiled bytecode next to filters; Sluice compiles its own. */
function withoutCompiled(value: unknown): unknown {
  if (!isObject(value)) return value;
  const { bytecode: _b, bytecode_error: _e, transpiled: _t, ...rest } = value;
  void _b;
  void _e;
  void _t;
  return rest;
}

/** The stored fields an import writes: equal ones mean "unchanged". */
export function sameImportedFields(a: Destination, b: Destination): boolean {
  const pick = (d: Destination) =>
    JSON.stringify([d.type ?? 'destination', d.name, d.description, d.enabled, d.hog, d.inputs_schema, stripCompiled(d.inputs), d.filters, d.masking, (d.mappings ?? []).map((m) => ({ ...m, inputs: stripCompiled(m.inputs) })), d.template_id, d.icon_url]);
  return pick(a) === pick(b);
}

/** Inputs without their compiled trees and with secrets reduced to "set": ciphertext differs each time. */
function stripCompiled(inputs: Inputs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, input] of Object.entries(inputs)) out[key] = isEncryptedSecret(input.value) ? '<secret>' : input.value;
  return out;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
