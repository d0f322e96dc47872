/**
 * A transformation as the chain runs it, made from a validated configuration (`type: transformation`
 * in the hog functions model): code, compiled filters, inputs with their secrets decrypted, its place in
 * the order, and whether it may change the event's identity.
 */
import type { Bytecode } from '../hog/index.js';
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

/** The project's enabled transformations among its stored functions, ready to compile into a chain. */
export function enabledTransformations(rows: readonly StoredDestination[], keyring?: Keyring): TransformationFunction[] {
  return rows
    .filter((row) => row.enabled && functionTypeOf(row.config) === 'transformation')
    .map((row) => transformationFunctionOf(row.config as unknown as Destination, keyring));
}
