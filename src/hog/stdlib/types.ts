import type { HogValue } from '../values.js';

/**
 * What an STL function may ask of the running VM. Kept small so the STL stays pure and testable
 * without a VM.
 */
export interface StlContext {
  /** Emit one line of `print` output. */
  print(line: string): void;
  /** Milliseconds since the epoch; the host can fix it for reproducible tests. */
  now(): number;
}

/** A native (JS) standard-library function. Arity is checked by the VM before `fn` runs. */
export interface StlFunction {
  fn: (args: HogValue[], ctx: StlContext) => HogValue;
  minArgs: number;
  /** Omitted means unbounded. */
  maxArgs?: number;
}

/** A standard-library function written in Hog, run by the VM as chunk `stl/<name>`. */
export interface BytecodeStlFunction {
  /** Parameter names; the VM requires exactly this many arguments. */
  params: string[];
  /** Compiled bytecode, `["_H", 1, …]`. */
  bytecode: (string | number | boolean | null)[];
}
