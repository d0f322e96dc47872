/**
 * Secret inputs at the API boundary: encrypted before they are stored, replaced by the marker
 * `{"secret": true}` whenever a destination is returned, and decrypted only for the executor.
 * Secret inputs are never templated: their compiled form would carry the plaintext, so it is
 * dropped and the (decrypted) value is used literally.
 */
import type { Destination, InputSchemaItem, Inputs } from '../../../destinations/model.js';
import { decryptSecretInputValues, encryptSecret, isEncryptedSecret, isSecretMarker, type Keyring } from '../../../destinations/secrets.js';

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
export function publicInputs(inputs: Inputs, schema: InputSchemaItem[]): Record<string, unknown> {
  const secrets = secretKeys(schema);
  const out: Record<string, unknown> = {};
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
