/**
 * Secret inputs at the API boundary: encrypted before they are stored, replaced by the marker
 * `{"secret": true}` whenever a destination is returned, and decrypted only for the executor.
 * Secret inputs are never templated: their compiled form would carry the plaintext, so it is
 * dropped and the (decrypted) value is used literally.
 */
import type { Destination, InputSchemaItem, Inputs } from '../../../destinations/model.js';
import type { ValidationError } from '../../../destinations/validation.js';
import { decryptSecretInputValues, encryptSecret, isEncryptedSecret, isSecretMarker, type Keyring } from '../../../destinations/secrets.js';
import type { InputEntry } from '../../schemas/destinations.js';

function secretKeys(schema: InputSchemaItem[]): Set<string> {
  return new Set(schema.filter((item) => item.secret === true).map((item) => item.key));
}

function mapSecretInputs(inputs: Inputs, schema: InputSchemaItem[], transform: (value: unknown) => unknown): Inputs {
  const secrets = secretKeys(schema);
  const out: Inputs = {};
  for (const [key, input] of Object.entries(inputs)) {
    if (!secrets.has(key)) out[key] = input;
    else out[key] = { value: transform(input.value), ...(input.order !== undefined ? { order: input.order } : {}) };
  }
  return out;
}

/** Encrypt every secret input that is not encrypted yet (a kept secret already is). */
export function encryptSecretInputs(destination: Destination, keyring: Keyring): Destination {
  const encrypt = (value: unknown) => (isEncryptedSecret(value) ? value : encryptSecret(keyring, value));
  return {
    ...destination,
    inputs: mapSecretInputs(destination.inputs, destination.inputs_schema, encrypt),
    mappings:
      destination.mappings?.map((m) => ({
        ...m,
        inputs: mapSecretInputs(m.inputs, [...destination.inputs_schema, ...(m.inputs_schema ?? [])], encrypt),
      })) ?? null,
  };
}

/**
 * The destination with its secret inputs (and its mappings') decrypted for the executor, and every
 * secret's string leaves in `secretValues` for redaction — the same decryption delivery uses.
 */
export function decryptSecretInputs(destination: Destination, keyring: Keyring, secretValues: string[]): Destination {
  return {
    ...destination,
    inputs: decryptSecretInputValues(destination.inputs_schema, destination.inputs, keyring, secretValues),
    mappings:
      destination.mappings?.map((m) => ({
        ...m,
        inputs: decryptSecretInputValues([...destination.inputs_schema, ...(m.inputs_schema ?? [])], m.inputs, keyring, secretValues),
      })) ?? null,
  };
}

/** Inputs as the API shows them: compiled trees dropped, secrets replaced by `{"secret": true}`. */
export function publicInputs(inputs: Inputs, schema: InputSchemaItem[]): Record<string, InputEntry> {
  const secrets = secretKeys(schema);
  const out: Record<string, InputEntry> = {};
  for (const [key, input] of Object.entries(inputs)) {
    out[key] = secrets.has(key) ? { secret: true } : { value: input.value };
  }
  return out;
}

/**
 * Clients send back what they were shown: `inputs.key = {"secret": true}`. Turn that into the
 * `{value: {"secret": true}}` form the validator understands (it keeps the stored value).
 */
export function normalizeSecretMarkers(body: Record<string, unknown>): Record<string, unknown> {
  const normalize = (inputs: unknown) => {
    if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) return inputs;
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(inputs)) out[key] = isSecretMarker(entry) ? { value: { secret: true } } : entry;
    return out;
  };
  const result = { ...body };
  if ('inputs' in result) result.inputs = normalize(result.inputs);
  if (Array.isArray(result.mappings)) {
    result.mappings = result.mappings.map((m: unknown) =>
      typeof m === 'object' && m !== null && 'inputs' in m ? { ...m, inputs: normalize((m as { inputs: unknown }).inputs) } : m,
    );
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether the request body's `inputs` gives `key` a value of its own (not the keep-it marker). */
function suppliesValue(given: unknown, key: string): boolean {
  const entry = isObject(given) ? given[key] : undefined;
  if (!isObject(entry) || !('value' in entry)) return false;
  const value = entry.value;
  return value !== null && value !== undefined && value !== '' && !isSecretMarker(value) && !isEncryptedSecret(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function flagChangeErrors(before: InputSchemaItem[], after: InputSchemaItem[], stored: Inputs, saved: Inputs, given: unknown, path: string): ValidationError[] {
  const wasSecret = new Map(before.map((item) => [item.key, item.secret === true]));
  const errors: ValidationError[] = [];
  for (const item of after) {
    const was = wasSecret.get(item.key);
    const now = item.secret === true;
    const kept = stored[item.key]?.value;
    if (was === undefined || was === now || kept === undefined || kept === null || kept === '') continue;
    // Only a stored value carried into the save is in the wrong form; a value sent now is stored as the new flag says.
    if (!sameValue(saved[item.key]?.value, kept) || suppliesValue(given, item.key)) continue;
    const change = now ? 'is now marked secret' : 'is no longer marked secret';
    errors.push({
      path: `${path}.${item.key}`,
      message: `input '${item.key}' ${change} but keeps its stored value, which is stored ${was ? 'encrypted' : 'unencrypted'}: send a new value for ${path}.${item.key} in the same request`,
    });
  }
  return errors;
}

/**
 * Inputs whose `secret` flag a save changes while their stored value is kept. The stored value is in the
 * form of the old flag — an encrypted value would go out as ciphertext once not secret, a plain one would
 * stay plain in older copies — so such a change is refused unless the same request sends a new value,
 * which is then stored as the new flag says (encrypted or not). Checked for the destination's inputs and
 * for each mapping's.
 */
export function secretFlagChangeErrors(body: Record<string, unknown>, existing: Destination, saved: Destination): ValidationError[] {
  const errors = flagChangeErrors(existing.inputs_schema, saved.inputs_schema, existing.inputs, saved.inputs, body.inputs, 'inputs');
  const givenMappings = Array.isArray(body.mappings) ? (body.mappings as unknown[]) : undefined;
  saved.mappings?.forEach((mapping, index) => {
    const old = existing.mappings?.[index];
    if (!old) return;
    const given = givenMappings ? (givenMappings[index] as { inputs?: unknown } | undefined)?.inputs : undefined;
    const before = [...existing.inputs_schema, ...(old.inputs_schema ?? [])];
    const after = [...saved.inputs_schema, ...(mapping.inputs_schema ?? [])];
    errors.push(...flagChangeErrors(before, after, old.inputs, mapping.inputs, given, `mappings[${index}].inputs`));
  });
  return errors;
}
