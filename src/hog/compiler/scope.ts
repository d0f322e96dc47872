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
 */
import { Op, type Bytecode } from '../bytecode/opcodes.js';

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
      const local = this.locals.pop()!;
      code.push(local.isCaptured ? Op.CLOSE_UPVALUE : Op.POP);
    }
    return code;
  }

  /** Is `name` already declared in the innermost block? */
  isDeclaredInCurrentScope(name: string): boolean {
    for (let i = this.locals.length - 1; i >= 0; i--) {
      const local = this.locals[i]!;
      if (local.depth < this.scopeDepth) return false;
      if (local.name === name) return true;
    }
    return false;
  }

  /** Add a local at the next free slot (no redeclaration check: the caller does that). */
  addLocal(name: string): Local {
    const local: Local = { name, depth: this.scopeDepth, slot: this.nextSlot(), isCaptured: false };
    this.locals.push(local);
    return local;
  }

  /** Drop the newest `count` locals without emitting code (for hidden expression temporaries). */
  forgetLocals(count: number): void {
    this.locals.length -= count;
  }

  resolveLocal(name: string): Local | null {
    for (let i = this.locals.length - 1; i >= 0; i--) {
      if (this.locals[i]!.name === name) return this.locals[i]!;
    }
    return null;
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
    const existing = this.upvalues.findIndex((u) => u.isLocal === isLocal && u.index === index);
    if (existing !== -1) return existing;
    this.upvalues.push({ isLocal, index });
    return this.upvalues.length - 1;
  }
}
