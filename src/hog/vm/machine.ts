/**
 * The VM's mutable run state and the helpers the run loop calls for its less frequent paths:
 * loading chunks, globals, calls to named functions and non-local closures, throwing, limits,
 * suspension and the final result. The loop itself is in `run.ts`. A machine serves one run at a
 * time and is kept, emptied, for a later one (`Machine.forRun`, `release`).
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
import { readGlobalChain } from './global-chain.js';
import type { KeptConversions } from './kept.js';
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
  /**
   * When the run's time began (`performance.now()`), for a host that already read the clock and
   * counts what it did before the run into `timeout`. Default: the run's start.
   */
  startedAt?: number;
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
  /**
   * The name of a global (`event`): when the program returns the value it read of that global whole
   * (`return event`, or a local holding it) and set no property of any value during the run, `result`
   * is the host's own global object and `unchangedGlobal` its name, instead of a conversion of the
   * value. For plain JSON data the two are equal: a host whose code usually returns its input unchanged
   * is spared converting it back and comparing it.
   */
  returnUnchangedGlobal?: string;
  /**
   * Conversions of whole globals shared with other runs on the same host objects (`kept.ts`): a whole
   * read takes a kept value instead of converting again, and a run that finishes without setting any
   * property gives back the values it read whole.
   */
  keptConversions?: KeptConversions;
}

export type ExecResult =
  | { finished: true; result: unknown; state: VMState; unchangedGlobal?: string }
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

/**
 * The last whole read of each global name during a run (see `ExecOptions.returnUnchangedGlobal` and
 * `keptConversions`): its value, the host object it was converted from and what the conversion was
 * charged. A run reads few globals whole; a kept machine keeps these lists, emptied, for its next run.
 */
class WholeReads {
  count = 0;
  private readonly names: string[] = [];
  readonly values: HogValue[] = [];
  readonly raws: object[] = [];
  readonly costs: number[] = [];

  set(name: string, value: HogValue, raw: object, cost: number): void {
    let i = this.indexOf(name);
    if (i < 0) i = this.count++;
    this.names[i] = name;
    this.values[i] = value;
    this.raws[i] = raw;
    this.costs[i] = cost;
  }

  indexOf(name: string): number {
    for (let i = 0; i < this.count; i++) if (this.names[i] === name) return i;
    return -1;
  }

  /** Forgets the reads, and the values they held. */
  clear(): void {
    for (let i = 0; i < this.count; i++) {
      this.values[i] = null;
      this.raws[i] = NO_GLOBALS;
    }
    this.count = 0;
  }
}

/** Where a global function name dispatches to (resolved once per name per run). */
type GlobalTarget =
  | { kind: 'import' }
  | { kind: 'host'; fn: (...args: any[]) => unknown }
  | { kind: 'async' }
  | { kind: 'stl'; fn: StlFunction }
  | { kind: 'bytecode'; arity: number }
  | { kind: 'missing' };

const NO_GLOBALS: Record<string, unknown> = Object.freeze({});
const NO_ARGS: unknown[] = Object.freeze([]) as unknown as unknown[];
const FINISHED: Pick<VMState, 'bytecodes' | 'stack' | 'upvalues' | 'callStack' | 'throwStack' | 'declaredFunctions'> = {
  bytecodes: Object.freeze({}),
  stack: Object.freeze([]) as unknown as unknown[],
  upvalues: Object.freeze([]) as unknown as VMState['upvalues'],
  callStack: Object.freeze([]) as unknown as VMState['callStack'],
  throwStack: Object.freeze([]) as unknown as VMState['throwStack'],
  declaredFunctions: Object.freeze({}),
};
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

/**
 * Machines of finished runs, kept for the next runs: a filter or a transformation runs on every event,
 * and a fresh machine (its stack, frames, meter, counters…) was most of what a short run allocated.
 * `release` empties one before it is kept, so it holds nothing of the run that used it; a run inside a
 * host function simply takes another.
 */
const SPARE_MACHINES = 4;
/**
 * A stack or frame list that grew longer than this (a deep run) is replaced rather than emptied: a
 * kept machine's stack is cleared up to its length at every release, which must stay cheap.
 */
const MAX_SPARE_LENGTH = 64;
const spareMachines: Machine[] = [];
const NO_OPTIONS: ExecOptions = Object.freeze({});

/** The root frame's closure: no upvalues, and nothing ever changes it. */
const ROOT_CLOSURE: HogClosure = Object.freeze({
  __hogClosure__: true as const,
  callable: Object.freeze({ __hogCallable__: 'local' as const, name: '', argCount: 0, upvalueCount: 0, ip: 1, chunk: 'root' }),
  upvalues: Object.freeze([]) as unknown as number[],
});

export class Machine implements MeterOwner {
  /** Values from index 0 to `sp`; slots above may hold null (a reused stack), never a value of another run. */
  stack: HogValue[] = [];
  sp = 0;
  frames: Frame[] = [];
  readonly tries: TryFrame[] = [];
  readonly upvalues = new Upvalues();
  declared: Record<string, [number, number]> = {};
  declaredCount = 0;
  ops = 0;
  asyncSteps = 0;
  private calls = 0;

  // Limits (set by `start`)
  timeout = 0;
  memLimit = 0;
  maxAsyncSteps = 0;
  private priorDuration = 0;
  private startTime = 0;
  deadline = 0;
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
  readonly meter: Meter = new Meter(this);

  // Code and host
  /** The run's chunks as a state lists them; for bare bytecode, made only when needed (`bytecodes`). */
  private chunkEntries: Record<string, BytecodeEntry> | null = null;
  private rootBytecode: Bytecode | null = null;
  /** The root entry's own globals (a state or a set of chunks may carry them), under the host's. */
  private rootOwnGlobals: Record<string, unknown> | undefined = undefined;
  /**
   * GET_GLOBAL's chain of keys, by length (up to 4), one array each for every run: `getGlobal` reads a
   * chain and keeps nothing of it.
   */
  private readonly chainArrays: HogValue[][] = [[], [null], [null, null], [null, null, null], [null, null, null, null]];
  private chainsUsed = false;
  /** The root chunk and its globals, which every run loads; other chunks (imports, STL code) in `chunks`. */
  private rootChunk: Chunk | null = null;
  private rootChunkGlobals: Record<string, unknown> = NO_GLOBALS;
  private chunks: Map<string, { chunk: Chunk; globals: Record<string, unknown> }> | null = null;
  private asyncFunctionNames: ReadonlySet<string> = NO_ASYNC_NAMES;
  readonly ctx: StlContext = { print: defaultPrint, now: Date.now };
  options: ExecOptions = NO_OPTIONS;

  /** A SET_PROPERTY ran: values the program read as globals may no longer equal the host's. */
  mutated = false;
  /**
   * With `returnUnchangedGlobal` or `keptConversions`: the last whole read of each global name that
   * is a container (bounded by the names), with what its conversion was charged.
   */
  private readonly wholeReads = new WholeReads();
  private tracksWholeReads = false;

  // Suspension
  suspendedName = '';
  suspendedArgs: unknown[] = NO_ARGS;

  /** A machine ready to run `input` (a kept one when there is one). Give it back with `release`. */
  static forRun(input: Bytecode | { bytecodes: Record<string, BytecodeEntry> } | VMState, options: ExecOptions, state: VMState | null): Machine {
    const machine = spareMachines.pop() ?? new Machine();
    machine.start(input, options, state);
    return machine;
  }

  private start(input: Bytecode | { bytecodes: Record<string, BytecodeEntry> } | VMState, options: ExecOptions, state: VMState | null): void {
    this.options = options;
    this.startTime = options.startedAt ?? performance.now();
    this.timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
    this.memLimit = options.memoryLimit ?? DEFAULT_MAX_MEMORY;
    this.maxAsyncSteps = options.maxAsyncSteps ?? DEFAULT_MAX_ASYNC_STEPS;
    this.priorDuration = state?.syncDuration ?? 0;
    this.deadline = this.startTime + this.timeout - this.priorDuration;
    // Active from here: restoring a state converts host data (a resumed async result) too. `exec`
    // puts the previous meter back when the run ends.
    this.meter.reset();
    activateMeter(this.meter);
    this.asyncFunctionNames = asyncNames(options.asyncFunctions);
    this.tracksWholeReads = options.returnUnchangedGlobal !== undefined || options.keptConversions !== undefined;
    this.ctx.print = options.print ?? defaultPrint;
    this.ctx.now = options.now ?? Date.now;
    if (Array.isArray(input)) {
      this.rootBytecode = input;
    } else {
      this.chunkEntries = { ...readBytecodes(input) };
      this.rootBytecode = this.chunkEntries.root?.bytecode ?? null;
      this.rootOwnGlobals = this.chunkEntries.root?.globals;
    }
    const root = this.rootBytecode;
    if (!Array.isArray(root) || (root[0] !== '_H' && root[0] !== '_h')) {
      throw new HogVMError("Invalid HogQL bytecode, must start with '_H'");
    }
    if (state !== null) this.restore(state);
    else this.frames.push(this.rootFrame());
    this.measureMemory(0);
  }

  /**
   * The run is over (finished, suspended and serialized, or failed): the machine, emptied, is kept for
   * the next run. Called once, by `exec`; nothing of the run may use it afterwards.
   */
  release(): void {
    const stack = this.stack;
    if (stack.length > MAX_SPARE_LENGTH) this.stack = [];
    else for (let i = 0; i < stack.length; i++) stack[i] = null;
    this.sp = 0;
    // Popped rather than truncated: setting the length to 0 would free the array's storage.
    if (this.frames.length > MAX_SPARE_LENGTH) this.frames = [];
    while (this.frames.length > 0) this.frames.pop();
    while (this.tries.length > 0) this.tries.pop();
    this.upvalues.reset();
    if (this.declaredCount > 0) this.declared = {};
    this.declaredCount = 0;
    this.ops = 0;
    this.asyncSteps = 0;
    this.calls = 0;
    this.allocSince = 0;
    this.allocBudget = Infinity;
    this.measuredSp = 0;
    this.maxMemUsed = 0;
    this.measuredBytes = 0;
    this.tally.cost = 0;
    this.meter.reset();
    this.chunkEntries = null;
    this.rootBytecode = null;
    this.rootOwnGlobals = undefined;
    if (this.chainsUsed) {
      for (const chain of this.chainArrays) for (let i = 0; i < chain.length; i++) chain[i] = null;
      this.chainsUsed = false;
    }
    this.rootChunk = null;
    this.rootChunkGlobals = NO_GLOBALS;
    this.chunks = null;
    this.asyncFunctionNames = NO_ASYNC_NAMES;
    this.ctx.print = defaultPrint;
    this.ctx.now = Date.now;
    this.options = NO_OPTIONS;
    this.mutated = false;
    this.wholeReads.clear();
    this.tracksWholeReads = false;
    this.suspendedName = '';
    this.suspendedArgs = NO_ARGS;
    if (spareMachines.length < SPARE_MACHINES) spareMachines.push(this);
  }

  /** The run's chunks by name, as a state lists them. */
  private get bytecodes(): Record<string, BytecodeEntry> {
    return (this.chunkEntries ??= { root: { bytecode: this.rootBytecode! } });
  }

  /** An array of `n` slots for GET_GLOBAL's chain (see `chainArrays`). */
  chainOf(n: number): HogValue[] {
    if (n >= this.chainArrays.length) return new Array<HogValue>(n);
    this.chainsUsed = true;
    return this.chainArrays[n]!;
  }

  private rootFrame(): Frame {
    return new Frame(0, 0, ROOT_CLOSURE, this.loadChunk('root'), 'root', 0);
  }

  private restore(state: VMState): void {
    for (const value of state.stack) this.stack[this.sp++] = fromStateValue(value);
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
    if (name === 'root') {
      if (this.rootChunk !== null) return this.rootChunk;
      this.rootChunk = decodeChunk(this.rootBytecode!, name);
      this.rootChunkGlobals = this.rootGlobals();
      return this.rootChunk;
    }
    const cached = this.chunks?.get(name);
    if (cached !== undefined) return cached.chunk;
    const entry = this.findChunk(name);
    const chunk = decodeChunk(entry.bytecode, name);
    (this.chunks ??= new Map()).set(name, { chunk, globals: entry.globals ?? {} });
    return chunk;
  }

  private globalsOf(chunkName: string): Record<string, unknown> {
    if (chunkName === 'root') return this.rootChunkGlobals;
    return this.chunks?.get(chunkName)?.globals ?? NO_GLOBALS;
  }

  /** A chunk other than the root: the bytecode STL's, one of the run's, or an import. */
  private findChunk(name: string): BytecodeEntry {
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

  private rootGlobals(): Record<string, unknown> {
    const own = this.rootOwnGlobals;
    const host = this.options.globals;
    if (own !== undefined && host !== undefined) return { ...own, ...host };
    return host ?? own ?? {};
  }

  /** GET_GLOBAL: resolve `chain` (first element first) in the chunk's globals, then callables. */
  getGlobal(chunkName: string, chain: HogValue[]): HogValue {
    const globals = this.globalsOf(chunkName);
    const root = chain[0];
    if ((typeof root === 'string' || typeof root === 'number') && Object.hasOwn(globals, root)) {
      const raw = readGlobalChain(globals, chain);
      if (typeof raw === 'string') {
        this.charge(8 + raw.length);
        return raw;
      }
      if (typeof raw !== 'object' || raw === null) return jsToHog(raw);
      if (this.tracksWholeReads && chain.length === 1) return this.readWhole(String(root), raw);
      return this.converted(raw);
    }
    if (chain.length === 1 && typeof root === 'string') {
      const callable = this.globalCallable(root);
      if (callable !== null) return newClosure(callable);
    }
    throw new HogVMError(`Global variable not found: ${chain.map((k) => preview(k, jsString)).join('.')}`);
  }

  /** A fresh conversion of host data, charged to the memory accounting. */
  private converted(raw: object): HogValue {
    this.meter.open();
    this.tally.cost = 0;
    const value = jsToHogTallied(raw, this.tally, measureOne);
    this.charge(this.tally.cost);
    return value;
  }

  /** A global read whole: a kept conversion when there is one (charged alike), remembered for the run's end. */
  private readWhole(name: string, raw: object): HogValue {
    const kept = this.options.keptConversions;
    let value: HogValue;
    let cost: number;
    if (kept !== undefined && kept.take(raw)) {
      value = kept.takenValue;
      cost = kept.takenCost;
      kept.takenValue = null;
      this.charge(cost);
    } else {
      value = this.converted(raw);
      cost = this.tally.cost;
    }
    this.wholeReads.set(name, value, raw, cost);
    return value;
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
    // Numbers, booleans and null (most results: `length`, `position`…) cost nothing new.
    else if (typeof value === 'object' && value !== null) {
      if (Array.isArray(value)) this.charge(8 * (value.length + 1));
      else if (value instanceof Map) this.charge(8 * (2 * value.size + 1));
      // An error's message can be new text too: `Error(x)` converts x to it.
      else if (isHogError(value)) this.charge(8 + (typeof value.message === 'string' ? value.message.length : 0));
    }
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
    // A finished run has nothing left to resume: its state's collections are shared, frozen empties.
    const state: VMState = {
      bytecodes: FINISHED.bytecodes,
      stack: FINISHED.stack,
      upvalues: FINISHED.upvalues,
      callStack: FINISHED.callStack,
      throwStack: FINISHED.throwStack,
      declaredFunctions: FINISHED.declaredFunctions,
      ops: this.ops,
      asyncSteps: this.asyncSteps,
      syncDuration: this.duration(),
      maxMemUsed: this.maxMemUsed,
    };
    const reads = this.wholeReads;
    if (reads.count === 0 || this.mutated) {
      this.meter.open();
      return { finished: true, result: hogToJs(value), state };
    }
    // Nothing was set during the run: every value read whole still equals its host object.
    const unchanged = this.unchangedGlobalName(value);
    let result: unknown;
    if (unchanged === null) {
      this.meter.open();
      result = hogToJs(value);
    }
    const kept = this.options.keptConversions;
    if (kept !== undefined) for (let i = 0; i < reads.count; i++) kept.give(reads.raws[i]!, reads.values[i]!, reads.costs[i]!);
    if (unchanged === null) return { finished: true, result, state };
    return { finished: true, result: reads.raws[reads.indexOf(unchanged)], state, unchangedGlobal: unchanged };
  }

  /** `returnUnchangedGlobal` when `value` is that global's whole read, or null. */
  private unchangedGlobalName(value: HogValue): string | null {
    const name = this.options.returnUnchangedGlobal;
    if (name === undefined || typeof value !== 'object' || value === null) return null;
    const i = this.wholeReads.indexOf(name);
    return i >= 0 && this.wholeReads.values[i] === value ? name : null;
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

function measureOne(value: HogValue): number {
  return deepCost([value], 1, new Set());
}

/** A value in an error message: its JSON, cut short, and never more than a small fixed effort. */
export function valuePreview(value: unknown): string {
  return preview(value ?? null, (v) => jsonStringify(v as HogValue));
}
