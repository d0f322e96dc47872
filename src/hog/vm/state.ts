/**
 * The serialized VM state: plain JSON, in PostHog's layout and with PostHog's ip
 * numbers, so a state can be resumed in another process (or by another Hog VM). Stack values are
 * converted Hog → JS on the way out (Maps → objects, tuples → arrays) and JS → Hog on the way in;
 * closures, callables, dates and errors stay tagged objects (an error's payload is converted too).
 */
import type { Bytecode } from '../bytecode/opcodes.js';
import { hogToJs, jsToHog } from '../convert.js';
import type { HogClosure, HogValue } from '../values.js';

export interface BytecodeEntry {
  bytecode: Bytecode;
  globals?: Record<string, unknown>;
}

export interface StateUpvalue {
  __hogUpValue__: true;
  id: number;
  location: number;
  closed: boolean;
  value: unknown;
}

export interface StateFrame {
  closure: HogClosure;
  ip: number;
  chunk: string;
  stackStart: number;
  argCount: number;
}

export interface StateTryFrame {
  callStackLen: number;
  stackLen: number;
  catchIp: number;
}

export interface VMState {
  bytecodes: Record<string, BytecodeEntry>;
  stack: unknown[];
  upvalues: StateUpvalue[];
  callStack: StateFrame[];
  throwStack: StateTryFrame[];
  declaredFunctions: Record<string, [number, number]>;
  ops: number;
  asyncSteps: number;
  syncDuration: number;
  maxMemUsed: number;
}

/** Hog value → JSON-safe JS for a state (an error's payload too, wherever the error is). */
export function toStateValue(value: HogValue): unknown {
  return hogToJs(value);
}

/** JS from a state → Hog value. */
export function fromStateValue(value: unknown): HogValue {
  return jsToHog(value);
}

export function isVMState(input: unknown): input is VMState {
  return typeof input === 'object' && input !== null && !Array.isArray(input) && 'stack' in input;
}
