/**
 * The typed syntax tree of Hog. The parser produces it, the compiler consumes it.
 *
 * The parser already applies the rewrites the reference describes, so the compiler
 * sees fewer forms:
 *   - `c ? a : b`      → Call `if` (c, a, b)
 *   - `a ?? b`         → Call `ifNull` (a, b)
 *   - `a || b`         → Call `concat` (a, b)   (flattened: `a || b || c` → concat(a, b, c))
 *   - `x is null`      → Compare `==` (x, null)  / `is not null` → `!=`
 *   - `-x`             → Binary `-` (0, x); `-1` folds into the Constant -1
 *   - `f'a{x}b'`       → Call `concat` ('a', x, 'b'); `f'{x}'` → x; `f'abc'` → Constant 'abc'
 *   - `CASE WHEN …`    → Call `multiIf`
 * Every node carries the position of its first token, for error messages.
 */

/** 1-based line and column of a node's first character; `offset` is the 0-based index in the source. */
export interface Pos {
  line: number;
  column: number;
  offset: number;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';

export type CompareOp =
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'like'
  | 'ilike'
  | 'not like'
  | 'not ilike'
  | 'in'
  | 'not in'
  | '=~'
  | '!~'
  | '=~*'
  | '!~*'
  | 'in cohort'
  | 'not in cohort';

// ---------------------------------------------------------------------------------------------
// Expressions

export interface ConstantExpr {
  kind: 'Constant';
  /** null, boolean, number or string. */
  value: null | boolean | number | string;
  /** True for float literals (`1.0`, `1e3`, `inf`, `nan`): compiled to FLOAT instead of INTEGER. */
  isFloat?: boolean;
  pos: Pos;
}

/**
 * An identifier chain: `a`, `a.b.c`, `a.1`, `event.properties.$browser`.
 * Elements after the first are property names (strings) or 1-based indexes (numbers, from `a.1`).
 */
export interface FieldExpr {
  kind: 'Field';
  chain: (string | number)[];
  pos: Pos;
}

export interface ArrayExpr {
  kind: 'Array';
  items: Expr[];
  pos: Pos;
}

export interface TupleExpr {
  kind: 'Tuple';
  items: Expr[];
  pos: Pos;
}

export interface DictExpr {
  kind: 'Dict';
  entries: { key: Expr; value: Expr }[];
  pos: Pos;
}

export interface ArithmeticExpr {
  kind: 'Arithmetic';
  op: ArithmeticOp;
  left: Expr;
  right: Expr;
  pos: Pos;
}

export interface CompareExpr {
  kind: 'Compare';
  op: CompareOp;
  left: Expr;
  right: Expr;
  pos: Pos;
}

/** `a and b and c`: n-ary, no short-circuit, always a boolean. */
export interface AndExpr {
  kind: 'And';
  exprs: Expr[];
  pos: Pos;
}

export interface OrExpr {
  kind: 'Or';
  exprs: Expr[];
  pos: Pos;
}

export interface NotExpr {
  kind: 'Not';
  expr: Expr;
  pos: Pos;
}

/** `e [not] between low and high`. */
export interface BetweenExpr {
  kind: 'Between';
  expr: Expr;
  low: Expr;
  high: Expr;
  negated: boolean;
  pos: Pos;
}

/**
 * A call by name: `f(a, b)`. Also the rewritten forms `if`, `ifNull`, `multiIf`, `concat`, `and`,
 * `or`, `not`. The compiler decides whether `name` is a local, an upvalue or a global function.
 */
export interface CallExpr {
  kind: 'Call';
  name: string;
  args: Expr[];
  pos: Pos;
}

/** A call of any other expression: `(getFn())(x)`, `arr[1](2)`, `a.b(1)`, `f(1)(2)`. */
export interface ExprCallExpr {
  kind: 'ExprCall';
  callee: Expr;
  args: Expr[];
  pos: Pos;
}

/** `obj[key]`, `obj?.[key]`, and `.name` / `.1` / `?.name` on anything that is not an identifier chain. */
export interface PropertyExpr {
  kind: 'Property';
  object: Expr;
  property: Expr;
  nullish: boolean;
  pos: Pos;
}

/** `x -> expr`, `(x, y) -> { … }`. `body` is an expression (returned) or a block. */
export interface LambdaExpr {
  kind: 'Lambda';
  params: string[];
  body: Expr | BlockStmt;
  pos: Pos;
}

/** `{expr}` where an expression is expected: only legal as a lambda body, where it acts as `{ expr; return null }`. */
export interface PlaceholderExpr {
  kind: 'Placeholder';
  expr: Expr;
  pos: Pos;
}

/** `<tag attr='x'>children</tag>`: HogQLX. Compiled to a dict (or a call of a local function `tag`). */
export interface HogQLXTagExpr {
  kind: 'HogQLXTag';
  tag: string;
  attributes: { name: string; value: Expr }[];
  children: Expr[];
  pos: Pos;
}

export type Expr =
  | ConstantExpr
  | FieldExpr
  | ArrayExpr
  | TupleExpr
  | DictExpr
  | ArithmeticExpr
  | CompareExpr
  | AndExpr
  | OrExpr
  | NotExpr
  | BetweenExpr
  | CallExpr
  | ExprCallExpr
  | PropertyExpr
  | LambdaExpr
  | PlaceholderExpr
  | HogQLXTagExpr;

// ---------------------------------------------------------------------------------------------
// Statements

export interface VarDeclStmt {
  kind: 'VarDecl';
  name: string;
  /** Absent for `let x` (the value is null). */
  init?: Expr;
  pos: Pos;
}

/** `target := value`; `target` is a Field or Property expression (checked by the compiler). */
export interface AssignStmt {
  kind: 'Assign';
  target: Expr;
  value: Expr;
  pos: Pos;
}

export interface ExprStmt {
  kind: 'ExprStmt';
  expr: Expr;
  pos: Pos;
}

export interface ReturnStmt {
  kind: 'Return';
  expr?: Expr;
  pos: Pos;
}

export interface ThrowStmt {
  kind: 'Throw';
  expr?: Expr;
  pos: Pos;
}

export interface IfStmt {
  kind: 'If';
  condition: Expr;
  then: Stmt;
  else?: Stmt;
  pos: Pos;
}

export interface WhileStmt {
  kind: 'While';
  condition: Expr;
  body: Stmt;
  pos: Pos;
}

/** `for (init; condition; increment) body`: every part optional. */
export interface ForStmt {
  kind: 'For';
  init?: VarDeclStmt | AssignStmt | ExprStmt;
  condition?: Expr;
  increment?: VarDeclStmt | AssignStmt | ExprStmt;
  body: Stmt;
  pos: Pos;
}

/** `for (let v in e)` (keyVar absent) and `for (let k, v in e)`. */
export interface ForInStmt {
  kind: 'ForIn';
  keyVar?: string;
  valueVar: string;
  expr: Expr;
  body: Stmt;
  pos: Pos;
}

/** `fun name(a, b) { … }` / `fn name(…) { … }`. */
export interface FunctionStmt {
  kind: 'Function';
  name: string;
  params: string[];
  body: BlockStmt;
  pos: Pos;
}

export interface BlockStmt {
  kind: 'Block';
  body: Stmt[];
  pos: Pos;
}

export interface CatchClause {
  /** The bound name; `e` when absent (`catch { … }`). */
  varName?: string;
  /** The error type to match; absent means `Error`, which catches everything. */
  typeName?: string;
  body: BlockStmt;
  pos: Pos;
}

export interface TryStmt {
  kind: 'Try';
  body: BlockStmt;
  catches: CatchClause[];
  /** Parsed but rejected by the compiler ("finally blocks are not yet supported"). */
  finally?: BlockStmt;
  pos: Pos;
}

/** A lone `;`. */
export interface EmptyStmt {
  kind: 'Empty';
  pos: Pos;
}

export type Stmt =
  | VarDeclStmt
  | AssignStmt
  | ExprStmt
  | ReturnStmt
  | ThrowStmt
  | IfStmt
  | WhileStmt
  | ForStmt
  | ForInStmt
  | FunctionStmt
  | BlockStmt
  | TryStmt
  | EmptyStmt;

export interface Program {
  kind: 'Program';
  body: Stmt[];
  pos: Pos;
}

/**
 * A diagnostic from the lexer, parser or compiler. `message` has no position in it;
 * `formatDiagnostic` renders `Expected ')' at 2:14`.
 */
export interface Diagnostic {
  message: string;
  line: number;
  column: number;
  offset: number;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.message} at ${d.line}:${d.column}`;
}
