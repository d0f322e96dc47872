/**
 * Compile-time bookkeeping for one function being compiled: its locals (with stack slots), its
 * upvalues and its block depth. Modelled on clox's `Compiler` struct: each function gets one,
 * linked to the function that encloses it, so `resolveUpvalue` can walk outwards.
 *
 * Slots. A local's slot is its offset from the frame's stack start. Normally that is just its index
 * in `locals`, but a `between` expression declares hidden locals while other temporaries may already
 * be on the stack (call arguments, array items, a binary operator's right operand), so the compiler
 * also counts those temporaries in `temps` and a new local gets `locals.length + temps`.
 * When no temporaries are pending (every statement-level declaration) this equals PostHog's index.
 *
 * Lookups are by name through maps (each name → its locals, newest last), not by scanning `locals`:
 * a program with thousands of `let`s would otherwise compile in quadratic time.
 */
import { Op, type Bytecode } from '../bytecode/opcodes.js';
import { compileWork } from './emit.js';

export interface Local {
  name: string;
  /** Block depth the local was declared at; 0 holds a function's parameters. */
  depth: number;
  /** Stack slot relative to the frame start: the operand of GET_LOCAL / SET_LOCAL / CLOSURE. */
  slot: number;
  /** Set when an inner function captures it: the scope end then emits CLOSE_UPVALUE, not POP. */
  isCaptured: boolean;
}

export interface Upvalue {
  /** true: a slot of the enclosing function's frame; false: an upvalue index of the enclosing closure. */
  isLocal: boolean;
  index: number;
}

export class FunctionScope {
  readonly locals: Local[] = [];
  readonly upvalues: Upvalue[] = [];
  /** Each declared name → its locals in declaration order; the last one shadows the others. */
  private readonly byName = new Map<string, Local[]>();
  /** `upvalueKey` → index in `upvalues`. */
  private readonly upvalueIndex = new Map<number, number>();
  scopeDepth = 0;
  /** Values pushed by the expression being compiled that are not locals (see the header). */
  temps = 0;

  constructor(readonly enclosing: FunctionScope | null) {}

  nextSlot(): number {
    return this.locals.length + this.temps;
  }

  beginScope(): void {
    this.scopeDepth += 1;
  }

  /** Leave a block: forget its locals and return the code that removes them from the stack. */
  endScope(): Bytecode {
    this.scopeDepth -= 1;
    const code: Bytecode = [];
    while (this.locals.length > 0 && this.locals[this.locals.length - 1]!.depth > this.scopeDepth) {
      const local = this.popLocal();
      code.push(local.isCaptured ? Op.CLOSE_UPVALUE : Op.POP);
    }
    return code;
  }

  /**
   * Is `name` already declared in the innermost block? Locals are ordered by depth (a block's are
   * popped when it ends), so the newest local of that name is in this block if any is.
   */
  isDeclaredInCurrentScope(name: string): boolean {
    const local = this.resolveLocal(name);
    return local !== null && local.depth >= this.scopeDepth;
  }

  /** Add a local at the next free slot (no redeclaration check: the caller does that). */
  addLocal(name: string): Local {
    const local: Local = { name, depth: this.scopeDepth, slot: this.nextSlot(), isCaptured: false };
    this.locals.push(local);
    const named = this.byName.get(name);
    if (named === undefined) this.byName.set(name, [local]);
    else named.push(local);
    return local;
  }

  private popLocal(): Local {
    compileWork.units++;
    const local = this.locals.pop()!;
    this.byName.get(local.name)!.pop();
    return local;
  }

  /** Drop the newest `count` locals without emitting code (for hidden expression temporaries). */
  forgetLocals(count: number): void {
    for (let i = 0; i < count; i++) this.popLocal();
  }

  resolveLocal(name: string): Local | null {
    compileWork.units++;
    const named = this.byName.get(name);
    return named !== undefined && named.length > 0 ? named[named.length - 1]! : null;
  }

  /** Index of `name` among this function's upvalues, capturing it from enclosing functions; -1 if global. */
  resolveUpvalue(name: string): number {
    if (this.enclosing === null) return -1;
    const local = this.enclosing.resolveLocal(name);
    if (local !== null) {
      local.isCaptured = true;
      return this.addUpvalue(true, local.slot);
    }
    const outer = this.enclosing.resolveUpvalue(name);
    if (outer !== -1) return this.addUpvalue(false, outer);
    return -1;
  }

  addUpvalue(isLocal: boolean, index: number): number {
    compileWork.units++;
    const key = isLocal ? index * 2 : index * 2 + 1;
    const existing = this.upvalueIndex.get(key);
    if (existing !== undefined) return existing;
    this.upvalues.push({ isLocal, index });
    this.upvalueIndex.set(key, this.upvalues.length - 1);
    return this.upvalues.length - 1;
  }
}
