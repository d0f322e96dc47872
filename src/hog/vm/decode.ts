/**
 * Pre-decoding of a bytecode chunk into a compact, fixed-width form the VM can run
 * without re-parsing operands: every instruction takes four Int32 cells `[op, a, b, ip]`, where `ip`
 * is the instruction's index in the original bytecode (serialized states keep PostHog's ip numbers,
 * so they stay portable). Non-integer operands (strings, floats, callable templates, upvalue pairs)
 * live in a constants table and `a`/`b` index into it. Jump targets are resolved to absolute decoded
 * positions. Decoding happens once per bytecode array (cached in a WeakMap).
 */
import { BYTECODE_MARKER, type Bytecode, LEGACY_BYTECODE_MARKER, Op } from '../bytecode/opcodes.js';

/** Cells per decoded instruction. */
export const STRIDE = 4;

/** Instructions that exist only in decoded chunks (numbers above PostHog's range). */
export const IOp = {
  /** Implicit end of chunk: return null from a call, or finish the program. */
  END: 100,
  /** Fail with `consts[a]` as the message (bad jump target, truncated bytecode, unknown opcode). */
  FAIL: 101,
  /** INTEGER whose value fits in an Int32: `a` is the value itself. */
  SMALL_INT: 102,
} as const;

export type DecodedOp = (typeof Op)[keyof typeof Op] | (typeof IOp)[keyof typeof IOp];

export interface CallableTemplate {
  name: string;
  argCount: number;
  upvalueCount: number;
  /** Original ip of the body's first instruction. */
  ip: number;
}

export interface DeclaredFnTemplate {
  name: string;
  argCount: number;
  ip: number;
}

export interface Chunk {
  code: Int32Array;
  consts: unknown[];
  /** Original ip → decoded position, or -1 when the ip is not the start of an instruction. */
  ipToPc: Int32Array;
  /** Bytecode format: 1 for `_H` (or headerless), 0 for legacy `_h`. */
  version: number;
  /** Decoded position of the END sentinel. */
  endPc: number;
}

const cache = new WeakMap<Bytecode, Chunk>();

/** Decode (or fetch from the cache) one chunk's bytecode. */
export function decodeChunk(bytecode: Bytecode, chunkName: string): Chunk {
  let chunk = cache.get(bytecode);
  if (chunk === undefined) {
    chunk = new Decoder(bytecode, chunkName).decode();
    cache.set(bytecode, chunk);
  }
  return chunk;
}

/** Operand shapes by opcode: how many inline operands, and which are jump offsets. */
const JUMP_OPS: ReadonlySet<number> = new Set([Op.JUMP, Op.JUMP_IF_FALSE, Op.JUMP_IF_STACK_NOT_NULL, Op.TRY]);
const ONE_INT_OPS: ReadonlySet<number> = new Set([
  Op.GET_GLOBAL,
  Op.AND,
  Op.OR,
  Op.GET_LOCAL,
  Op.SET_LOCAL,
  Op.DICT,
  Op.ARRAY,
  Op.TUPLE,
  Op.CALL_LOCAL,
  Op.GET_UPVALUE,
  Op.SET_UPVALUE,
]);
const NO_OPERAND_OPS: ReadonlySet<number> = new Set([
  Op.NOT, Op.PLUS, Op.MINUS, Op.MULTIPLY, Op.DIVIDE, Op.MOD, Op.EQ, Op.NOT_EQ, Op.GT, Op.GT_EQ, Op.LT,
  Op.LT_EQ, Op.LIKE, Op.ILIKE, Op.NOT_LIKE, Op.NOT_ILIKE, Op.IN, Op.NOT_IN, Op.REGEX, Op.NOT_REGEX,
  Op.IREGEX, Op.NOT_IREGEX, Op.TRUE, Op.FALSE, Op.NULL, Op.POP, Op.RETURN, Op.GET_PROPERTY,
  Op.SET_PROPERTY, Op.GET_PROPERTY_NULLISH, Op.THROW, Op.POP_TRY, Op.CLOSE_UPVALUE,
]);

class TruncatedBytecode extends Error {}

class Decoder {
  private readonly cells: number[] = [];
  private readonly consts: unknown[] = [];
  /** Decoded positions of jump-like instructions whose `a` or `b` still holds an original ip. */
  private readonly fixups: { pc: number; slot: 1 | 2 }[] = [];
  private readonly ipToPc: Int32Array;
  private ip: number;
  private readonly version: number;

  constructor(
    private readonly bytecode: Bytecode,
    private readonly chunkName: string,
  ) {
    this.ipToPc = new Int32Array(bytecode.length + 1).fill(-1);
    const marker = bytecode[0];
    this.ip = marker === BYTECODE_MARKER ? 2 : marker === LEGACY_BYTECODE_MARKER ? 1 : 0;
    this.version = marker === LEGACY_BYTECODE_MARKER ? 0 : 1;
    // A frame entering a chunk at ip 0 starts at its first instruction, past the header.
    for (let i = 0; i < this.ip && i < bytecode.length; i++) this.ipToPc[i] = 0;
  }

  decode(): Chunk {
    const length = this.bytecode.length;
    try {
      while (this.ip < length) {
        if (!this.decodeOne()) break;
      }
    } catch (e) {
      if (!(e instanceof TruncatedBytecode)) throw e;
      this.emitFail(this.ip, 'Unexpected end of bytecode');
    }
    const endPc = this.cells.length;
    this.emit(IOp.END, 0, 0, length);
    this.ipToPc[length] = endPc;
    const badJumpPc = this.cells.length;
    this.emitFail(length, 'Invalid jump target');
    for (const { pc, slot } of this.fixups) {
      const target = this.cells[pc + slot]!;
      const resolved = target >= length ? endPc : target >= 0 ? this.ipToPc[target]! : -1;
      this.cells[pc + slot] = resolved >= 0 ? resolved : badJumpPc;
    }
    return { code: Int32Array.from(this.cells), consts: this.consts, ipToPc: this.ipToPc, version: this.version, endPc };
  }

  private next(): string | number | boolean | null {
    if (this.ip + 1 >= this.bytecode.length) throw new TruncatedBytecode();
    this.ip += 1;
    return this.bytecode[this.ip]!;
  }

  private nextInt(): number {
    return Number(this.next()) | 0;
  }

  private emit(op: number, a: number, b: number, ip: number): number {
    const pc = this.cells.length;
    this.cells.push(op, a, b, ip);
    return pc;
  }

  private emitFail(ip: number, message: string): void {
    this.emit(IOp.FAIL, this.addConst(message), 0, ip);
  }

  private addConst(value: unknown): number {
    this.consts.push(value);
    return this.consts.length - 1;
  }

  /** Decode the instruction at `this.ip`; false when decoding must stop (unknown opcode). */
  private decodeOne(): boolean {
    const start = this.ip;
    const op = this.bytecode[start];
    this.ipToPc[start] = this.cells.length;
    if (typeof op === 'number' && NO_OPERAND_OPS.has(op)) {
      this.emit(op, 0, 0, start);
    } else if (typeof op === 'number' && ONE_INT_OPS.has(op)) {
      this.emit(op, this.nextInt(), 0, start);
    } else if (typeof op === 'number' && JUMP_OPS.has(op)) {
      this.emitJump(op, start, this.nextInt());
    } else if (op === Op.STRING || op === Op.FLOAT || op === Op.INTEGER) {
      this.decodeConstant(op, start);
    } else if (op === Op.CALL_GLOBAL) {
      const name = String(this.next());
      this.emit(op, this.addConst(name), this.nextInt(), start);
    } else if (op === Op.CALLABLE) {
      this.decodeCallable(start);
    } else if (op === Op.CLOSURE) {
      this.decodeClosure(start);
    } else if (op === Op.DECLARE_FN) {
      this.decodeDeclareFn(start);
    } else {
      this.emitFail(start, `Unexpected node while running bytecode in chunk "${this.chunkName}": ${String(op)}`);
      return false;
    }
    this.ip += 1;
    return true;
  }

  private decodeConstant(op: number, start: number): void {
    const value = this.next();
    if (op === Op.INTEGER && typeof value === 'number' && (value | 0) === value && !Object.is(value, -0)) {
      this.emit(IOp.SMALL_INT, value, 0, start);
    } else {
      this.emit(op, this.addConst(value), 0, start);
    }
  }

  /**
   * The target of a relative jump is "index of the next instruction + offset". TRY is the exception:
   * PostHog's VMs compute `ip + 1 + offset` with `ip` still at the opcode, so its catch target is
   * "index of the operand + offset".
   */
  private emitJump(op: number, start: number, offset: number): void {
    const target = op === Op.TRY ? this.ip + offset : this.ip + 1 + offset;
    const pc = this.emit(op, target, 0, start);
    this.fixups.push({ pc, slot: 1 });
  }

  private decodeCallable(start: number): void {
    const name = String(this.next());
    const argCount = this.nextInt();
    const upvalueCount = this.nextInt();
    const bodyLength = this.nextInt();
    const template: CallableTemplate = { name, argCount, upvalueCount, ip: this.ip + 1 };
    const pc = this.emit(Op.CALLABLE, this.addConst(template), this.ip + 1 + bodyLength, start);
    this.fixups.push({ pc, slot: 2 });
  }

  private decodeDeclareFn(start: number): void {
    const name = String(this.next());
    const argCount = this.nextInt();
    const bodyLength = this.nextInt();
    const template: DeclaredFnTemplate = { name, argCount, ip: this.ip + 1 };
    const pc = this.emit(Op.DECLARE_FN, this.addConst(template), this.ip + 1 + bodyLength, start);
    this.fixups.push({ pc, slot: 2 });
  }

  /** CLOSURE n, then n pairs (isLocal, index): stored as a flat number array in the constants. */
  private decodeClosure(start: number): void {
    const count = this.nextInt();
    const pairs: number[] = [];
    for (let i = 0; i < count; i++) {
      const isLocal = this.next();
      pairs.push(isLocal ? 1 : 0, this.nextInt());
    }
    this.emit(Op.CLOSURE, count, this.addConst(pairs), start);
  }
}
