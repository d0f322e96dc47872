/**
 * The VM's mutable run state and the helpers the run loop calls for its less frequent paths:
 * loading chunks, globals, calls to named functions and non-local closures, throwing, limits,
 * suspension and the final result. The loop itself is in `run.ts`.
 */
import type { Bytecode } from '../bytecode/opcodes.js';
import { hogToJs, jsString, jsToHog, jsToHogTallied } from '../convert.js';
import { HogVMError, limitError, UncaughtHogError } from '../errors.js';
import { ASYNC_STL, BYTECODE_STL, STL, jsonStringify } from '../stdlib/index.js';
import type { StlContext, StlFunction } from '../stdlib/types.js';
import {
  type HogCallable,
  type HogClosure,
  type HogError,
  type HogValue,
  isHogCallable,
  isHogClosure,
  isHogError,
} from '../values.js';
import { type Chunk, decodeChunk } from './decode.js';
import { deepCost } from './memory.js';
import { activateMeter, Meter, type MeterOwner, preview } from './meter.js';
import {
  type BytecodeEntry,
  fromStateValue,
  type StateFrame,
  type StateTryFrame,
  toStateValue,
  type VMState,
} from './state.js';
import { Upvalue, Upvalues } from './upvalues.js';

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_MAX_MEMORY = 64 * 1024 * 1024;
export const DEFAULT_MAX_ASYNC_STEPS = 100;
export const CALLSTACK_LENGTH = 1000;
export const MAX_FUNCTION_ARGS_LENGTH = 300;

export interface ExecOptions {
  /** Host data reachable with GET_GLOBAL; merged over `bytecodes.root.globals`. */
  globals?: Record<string, unknown>;
  /** Host sync functions: plain JS in and out. */
  functions?: Record<string, (...args: any[]) => unknown>;
  /** Names of host async functions the VM suspends on (a record's keys, or a list). */
  asyncFunctions?: Record<string, unknown> | string[];
  /** Milliseconds of execution allowed, cumulative across resumes. Default 5000. */
  timeout?: number;
  /** Approximate bytes of live values allowed. Default 64 MiB; `<= 0` disables the limit. */
  memoryLimit?: number;
  /** Number of suspensions allowed. Default 100. */
  maxAsyncSteps?: number;
  /** Receives each `print` line. Default: stdout. */
  print?: (line: string) => void;
  /** Clock for the STL (`now()`, `today()`), in epoch milliseconds. */
  now?: () => number;
  /** Loads the chunk requested by `import(name)`. */
  importBytecode?: (name: string) => Bytecode | BytecodeEntry | null | undefined;
}

export type ExecResult =
  | { finished: true; result: unknown; state: VMState }
  | { finished: false; asyncFunctionName: string; asyncFunctionArgs: unknown[]; state: VMState };

/** A call frame: plain numbers for the decoded position and the stack base. */
export class Frame {
  constructor(
    public pc: number,
    readonly base: number,
    readonly closure: HogClosure,
    readonly chunk: Chunk,
    readonly chunkName: string,
    readonly argCount: number,
  ) {}
}

export interface TryFrame {
  callStackLen: number;
  stackLen: number;
  catchPc: number;
}

/** Where a global function name dispatches to (resolved once per name per run). */
type GlobalTarget =
  | { kind: 'import' }
  | { kind: 'host'; fn: (...args: any[]) => unknown }
  | { kind: 'async' }
  | { kind: 'stl'; fn: StlFunction }
  | { kind: 'bytecode'; arity: number }
  | { kind: 'missing' };

const ASYNC_TARGET: GlobalTarget = { kind: 'async' };
const MISSING_TARGET: GlobalTarget = { kind: 'missing' };
/** Standard-library dispatch by name, shared by every run (it does not depend on run options). */
const STATIC_TARGETS = new Map<string, GlobalTarget>();

/** Outcome of a helper that may change frames: keep going, frames changed, or suspended. */
export const enum Flow {
  Next = 0,
  Jumped = 1,
  Suspended = 2,
}

function newCallable(
  kind: HogCallable['__hogCallable__'],
  name: string,
  argCount: number,
  ip: number,
  chunk: string,
): HogCallable {
  return { __hogCallable__: kind, name, argCount, upvalueCount: 0, ip, chunk };
}

function newClosure(callable: HogCallable, upvalues: number[] = []): HogClosure {
  return { __hogClosure__: true, callable, upvalues };
}

const NO_ASYNC_NAMES: ReadonlySet<string> = new Set();

function asyncNames(option: ExecOptions['asyncFunctions']): ReadonlySet<string> {
  if (option === undefined) return NO_ASYNC_NAMES;
  if (Array.isArray(option)) return new Set(option);
  return new Set(Object.keys(option).filter((name) => Boolean(option[name])));
}

function defaultPrint(line: string): void {
  process.stdout.write(line + '\n');
}

export class Machine implements MeterOwner {
  readonly stack: HogValue[] = [];
  sp = 0;
  readonly frames: Frame[] = [];
  readonly tries: TryFrame[] = [];
  readonly upvalues = new Upvalues();
  declared: Record<string, [number, number]> = {};
  declaredCount = 0;
  ops = 0;
  asyncSteps = 0;
  private calls = 0;

  // Limits
  readonly timeout: number;
  readonly memLimit: number;
  readonly maxAsyncSteps: number;
  private readonly priorDuration: number;
  private readonly startTime: number;
  readonly deadline: number;
  allocSince = 0;
  allocBudget = Infinity;
  measuredSp = 0;
  maxMemUsed = 0;
  /** Bytes at the last deep measurement: the live values and what was about to be pushed. */
  private measuredBytes = 0;
  private readonly tally = { cost: 0 };
  /**
   * Bounds the native walks that expand values (JSON, printing, conversions for the host and the
   * state). Opened afresh at each native call boundary, so each call may expand up to what is left
   * of the memory limit, and no call more.
   */
  readonly meter: Meter;

  // Code and host
  readonly bytecodes: Record<string, BytecodeEntry>;
  private readonly chunks = new Map<string, Chunk>();
  private readonly chunkGlobals = new Map<string, Record<string, unknown>>();
  private readonly asyncFunctionNames: ReadonlySet<string>;
  readonly ctx: StlContext;

  // Suspension
  suspendedName = '';
  suspendedArgs: unknown[] = [];

  constructor(
    input: Bytecode | { bytecodes: Record<string, BytecodeEntry> } | VMState,
    readonly options: ExecOptions,
    state: VMState | null,
  ) {
    this.startTime = performance.now();
    this.timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
    this.memLimit = options.memoryLimit ?? DEFAULT_MAX_MEMORY;
    this.maxAsyncSteps = options.maxAsyncSteps ?? DEFAULT_MAX_ASYNC_STEPS;
    this.priorDuration = state?.syncDuration ?? 0;
    this.deadline = this.startTime + this.timeout - this.priorDuration;
    // Active from here: restoring a state converts host data (a resumed async result) too. `exec`
    // puts the previous meter back when the run ends.
    this.meter = new Meter(this);
    activateMeter(this.meter);
    this.asyncFunctionNames = asyncNames(options.asyncFunctions);
    this.ctx = { print: options.print ?? defaultPrint, now: options.now ?? Date.now };
    this.bytecodes = Array.isArray(input) ? { root: { bytecode: input } } : { ...readBytecodes(input) };
    const root = this.bytecodes.root?.bytecode;
    if (!Array.isArray(root) || (root[0] !== '_H' && root[0] !== '_h')) {
      throw new HogVMError("Invalid HogQL bytecode, must start with '_H'");
    }
    if (state !== null) this.restore(state);
    else this.frames.push(this.rootFrame());
    this.measureMemory(0);
  }

  private rootFrame(): Frame {
    const closure = newClosure(newCallable('local', '', 0, 1, 'root'));
    return new Frame(0, 0, closure, this.loadChunk('root'), 'root', 0);
  }

  private restore(state: VMState): void {
    for (const value of state.stack) this.stack.push(fromStateValue(value));
    this.sp = this.stack.length;
    for (const u of state.upvalues) {
      this.upvalues.restore(new Upvalue(u.id, u.location, u.closed, u.closed ? fromStateValue(u.value) : null));
    }
    for (const f of state.callStack) this.frames.push(this.restoreFrame(f));
    for (const t of state.throwStack) this.tries.push(this.restoreTry(t));
    this.declared = { ...state.declaredFunctions };
    this.declaredCount = Object.keys(this.declared).length;
    this.ops = state.ops ?? 0;
    this.asyncSteps = state.asyncSteps ?? 0;
    this.maxMemUsed = state.maxMemUsed ?? 0;
    if (this.frames.length === 0) this.frames.push(this.rootFrame());
  }

  private restoreFrame(f: StateFrame): Frame {
    const chunk = this.loadChunk(f.chunk ?? 'root');
    const pc = f.ip >= chunk.ipToPc.length ? chunk.endPc : chunk.ipToPc[f.ip]!;
    if (pc < 0) throw new HogVMError(`Invalid ip ${f.ip} in chunk ${f.chunk}`);
    const closure = (fromStateValue(f.closure) as HogClosure) ?? newClosure(newCallable('local', '', 0, 1, 'root'));
    return new Frame(pc, f.stackStart, closure, chunk, f.chunk ?? 'root', f.argCount);
  }

  private restoreTry(t: StateTryFrame): TryFrame {
    const frame = this.frames[t.callStackLen - 1];
    if (frame === undefined) throw new HogVMError('Invalid throw stack in state');
    const chunk = frame.chunk;
    const catchPc = t.catchIp >= chunk.ipToPc.length ? chunk.endPc : chunk.ipToPc[t.catchIp]!;
    return { callStackLen: t.callStackLen, stackLen: t.stackLen, catchPc };
  }

  // ---------------------------------------------------------------------------------------------
  // Chunks and globals

  loadChunk(name: string): Chunk {
    const cached = this.chunks.get(name);
    if (cached !== undefined) return cached;
    const entry = this.findChunk(name);
    const chunk = decodeChunk(entry.bytecode, name);
    this.chunks.set(name, chunk);
    this.chunkGlobals.set(name, name === 'root' ? this.rootGlobals(entry) : (entry.globals ?? {}));
    return chunk;
  }

  private findChunk(name: string): BytecodeEntry {
    if (name === 'root') return this.bytecodes.root!;
    if (name.startsWith('stl/') && Object.hasOwn(BYTECODE_STL, name.slice(4))) {
      return { bytecode: BYTECODE_STL[name.slice(4)]!.bytecode };
    }
    if (Object.hasOwn(this.bytecodes, name)) return this.bytecodes[name]!;
    const imported = this.options.importBytecode?.(name);
    if (imported === null || imported === undefined) throw new HogVMError(`Unknown chunk: ${name}`);
    const entry = Array.isArray(imported) ? { bytecode: imported } : imported;
    this.bytecodes[name] = entry;
    return entry;
  }

  private rootGlobals(entry: BytecodeEntry): Record<string, unknown> {
    const own = entry.globals;
    const host = this.options.globals;
    if (own !== undefined && host !== undefined) return { ...own, ...host };
    return host ?? own ?? {};
  }

  /** GET_GLOBAL: resolve `chain` (first element first) in the chunk's globals, then callables. */
  getGlobal(chunkName: string, chain: HogValue[]): HogValue {
    const globals = this.chunkGlobals.get(chunkName) ?? {};
    const root = chain[0];
    if ((typeof root === 'string' || typeof root === 'number') && Object.hasOwn(globals, root)) {
      const raw = readGlobalChain(globals, chain);
      if (typeof raw === 'string') {
        this.charge(8 + raw.length);
        return raw;
      }
      if (typeof raw !== 'object' || raw === null) return jsToHog(raw);
      this.meter.open();
      this.tally.cost = 0;
      const value = jsToHogTallied(raw, this.tally, measureOne);
      this.charge(this.tally.cost);
      return value;
    }
    if (chain.length === 1 && typeof root === 'string') {
      const callable = this.globalCallable(root);
      if (callable !== null) return newClosure(callable);
    }
    throw new HogVMError(`Global variable not found: ${chain.map((k) => preview(k, jsString)).join('.')}`);
  }

  private globalCallable(name: string): HogCallable | null {
    if (this.asyncFunctionNames.has(name)) return newCallable('async', name, 0, -1, 'async');
    if (Object.hasOwn(ASYNC_STL, name)) return newCallable('async', name, ASYNC_STL[name]!.maxArgs ?? 0, -1, 'async');
    if (Object.hasOwn(STL, name)) return newCallable('stl', name, STL[name]!.maxArgs ?? 0, -1, 'stl');
    if (Object.hasOwn(BYTECODE_STL, name)) {
      return newCallable('stl', name, BYTECODE_STL[name]!.params.length, 0, `stl/${name}`);
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Calls. Helpers expect `sp` and the current frame's `pc` (the return position) to be synced.

  /**
   * Dispatch for a global name, in PostHog's dispatch order: `import`, host functions, host async functions, then
   * the standard library. Only the first two depend on this run's options; the rest is resolved once
   * per name per process (`STATIC_TARGETS`), so a short template pays one Map lookup per call.
   */
  private resolveGlobal(name: string): GlobalTarget {
    const functions = this.options.functions;
    if (functions !== undefined && Object.hasOwn(functions, name) && typeof functions[name] === 'function' && name !== 'import') {
      return { kind: 'host', fn: functions[name]! };
    }
    if (this.asyncFunctionNames.has(name) && name !== 'import') return ASYNC_TARGET;
    let target = STATIC_TARGETS.get(name);
    if (target === undefined) {
      if (name === 'import') target = { kind: 'import' };
      else if (Object.hasOwn(ASYNC_STL, name)) target = ASYNC_TARGET;
      else if (Object.hasOwn(STL, name)) target = { kind: 'stl', fn: STL[name]! };
      else if (Object.hasOwn(BYTECODE_STL, name)) target = { kind: 'bytecode', arity: BYTECODE_STL[name]!.params.length };
      else target = MISSING_TARGET;
      // Names are program text: cap the cache so generated names cannot grow it without bound.
      if (STATIC_TARGETS.size < 4096) STATIC_TARGETS.set(name, target);
    }
    return target;
  }

  /** CALL_GLOBAL name argc. */
  callGlobal(name: string, argc: number, version: number): Flow {
    this.tickCall();
    if (this.declaredCount > 0 && Object.hasOwn(this.declared, name)) return this.callDeclared(name, argc);
    if (argc > this.sp) throw new HogVMError('Not enough arguments on the stack');
    if (argc > MAX_FUNCTION_ARGS_LENGTH) throw limitError('Too many arguments');
    const target = this.resolveGlobal(name);
    switch (target.kind) {
      case 'import':
        return this.callImport(this.takeArgs(argc, version === 0));
      case 'host':
        return this.callHost(target.fn, this.takeArgs(argc, version === 0));
      case 'async':
        return this.suspend(name, this.takeArgs(argc, version === 0));
      case 'stl':
        checkArity(name, target.fn, argc);
        this.meter.open();
        this.pushCharged(target.fn.fn(this.takeArgs(argc, version === 0), this.ctx) ?? null);
        return Flow.Next;
      case 'bytecode':
        if (argc !== target.arity) throw new HogVMError(`Function ${name} requires exactly ${target.arity} arguments`);
        return this.pushFrame(newClosure(newCallable('stl', name, argc, 0, `stl/${name}`)), `stl/${name}`, 0, argc);
      case 'missing':
        throw new HogVMError(`Unsupported function call: ${name}`);
    }
  }

  private callDeclared(name: string, argc: number): Flow {
    const [ip, argCount] = this.declared[name]!;
    for (let i = argc; i < argCount; i++) this.push(null);
    const chunkName = this.currentFrame().chunkName;
    const closure = newClosure(newCallable('local', name, argCount, ip, chunkName));
    return this.pushFrame(closure, chunkName, ip, argCount);
  }

  private callImport(args: HogValue[]): Flow {
    if (args.length !== 1) throw new HogVMError('Function import requires exactly 1 argument');
    this.meter.open();
    const chunkName = jsString(args[0]);
    return this.pushFrame(newClosure(newCallable('local', chunkName, 0, 0, chunkName)), chunkName, 0, 0);
  }

  /** The arguments and the result are converted under separate allowances (each a native walk). */
  private callHost(fn: (...args: any[]) => unknown, args: HogValue[]): Flow {
    this.meter.open();
    const jsArgs = args.map((arg) => hogToJs(arg));
    const returned = fn(...jsArgs);
    this.meter.open();
    const result = jsToHog(returned);
    if (typeof result === 'object' && result !== null) this.charge(deepCost([result], 1, new Set()));
    this.pushCharged(result);
    return Flow.Next;
  }

  /** CALL_LOCAL on a closure that is not a plain `local` one (the run loop handles those). */
  callClosure(value: HogValue, argc: number, version: number): Flow {
    this.tickCall();
    if (!isHogClosure(value)) throw new HogVMError(`Invalid closure: ${valuePreview(value)}`);
    const callable = value.callable;
    if (!isHogCallable(callable)) throw new HogVMError(`Invalid callable: ${valuePreview(callable)}`);
    if (argc > this.sp) throw new HogVMError('Not enough arguments on the stack');
    if (argc > MAX_FUNCTION_ARGS_LENGTH) throw limitError('Too many arguments');
    const name = callable.name;
    if (callable.__hogCallable__ === 'local') return this.callLocal(value, argc);
    if (callable.__hogCallable__ === 'async') return this.suspend(name, this.takeArgs(argc, version === 0));
    if (callable.__hogCallable__ === 'stl' && Object.hasOwn(STL, name)) {
      const fn = STL[name]!;
      checkArity(name, fn, argc);
      const args = this.takeArgs(argc, version === 0);
      if (fn.maxArgs !== undefined) while (args.length < fn.maxArgs) args.push(null);
      this.meter.open();
      this.pushCharged(fn.fn(args, this.ctx) ?? null);
      return Flow.Next;
    }
    if (callable.__hogCallable__ === 'stl' && Object.hasOwn(BYTECODE_STL, name)) {
      const arity = BYTECODE_STL[name]!.params.length;
      if (argc !== arity) throw new HogVMError(`Function ${name} requires exactly ${arity} arguments`);
      return this.pushFrame(value, `stl/${name}`, 0, argc);
    }
    throw new HogVMError(`Unsupported function call: ${name}`);
  }

  /** Call a `local` closure: pad missing arguments with null, reject extra ones. */
  callLocal(closure: HogClosure, argc: number): Flow {
    const want = closure.callable.argCount;
    if (argc > want) throw new HogVMError(`Too many arguments. Passed ${argc}, expected ${want}`);
    for (let i = argc; i < want; i++) this.push(null);
    return this.pushFrame(closure, closure.callable.chunk, closure.callable.ip, want);
  }

  private pushFrame(closure: HogClosure, chunkName: string, ip: number, argCount: number): Flow {
    const chunk = this.loadChunk(chunkName);
    const pc = ip >= chunk.ipToPc.length ? chunk.endPc : chunk.ipToPc[ip]!;
    if (pc < 0) throw new HogVMError(`Invalid function ip ${ip} in chunk ${chunkName}`);
    this.frames.push(new Frame(pc, this.sp - argCount, closure, chunk, chunkName, argCount));
    if (this.frames.length > CALLSTACK_LENGTH) {
      throw limitError(`Call stack exceeded maximum length of ${CALLSTACK_LENGTH}`);
    }
    return Flow.Jumped;
  }

  /** Remove `argc` arguments: in call order (v1), or popped top-first (legacy v0). */
  takeArgs(argc: number, popped: boolean): HogValue[] {
    const stack = this.stack;
    const start = this.sp - argc;
    if (start < 0) throw new HogVMError('Stack underflow');
    const args = new Array<HogValue>(argc);
    for (let i = 0; i < argc; i++) args[i] = popped ? stack[this.sp - 1 - i]! : stack[start + i]!;
    this.upvalues.close(start, stack);
    this.sp = start;
    return args;
  }

  currentFrame(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  push(value: HogValue): void {
    this.stack[this.sp++] = value;
  }

  /** Push a value some native code just created, charging its (shallow) size. */
  pushCharged(value: HogValue): void {
    if (typeof value === 'string') this.charge(8 + value.length);
    else if (Array.isArray(value)) this.charge(8 * (value.length + 1));
    else if (value instanceof Map) this.charge(8 * (2 * value.size + 1));
    // An error's message can be new text too: `Error(x)` converts x to it.
    else if (isHogError(value)) this.charge(8 + (typeof value.message === 'string' ? value.message.length : 0));
    this.stack[this.sp++] = value;
  }

  // ---------------------------------------------------------------------------------------------
  // Exceptions

  /** THROW: unwind to the innermost try frame, or end the run with an uncaught error. */
  throwValue(value: HogValue): void {
    if (!isHogError(value)) throw new HogVMError('Can not throw: value is not of type Error');
    const handler = this.tries.pop();
    if (handler === undefined) throw this.uncaught(value);
    this.upvalues.close(handler.stackLen, this.stack);
    this.sp = handler.stackLen;
    this.frames.length = handler.callStackLen;
    this.push(value);
    this.currentFrame().pc = handler.catchPc;
  }

  /**
   * The error that ends the run. Its payload leaves the VM for the host to convert or print, so it
   * must expand within the budget like any other result: converting it once under the meter proves
   * that (or fails the run with the memory-limit error instead).
   */
  private uncaught(error: HogError): UncaughtHogError {
    this.meter.open();
    const type = jsString(error.type);
    const message = jsString(error.message);
    const payload = error.payload ?? null;
    hogToJs(payload);
    return new UncaughtHogError(type, message, payload);
  }

  /** RETURN (and implicit end of chunk) from a non-root frame: drop its try frames too. */
  dropTries(callStackLen: number): void {
    const tries = this.tries;
    while (tries.length > 0 && tries[tries.length - 1]!.callStackLen > callStackLen) tries.pop();
  }

  // ---------------------------------------------------------------------------------------------
  // Limits

  /**
   * At each call: look at the clock every 16th call. Calls are instructions too, so the run loop's
   * check every 32 instructions bounds the rest; this only keeps call-heavy code from going long
   * between checks without paying `performance.now()` per call.
   */
  tickCall(): void {
    if ((++this.calls & 15) === 0) this.checkTimeout();
  }

  checkTimeout(): void {
    if (performance.now() > this.deadline) {
      throw limitError(`Execution timed out after ${this.timeout / 1000} seconds. Performed ${this.ops} ops.`);
    }
  }

  /**
   * Charge `bytes` of new allocation that may not be on the stack yet; deep-measure (counting those
   * bytes as pending) when the allocations since the last measurement might exceed the limit.
   */
  charge(bytes: number): void {
    this.allocSince += bytes;
    if (this.allocSince > this.allocBudget) this.measureMemory(bytes);
  }

  /** Measure the live values (stack and closed upvalues) plus `pending` bytes about to be allocated. */
  measureMemory(pending: number): void {
    if (this.memLimit <= 0) {
      this.allocBudget = Infinity;
      this.measuredSp = Infinity;
      return;
    }
    let total = pending;
    // A fresh run (nothing live yet) needs no walk: the common start of a short template or filter.
    if (this.sp > 0 || this.upvalues.byId.length > 0) {
      const seen = new Set<object>();
      total += deepCost(this.stack, this.sp, seen);
      for (const u of this.upvalues.byId) if (u !== undefined && u.closed) total += deepCost([u.value], 1, seen);
    }
    if (total > this.maxMemUsed) this.maxMemUsed = total;
    this.measuredSp = this.sp;
    this.measuredBytes = total;
    this.allocSince = 0;
    if (total > this.memLimit) {
      throw limitError(`Memory limit of ${this.memLimit} bytes exceeded. Tried to allocate ${total} bytes.`);
    }
    this.allocBudget = Math.max(this.memLimit - total, this.memLimit / 64);
  }

  /** `MeterOwner`: what a native call may still produce, from the last measurement (cheap). */
  remainingEstimate(): number {
    if (this.memLimit <= 0) return Infinity;
    return this.memLimit - this.measuredBytes - this.allocSince;
  }

  /** `MeterOwner`: measure exactly with `pending` bytes produced; throws the memory-limit error. */
  remainingAfter(pending: number): number {
    this.measureMemory(pending);
    if (this.memLimit <= 0) return Infinity;
    return this.memLimit - (this.measuredBytes - pending);
  }

  // ---------------------------------------------------------------------------------------------
  // Suspension and results

  private suspend(name: string, args: HogValue[]): Flow {
    if (this.asyncSteps >= this.maxAsyncSteps) {
      throw limitError(`Exceeded maximum number of async steps: ${this.maxAsyncSteps}`);
    }
    this.asyncSteps += 1;
    this.suspendedName = name;
    this.meter.open();
    this.suspendedArgs = args.map((arg) => hogToJs(arg));
    return Flow.Suspended;
  }

  suspendedResult(): ExecResult {
    return {
      finished: false,
      asyncFunctionName: this.suspendedName,
      asyncFunctionArgs: this.suspendedArgs,
      state: this.serialize(),
    };
  }

  finishedResult(value: HogValue): ExecResult {
    const state: VMState = {
      bytecodes: {},
      stack: [],
      upvalues: [],
      callStack: [],
      throwStack: [],
      declaredFunctions: {},
      ops: this.ops,
      asyncSteps: this.asyncSteps,
      syncDuration: this.duration(),
      maxMemUsed: this.maxMemUsed,
    };
    this.meter.open();
    return { finished: true, result: hogToJs(value), state };
  }

  private duration(): number {
    return this.priorDuration + (performance.now() - this.startTime);
  }

  /** The JSON-safe state, with PostHog's ip numbers. Frames' `pc` must be synced. */
  serialize(): VMState {
    this.meter.open();
    const stack: unknown[] = [];
    for (let i = 0; i < this.sp; i++) stack.push(toStateValue(this.stack[i] ?? null));
    return {
      bytecodes: this.bytecodes,
      stack,
      upvalues: this.upvalues.all().map((u) => ({
        __hogUpValue__: true as const,
        id: u.id,
        location: u.location,
        closed: u.closed,
        value: u.closed ? toStateValue(u.value) : null,
      })),
      callStack: this.frames.map((f) => ({
        closure: f.closure,
        ip: f.chunk.code[f.pc + 3]!,
        chunk: f.chunkName,
        stackStart: f.base,
        argCount: f.argCount,
      })),
      throwStack: this.tries.map((t) => ({
        callStackLen: t.callStackLen,
        stackLen: t.stackLen,
        catchIp: this.frames[t.callStackLen - 1]?.chunk.code[t.catchPc + 3] ?? 0,
      })),
      declaredFunctions: { ...this.declared },
      ops: this.ops,
      asyncSteps: this.asyncSteps,
      syncDuration: this.duration(),
      maxMemUsed: this.maxMemUsed,
    };
  }
}

function readBytecodes(input: { bytecodes: Record<string, BytecodeEntry> } | VMState): Record<string, BytecodeEntry> {
  const legacy = (input as { bytecode?: Bytecode }).bytecode;
  if (input.bytecodes === undefined && Array.isArray(legacy)) return { root: { bytecode: legacy } };
  return input.bytecodes ?? {};
}

function checkArity(name: string, fn: { minArgs?: number; maxArgs?: number }, argc: number): void {
  if (fn.minArgs !== undefined && argc < fn.minArgs) {
    throw new HogVMError(`Function ${name} requires at least ${fn.minArgs} arguments`);
  }
  if (fn.maxArgs !== undefined && argc > fn.maxArgs) {
    throw new HogVMError(`Function ${name} requires at most ${fn.maxArgs} arguments`);
  }
}

/** A global chain read on plain host data: a missing nested key is null. */
function readGlobalChain(globals: Record<string, unknown>, chain: HogValue[]): unknown {
  let value: unknown = globals;
  for (const key of chain) {
    if (value === null || value === undefined) return null;
    if (value instanceof Map) value = value.get(key);
    else if (Array.isArray(value)) {
      if (typeof key !== 'number') return null;
      if (key === 0) throw new HogVMError('Hog arrays start from index 1');
      value = key > 0 ? value[key - 1] : value[value.length + key];
    } else if (typeof value === 'object' && (typeof key === 'string' || typeof key === 'number')) {
      value = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : null;
    } else return null;
  }
  return value ?? null;
}

function measureOne(value: HogValue): number {
  return deepCost([value], 1, new Set());
}

/** A value in an error message: its JSON, cut short, and never more than a small fixed effort. */
export function valuePreview(value: unknown): string {
  return preview(value ?? null, (v) => jsonStringify(v as HogValue));
}
