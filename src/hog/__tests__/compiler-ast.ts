/**
 * A tiny AST builder for compiler tests that must not depend on the parser. Every node gets the
 * position 1:1 unless `at(line, column)` is passed where a test checks diagnostics.
 */
import type {
  ArithmeticOp,
  BlockStmt,
  CatchClause,
  CompareOp,
  Expr,
  FieldExpr,
  Pos,
  Program,
  Stmt,
  VarDeclStmt,
  AssignStmt,
  ExprStmt,
} from '../ast.js';

export const at = (line: number, column: number, offset = 0): Pos => ({ line, column, offset });
const P = at(1, 1);

export const num = (value: number, isFloat?: boolean): Expr => ({ kind: 'Constant', value, isFloat, pos: P });
export const str = (value: string): Expr => ({ kind: 'Constant', value, pos: P });
export const nul = (): Expr => ({ kind: 'Constant', value: null, pos: P });
export const bool = (value: boolean): Expr => ({ kind: 'Constant', value, pos: P });
export const id = (...chain: (string | number)[]): FieldExpr => ({ kind: 'Field', chain, pos: P });
export const arr = (...items: Expr[]): Expr => ({ kind: 'Array', items, pos: P });
export const tuple = (...items: Expr[]): Expr => ({ kind: 'Tuple', items, pos: P });
export const dict = (...entries: [Expr, Expr][]): Expr => ({
  kind: 'Dict',
  entries: entries.map(([key, value]) => ({ key, value })),
  pos: P,
});
export const bin = (op: ArithmeticOp, left: Expr, right: Expr): Expr => ({ kind: 'Arithmetic', op, left, right, pos: P });
export const cmp = (op: CompareOp, left: Expr, right: Expr, pos = P): Expr => ({ kind: 'Compare', op, left, right, pos });
export const and = (...exprs: Expr[]): Expr => ({ kind: 'And', exprs, pos: P });
export const or = (...exprs: Expr[]): Expr => ({ kind: 'Or', exprs, pos: P });
export const not = (expr: Expr): Expr => ({ kind: 'Not', expr, pos: P });
export const between = (expr: Expr, low: Expr, high: Expr, negated = false): Expr => ({
  kind: 'Between',
  expr,
  low,
  high,
  negated,
  pos: P,
});
export const call = (name: string, ...args: Expr[]): Expr => ({ kind: 'Call', name, args, pos: P });
export const callExpr = (callee: Expr, ...args: Expr[]): Expr => ({ kind: 'ExprCall', callee, args, pos: P });
export const prop = (object: Expr, property: Expr, nullish = false, pos = P): Expr => ({
  kind: 'Property',
  object,
  property,
  nullish,
  pos,
});
export const lambda = (params: string[], body: Expr | BlockStmt): Expr => ({ kind: 'Lambda', params, body, pos: P });
export const placeholder = (expr: Expr, pos = P): Expr => ({ kind: 'Placeholder', expr, pos });

export const let_ = (name: string, init?: Expr, pos = P): VarDeclStmt => ({ kind: 'VarDecl', name, init, pos });
export const assign = (target: Expr, value: Expr): AssignStmt => ({ kind: 'Assign', target, value, pos: P });
export const stmt = (expr: Expr): ExprStmt => ({ kind: 'ExprStmt', expr, pos: P });
export const print = (...args: Expr[]): ExprStmt => stmt(call('print', ...args));
export const ret = (expr?: Expr): Stmt => ({ kind: 'Return', expr, pos: P });
export const throw_ = (expr: Expr): Stmt => ({ kind: 'Throw', expr, pos: P });
export const block = (...body: Stmt[]): BlockStmt => ({ kind: 'Block', body, pos: P });
export const if_ = (condition: Expr, then: Stmt, otherwise?: Stmt): Stmt => ({
  kind: 'If',
  condition,
  then,
  else: otherwise,
  pos: P,
});
export const while_ = (condition: Expr, body: Stmt): Stmt => ({ kind: 'While', condition, body, pos: P });
export const for_ = (
  init: VarDeclStmt | AssignStmt | ExprStmt | undefined,
  condition: Expr | undefined,
  increment: VarDeclStmt | AssignStmt | ExprStmt | undefined,
  body: Stmt,
): Stmt => ({ kind: 'For', init, condition, increment, body, pos: P });
export const forIn = (keyVar: string | undefined, valueVar: string, expr: Expr, body: Stmt): Stmt => ({
  kind: 'ForIn',
  keyVar,
  valueVar,
  expr,
  body,
  pos: P,
});
export const fun = (name: string, params: string[], ...body: Stmt[]): Stmt => ({
  kind: 'Function',
  name,
  params,
  body: block(...body),
  pos: P,
});
export const catch_ = (varName: string | undefined, typeName: string | undefined, ...body: Stmt[]): CatchClause => ({
  varName,
  typeName,
  body: block(...body),
  pos: P,
});
export const try_ = (body: BlockStmt, catches: CatchClause[], finallyBlock?: BlockStmt, pos = P): Stmt => ({
  kind: 'Try',
  body,
  catches,
  finally: finallyBlock,
  pos,
});
export const program = (...body: Stmt[]): Program => ({ kind: 'Program', body, pos: P });
