/**
 * The standard-library registry (reference §8). The VM looks functions up here by name.
 * STUB: the stdlib work fills this in; the shapes below are the contract with the VM.
 */
import type { BytecodeStlFunction, StlFunction } from './types.js';

/** Native sync functions, by name. */
export const STL: Record<string, StlFunction> = {};

/** Native async functions (the VM suspends on them, like host async functions): only `sleep`. */
export const ASYNC_STL: Record<string, { minArgs: number; maxArgs?: number }> = {
  sleep: { minArgs: 1, maxArgs: 1 },
};

/** Functions written in Hog (arrayMap, arrayFilter, …), run as chunk `stl/<name>`. */
export const BYTECODE_STL: Record<string, BytecodeStlFunction> = {};
