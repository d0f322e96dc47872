/**
 * Which invocations one event makes for one destination, and with which inputs: the destination
 * itself, or one per enabled mapping whose filters match. Shared by the worker's registry, test runs
 * and the fixture runner, so a test runs exactly what delivery runs.
 */
import { matchesFilters } from '../destinations/filters.js';
import type { Globals } from '../destinations/globals.js';
import type { Destination, InputSchemaItem, Inputs, Mapping } from '../destinations/model.js';
import type { InvocationJob } from './executor.js';

/**
 * The destination's inputs with a mapping's inputs on top. Mapping inputs are evaluated after every
 * destination input (their order is shifted past the destination's), so they may read them.
 */
export function mergeMappingInputs(base: Inputs, mapping: Inputs): Inputs {
  let maxOrder = -1;
  for (const input of Object.values(base)) if (typeof input.order === 'number') maxOrder = Math.max(maxOrder, input.order);
  const merged: Inputs = { ...base };
  for (const [key, input] of Object.entries(mapping)) {
    merged[key] = typeof input.order === 'number' ? { ...input, order: maxOrder + 1 + input.order } : input;
  }
  return merged;
}

/** The input schema and inputs of a mapping's invocation: the destination's, the mapping's on top. */
export function mappingInputs(
  destination: Pick<Destination, 'inputs_schema' | 'inputs'>,
  mapping: Pick<Mapping, 'inputs_schema' | 'inputs'>,
): { inputsSchema: InputSchemaItem[]; inputs: Inputs } {
  return {
    inputsSchema: [...(destination.inputs_schema ?? []), ...(mapping.inputs_schema ?? [])],
    inputs: mergeMappingInputs(destination.inputs ?? {}, mapping.inputs ?? {}),
  };
}

/** The jobs one event makes for a destination whose filters it already matched (secrets decrypted). */
export function invocationJobs(destination: Destination, globals: Globals): InvocationJob[] {
  const base = { destinationId: destination.id, bytecode: destination.bytecode, globals, lines: destination.bytecode_lines };
  if (!destination.mappings || destination.mappings.length === 0) {
    return [{ ...base, inputsSchema: destination.inputs_schema, inputs: destination.inputs }];
  }
  return destination.mappings
    .filter((m) => !m.disabled && (!m.filters?.bytecode || matchesFilters(m.filters.bytecode, globals).matched))
    .map((m) => ({ ...base, ...mappingInputs(destination, m) }));
}
