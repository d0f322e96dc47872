/**
 * The one place `src/destinations/` runs Hog bytecode synchronously (filters, input templates, the
 * masking hash). Callers may pass their own runner — the executor does, to share limits and
 * counters — and tests may pass a stand-in.
 */
import { execSync, type Bytecode } from '../hog/index.js';

export interface RunOptions {
  globals: Record<string, unknown>;
  /** Milliseconds of VM time. */
  timeout?: number;
  /** Bytes of VM memory. */
  memoryLimit?: number;
}

/** Runs bytecode to completion and returns its result as plain JS; throws on any Hog error. */
export type HogRunner = (bytecode: Bytecode, options: RunOptions) => unknown;

/** Filters and templates are short expressions: they get a tighter budget than a destination's code. */
export const DEFAULT_EXPRESSION_TIMEOUT_MS = 100;
export const DEFAULT_EXPRESSION_MEMORY = 64 * 1024 * 1024;

/**
 * The engine's `execSync`, with the expression defaults. It throws if the code suspends (an async call
 * such as `fetch` has no place in a filter or a template).
 */
export const runWithEngine: HogRunner = (bytecode, options) =>
  execSync(bytecode, {
    globals: options.globals,
    timeout: options.timeout ?? DEFAULT_EXPRESSION_TIMEOUT_MS,
    memoryLimit: options.memoryLimit ?? DEFAULT_EXPRESSION_MEMORY,
    print: () => {},
  });

/** The message of anything thrown by a run, for logs and errors. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
