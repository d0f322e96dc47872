/**
 * The Hog VM's public entry points: `exec` runs PostHog-format bytecode until it
 * finishes or suspends on an async call; `resume` continues a (possibly JSON round-tripped) state
 * with the host's result; `execSync` and `execAsync` are conveniences over the two.
 */
import type { Bytecode } from '../bytecode/opcodes.js';
import { HogVMError } from '../errors.js';
import type { HogValue } from '../values.js';
import { type ExecOptions, type ExecResult, Machine } from './machine.js';
import { activeMeter, activateMeter } from './meter.js';
import { run } from './run.js';
import { type BytecodeEntry, isVMState, type VMState } from './state.js';

export type { ExecOptions, ExecResult } from './machine.js';
export { DEFAULT_MAX_ASYNC_STEPS, DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT_MS } from './machine.js';
export type { BytecodeEntry, VMState } from './state.js';
export { KeptConversions } from './kept.js';

export type ExecInput = Bytecode | { bytecodes: Record<string, BytecodeEntry> } | VMState;

/**
 * Run bytecode (a bare array is the `root` chunk), a set of chunks, or a saved state whose stack
 * already holds the async result. Throws `HogVMError` or `UncaughtHogError`.
 */
export function exec(input: ExecInput, options: ExecOptions = {}): ExecResult {
  const state = isVMState(input) ? input : null;
  // The machine makes its conversion meter the active one; a run inside a host function must hand
  // the outer run's meter back when it ends.
  const outer = activeMeter();
  let machine: Machine | null = null;
  try {
    machine = Machine.forRun(input, options, state);
    return run(machine);
  } finally {
    machine?.release();
    activateMeter(outer);
  }
}

/** Continue a suspended state with the host's result for the pending async call. */
export function resume(state: VMState, result: unknown, options: ExecOptions = {}): ExecResult {
  return exec({ ...state, stack: [...state.stack, result] }, options);
}

/** Run to completion; throws `Unexpected async function call: <name>` if the program suspends. */
export function execSync(input: ExecInput, options: ExecOptions = {}): unknown {
  const response = exec(input, options);
  if (response.finished) return response.result;
  throw new HogVMError(`Unexpected async function call: ${response.asyncFunctionName}`);
}

export type AsyncHostFunction = (...args: any[]) => Promise<unknown> | unknown;

export interface ExecAsyncOptions extends Omit<ExecOptions, 'asyncFunctions'> {
  asyncFunctions?: Record<string, AsyncHostFunction>;
}

/** Run in-process, performing each async call (host functions and the STL's `sleep`) and resuming. */
export async function execAsync(input: ExecInput, options: ExecAsyncOptions = {}): Promise<ExecResult & { finished: true }> {
  const hostAsync = options.asyncFunctions ?? {};
  let response = exec(input, options);
  while (!response.finished) {
    const name = response.asyncFunctionName;
    const args = response.asyncFunctionArgs;
    let result: unknown;
    if (Object.hasOwn(hostAsync, name)) result = await hostAsync[name]!(...args);
    else if (name === 'sleep') result = await sleep(Number(args[0]) * 1000);
    else throw new HogVMError(`Invalid async function call: ${name}`);
    response = resume(response.state, result ?? null, options);
  }
  return response;
}

function sleep(ms: number): Promise<HogValue> {
  return new Promise((resolve) => setTimeout(() => resolve(null), Math.max(0, ms || 0)));
}
