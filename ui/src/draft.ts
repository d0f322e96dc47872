/** The editable form of a destination or source, and how it turns into an API payload. */
import type { FunctionType } from './kinds';
import type { Destination, Filters, InputEntry, InputSchemaItem, Masking, Template } from './types';

export interface Draft {
  type: FunctionType;
  name: string;
  description: string;
  enabled: boolean;
  hog: string;
  inputs_schema: InputSchemaItem[];
  inputs: Record<string, InputEntry>;
  /** JSON inputs as the user typed them (may be invalid until fixed). */
  jsonTexts: Record<string, string>;
  filters: Filters;
  masking: Masking | null;
  mappings: unknown[] | null;
  template_id: string | null;
  icon_url: string | null;
  /** Transformations: may change uuid, distinct_id and timestamp. */
  allow_identity_changes: boolean;
}

export function isSecretMarker(entry: unknown): entry is { secret: true } {
  return typeof entry === 'object' && entry !== null && (entry as { secret?: unknown }).secret === true && !('value' in entry);
}

function cleanFilters(filters: Filters | null | undefined): Filters {
  const f = filters ?? {};
  return {
    events: f.events ?? [],
    properties: f.properties ?? [],
    filter_test_accounts: f.filter_test_accounts ?? false,
    ...(f.hog ? { hog: f.hog } : {}),
  };
}

function jsonTextsOf(schema: InputSchemaItem[], inputs: Record<string, InputEntry>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of schema) {
    if (item.type !== 'json') continue;
    const entry = inputs[item.key];
    const value = entry && !isSecretMarker(entry) ? entry.value : undefined;
    out[item.key] = value === undefined ? '' : JSON.stringify(value, null, 2);
  }
  return out;
}

export function draftFromTemplate(template: Template, type: FunctionType = 'destination'): Draft {
  const inputs: Record<string, InputEntry> = {};
  for (const item of template.inputs_schema) if (item.default !== undefined) inputs[item.key] = { value: structuredClone(item.default) };
  return {
    type,
    name: template.name,
    description: template.description,
    enabled: true,
    hog: template.hog,
    inputs_schema: structuredClone(template.inputs_schema),
    inputs,
    jsonTexts: jsonTextsOf(template.inputs_schema, inputs),
    filters: cleanFilters(template.filters),
    masking: template.masking ? { ...template.masking, threshold: template.masking.threshold ?? null } : null,
    mappings: template.mappings ?? null,
    template_id: template.id,
    icon_url: template.icon_url,
    allow_identity_changes: false,
  };
}

export function draftFromDestination(d: Destination): Draft {
  const inputs: Record<string, InputEntry> = {};
  for (const [k, v] of Object.entries(d.inputs ?? {})) inputs[k] = isSecretMarker(v) ? { secret: true } : { value: (v as { value: unknown }).value };
  return {
    type: d.type === 'source_webhook' || d.type === 'transformation' ? d.type : 'destination',
    name: d.name,
    description: d.description ?? '',
    enabled: d.enabled,
    hog: d.hog,
    inputs_schema: d.inputs_schema ?? [],
    inputs,
    jsonTexts: jsonTextsOf(d.inputs_schema ?? [], inputs),
    filters: cleanFilters(d.filters),
    masking: d.masking ?? null,
    mappings: d.mappings ?? null,
    template_id: d.template_id,
    icon_url: d.icon_url,
    allow_identity_changes: d.allow_identity_changes === true,
  };
}

export interface ClientError {
  field: string;
  message: string;
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);
}

/** Checks the API would do anyway, done here so they show at once and on the right field. */
export function clientErrors(draft: Draft): ClientError[] {
  const errors: ClientError[] = [];
  const noun = draft.type === 'source_webhook' ? 'source' : draft.type === 'transformation' ? 'transformation' : 'destination';
  if (!draft.name.trim()) errors.push({ field: 'name', message: `Give the ${noun} a name.` });
  for (const item of draft.inputs_schema) {
    if (item.hidden) continue;
    const entry = draft.inputs[item.key];
    if (item.type === 'json') {
      const text = draft.jsonTexts[item.key] ?? '';
      if (text.trim() !== '') {
        try {
          JSON.parse(text);
        } catch (e) {
          errors.push({ field: `inputs.${item.key}`, message: `Invalid JSON: ${(e as Error).message}` });
          continue;
        }
      } else if (item.required) errors.push({ field: `inputs.${item.key}`, message: 'This input is required.' });
      continue;
    }
    if (isSecretMarker(entry)) continue;
    if (item.required && isEmpty(entry?.value)) errors.push({ field: `inputs.${item.key}`, message: 'This input is required.' });
  }
  return errors;
}

/** The body for POST/PATCH and for test runs. JSON texts that do not parse are sent as null. */
export function payloadOf(draft: Draft): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const item of draft.inputs_schema) {
    const entry = draft.inputs[item.key];
    if (item.type === 'json') {
      const text = draft.jsonTexts[item.key] ?? '';
      let value: unknown = null;
      try {
        value = text.trim() === '' ? null : JSON.parse(text);
      } catch {
        value = null;
      }
      inputs[item.key] = { value };
      continue;
    }
    if (entry === undefined) continue;
    inputs[item.key] = isSecretMarker(entry) ? { secret: true } : { value: entry.value };
  }
  const filters: Filters = {
    events: (draft.filters.events ?? []).map((e) => ({ ...e, name: e.id ?? 'All events', type: 'events' as const })),
    properties: draft.filters.properties ?? [],
    filter_test_accounts: draft.filters.filter_test_accounts ?? false,
    ...(draft.filters.hog?.trim() ? { hog: draft.filters.hog } : {}),
  };
  const common = {
    name: draft.name.trim(),
    description: draft.description,
    enabled: draft.enabled,
    hog: draft.hog,
    inputs_schema: draft.inputs_schema,
    inputs,
  };
  // Sources are not triggered by events: no filters, masking or mappings to send.
  if (draft.type === 'source_webhook') return { type: draft.type, ...common, template_id: draft.template_id, icon_url: draft.icon_url };
  // Transformations have filters but no masking or mappings; they may be allowed to change the identity.
  if (draft.type === 'transformation') {
    return { type: draft.type, ...common, filters, allow_identity_changes: draft.allow_identity_changes, template_id: draft.template_id, icon_url: draft.icon_url };
  }
  return {
    ...common,
    filters,
    masking: draft.masking,
    ...(draft.mappings ? { mappings: draft.mappings } : {}),
    template_id: draft.template_id,
    icon_url: draft.icon_url,
  };
}

/** Which form field an API error path (`attr`) belongs to: `inputs.url.value` → `inputs.url`. */
export function fieldOfAttr(attr: string | null | undefined): string | null {
  if (!attr) return null;
  const input = /^inputs\.([^.[\]]+)/.exec(attr);
  if (input) return `inputs.${input[1]}`;
  if (attr.startsWith('inputs_schema')) return 'inputs_schema';
  if (attr.startsWith('filters')) return 'filters';
  if (attr.startsWith('masking')) return 'masking';
  if (attr.startsWith('mappings')) return 'mappings';
  if (attr === 'hog' || attr.startsWith('hog')) return 'hog';
  if (attr === 'name' || attr === 'description') return attr;
  return null;
}

/** `… (at 3:14)` in an API error detail. */
export function positionOf(detail: string): { line: number; column: number } | null {
  const m = /\(at (\d+):(\d+)\)\s*$/.exec(detail);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : null;
}

/** The API prefixes details with the path (`inputs.url.value: this input is required`): drop it for the field line. */
export function messageOf(detail: string, attr: string | null): string {
  if (attr && detail.startsWith(`${attr}: `)) return detail.slice(attr.length + 2);
  return detail;
}

export const SAMPLE_GLOBALS = {
  event: {
    event: '$pageview',
    distinct_id: 'user-123',
    properties: { $current_url: 'https://example.com/pricing', $browser: 'Chrome', plan: 'growth' },
  },
  person: { id: 'a1b2c3d4-0000-4000-8000-000000000001', properties: { email: 'max@example.com', first_name: 'Max', last_name: 'the Hedgehog' } },
  groups: {},
};

/** The test panel's starting request for a source: the template's example payload if it has one, else `{}`. */
export function sourceExampleOf(template: Template | null): { body: string; headers: string } {
  const payload = template?.example_payload;
  const headers = template?.example_headers ?? { 'content-type': 'application/json' };
  return { body: payload === undefined || payload === null ? '{}' : JSON.stringify(payload, null, 2), headers: JSON.stringify(headers, null, 2) };
}

/**
 * The globals of a source test run: the request the webhook would receive. Throws a message naming the
 * editor at fault, since the panel shows it under the editors.
 */
export function sourceGlobalsOf(bodyText: string, headersText: string): { request: { method: 'POST'; headers: Record<string, string>; query: Record<string, string>; body: unknown } } {
  let body: unknown;
  let headers: unknown;
  try {
    body = bodyText.trim() === '' ? {} : JSON.parse(bodyText);
  } catch (e) {
    throw new Error(`Invalid JSON in the request body: ${(e as Error).message}`);
  }
  try {
    headers = headersText.trim() === '' ? {} : JSON.parse(headersText);
  } catch (e) {
    throw new Error(`Invalid JSON in the headers: ${(e as Error).message}`);
  }
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) throw new Error('The headers must be a JSON object of names to values.');
  const flat: Record<string, string> = {};
  // Header names are case-insensitive: send them lower-cased, as Node gives them to the source.
  for (const [k, v] of Object.entries(headers as Record<string, unknown>)) flat[k.toLowerCase()] = typeof v === 'string' ? v : JSON.stringify(v);
  return { request: { method: 'POST', headers: flat, query: {}, body } };
}
