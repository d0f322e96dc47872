/**
 * A transformation as the chain runs it, made from a validated configuration (`type: transformation`
 * in the hog functions model): code, compiled filters, inputs with their secrets decrypted, its place in
 * the order, and whether it may change the event's identity.
 */
import type { Bytecode } from '../hog/index.js';
import { destinationFromStored, StoredDestinationError } from '../destinations/config-schema.js';
import { functionTypeOf, type Destination, type InputSchemaItem, type Inputs } from '../destinations/model.js';
import { decryptSecretInputValues, type Keyring } from '../destinations/secrets.js';
import type { StoredDestination } from '../store/store.js';

export interface TransformationFunction {
  id: string;
  name: string;
  /** Lower runs first; null runs after every numbered one. */
  executionOrder: number | null;
  /** Ties of `executionOrder` run in creation order (ISO-8601). */
  createdAt?: string;
  bytecode: Bytecode;
  /** Source map of `bytecode`, so errors name their line. */
  lines?: number[];
  /** The compiled filters (`filters.bytecode`); absent or empty: every event. */
  filterBytecode?: Bytecode | null;
  inputsSchema: InputSchemaItem[];
  /** Stored inputs with their compiled templates, secrets decrypted. */
  inputs: Inputs;
  /** May change `uuid`, `distinct_id` and `timestamp` (default false). */
  allowIdentityChanges?: boolean;
  /** Set when it cannot run at all (a secret that does not decrypt): it then fails on every event it reaches. */
  brokenReason?: string;
}

/**
 * A validated transformation's configuration as the chain runs it. Secret inputs are decrypted with
 * `keyring` (a configuration already decrypted, such as a test run's, needs none).
 */
export function transformationFunctionOf(config: Destination, keyring?: Keyring): TransformationFunction {
  const fn: TransformationFunction = {
    id: config.id,
    name: config.name,
    executionOrder: typeof config.execution_order === 'number' ? config.execution_order : null,
    createdAt: config.created_at,
    bytecode: config.bytecode ?? [],
    lines: config.bytecode_lines,
    filterBytecode: config.filters?.bytecode ?? null,
    inputsSchema: config.inputs_schema ?? [],
    inputs: config.inputs ?? {},
    allowIdentityChanges: config.allow_identity_changes === true,
  };
  try {
    fn.inputs = decryptSecretInputValues(fn.inputsSchema, fn.inputs, keyring, []);
  } catch (error) {
    fn.brokenReason = `a secret input could not be decrypted: ${(error as Error).message}`;
  }
  return fn;
}

/**
 * A stored transformation, parsed through the stored-config schema. One whose configuration does not fit
 * becomes a transformation that fails on every event it reaches, naming the fields (logged, counted and
 * watched like any failure), while the rest of the chain runs as usual.
 */
export function transformationFunctionFromStored(row: StoredDestination, keyring?: Keyring): TransformationFunction {
  try {
    return transformationFunctionOf(destinationFromStored(row), keyring);
  } catch (error) {
    if (error instanceof StoredDestinationError) return unloadableTransformation(row, error);
    throw error;
  }
}

/** Keeps what can be read of a row that does not fit (its name and place in the order), so its failures are shown where it runs. */
function unloadableTransformation(row: StoredDestination, error: StoredDestinationError): TransformationFunction {
  const { name, execution_order: order } = row.config;
  return {
    id: row.id,
    name: typeof name === 'string' ? name : row.id,
    executionOrder: typeof order === 'number' ? order : null,
    createdAt: row.createdAt,
    bytecode: [],
    inputsSchema: [],
    inputs: {},
    brokenReason: error.message,
  };
}

/** The project's enabled transformations among its stored functions, ready to compile into a chain. */
export function enabledTransformations(rows: readonly StoredDestination[], keyring?: Keyring): TransformationFunction[] {
  return rows.filter((row) => row.enabled && functionTypeOf(row.config) === 'transformation').map((row) => transformationFunctionFromStored(row, keyring));
}
