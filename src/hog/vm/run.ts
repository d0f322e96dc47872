/**
 * The run loop: one `switch` over the decoded instructions, clox style. Hot state
 * lives in locals (`stack`, `sp`, `pc`, `code`, `base`, `ops`); whenever a case hands over to a
 * `Machine` helper it first syncs `m.sp` and the frame's `pc` (the return position), then reloads
 * them from the machine afterwards (`reload` blocks).
 */
import { Op } from '../bytecode/opcodes.js';
import { HogRuntimeError, HogVMError } from '../errors.js';
import { type HogCallable, type HogClosure, type HogValue, makeTuple } from '../values.js';
import { type CallableTemplate, type DeclaredFnTemplate, IOp, STRIDE } from './decode.js';
import { CALLSTACK_LENGTH, type ExecResult, Flow, Frame, type Machine, valuePreview } from './machine.js';
import { Cmp, compareValues, contains, getProperty, like, numberOperand, regex, setProperty } from './operators.js';

/**
 * The opcodes as a `const enum`, so `case` labels compile to integer literals and the engine can
 * dispatch through a jump table. `CODE_MATCHES_OP` makes the compiler check every number against
 * `Op` and `IOp`.
 */
const enum Code {
  GET_GLOBAL = 1,
  CALL_GLOBAL = 2,
  AND = 3,
  OR = 4,
  NOT = 5,
  PLUS = 6,
  MINUS = 7,
  MULTIPLY = 8,
  DIVIDE = 9,
  MOD = 10,
  EQ = 11,
  NOT_EQ = 12,
  GT = 13,
  GT_EQ = 14,
  LT = 15,
  LT_EQ = 16,
  LIKE = 17,
  ILIKE = 18,
  NOT_LIKE = 19,
  NOT_ILIKE = 20,
  IN = 21,
  NOT_IN = 22,
  REGEX = 23,
  NOT_REGEX = 24,
  IREGEX = 25,
  NOT_IREGEX = 26,
  IN_COHORT = 27,
  NOT_IN_COHORT = 28,
  TRUE = 29,
  FALSE = 30,
  NULL = 31,
  STRING = 32,
  INTEGER = 33,
  FLOAT = 34,
  POP = 35,
  GET_LOCAL = 36,
  SET_LOCAL = 37,
  RETURN = 38,
  JUMP = 39,
  JUMP_IF_FALSE = 40,
  DECLARE_FN = 41,
  DICT = 42,
  ARRAY = 43,
  TUPLE = 44,
  GET_PROPERTY = 45,
  SET_PROPERTY = 46,
  JUMP_IF_STACK_NOT_NULL = 47,
  GET_PROPERTY_NULLISH = 48,
  THROW = 49,
  TRY = 50,
  POP_TRY = 51,
  CALLABLE = 52,
  CLOSURE = 53,
  CALL_LOCAL = 54,
  GET_UPVALUE = 55,
  SET_UPVALUE = 56,
  CLOSE_UPVALUE = 57,
  END = 100,
  FAIL = 101,
  SMALL_INT = 102,
}

const CODE_MATCHES_OP: { [K in keyof typeof Op]: (typeof Op)[K] } & { [K in keyof typeof IOp]: (typeof IOp)[K] } = {
  GET_GLOBAL: Code.GET_GLOBAL,
  CALL_GLOBAL: Code.CALL_GLOBAL,
  AND: Code.AND,
  OR: Code.OR,
  NOT: Code.NOT,
  PLUS: Code.PLUS,
  MINUS: Code.MINUS,
  MULTIPLY: Code.MULTIPLY,
  DIVIDE: Code.DIVIDE,
  MOD: Code.MOD,
  EQ: Code.EQ,
  NOT_EQ: Code.NOT_EQ,
  GT: Code.GT,
  GT_EQ: Code.GT_EQ,
  LT: Code.LT,
  LT_EQ: Code.LT_EQ,
  LIKE: Code.LIKE,
  ILIKE: Code.ILIKE,
  NOT_LIKE: Code.NOT_LIKE,
  NOT_ILIKE: Code.NOT_ILIKE,
  IN: Code.IN,
  NOT_IN: Code.NOT_IN,
  REGEX: Code.REGEX,
  NOT_REGEX: Code.NOT_REGEX,
  IREGEX: Code.IREGEX,
  NOT_IREGEX: Code.NOT_IREGEX,
  IN_COHORT: Code.IN_COHORT,
  NOT_IN_COHORT: Code.NOT_IN_COHORT,
  TRUE: Code.TRUE,
  FALSE: Code.FALSE,
  NULL: Code.NULL,
  STRING: Code.STRING,
  INTEGER: Code.INTEGER,
  FLOAT: Code.FLOAT,
  POP: Code.POP,
  GET_LOCAL: Code.GET_LOCAL,
  SET_LOCAL: Code.SET_LOCAL,
  RETURN: Code.RETURN,
  JUMP: Code.JUMP,
  JUMP_IF_FALSE: Code.JUMP_IF_FALSE,
  DECLARE_FN: Code.DECLARE_FN,
  DICT: Code.DICT,
  ARRAY: Code.ARRAY,
  TUPLE: Code.TUPLE,
  GET_PROPERTY: Code.GET_PROPERTY,
  SET_PROPERTY: Code.SET_PROPERTY,
  JUMP_IF_STACK_NOT_NULL: Code.JUMP_IF_STACK_NOT_NULL,
  GET_PROPERTY_NULLISH: Code.GET_PROPERTY_NULLISH,
  THROW: Code.THROW,
  TRY: Code.TRY,
  POP_TRY: Code.POP_TRY,
  CALLABLE: Code.CALLABLE,
  CLOSURE: Code.CLOSURE,
  CALL_LOCAL: Code.CALL_LOCAL,
  GET_UPVALUE: Code.GET_UPVALUE,
  SET_UPVALUE: Code.SET_UPVALUE,
  CLOSE_UPVALUE: Code.CLOSE_UPVALUE,
  END: Code.END,
  FAIL: Code.FAIL,
  SMALL_INT: Code.SMALL_INT,
};

void CODE_MATCHES_OP;

/** Stack slots allowed to accumulate between memory measurements before re-measuring. */
const STACK_GROWTH_CHECK = 8192;

function unexpected(op: never): never {
  throw new HogVMError(`Unexpected decoded instruction: ${String(op)}`);
}

/** `chunk@ip` for each frame, innermost first (the current frame at `pc`, callers at their return ip). */
function hogStackTrace(frames: Frame[], current: Frame, pc: number): string[] {
  const trace: string[] = [];
  for (let i = frames.length - 1; i >= 0; i--) {
    const f = frames[i]!;
    const at = f === current ? pc : f.pc;
    trace.push(`${f.chunkName}@${f.chunk.code[at + 3] ?? -1}`);
  }
  return trace;
}

/** Run until the program finishes or suspends. Errors are thrown as `HogRuntimeError`s. */
export function run(m: Machine): ExecResult {
  const stack = m.stack;
  const frames = m.frames;
  const upvalues = m.upvalues;
  let frame = frames[frames.length - 1]!;
  let chunk = frame.chunk;
  let code = chunk.code;
  let consts = chunk.consts;
  let pc = frame.pc;
  let base = frame.base;
  let sp = m.sp;
  let ops = m.ops;
  try {
    for (;;) {
      const op = code[pc] as Code;
      ops++;
      if ((ops & 31) === 0) {
        m.ops = ops;
        m.checkTimeout();
        if (sp - m.measuredSp > STACK_GROWTH_CHECK) {
          m.sp = sp;
          m.measureMemory(0);
        }
      }
      switch (op) {
        case Code.SMALL_INT:
          stack[sp++] = code[pc + 1]!;
          pc += STRIDE;
          break;
        case Code.STRING:
        case Code.INTEGER:
        case Code.FLOAT:
          stack[sp++] = consts[code[pc + 1]!] as HogValue;
          pc += STRIDE;
          break;
        case Code.TRUE:
          stack[sp++] = true;
          pc += STRIDE;
          break;
        case Code.FALSE:
          stack[sp++] = false;
          pc += STRIDE;
          break;
        case Code.NULL:
          stack[sp++] = null;
          pc += STRIDE;
          break;
        case Code.POP:
          if (sp <= 0) throw new HogVMError('Invalid HogQL bytecode, stack is empty, can not pop');
          sp--;
          pc += STRIDE;
          break;
        case Code.GET_LOCAL: {
          const value = stack[base + code[pc + 1]!];
          stack[sp++] = value === undefined ? null : value;
          pc += STRIDE;
          break;
        }
        case Code.SET_LOCAL:
          stack[base + code[pc + 1]!] = stack[--sp]!;
          pc += STRIDE;
          break;
        case Code.NOT:
          stack[sp - 1] = !stack[sp - 1];
          pc += STRIDE;
          break;
        case Code.AND: {
          const n = code[pc + 1]!;
          let all = true;
          for (let i = sp - n; i < sp; i++) if (!stack[i]) all = false;
          sp -= n;
          stack[sp++] = all;
          pc += STRIDE;
          break;
        }
        case Code.OR: {
          const n = code[pc + 1]!;
          let any = false;
          for (let i = sp - n; i < sp; i++) if (stack[i]) any = true;
          sp -= n;
          stack[sp++] = any;
          pc += STRIDE;
          break;
        }
        case Code.PLUS: {
          const l = stack[--sp];
          const r = stack[sp - 1];
          stack[sp - 1] = typeof l === 'number' && typeof r === 'number' ? l + r : numberOperand(l!) + numberOperand(r!);
          pc += STRIDE;
          break;
        }
        case Code.MINUS: {
          const l = stack[--sp];
          const r = stack[sp - 1];
          stack[sp - 1] = typeof l === 'number' && typeof r === 'number' ? l - r : numberOperand(l!) - numberOperand(r!);
          pc += STRIDE;
          break;
        }
        case Code.MULTIPLY: {
          const l = stack[--sp];
          const r = stack[sp - 1];
          stack[sp - 1] = typeof l === 'number' && typeof r === 'number' ? l * r : numberOperand(l!) * numberOperand(r!);
          pc += STRIDE;
          break;
        }
        case Code.DIVIDE: {
          const l = stack[--sp];
          const r = stack[sp - 1];
          stack[sp - 1] = typeof l === 'number' && typeof r === 'number' ? l / r : numberOperand(l!) / numberOperand(r!);
          pc += STRIDE;
          break;
        }
        case Code.MOD: {
          const l = stack[--sp];
          const r = stack[sp - 1];
          stack[sp - 1] = typeof l === 'number' && typeof r === 'number' ? l % r : numberOperand(l!) % numberOperand(r!);
          pc += STRIDE;
          break;
        }
        case Code.EQ: {
          const l = stack[--sp]!;
          const r = stack[sp - 1]!;
          stack[sp - 1] =
            typeof l === typeof r && (typeof l !== 'object' || l === null || r === null)
              ? l === r
              : compareValues(Cmp.EQ, l, r);
          pc += STRIDE;
          break;
        }
        case Code.NOT_EQ: {
          const l = stack[--sp]!;
          const r = stack[sp - 1]!;
          stack[sp - 1] =
            typeof l === typeof r && (typeof l !== 'object' || l === null || r === null)
              ? l !== r
              : compareValues(Cmp.NOT_EQ, l, r);
          pc += STRIDE;
          break;
        }
        case Code.GT: {
          const l = stack[--sp]!;
          const r = stack[sp - 1]!;
          stack[sp - 1] = typeof l === 'number' && typeof r === 'number' ? l > r : compareValues(Cmp.GT, l, r);
          pc += STRIDE;
          break;
        }
        case Code.GT_EQ: {
          const l = stack[--sp]!;
          const r = stack[sp - 1]!;
          stack[sp - 1] = typeof l === 'number' && typeof r === 'number' ? l >= r : compareValues(Cmp.GT_EQ, l, r);
          pc += STRIDE;
          break;
        }
        case Code.LT: {
          const l = stack[--sp]!;
          const r = stack[sp - 1]!;
          stack[sp - 1] = typeof l === 'number' && typeof r === 'number' ? l < r : compareValues(Cmp.LT, l, r);
          pc += STRIDE;
          break;
        }
        case Code.LT_EQ: {
          const l = stack[--sp]!;
          const r = stack[sp - 1]!;
          stack[sp - 1] = typeof l === 'number' && typeof r === 'number' ? l <= r : compareValues(Cmp.LT_EQ, l, r);
          pc += STRIDE;
          break;
        }
        case Code.LIKE:
        case Code.ILIKE:
        case Code.NOT_LIKE:
        case Code.NOT_ILIKE: {
          const value = stack[--sp]!;
          const matched = like(value, stack[sp - 1]!, op === Code.ILIKE || op === Code.NOT_ILIKE);
          stack[sp - 1] = op === Code.LIKE || op === Code.ILIKE ? matched : !matched;
          pc += STRIDE;
          break;
        }
        case Code.REGEX:
        case Code.NOT_REGEX:
        case Code.IREGEX:
        case Code.NOT_IREGEX: {
          const value = stack[--sp]!;
          const matched = regex(value, stack[sp - 1]!, op === Code.IREGEX || op === Code.NOT_IREGEX);
          stack[sp - 1] = op === Code.REGEX || op === Code.IREGEX ? matched : !matched;
          pc += STRIDE;
          break;
        }
        case Code.IN: {
          const needle = stack[--sp]!;
          stack[sp - 1] = contains(stack[sp - 1]!, needle);
          pc += STRIDE;
          break;
        }
        case Code.NOT_IN: {
          const needle = stack[--sp]!;
          stack[sp - 1] = !contains(stack[sp - 1]!, needle);
          pc += STRIDE;
          break;
        }
        case Code.IN_COHORT:
        case Code.NOT_IN_COHORT:
          throw new HogVMError(`Unexpected node while running bytecode in chunk "${frame.chunkName}": ${op}`);
        case Code.JUMP:
          pc = code[pc + 1]!;
          break;
        case Code.JUMP_IF_FALSE:
          pc = stack[--sp] ? pc + STRIDE : code[pc + 1]!;
          break;
        case Code.JUMP_IF_STACK_NOT_NULL:
          pc = sp > 0 && stack[sp - 1] !== null ? code[pc + 1]! : pc + STRIDE;
          break;
        case Code.GET_PROPERTY:
        case Code.GET_PROPERTY_NULLISH: {
          const key = stack[--sp]!;
          const obj = stack[sp - 1]!;
          if (obj instanceof Map) {
            const value = obj.get(key);
            stack[sp - 1] = value === undefined ? null : value;
          } else {
            stack[sp - 1] = getProperty(obj, key);
          }
          pc += STRIDE;
          break;
        }
        case Code.SET_PROPERTY: {
          const value = stack[--sp]!;
          const key = stack[--sp]!;
          const obj = stack[--sp]!;
          m.sp = sp;
          m.mutated = true;
          setProperty(obj, key, value, (slots) => m.charge(8 * slots));
          pc += STRIDE;
          break;
        }
        case Code.DICT: {
          const start = sp - 2 * code[pc + 1]!;
          if (start < 0) throw new HogVMError('Stack underflow');
          const dict = new Map<HogValue, HogValue>();
          for (let i = start; i < sp; i += 2) dict.set(stack[i]!, stack[i + 1]!);
          sp = start;
          stack[sp++] = dict;
          m.sp = sp;
          m.charge(8 * (2 * dict.size + 1));
          pc += STRIDE;
          break;
        }
        case Code.ARRAY:
        case Code.TUPLE: {
          const start = sp - code[pc + 1]!;
          if (start < 0) throw new HogVMError('Stack underflow');
          const items = stack.slice(start, sp);
          sp = start;
          stack[sp++] = op === Code.TUPLE ? makeTuple(items) : items;
          m.sp = sp;
          m.charge(8 * (items.length + 1));
          pc += STRIDE;
          break;
        }
        case Code.GET_GLOBAL: {
          const n = code[pc + 1]!;
          if (n > sp) throw new HogVMError('Stack underflow');
          const chain = m.chainOf(n);
          for (let i = 0; i < n; i++) chain[i] = stack[sp - 1 - i]!;
          sp -= n;
          m.sp = sp;
          const value = m.getGlobal(frame.chunkName, chain);
          stack[sp++] = value;
          pc += STRIDE;
          break;
        }
        case Code.GET_UPVALUE: {
          const upvalue = upvalues.byId[frame.closure.upvalues[code[pc + 1]!]!];
          if (upvalue === undefined) throw new HogVMError(`Invalid upvalue index: ${code[pc + 1]}`);
          const value = upvalue.closed ? upvalue.value : stack[upvalue.location];
          stack[sp++] = value === undefined ? null : value;
          pc += STRIDE;
          break;
        }
        case Code.SET_UPVALUE: {
          const upvalue = upvalues.byId[frame.closure.upvalues[code[pc + 1]!]!];
          if (upvalue === undefined) throw new HogVMError(`Invalid upvalue index: ${code[pc + 1]}`);
          if (upvalue.closed) upvalue.value = stack[--sp]!;
          else stack[upvalue.location] = stack[--sp]!;
          pc += STRIDE;
          break;
        }
        case Code.CLOSE_UPVALUE:
          if (sp <= 0) throw new HogVMError('Stack underflow');
          upvalues.close(sp - 1, stack);
          sp--;
          pc += STRIDE;
          break;
        case Code.CALLABLE: {
          const t = consts[code[pc + 1]!] as CallableTemplate;
          const callable: HogCallable = {
            __hogCallable__: 'local',
            name: t.name,
            argCount: t.argCount,
            upvalueCount: t.upvalueCount,
            ip: t.ip,
            chunk: frame.chunkName,
          };
          stack[sp++] = callable;
          pc = code[pc + 2]!;
          break;
        }
        case Code.CLOSURE: {
          const callable = stack[--sp] as HogCallable;
          if (typeof callable !== 'object' || callable === null || typeof callable.__hogCallable__ !== 'string') {
            throw new HogVMError(`Invalid callable: ${valuePreview(callable)}`);
          }
          const n = code[pc + 1]!;
          if (n !== callable.upvalueCount) {
            throw new HogVMError(`Invalid upvalue count. Expected ${callable.upvalueCount}, got ${n}`);
          }
          const pairs = consts[code[pc + 2]!] as number[];
          const ids = new Array<number>(n);
          for (let i = 0; i < n; i++) {
            const index = pairs[2 * i + 1]!;
            ids[i] = pairs[2 * i] === 1 ? upvalues.capture(base + index).id : frame.closure.upvalues[index]!;
          }
          const closure: HogClosure = { __hogClosure__: true, callable, upvalues: ids };
          stack[sp++] = closure;
          pc += STRIDE;
          break;
        }
        case Code.CALL_LOCAL: {
          const argc = code[pc + 1]!;
          const value = stack[--sp] as HogClosure;
          const callable = typeof value === 'object' && value !== null ? value.callable : undefined;
          if (
            callable !== undefined &&
            callable.__hogCallable__ === 'local' &&
            value.__hogClosure__ === true &&
            argc <= callable.argCount &&
            argc <= sp &&
            frames.length < CALLSTACK_LENGTH
          ) {
            // Fast path: a plain Hog function in this or another chunk.
            m.ops = ops;
            m.tickCall();
            const want = callable.argCount;
            for (let i = argc; i < want; i++) stack[sp++] = null;
            const target = callable.chunk === frame.chunkName ? chunk : m.loadChunk(callable.chunk);
            const ip = callable.ip;
            const npc = ip >= target.ipToPc.length ? target.endPc : target.ipToPc[ip]!;
            if (npc < 0) throw new HogVMError(`Invalid function ip ${ip} in chunk ${callable.chunk}`);
            frame.pc = pc + STRIDE;
            frame = new Frame(npc, sp - want, value, target, callable.chunk, want);
            frames.push(frame);
            chunk = target;
            code = chunk.code;
            consts = chunk.consts;
            pc = npc;
            base = frame.base;
            break;
          }
          m.sp = sp;
          m.ops = ops;
          frame.pc = pc + STRIDE;
          const flow = m.callClosure(value, argc, chunk.version);
          if (flow === Flow.Suspended) return m.suspendedResult();
          // reload
          sp = m.sp;
          frame = frames[frames.length - 1]!;
          chunk = frame.chunk;
          code = chunk.code;
          consts = chunk.consts;
          pc = frame.pc;
          base = frame.base;
          break;
        }
        case Code.CALL_GLOBAL: {
          m.sp = sp;
          m.ops = ops;
          frame.pc = pc + STRIDE;
          const flow = m.callGlobal(consts[code[pc + 1]!] as string, code[pc + 2]!, chunk.version);
          if (flow === Flow.Suspended) return m.suspendedResult();
          // reload
          sp = m.sp;
          frame = frames[frames.length - 1]!;
          chunk = frame.chunk;
          code = chunk.code;
          consts = chunk.consts;
          pc = frame.pc;
          base = frame.base;
          break;
        }
        case Code.RETURN:
        case Code.END: {
          let result: HogValue;
          if (op === Code.RETURN) {
            if (sp <= 0) throw new HogVMError('Invalid HogQL bytecode, stack is empty, can not pop');
            result = stack[--sp]!;
          } else {
            result = frames.length === 1 && sp > 0 ? stack[--sp]! : null;
          }
          frames.pop();
          if (frames.length === 0) {
            m.sp = sp;
            m.ops = ops;
            return m.finishedResult(result);
          }
          if (upvalues.open.length > 0) upvalues.close(base, stack);
          if (m.tries.length > 0) m.dropTries(frames.length);
          sp = base;
          stack[sp++] = result;
          frame = frames[frames.length - 1]!;
          chunk = frame.chunk;
          code = chunk.code;
          consts = chunk.consts;
          pc = frame.pc;
          base = frame.base;
          break;
        }
        case Code.TRY:
          m.tries.push({ callStackLen: frames.length, stackLen: sp, catchPc: code[pc + 1]! });
          pc += STRIDE;
          break;
        case Code.POP_TRY:
          if (m.tries.pop() === undefined) throw new HogVMError('Invalid operation POP_TRY: no try block to pop');
          pc += STRIDE;
          break;
        case Code.THROW: {
          const value = stack[--sp]!;
          m.sp = sp;
          m.ops = ops;
          m.throwValue(value);
          // reload
          sp = m.sp;
          frame = frames[frames.length - 1]!;
          chunk = frame.chunk;
          code = chunk.code;
          consts = chunk.consts;
          pc = frame.pc;
          base = frame.base;
          break;
        }
        case Code.DECLARE_FN: {
          const t = consts[code[pc + 1]!] as DeclaredFnTemplate;
          if (!Object.hasOwn(m.declared, t.name)) m.declaredCount++;
          m.declared[t.name] = [t.ip, t.argCount];
          pc = code[pc + 2]!;
          break;
        }
        case Code.FAIL:
          throw new HogVMError(consts[code[pc + 1]!] as string);
        default:
          unexpected(op);
      }
    }
  } catch (error) {
    m.ops = ops;
    const vmError = error instanceof HogRuntimeError ? error : fromHostError(error);
    vmError.hogStack = hogStackTrace(frames, frame, pc);
    throw vmError;
  }
}

/** An error of the standard library, a host function or the engine, as the VM's own (message kept). */
function fromHostError(error: unknown): HogVMError {
  const message = error instanceof Error ? error.message : String(error);
  return new HogVMError(message, { cause: error, kind: isEngineStackOverflow(error) ? 'limit' : 'runtime' });
}

/**
 * Walking a value nested a few hundred thousand levels deep runs the engine out of its own stack: an
 * execution limit like the VM's call stack. The engine says so only with this error class and fixed text
 * (never text a program chose), so this is the one place a message is read.
 */
function isEngineStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && error.message === 'Maximum call stack size exceeded';
}
