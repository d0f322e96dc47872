/**
 * The Hog bytecode compiler: AST → PostHog-format bytecode (`["_H", 1, op, operands…]`).
 *
 * It follows the compilation schemes of PostHog's `bytecode.py` byte for byte, so
 * programs compile to the same arrays PostHog produces and run on any Hog VM. Each compile function
 * returns its code as a separate `Code` piece, because most schemes need the length of a part before
 * they can emit the jump over it; pieces nest by reference and are written out once at the end
 * (`compiler/emit.ts`), so compiling stays linear in the size of the program.
 *
 * Scopes, locals and upvalues live in `compiler/scope.ts` (one `FunctionScope` per function, linked
 * to the enclosing one). Errors are collected as diagnostics, never thrown; after an error the
 * compiler keeps going so one run reports every problem.
 *
 * Deliberate differences from `bytecode.py`, each a bug fix that leaves correct programs unchanged:
 *   - an empty `for` condition compiles to `TRUE` (bytecode.py emits nothing, and JUMP_IF_FALSE
 *     then pops an unrelated value);
 *   - a typed catch that binds a name other than `e` jumps to the next catch correctly
 *     (bytecode.py subtracts the clause's scope-end POP from that offset and lands mid-instruction);
 *   - `between`'s hidden locals take the real stack slots when temporaries are pending (call
 *     arguments, array items, a `let` initializer), see `compiler/scope.ts`.
 */
import type {
  BetweenExpr,
  BlockStmt,
  CallExpr,
  CatchClause,
  CompareExpr,
  ConstantExpr,
  Diagnostic,
  Expr,
  FieldExpr,
  ForInStmt,
  ForStmt,
  HogQLXTagExpr,
  LambdaExpr,
  Pos,
  Program,
  PropertyExpr,
  AssignStmt,
  Stmt,
  TryStmt,
} from './ast.js';
import { BYTECODE_MARKER, BYTECODE_VERSION, Op, type Bytecode } from './bytecode/opcodes.js';
import { ARITHMETIC_OPS, COMPARE_OPS, Code, append, assertNever, flatten, markLine, type Piece } from './compiler/emit.js';
import { FunctionScope, type Local } from './compiler/scope.js';

export interface CompileOutput {
  bytecode: Bytecode;
  diagnostics: Diagnostic[];
  /**
   * The source map kept beside the bytecode (which has no room for one): `[ip0, line0, ip1, line1, …]`,
   * ips ascending, a pair wherever the 1-based source line changes; an instruction at `ip` comes from
   * the line of the last pair with an ip `<= ip` (`sourceLineOf` in `source-map.ts`).
   */
  lines: number[];
}

/** Compile a whole program to `["_H", 1, …]`. The bytecode is only meaningful when `diagnostics` is empty. */
export function compileProgram(program: Program): CompileOutput {
  const compiler = new Compiler();
  return output(compiler.program(program), compiler.diagnostics);
}

/** Compile one expression to `["_H", 1, <expr>]`; the VM returns its value (templates, filters). */
export function compileExpression(expr: Expr): CompileOutput {
  const compiler = new Compiler();
  return output(compiler.expression(expr), compiler.diagnostics);
}

function output(code: Code, diagnostics: Diagnostic[]): CompileOutput {
  const bytecode: Bytecode = [BYTECODE_MARKER, BYTECODE_VERSION];
  const lines = flatten(code, bytecode);
  return { bytecode, diagnostics, lines };
}

class Compiler {
  readonly diagnostics: Diagnostic[] = [];
  private fn = new FunctionScope(null);

  // -------------------------------------------------------------------------------------------
  // Entry points

  program(program: Program): Code {
    this.fn.beginScope();
    const code = this.statements(program.body);
    return append(code, this.fn.endScope());
  }

  expression(expr: Expr): Code {
    return this.expr(expr);
  }

  // -------------------------------------------------------------------------------------------
  // Helpers

  private error(message: string, pos: Pos): void {
    this.diagnostics.push({ message, line: pos.line, column: pos.column, offset: pos.offset });
  }

  /** Compile with `count` more values (or, if negative, fewer) on the stack than locals account for. */
  private withTemps(count: number, compile: () => Code): Code {
    this.fn.temps += count;
    try {
      return compile();
    } finally {
      this.fn.temps -= count;
    }
  }

  /** Compile expressions left to right; each one's value stays on the stack under the next. */
  private sequence(exprs: Expr[]): Code {
    const code = new Code();
    exprs.forEach((expr, i) => append(code, this.withTemps(i, () => this.expr(expr))));
    return code;
  }

  private declareLocal(name: string, pos: Pos): Local {
    if (this.fn.isDeclaredInCurrentScope(name)) this.error(`Variable \`${name}\` already declared in this scope`, pos);
    return this.fn.addLocal(name);
  }

  /** Code that pushes the local or upvalue `name`, or null when `name` is a global. */
  private variableGet(name: string): Code | null {
    const local = this.fn.resolveLocal(name);
    if (local !== null) return Code.of(Op.GET_LOCAL, local.slot);
    const upvalue = this.fn.resolveUpvalue(name);
    if (upvalue !== -1) return Code.of(Op.GET_UPVALUE, upvalue);
    return null;
  }

  /** `<cond> JUMP_IF_FALSE … <then> [JUMP … <else>]`: if statements, ternaries, `if()`, `multiIf()`. */
  private conditional(cond: Piece, then: Piece, otherwise: Piece | null): Code {
    if (otherwise === null || otherwise.length === 0) return append(new Code(), cond, [Op.JUMP_IF_FALSE, then.length], then);
    return append(new Code(), cond, [Op.JUMP_IF_FALSE, then.length + 2], then, [Op.JUMP, otherwise.length], otherwise);
  }

  /** `<cond> JUMP_IF_FALSE → out, <body>, JUMP → cond`. */
  private loop(cond: Piece, body: Piece): Code {
    const back = -(body.length + 2 + cond.length + 2);
    return append(new Code(), cond, [Op.JUMP_IF_FALSE, body.length + 2], body, [Op.JUMP, back]);
  }

  // -------------------------------------------------------------------------------------------
  // Statements

  private statements(stmts: Stmt[]): Code {
    const code = new Code();
    for (const stmt of stmts) append(code, this.statement(stmt));
    return code;
  }

  /** A statement's code, marked with its line (its parts carry their own). */
  private statement(stmt: Stmt): Code {
    return markLine(this.statementCode(stmt), stmt.pos.line);
  }

  private statementCode(stmt: Stmt): Code {
    switch (stmt.kind) {
      case 'VarDecl': {
        this.declareLocal(stmt.name, stmt.pos);
        const init = stmt.init;
        return this.withTemps(-1, () => (init ? this.expr(init) : Code.of(Op.NULL)));
      }
      case 'Assign':
        return this.assign(stmt);
      case 'ExprStmt':
        return append(this.expr(stmt.expr), [Op.POP]);
      case 'Return':
        return append(stmt.expr ? this.expr(stmt.expr) : Code.of(Op.NULL), [Op.RETURN]);
      case 'Throw':
        return append(stmt.expr ? this.expr(stmt.expr) : Code.of(Op.NULL), [Op.THROW]);
      case 'If': {
        const cond = this.expr(stmt.condition);
        const then = this.statement(stmt.then);
        const otherwise = stmt.else ? this.statement(stmt.else) : null;
        return this.conditional(cond, then, otherwise);
      }
      case 'While': {
        const cond = this.expr(stmt.condition);
        return this.loop(cond, this.statement(stmt.body));
      }
      case 'For':
        return this.forLoop(stmt);
      case 'ForIn':
        return this.forInLoop(stmt);
      case 'Function': {
        this.declareLocal(stmt.name, stmt.pos);
        const body = stmt.body;
        return this.withTemps(-1, () => this.callable(stmt.name, stmt.params, stmt.pos, () => this.functionBody(body)));
      }
      case 'Block':
        return this.block(stmt);
      case 'Try':
        return this.tryCatch(stmt);
      case 'Empty':
        return new Code();
      default:
        return assertNever(stmt);
    }
  }

  private block(block: BlockStmt): Code {
    this.fn.beginScope();
    const code = this.statements(block.body);
    return append(code, this.fn.endScope());
  }

  private assign(stmt: AssignStmt): Code {
    const target = stmt.target;
    if (target.kind === 'Property') {
      const object = this.expr(target.object);
      const key = this.withTemps(1, () => this.expr(target.property));
      const value = this.withTemps(2, () => this.expr(stmt.value));
      return append(object, key, value, [Op.SET_PROPERTY]);
    }
    if (target.kind !== 'Field') {
      this.error('Can not assign to this type of expression', target.pos);
      return new Code();
    }
    return this.assignField(target, stmt.value);
  }

  private assignField(target: FieldExpr, valueExpr: Expr): Code {
    const name = String(target.chain[0]);
    const local = this.fn.resolveLocal(name);
    const upvalue = local === null ? this.fn.resolveUpvalue(name) : -1;
    if (local === null && upvalue === -1) {
      this.error(`Variable "${name}" not declared in this scope. Can not assign to globals.`, target.pos);
      return new Code();
    }
    if (target.chain.length === 1) {
      const value = this.expr(valueExpr);
      return append(value, local !== null ? [Op.SET_LOCAL, local.slot] : [Op.SET_UPVALUE, upvalue]);
    }
    const code = local !== null ? Code.of(Op.GET_LOCAL, local.slot) : Code.of(Op.GET_UPVALUE, upvalue);
    const links = target.chain.slice(1);
    for (const link of links.slice(0, -1)) append(code, this.chainKey(link), [Op.GET_PROPERTY]);
    append(code, this.chainKey(links[links.length - 1]!));
    append(code, this.withTemps(2, () => this.expr(valueExpr)), [Op.SET_PROPERTY]);
    return code;
  }

  /** A chain element: `.name` pushes a STRING, `.1` an INTEGER. */
  private chainKey(link: string | number): Bytecode {
    return typeof link === 'number' ? [Op.INTEGER, link] : [Op.STRING, link];
  }

  private forLoop(stmt: ForStmt): Code {
    if (stmt.init) this.fn.beginScope();
    // Same order as bytecode.py (it decides upvalue numbering): init, condition, increment, body.
    const init = stmt.init ? this.statement(stmt.init) : new Code();
    const cond = stmt.condition ? this.expr(stmt.condition) : Code.of(Op.TRUE);
    const increment = stmt.increment ? this.statement(stmt.increment) : new Code();
    const body = this.statement(stmt.body);
    const code = append(init, this.loop(cond, append(body, increment)));
    return stmt.init ? append(code, this.fn.endScope()) : code;
  }

  private forInLoop(stmt: ForInStmt): Code {
    this.fn.beginScope();
    const expr = this.declareLocal('__H_expr_H__', stmt.pos);
    const code = this.withTemps(-1, () => this.expr(stmt.expr));
    let keys: Local | null = null;
    if (stmt.keyVar !== undefined) {
      keys = this.declareLocal('__H_keys_H__', stmt.pos);
      append(code, [Op.GET_LOCAL, expr.slot, Op.CALL_GLOBAL, 'keys', 1]);
    }
    const values = this.declareLocal('__H_values_H__', stmt.pos);
    append(code, [Op.GET_LOCAL, expr.slot, Op.CALL_GLOBAL, 'values', 1]);
    const index = this.declareLocal('__H_index_H__', stmt.pos);
    append(code, [Op.INTEGER, 1]);
    const limit = this.declareLocal('__H_limit_H__', stmt.pos);
    append(code, [Op.GET_LOCAL, values.slot, Op.CALL_GLOBAL, 'length', 1]);
    const key = stmt.keyVar !== undefined ? this.declareLocal(stmt.keyVar, stmt.pos) : null;
    if (key !== null) append(code, [Op.NULL]);
    const value = this.declareLocal(stmt.valueVar, stmt.pos);
    append(code, [Op.NULL]);

    const cond = [Op.GET_LOCAL, limit.slot, Op.GET_LOCAL, index.slot, Op.LT_EQ];
    const body = new Code();
    if (keys !== null && key !== null) {
      append(body, [Op.GET_LOCAL, keys.slot, Op.GET_LOCAL, index.slot, Op.GET_PROPERTY, Op.SET_LOCAL, key.slot]);
    }
    append(body, [Op.GET_LOCAL, values.slot, Op.GET_LOCAL, index.slot, Op.GET_PROPERTY, Op.SET_LOCAL, value.slot]);
    append(body, this.statement(stmt.body));
    append(body, [Op.GET_LOCAL, index.slot, Op.INTEGER, 1, Op.PLUS, Op.SET_LOCAL, index.slot]);
    append(code, this.loop(cond, body));
    return append(code, this.fn.endScope());
  }

  // -------------------------------------------------------------------------------------------
  // try / catch

  private tryCatch(stmt: TryStmt): Code {
    if (stmt.finally) this.error('finally blocks are not yet supported', stmt.finally.pos);
    if (stmt.catches.length === 0) this.error('try statement must have at least one catch block', stmt.pos);
    const body = this.block(stmt.body);
    const catches = stmt.catches.length > 0 ? this.catchChain(stmt.catches) : new Code();
    return append(Code.of(Op.TRY, body.length + 4), body, [Op.POP_TRY, Op.JUMP, catches.length], catches);
  }

  /** Runs with the thrown error on the stack: it becomes hidden local `e`, its type hidden local `type`. */
  private catchChain(clauses: CatchClause[]): Code {
    this.fn.beginScope();
    const error = this.fn.addLocal('e');
    const code = Code.of(Op.GET_LOCAL, error.slot, Op.STRING, 'type', Op.GET_PROPERTY);
    const type = this.fn.addLocal('type');
    const endJumps: { jump: Code; at: number }[] = [];
    for (const clause of clauses) {
      const jump = Code.of(Op.JUMP, 0);
      append(code, this.catchClause(clause, error, type, jump));
      endJumps.push({ jump, at: code.length - 1 });
    }
    append(code, [Op.POP, Op.THROW]); // nothing matched: drop `type`, rethrow `e`
    const end = this.fn.endScope();
    for (const { jump, at } of endJumps) jump.patch(1, code.length - at - 1);
    return append(code, end);
  }

  /** One clause, ending in `jump` (`JUMP <placeholder>`) that `catchChain` points at the shared end. */
  private catchClause(clause: CatchClause, error: Local, type: Local, jump: Code): Code {
    const varName = clause.varName ?? 'e';
    const typeName = clause.typeName ?? 'Error';
    this.fn.beginScope();
    const body = new Code();
    if (varName !== 'e') {
      this.declareLocal(varName, clause.pos);
      append(body, [Op.GET_LOCAL, error.slot]);
    }
    append(body, this.block(clause.body), this.fn.endScope());
    if (typeName === 'Error') return append(body, jump);
    const test = Code.of(Op.STRING, typeName, Op.GET_LOCAL, type.slot, Op.EQ);
    return append(test, [Op.JUMP_IF_FALSE, body.length + 2], body, jump);
  }

  // -------------------------------------------------------------------------------------------
  // Functions

  /**
   * `CALLABLE name argc upCount bodyLen <body> CLOSURE upCount [isLocal index]*`. The body is compiled
   * by `compileBody` with a fresh FunctionScope whose parameters are locals 0..n-1.
   */
  private callable(name: string, params: string[], pos: Pos, compileBody: () => Code): Code {
    const outer = this.fn;
    const inner = new FunctionScope(outer);
    this.fn = inner;
    let body: Code;
    try {
      for (const param of params) this.declareLocal(param, pos);
      body = compileBody();
    } finally {
      this.fn = outer;
    }
    const upvalues = inner.upvalues;
    const code = append(Code.of(Op.CALLABLE, name, params.length, upvalues.length, body.length), body);
    append(code, [Op.CLOSURE, upvalues.length]);
    for (const upvalue of upvalues) append(code, [upvalue.isLocal, upvalue.index]);
    return code;
  }

  /** A block body, with `return null` appended unless it already ends in a return. */
  private functionBody(body: BlockStmt): Code {
    const last = body.body[body.body.length - 1];
    if (last?.kind === 'Return') return this.block(body);
    return this.block({ ...body, body: [...body.body, { kind: 'Return', pos: body.pos }] });
  }

  private lambda(expr: LambdaExpr): Code {
    const body = expr.body;
    return this.callable('lambda', expr.params, expr.pos, () => {
      if (body.kind === 'Block') return this.functionBody(body);
      if (body.kind === 'Placeholder') {
        // `x -> {e}` acts as the block `{ e; return null }`.
        const stmts: Stmt[] = [
          { kind: 'ExprStmt', expr: body.expr, pos: body.pos },
          { kind: 'Return', pos: body.pos },
        ];
        return this.block({ kind: 'Block', body: stmts, pos: body.pos });
      }
      return append(this.expr(body), [Op.RETURN]);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  /** An expression's code, marked with its line (its parts carry their own). */
  private expr(expr: Expr): Code {
    return markLine(this.exprCode(expr), expr.pos.line);
  }

  private exprCode(expr: Expr): Code {
    switch (expr.kind) {
      case 'Constant':
        return this.constant(expr);
      case 'Field':
        return this.field(expr);
      case 'Array':
        return append(this.sequence(expr.items), [Op.ARRAY, expr.items.length]);
      case 'Tuple':
        return append(this.sequence(expr.items), [Op.TUPLE, expr.items.length]);
      case 'Dict': {
        const cells = expr.entries.flatMap((entry) => [entry.key, entry.value]);
        return append(this.sequence(cells), [Op.DICT, expr.entries.length]);
      }
      case 'Arithmetic':
        return this.binary(expr.left, expr.right, ARITHMETIC_OPS[expr.op]);
      case 'Compare':
        return this.compare(expr);
      case 'And':
        return append(this.sequence(expr.exprs), [Op.AND, expr.exprs.length]);
      case 'Or':
        return append(this.sequence(expr.exprs), [Op.OR, expr.exprs.length]);
      case 'Not':
        return append(this.expr(expr.expr), [Op.NOT]);
      case 'Between':
        return this.between(expr);
      case 'Call':
        return this.call(expr);
      case 'ExprCall': {
        const args = this.sequence(expr.args);
        const callee = this.withTemps(expr.args.length, () => this.expr(expr.callee));
        return append(args, callee, [Op.CALL_LOCAL, expr.args.length]);
      }
      case 'Property':
        return this.property(expr);
      case 'Lambda':
        return this.lambda(expr);
      case 'Placeholder':
        this.error('Placeholders are not allowed in this context', expr.pos);
        return Code.of(Op.NULL);
      case 'HogQLXTag':
        return this.hogqlxTag(expr);
      default:
        return assertNever(expr);
    }
  }

  private constant(expr: ConstantExpr): Code {
    const value = expr.value;
    if (value === null) return Code.of(Op.NULL);
    if (value === true) return Code.of(Op.TRUE);
    if (value === false) return Code.of(Op.FALSE);
    if (typeof value === 'string') return Code.of(Op.STRING, value);
    if (expr.isFloat || !Number.isInteger(value)) return Code.of(Op.FLOAT, value);
    return Code.of(Op.INTEGER, value);
  }

  private field(expr: FieldExpr): Code {
    const head = this.variableGet(String(expr.chain[0]));
    if (head !== null) {
      for (const link of expr.chain.slice(1)) append(head, this.chainKey(link), [Op.GET_PROPERTY]);
      return head;
    }
    // A global: the chain goes to GET_GLOBAL reversed, so its first element ends up on top.
    // bytecode.py pushes every element with STRING, even the numeric ones; so do we.
    const code = new Code();
    for (let i = expr.chain.length - 1; i >= 0; i--) append(code, [Op.STRING, expr.chain[i]!]);
    return append(code, [Op.GET_GLOBAL, expr.chain.length]);
  }

  /** `<right> <left> OP`: the VM pops the left operand first. */
  private binary(left: Expr, right: Expr, op: number): Code {
    const rightCode = this.expr(right);
    return append(rightCode, this.withTemps(1, () => this.expr(left)), [op]);
  }

  private compare(expr: CompareExpr): Code {
    if (expr.op === 'in cohort' || expr.op === 'not in cohort') {
      this.error(`Can't use cohorts in real-time filters. Please inline the relevant expressions${this.cohortName(expr.right)}.`, expr.pos);
      return Code.of(Op.NULL);
    }
    return this.binary(expr.left, expr.right, COMPARE_OPS[expr.op]);
  }

  private cohortName(right: Expr): string {
    if (right.kind !== 'Constant') return '';
    if (typeof right.value === 'number' && Number.isInteger(right.value) && !right.isFloat) return ` (cohort id=${right.value})`;
    return ` (cohort: ${right.value === null ? 'None' : String(right.value)})`;
  }

  /**
   * Null-safe `lo <= e <= hi` with four hidden locals R (result), E, L, H in the next free slots:
   * R is pushed as NULL, overwritten with the result, and stays as the expression's value.
   */
  private between(expr: BetweenExpr): Code {
    const fn = this.fn;
    const result = fn.addLocal(' between result');
    const code = append(Code.of(Op.NULL), this.expr(expr.expr));
    const value = fn.addLocal(' between value');
    append(code, this.expr(expr.low));
    const low = fn.addLocal(' between low');
    append(code, this.expr(expr.high));
    const high = fn.addLocal(' between high');
    fn.forgetLocals(4);

    const notNull = (local: Local): Bytecode => [Op.GET_LOCAL, local.slot, Op.NULL, Op.NOT_EQ];
    append(code, notNull(low), notNull(high), notNull(value), [Op.AND, 3]);
    const [lowOp, highOp, joinOp] = expr.negated ? [Op.LT, Op.GT, Op.OR] : [Op.GT_EQ, Op.LT_EQ, Op.AND];
    const test = [
      ...[Op.GET_LOCAL, low.slot, Op.GET_LOCAL, value.slot, lowOp],
      ...[Op.GET_LOCAL, high.slot, Op.GET_LOCAL, value.slot, highOp],
      ...[joinOp, 2],
    ];
    append(code, this.conditional([], test, [Op.NULL]));
    return append(code, [Op.SET_LOCAL, result.slot, Op.POP, Op.POP, Op.POP]);
  }

  private property(expr: PropertyExpr): Code {
    const key = expr.property;
    if (key.kind === 'Constant' && key.value === 0 && !key.isFloat) {
      this.error('Array access starts from 1', expr.pos);
    }
    const object = this.expr(expr.object);
    const keyCode = this.withTemps(1, () => this.expr(key));
    return append(object, keyCode, [expr.nullish ? Op.GET_PROPERTY_NULLISH : Op.GET_PROPERTY]);
  }

  // -------------------------------------------------------------------------------------------
  // Calls

  private call(expr: CallExpr): Code {
    return this.specialCall(expr) ?? this.plainCall(expr);
  }

  /** The calls the compiler turns into opcodes and jumps; null when `expr` is an ordinary call. */
  private specialCall(expr: CallExpr): Code | null {
    const args = expr.args;
    switch (expr.name) {
      case 'not':
        return args.length === 1 ? append(this.expr(args[0]!), [Op.NOT]) : null;
      case 'and':
        return args.length > 1 ? append(this.sequence(args), [Op.AND, args.length]) : null;
      case 'or':
        return args.length > 1 ? append(this.sequence(args), [Op.OR, args.length]) : null;
      case 'if':
        return args.length >= 2 ? this.ifCall(args) : null;
      case 'multiIf':
        return args.length >= 2 ? this.multiIf(args) : null;
      case 'ifNull':
        return args.length === 2 ? this.ifNull(args[0]!, args[1]!) : null;
      default:
        return null;
    }
  }

  /** `if(c, a[, b])`. As in bytecode.py, a 4th argument and beyond is ignored, and so is the else. */
  private ifCall(args: Expr[]): Code {
    const cond = this.expr(args[0]!);
    const then = this.expr(args[1]!);
    const otherwise = args.length === 3 ? this.expr(args[2]!) : null;
    return this.conditional(cond, then, otherwise);
  }

  /** `multiIf(c1, v1, c2, v2, …, default)`: nested ifs built from the right; even arity means no default. */
  private multiIf(args: Expr[]): Code {
    if (args.length <= 3) return this.ifCall(args);
    let rest: Code | null = args.length % 2 === 1 ? this.expr(args[args.length - 1]!) : null;
    for (let i = args.length - 2 - (args.length % 2); i >= 0; i -= 2) {
      const cond = this.expr(args[i]!);
      const then = this.expr(args[i + 1]!);
      rest = this.conditional(cond, then, rest);
    }
    return rest!;
  }

  /** `a ?? b`: `<a> JUMP_IF_STACK_NOT_NULL len(b)+1 POP <b>`. */
  private ifNull(value: Expr, fallback: Expr): Code {
    const code = this.expr(value);
    const otherwise = this.expr(fallback);
    return append(code, [Op.JUMP_IF_STACK_NOT_NULL, otherwise.length + 1, Op.POP], otherwise);
  }

  /** `<args> GET_LOCAL f CALL_LOCAL n`, `<args> GET_UPVALUE i CALL_LOCAL n` or `<args> CALL_GLOBAL f n`. */
  private plainCall(expr: CallExpr): Code {
    const code = this.sequence(expr.args);
    const callee = this.variableGet(expr.name);
    if (callee === null) return append(code, [Op.CALL_GLOBAL, expr.name, expr.args.length]);
    return append(code, callee, [Op.CALL_LOCAL, expr.args.length]);
  }

  // -------------------------------------------------------------------------------------------
  // HogQLX

  /**
   * `<tag a={x}>kids</tag>` builds `{'__hx_tag': 'tag', 'a': x, 'children': [kids]}`; when `tag` is a
   * local or upvalue, the attribute dict (without `__hx_tag`) is passed to it instead.
   */
  private hogqlxTag(expr: HogQLXTagExpr): Code {
    const attributes = expr.attributes.map((a) => ({ name: a.name, value: a.value as Expr | Expr[] }));
    if (expr.children.length > 0) attributes.push({ name: 'children', value: expr.children });
    const callee = this.variableGet(expr.tag);
    const code = callee === null ? Code.of(Op.STRING, '__hx_tag', Op.STRING, expr.tag) : new Code();
    let pushed = callee === null ? 2 : 0;
    for (const attribute of attributes) {
      append(code, [Op.STRING, attribute.name]);
      append(code, this.withTemps(pushed + 1, () => this.hogqlxValue(attribute.value)));
      pushed += 2;
    }
    append(code, [Op.DICT, attributes.length + (callee === null ? 1 : 0)]);
    if (callee === null) return code;
    return append(code, callee, [Op.CALL_LOCAL, 1]);
  }

  private hogqlxValue(value: Expr | Expr[]): Code {
    if (!Array.isArray(value)) return this.expr(value);
    return append(this.sequence(value), [Op.ARRAY, value.length]);
  }
}
