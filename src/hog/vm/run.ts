/**
 * The run loop: one `switch` over the decoded instructions (reference §6.3), clox style. Hot state
 * lives in locals (`stack`, `sp`, `pc`, `code`, `base`, `ops`); whenever a case hands over to a
 * `Machine` helper it first syncs `m.sp` and the frame's `pc` (the return position), then reloads
 * them from the machine afterwards (`reload` blocks).
 */
import { Op } from '../bytecode/opcodes.js';
import { HogRuntimeError, HogVMError } from '../errors.js';
import { type HogCallable, type HogClosure, type HogValue, makeTuple } from '../values.js';
import { type CallableTemplate, type DeclaredFnTemplate, type DecodedOp, IOp, STRIDE } from './decode.js';
import { CALLSTACK_LENGTH, type ExecResult, Flow, Frame, type Machine } from './machine.js';
import { Cmp, compareValues, contains, getProperty, like, regex, setProperty } from './operators.js';

/** Stack slots allowed to accumulate between memory measurements before re-measuring. */
const STACK_GROWTH_CHECK = 8192;

function unexpected(op: never): never {
  throw new HogVMError(`Unexpected decoded instruction: ${String(op)}`);
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
      const op = code[pc] as DecodedOp;
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
        case IOp.SMALL_INT:
          stack[sp++] = code[pc + 1]!;
          pc += STRIDE;
          break;
        case Op.STRING:
        case Op.INTEGER:
        case Op.FLOAT:
          stack[sp++] = consts[code[pc + 1]!] as HogValue;
          pc += STRIDE;
          break;
        case Op.TRUE:
          stack[sp++] = true;
          pc += STRIDE;
          break;
        case Op.FALSE:
          stack[sp++] = false;
          pc += STRIDE;
          break;
        case Op.NULL:
          stack[sp++] = null;
          pc += STRIDE;
          break;
        case Op.POP:
          if (sp <= 0) throw new HogVMError('Invalid HogQL bytecode, stack is empty, can not pop');
          sp--;
          pc += STRIDE;
          break;
        case Op.GET_LOCAL: {
          const value = stack[base + code[pc + 1]!];
          stack[sp++] = value === undefined ? null : value;
          pc += STRIDE;
          break;
        }
        case Op.SET_LOCAL:
          stack[base + code[pc + 1]!] = stack[--sp]!;
          pc += STRIDE;
          break;
        case Op.NOT:
          stack[sp - 1] = !stack[sp - 1];
          pc += STRIDE;
          break;
        case Op.AND: {
          const n = code[pc + 1]!;
          let all = true;
          for (let i = sp - n; i < sp; i++) if (!stack[i]) all = false;
          sp -= n;
          stack[sp++] = all;
          pc += STRIDE;
          break;
        }
        case Op.OR: {
          const n = code[pc + 1]!;
          let any = false;
          for (let i = sp - n; i < sp; i++) if (stack[i]) any = true;
          sp -= n;
          stack[sp++] = any;
          pc += STRIDE;
          break;
        }
        case Op.PLUS: {
          const l = stack[--sp];
          const r = stack[sp - 1];
          stack[sp - 1] = typeof l === 'number' && typeof r === 'number' ? l + r : Number(l) + Number(r);
          pc += STRIDE;
          break;
        }
        case Op.MINUS: {
          const l = stack[--sp];
          const r = stack[sp - 1];
          stack[sp - 1] = typeof l === 'number' && typeof r === 'number' ? l - r : Number(l) - Number(r);
          pc += STRIDE;
          break;
        }
        case Op.MULTIPLY: {
          const l = stack[--sp];
          const r = stack[sp - 1];
          stack[sp - 1] = typeof l === 'number' && typeof r === 'number' ? l * r : Number(l) * Number(r);
          pc += STRIDE;
          break;
        }
        case Op.DIVIDE: {
          const l = stack[--sp];
          const r = stack[sp - 1];
          stack[sp - 1] = typeof l === 'number' && typeof r === 'number' ? l / r : Number(l) / Number(r);
          pc += STRIDE;
          break;
        }
        case Op.MOD: {
          const l = stack[--sp];
          const r = stack[sp - 1];
          stack[sp - 1] = typeof l === 'number' && typeof r === 'number' ? l % r : Number(l) % Number(r);
          pc += STRIDE;
          break;
        }
        case Op.EQ: {
          const l = stack[--sp]!;
          const r = stack[sp - 1]!;
          stack[sp - 1] =
            typeof l === typeof r && (typeof l !== 'object' || l === null || r === null)
              ? l === r
              : compareValues(Cmp.EQ, l, r);
          pc += STRIDE;
          break;
        }
        case Op.NOT_EQ: {
          const l = stack[--sp]!;
          const r = stack[sp - 1]!;
          stack[sp - 1] =
            typeof l === typeof r && (typeof l !== 'object' || l === null || r === null)
              ? l !== r
              : compareValues(Cmp.NOT_EQ, l, r);
          pc += STRIDE;
          break;
        }
        case Op.GT: {
          const l = stack[--sp]!;
          const r = stack[sp - 1]!;
          stack[sp - 1] = typeof l === 'number' && typeof r === 'number' ? l > r : compareValues(Cmp.GT, l, r);
          pc += STRIDE;
          break;
        }
        case Op.GT_EQ: {
          const l = stack[--sp]!;
          const r = stack[sp - 1]!;
          stack[sp - 1] = typeof l === 'number' && typeof r === 'number' ? l >= r : compareValues(Cmp.GT_EQ, l, r);
          pc += STRIDE;
          break;
        }
        case Op.LT: {
          const l = stack[--sp]!;
          const r = stack[sp - 1]!;
          stack[sp - 1] = typeof l === 'number' && typeof r === 'number' ? l < r : compareValues(Cmp.LT, l, r);
          pc += STRIDE;
          break;
        }
        case Op.LT_EQ: {
          const l = stack[--sp]!;
          const r = stack[sp - 1]!;
          stack[sp - 1] = typeof l === 'number' && typeof r === 'number' ? l <= r : compareValues(Cmp.LT_EQ, l, r);
          pc += STRIDE;
          break;
        }
        case Op.LIKE:
        case Op.ILIKE:
        case Op.NOT_LIKE:
        case Op.NOT_ILIKE: {
          const value = stack[--sp]!;
          const matched = like(value, stack[sp - 1]!, op === Op.ILIKE || op === Op.NOT_ILIKE);
          stack[sp - 1] = op === Op.LIKE || op === Op.ILIKE ? matched : !matched;
          pc += STRIDE;
          break;
        }
        case Op.REGEX:
        case Op.NOT_REGEX:
        case Op.IREGEX:
        case Op.NOT_IREGEX: {
          const value = stack[--sp]!;
          const matched = regex(value, stack[sp - 1]!, op === Op.IREGEX || op === Op.NOT_IREGEX);
          stack[sp - 1] = op === Op.REGEX || op === Op.IREGEX ? matched : !matched;
          pc += STRIDE;
          break;
        }
        case Op.IN: {
          const needle = stack[--sp]!;
          stack[sp - 1] = contains(stack[sp - 1]!, needle);
          pc += STRIDE;
          break;
        }
        case Op.NOT_IN: {
          const needle = stack[--sp]!;
          stack[sp - 1] = !contains(stack[sp - 1]!, needle);
          pc += STRIDE;
          break;
        }
        case Op.IN_COHORT:
        case Op.NOT_IN_COHORT:
          throw new HogVMError(`Unexpected node while running bytecode in chunk "${frame.chunkName}": ${op}`);
        case Op.JUMP:
          pc = code[pc + 1]!;
          break;
        case Op.JUMP_IF_FALSE:
          pc = stack[--sp] ? pc + STRIDE : code[pc + 1]!;
          break;
        case Op.JUMP_IF_STACK_NOT_NULL:
          pc = sp > 0 && stack[sp - 1] !== null ? code[pc + 1]! : pc + STRIDE;
          break;
        case Op.GET_PROPERTY:
        case Op.GET_PROPERTY_NULLISH: {
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
        case Op.SET_PROPERTY: {
          const value = stack[--sp]!;
          const key = stack[--sp]!;
          const obj = stack[--sp]!;
          m.sp = sp;
          setProperty(obj, key, value, (slots) => m.charge(8 * slots));
          pc += STRIDE;
          break;
        }
        case Op.DICT: {
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
        case Op.ARRAY:
        case Op.TUPLE: {
          const start = sp - code[pc + 1]!;
          if (start < 0) throw new HogVMError('Stack underflow');
          const items = stack.slice(start, sp);
          sp = start;
          stack[sp++] = op === Op.TUPLE ? makeTuple(items) : items;
          m.sp = sp;
          m.charge(8 * (items.length + 1));
          pc += STRIDE;
          break;
        }
        case Op.GET_GLOBAL: {
          const n = code[pc + 1]!;
          if (n > sp) throw new HogVMError('Stack underflow');
          const chain = new Array<HogValue>(n);
          for (let i = 0; i < n; i++) chain[i] = stack[sp - 1 - i]!;
          sp -= n;
          m.sp = sp;
          const value = m.getGlobal(frame.chunkName, chain);
          stack[sp++] = value;
          pc += STRIDE;
          break;
        }
        case Op.GET_UPVALUE: {
          const upvalue = upvalues.byId[frame.closure.upvalues[code[pc + 1]!]!];
          if (upvalue === undefined) throw new HogVMError(`Invalid upvalue index: ${code[pc + 1]}`);
          const value = upvalue.closed ? upvalue.value : stack[upvalue.location];
          stack[sp++] = value === undefined ? null : value;
          pc += STRIDE;
          break;
        }
        case Op.SET_UPVALUE: {
          const upvalue = upvalues.byId[frame.closure.upvalues[code[pc + 1]!]!];
          if (upvalue === undefined) throw new HogVMError(`Invalid upvalue index: ${code[pc + 1]}`);
          if (upvalue.closed) upvalue.value = stack[--sp]!;
          else stack[upvalue.location] = stack[--sp]!;
          pc += STRIDE;
          break;
        }
        case Op.CLOSE_UPVALUE:
          if (sp <= 0) throw new HogVMError('Stack underflow');
          upvalues.close(sp - 1, stack);
          sp--;
          pc += STRIDE;
          break;
        case Op.CALLABLE: {
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
        case Op.CLOSURE: {
          const callable = stack[--sp] as HogCallable;
          if (typeof callable !== 'object' || callable === null || typeof callable.__hogCallable__ !== 'string') {
            throw new HogVMError(`Invalid callable: ${JSON.stringify(callable)}`);
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
        case Op.CALL_LOCAL: {
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
            m.checkTimeout();
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
        case Op.CALL_GLOBAL: {
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
        case Op.RETURN:
        case IOp.END: {
          let result: HogValue;
          if (op === Op.RETURN) {
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
        case Op.TRY:
          m.tries.push({ callStackLen: frames.length, stackLen: sp, catchPc: code[pc + 1]! });
          pc += STRIDE;
          break;
        case Op.POP_TRY:
          if (m.tries.pop() === undefined) throw new HogVMError('Invalid operation POP_TRY: no try block to pop');
          pc += STRIDE;
          break;
        case Op.THROW: {
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
        case Op.DECLARE_FN: {
          const t = consts[code[pc + 1]!] as DeclaredFnTemplate;
          if (!Object.hasOwn(m.declared, t.name)) m.declaredCount++;
          m.declared[t.name] = [t.ip, t.argCount];
          pc = code[pc + 2]!;
          break;
        }
        case IOp.FAIL:
          throw new HogVMError(consts[code[pc + 1]!] as string);
        default:
          unexpected(op);
      }
    }
  } catch (error) {
    m.ops = ops;
    if (error instanceof HogRuntimeError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new HogVMError(message, { cause: error });
  }
}
