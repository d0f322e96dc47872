/**
 * The Hog parser: tokens → AST. Expressions go through one Pratt engine
 * (`parsePrecedence`) driven by `RULES`, a table with one row per token type; statements are
 * parsed by small recursive-descent functions.
 *
 * Errors never throw. The first error in a statement is recorded and switches on panic mode,
 * which mutes follow-on errors until `synchronize` reaches the next statement. Nesting deeper than
 * `MAX_DEPTH` is reported instead of overflowing the stack, and every loop consumes a token per
 * turn, so any input parses in linear-ish time.
 *
 * The rewrites promised by ast.ts (`?:`, `??`, `||`, `is null`, unary minus, f-strings, CASE) are
 * done here, so the compiler sees the smaller language.
 */
import type {
  AssignStmt,
  BlockStmt,
  CatchClause,
  CompareOp,
  Diagnostic,
  Expr,
  ExprStmt,
  ForInStmt,
  ForStmt,
  HogQLXTagExpr,
  IfStmt,
  LambdaExpr,
  Pos,
  Program,
  ReturnStmt,
  Stmt,
  ThrowStmt,
  TryStmt,
  VarDeclStmt,
} from './ast.js';
import { tokenize } from './lexer.js';
import { describeToken, isNameToken, nameOf, type Token, type TokenType } from './tokens.js';

/** How deeply expressions and statements may nest before the parser gives up on that statement. */
export const MAX_DEPTH = 256;

/** After this many diagnostics the parser reports one "too many errors" and stays quiet. */
const MAX_DIAGNOSTICS = 100;

// ---------------------------------------------------------------------------------------------
// Precedence, loosest first. A bigger number binds tighter.
//
// One difference from the documented precedence table, which places `between` below `or`: PostHog's parser
// (the "ref" behaviour, @posthog/hogql-parser 1.3.87) binds `between` tighter than `not`, `and`
// and `or` but looser than `??`: `x and a between 1 and 2` is `x and (a between 1 and 2)`,
// `not a between 1 and 2` is `not (a between …)`, `a ?? b between 1 and 2` is `(a ?? b) between …`,
// and the upper bound takes comparisons: `a between 1 and 2 = true` has the bound `2 = true`.

const Prec = {
  None: 0,
  Ternary: 1, // c ? a : b  (right)
  Or: 2,
  And: 3,
  Not: 4, // prefix not
  Between: 5, // e [not] between lo and hi
  Nullish: 6, // ??
  IsNull: 7, // is [not] null (postfix)
  Comparison: 8, // = == != < … in like ilike =~ …
  Term: 9, // + - ||
  Factor: 10, // * / %
  Unary: 11, // prefix -
  Call: 12, // () [] . ?.
} as const;
type Prec = (typeof Prec)[keyof typeof Prec];

type PrefixFn = (p: Parser, token: Token) => Expr;
type InfixFn = (p: Parser, left: Expr, token: Token) => Expr;

interface ParseRule {
  prefix: PrefixFn | null;
  infix: InfixFn | null;
  precedence: Prec;
}

// ---------------------------------------------------------------------------------------------
// The parser state and its primitives

class Parser {
  private readonly tokens: Token[];
  private readonly lexErrors: Token[];
  private lexErrorIndex = 0;
  private index = 0;
  current: Token;
  previous: Token;
  readonly diagnostics: Diagnostic[] = [];
  panicMode = false;
  /** While parsing a `between` lower bound, a top-level `and` ends the expression. */
  stopAtAnd = false;
  private depth = 0;
  /** Statements split off the one being parsed (see `returnOrThrow`), emitted right after it. */
  readonly pending: Stmt[] = [];

  constructor(all: Token[]) {
    this.tokens = all.filter((t) => t.type !== 'Error');
    this.lexErrors = all.filter((t) => t.type === 'Error');
    this.current = this.tokens[0];
    this.previous = this.current;
    this.reportLexErrors();
  }

  advance(): Token {
    this.previous = this.current;
    if (this.index < this.tokens.length - 1) this.index++;
    this.current = this.tokens[this.index];
    this.reportLexErrors();
    return this.previous;
  }

  /** Report the scanner's error tokens once the parser has moved past them. */
  private reportLexErrors(): void {
    while (this.lexErrorIndex < this.lexErrors.length) {
      const error = this.lexErrors[this.lexErrorIndex];
      if (this.current.type !== 'EOF' && error.offset >= this.current.offset) return;
      this.lexErrorIndex++;
      this.errorAt(error, error.message ?? 'Invalid token');
    }
  }

  peek(ahead: number): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)];
  }

  check(type: TokenType): boolean {
    return this.current.type === type;
  }

  match(type: TokenType): boolean {
    if (!this.check(type)) return false;
    this.advance();
    return true;
  }

  consume(type: TokenType, message: string): boolean {
    if (this.match(type)) return true;
    this.errorAtCurrent(message);
    return false;
  }

  atEnd(): boolean {
    return this.current.type === 'EOF';
  }

  errorAt(token: Pos, message: string): void {
    if (this.panicMode) return;
    this.panicMode = true;
    if (this.diagnostics.length === MAX_DIAGNOSTICS) message = 'Too many errors; stopped reporting';
    if (this.diagnostics.length > MAX_DIAGNOSTICS) return;
    this.diagnostics.push({ message, line: token.line, column: token.column, offset: token.offset });
  }

  errorAtCurrent(message: string): void {
    this.errorAt(this.current, message);
  }

  /** Enter one level of nesting; false (with a diagnostic, after consuming a token) when too deep. */
  enter(): boolean {
    if (this.depth < MAX_DEPTH) {
      this.depth++;
      return true;
    }
    this.errorAtCurrent(`Nesting too deep (more than ${MAX_DEPTH} levels)`);
    this.skipGroup();
    return false;
  }

  /** Skip one token, or a whole bracketed group (without recursion) when it opens one. */
  private skipGroup(): void {
    let depth = 0;
    do {
      if (OPENERS.has(this.current.type)) depth++;
      else if (CLOSERS.has(this.current.type)) depth--;
      this.advance();
    } while (depth > 0 && !this.atEnd());
  }

  leave(): void {
    this.depth--;
  }

  /**
   * Skip tokens until the start of the next statement (clox's `synchronize`). Braces opened
   * while skipping are skipped up to their matching `}`, so one bad line does not leave a trail
   * of unbalanced `}` errors.
   */
  synchronize(): void {
    this.panicMode = false;
    let braces = 0;
    while (!this.atEnd()) {
      if (braces === 0 && (this.previous.type === 'Semicolon' || STATEMENT_STARTS.has(this.current.type))) return;
      if (this.check('LeftBrace')) braces++;
      else if (this.check('RightBrace')) braces--;
      this.advance();
    }
  }

  get position(): number {
    return this.index;
  }
}

const STATEMENT_STARTS = new Set<TokenType>([
  'Let', 'Fn', 'Fun', 'If', 'While', 'For', 'Return', 'Throw', 'Try', 'RightBrace', 'HoleClose',
]);

function posOf(token: Token): Pos {
  return { line: token.line, column: token.column, offset: token.offset };
}

function nullAt(token: Token): Expr {
  return { kind: 'Constant', value: null, pos: posOf(token) };
}

// ---------------------------------------------------------------------------------------------
// The expression engine

function parsePrecedence(p: Parser, min: Prec): Expr {
  const first = p.current;
  if (!p.enter()) return nullAt(first);
  const prefix = RULES[first.type].prefix;
  if (!prefix) {
    p.errorAtCurrent('Expected expression');
    p.leave();
    return nullAt(first);
  }
  p.advance();
  const left = continueInfix(p, prefix(p, first), min);
  p.leave();
  return left;
}

/** The infix half of the engine: apply operators binding at least as tightly as `min` to `left`. */
function continueInfix(p: Parser, left: Expr, min: Prec): Expr {
  while (min <= infixPrecedence(p)) {
    const op = p.advance();
    left = (RULES[op.type].infix as InfixFn)(p, left, op);
  }
  return left;
}

/** The precedence of the current token as an infix operator; `not` counts only before in/like/ilike/between. */
function infixPrecedence(p: Parser): Prec {
  const rule = RULES[p.current.type];
  if (!rule.infix || (p.stopAtAnd && p.current.type === 'And')) return Prec.None;
  if (p.current.type === 'LeftBracket') return isIndex(p) ? rule.precedence : Prec.None;
  // `f(a) (x, y) -> …` is a call followed by a lambda statement, not `f(a)(x, y)`.
  if (p.current.type === 'LeftParen') return isParenLambdaParams(p, 1) ? Prec.None : rule.precedence;
  if (p.current.type !== 'Not') return rule.precedence;
  const next = p.peek(1).type;
  if (next === 'Between') return Prec.Between;
  return next === 'In' || next === 'Like' || next === 'ILike' ? Prec.Comparison : Prec.None;
}

function parseExpr(p: Parser): Expr {
  return withStopAtAnd(p, false, () => parsePrecedence(p, Prec.Ternary));
}

function withStopAtAnd<T>(p: Parser, stop: boolean, parse: () => T): T {
  const saved = p.stopAtAnd;
  p.stopAtAnd = stop;
  const result = parse();
  p.stopAtAnd = saved;
  return result;
}

/** An expression where a whole statement-level expression may stand: also allows `x, y -> body`. */
function parseTopExpr(p: Parser): Expr {
  if (isBareLambdaParams(p)) return parseBareLambda(p);
  return parseExpr(p);
}

// ---------------------------------------------------------------------------------------------
// Prefix rules

function numberLiteral(_p: Parser, token: Token): Expr {
  return constant(token, token.value as number, token.isFloat);
}

function constant(token: Token, value: null | boolean | number | string, isFloat?: boolean): Expr {
  const expr: Expr = { kind: 'Constant', value, pos: posOf(token) };
  if (isFloat) expr.isFloat = true;
  return expr;
}

function stringLiteral(_p: Parser, token: Token): Expr {
  return constant(token, token.value as string);
}

function trueLiteral(_p: Parser, token: Token): Expr {
  return constant(token, true);
}

function falseLiteral(_p: Parser, token: Token): Expr {
  return constant(token, false);
}

function nullLiteral(_p: Parser, token: Token): Expr {
  return constant(token, null);
}

/** A name: the start of an identifier chain, a one-parameter lambda `x -> …`, or `CASE`. */
function identifier(p: Parser, token: Token): Expr {
  const name = nameOf(token);
  if (p.check('Arrow')) return finishLambda(p, [name], token);
  if (isWord(token, 'case') && startsCase(p)) return caseExpr(p, token);
  return { kind: 'Field', chain: [name], pos: posOf(token) };
}

/** A bare (unquoted) identifier spelled `word`, in any case. */
function isWord(token: Token, word: string): boolean {
  return token.type === 'Identifier' && /^[A-Za-z]/.test(token.lexeme) && token.lexeme.toLowerCase() === word;
}

/** `case` starts a CASE expression before `when`, or before an operand that cannot continue a name. */
function startsCase(p: Parser): boolean {
  const rule = RULES[p.current.type];
  return isWord(p.current, 'when') || (rule.prefix !== null && rule.infix === null);
}

/**
 * `CASE WHEN c THEN v … [ELSE d] END` → `if(c, v, d)` for one branch, `multiIf(c1, v1, …, d)` for
 * more (as PostHog's parser does); `CASE x WHEN a THEN b … END` → `_caseWithExpression(x, a, b, …, d)`.
 * A missing ELSE is null.
 */
function caseExpr(p: Parser, token: Token): Expr {
  const subject = isWord(p.current, 'when') ? null : parseExpr(p);
  const args: Expr[] = subject ? [subject] : [];
  while (isWord(p.current, 'when')) {
    p.advance();
    args.push(parseExpr(p));
    expectWord(p, 'then');
    args.push(parseExpr(p));
  }
  if (args.length < (subject ? 3 : 2)) p.errorAtCurrent("Expected 'when'");
  args.push(p.match('Else') ? parseExpr(p) : nullAt(p.previous));
  expectWord(p, 'end');
  const name = subject ? '_caseWithExpression' : args.length === 3 ? 'if' : 'multiIf';
  return { kind: 'Call', name, args, pos: posOf(token) };
}

function expectWord(p: Parser, word: string): void {
  if (isWord(p.current, word)) p.advance();
  else p.errorAtCurrent(`Expected '${word}'`);
}

/** Unary minus: folds into a following number literal, otherwise `0 - e`. */
function negate(p: Parser, token: Token): Expr {
  if (p.check('Number')) {
    const number = p.advance();
    return constant(token, -(number.value as number), number.isFloat);
  }
  const operand = parsePrecedence(p, Prec.Unary);
  return { kind: 'Arithmetic', op: '-', left: constant(token, 0), right: operand, pos: posOf(token) };
}

/** `+1` is a number literal (HogQL's numberLiteral); a `+` before anything else is not an expression. */
function plusSign(p: Parser, token: Token): Expr {
  if (p.check('Number')) return numberLiteral(p, p.advance());
  p.errorAt(token, 'Expected expression');
  return nullAt(token);
}

/** `not e`; `not(…)` is a call of the function `not` (as in PostHog's parser), unless `(…)` starts a lambda. */
function not_(p: Parser, token: Token): Expr {
  if (p.check('LeftParen') && !isParenLambdaParams(p, 1)) return { kind: 'Field', chain: [token.lexeme], pos: posOf(token) };
  const operand = parsePrecedence(p, Prec.Not);
  return { kind: 'Not', expr: operand, pos: posOf(token) };
}

/** `(e)`, a tuple `(a, b)` / `(a,)`, or a lambda `(a, b) -> …` / `() -> …`. */
function grouping(p: Parser, token: Token): Expr {
  if (isParenLambdaParams(p)) return parenLambda(p, token);
  const first = parseTopExpr(p);
  if (!p.check('Comma')) {
    p.consume('RightParen', "Expected ')'");
    return first;
  }
  const items = [first];
  while (p.match('Comma') && !p.check('RightParen')) items.push(parseExpr(p));
  p.consume('RightParen', "Expected ')'");
  return { kind: 'Tuple', items, pos: posOf(token) };
}

function array(p: Parser, token: Token): Expr {
  const items: Expr[] = [];
  while (!p.check('RightBracket') && !p.atEnd()) {
    items.push(parseTopExpr(p));
    if (!p.match('Comma')) break;
  }
  p.consume('RightBracket', "Expected ']'");
  return { kind: 'Array', items, pos: posOf(token) };
}

/** `{}` and `{k: v, …}` are dicts; `{e}` is a placeholder. */
function braces(p: Parser, token: Token): Expr {
  if (p.match('RightBrace')) return { kind: 'Dict', entries: [], pos: posOf(token) };
  const first = parseExpr(p);
  if (p.match('RightBrace')) return { kind: 'Placeholder', expr: first, pos: posOf(token) };
  return finishDict(p, token, first);
}

/** The rest of a dict whose first key is parsed and whose `:` is next. */
function finishDict(p: Parser, token: Token, firstKey: Expr): Expr {
  const entries: { key: Expr; value: Expr }[] = [];
  let key: Expr | null = firstKey;
  while (key) {
    p.consume('Colon', "Expected ':'");
    entries.push({ key, value: parseExpr(p) });
    key = p.match('Comma') && !p.check('RightBrace') ? parseExpr(p) : null;
  }
  p.consume('RightBrace', "Expected '}'");
  return { kind: 'Dict', entries, pos: posOf(token) };
}

/** `f'…'`: text parts and `{expr}` holes, rewritten as ast.ts describes. */
function fString(p: Parser, token: Token): Expr {
  const parts = parseTemplateParts(p);
  p.consume('FStringEnd', 'Unterminated string');
  return joinTemplateParts(parts, posOf(token));
}

/** Text and holes up to the first other token. `eachHole` lets templates report one error per hole. */
function parseTemplateParts(p: Parser, eachHole = false): Expr[] {
  const parts: Expr[] = [];
  for (;;) {
    if (p.check('FStringText')) {
      const text = p.advance();
      if (text.value !== '') parts.push(constant(text, text.value as string));
    } else if (p.check('HoleOpen')) {
      if (eachHole) p.panicMode = false;
      parts.push(hole(p, p.advance()));
    } else return parts;
  }
}

function hole(p: Parser, open: Token): Expr {
  const expr = parseExpr(p);
  if (p.match('HoleClose')) return expr;
  if (p.atEnd()) p.errorAt(open, "Unclosed '{'");
  else p.errorAtCurrent("Expected '}'");
  while (!p.atEnd() && !p.match('HoleClose')) p.advance();
  return expr;
}

function joinTemplateParts(parts: Expr[], pos: Pos): Expr {
  if (parts.length === 0) return { kind: 'Constant', value: '', pos };
  if (parts.length === 1) return parts[0];
  return { kind: 'Call', name: 'concat', args: parts, pos };
}

// ---------------------------------------------------------------------------------------------
// HogQLX tags

/** `<name a='x' b={e} c>children</name>` or `<name … />`. An attribute without a value is `true`. */
function tag(p: Parser, token: Token): Expr {
  const name = String(token.value);
  const node: HogQLXTagExpr = { kind: 'HogQLXTag', tag: name, attributes: tagAttributes(p), children: [], pos: posOf(token) };
  if (p.match('TagSelfClose')) return node;
  if (p.consume('TagEnd', "Expected '>'")) tagChildren(p, node);
  return node;
}

function tagAttributes(p: Parser): HogQLXTagExpr['attributes'] {
  const attributes: HogQLXTagExpr['attributes'] = [];
  while (p.check('Identifier')) {
    const nameToken = p.advance();
    let value = constant(nameToken, true);
    if (p.match('Equal')) {
      if (p.check('String')) value = stringLiteral(p, p.advance());
      else if (p.check('HoleOpen')) value = hole(p, p.advance());
      else p.errorAtCurrent("Expected a string or '{' after '='");
    }
    attributes.push({ name: String(nameToken.value), value });
  }
  return attributes;
}

/** Children up to `</name>`. Whitespace-only text that spans lines is layout, and is dropped. */
function tagChildren(p: Parser, node: HogQLXTagExpr): void {
  for (;;) {
    if (p.check('TagText')) {
      const text = p.advance();
      const value = String(text.value);
      if (value.trim() !== '' || !value.includes('\n')) node.children.push(constant(text, value));
    } else if (p.check('HoleOpen')) node.children.push(hole(p, p.advance()));
    else if (p.check('TagOpen')) node.children.push(parsePrecedence(p, Prec.Call));
    else break;
  }
  const close = p.current;
  if (!p.consume('TagClose', `Expected '</${node.tag}>'`)) return;
  if (close.value !== node.tag) p.errorAt(close, `Expected '</${node.tag}>', found '</${String(close.value)}>'`);
}

// ---------------------------------------------------------------------------------------------
// Lambdas

/** After `(` (at `p.peek(i)`): is this `) ->` or `name, name,? ) ->`? Pure lookahead. */
function isParenLambdaParams(p: Parser, i = 0): boolean {
  for (;;) {
    if (p.peek(i).type === 'RightParen') return p.peek(i + 1).type === 'Arrow';
    if (!isNameToken(p.peek(i))) return false;
    i++;
    if (p.peek(i).type === 'Comma') i++;
    else if (p.peek(i).type !== 'RightParen') return false;
  }
}

/**
 * At `x, y ->` (two or more bare names, then an arrow)? Like PostHog's parser this is tried
 * wherever an expression starts a list item too, so `f(a, b -> c)` passes one lambda. The scan
 * is bounded, so long lists of names stay linear.
 */
function isBareLambdaParams(p: Parser): boolean {
  let i = 0;
  while (i < 2 * MAX_BARE_PARAMS && isNameToken(p.peek(i)) && p.peek(i + 1).type === 'Comma') i += 2;
  return i > 0 && isNameToken(p.peek(i)) && p.peek(i + 1).type === 'Arrow';
}

const MAX_BARE_PARAMS = 64;

function parseBareLambda(p: Parser): Expr {
  const first = p.current;
  const params = [nameOf(p.advance())];
  while (p.match('Comma')) params.push(nameOf(p.advance()));
  return finishLambda(p, params, first);
}

function parenLambda(p: Parser, token: Token): Expr {
  const params: string[] = [];
  while (!p.check('RightParen')) {
    params.push(nameOf(p.advance()));
    p.match('Comma');
  }
  p.advance();
  return finishLambda(p, params, token);
}

/** At `->`: the arrow and the body. */
function finishLambda(p: Parser, params: string[], token: Token): LambdaExpr {
  p.consume('Arrow', "Expected '->'");
  return { kind: 'Lambda', params, body: lambdaBody(p), pos: posOf(token) };
}

/**
 * A lambda body. `{}` is an empty dict, `{e}` a placeholder, `{k: v}` a dict, and anything else
 * in braces a block. Decided without backtracking: a statement keyword after `{` means a
 * block; otherwise the first expression is parsed once and what follows it decides.
 */
function lambdaBody(p: Parser): Expr | BlockStmt {
  if (!p.check('LeftBrace')) return parseExpr(p);
  const open = p.current;
  if (p.peek(1).type === 'RightBrace') {
    p.advance();
    p.advance();
    return continueInfix(p, { kind: 'Dict', entries: [], pos: posOf(open) }, Prec.Ternary);
  }
  if (startsBlockOnly(p.peek(1), p.peek(2))) return parseBlock(p);
  p.advance();
  const first = parseTopExpr(p);
  if (p.match('RightBrace')) return continueInfix(p, { kind: 'Placeholder', expr: first, pos: posOf(open) }, Prec.Ternary);
  if (p.check('Colon')) return continueInfix(p, finishDict(p, open, first), Prec.Ternary);
  return finishBlock(p, open, [finishExprStatement(p, first)]);
}

function startsBlockOnly(token: Token, next: Token): boolean {
  if (token.type === 'If' || token.type === 'For') return next.type === 'LeftParen';
  return STATEMENT_STARTS.has(token.type) || token.type === 'LeftBrace' || token.type === 'Semicolon';
}

/**
 * `{` where a statement starts: `{}` and `{x}` are blocks, `{k: v}` is a dict expression
 * statement (as in PostHog's parser).
 */
function braceStatement(p: Parser): Stmt {
  const open = p.current;
  if (p.peek(1).type === 'RightBrace') return isInfixOnly(p.peek(2)) ? expressionStatement(p, open) : parseBlock(p);
  if (startsBlockOnly(p.peek(1), p.peek(2))) return parseBlock(p);
  p.advance();
  const first = parseTopExpr(p);
  if (p.check('RightBrace') && isInfixOnly(p.peek(1))) {
    p.advance();
    return finishExprStatement(p, continueInfix(p, { kind: 'Placeholder', expr: first, pos: posOf(open) }, Prec.Ternary));
  }
  if (!p.check('Colon')) return finishBlock(p, open, [finishExprStatement(p, first)]);
  return finishExprStatement(p, continueInfix(p, finishDict(p, open, first), Prec.Ternary));
}

/** A token that can only continue an expression, so `{} ? a : b` is an expression, not a block. */
function isInfixOnly(token: Token): boolean {
  const rule = RULES[token.type];
  return rule.infix !== null && rule.prefix === null;
}

// ---------------------------------------------------------------------------------------------
// Infix rules

function arithmetic(p: Parser, left: Expr, op: Token): Expr {
  const right = parsePrecedence(p, (RULES[op.type].precedence + 1) as Prec);
  return { kind: 'Arithmetic', op: op.lexeme as '+' | '-' | '*' | '/' | '%', left, right, pos: left.pos };
}

/** Calls made by `||`, so a chain flattens without touching a user's own `concat(…) || x`. */
const concatChains = new WeakSet<Expr>();

function concat(p: Parser, left: Expr, _op: Token): Expr {
  const right = parsePrecedence(p, (Prec.Term + 1) as Prec);
  if (left.kind === 'Call' && concatChains.has(left)) {
    left.args.push(right);
    return left;
  }
  const call: Expr = { kind: 'Call', name: 'concat', args: [left, right], pos: left.pos };
  concatChains.add(call);
  return call;
}

const COMPARE_OPS: Partial<Record<TokenType, CompareOp>> = {
  Equal: '==',
  NotEqual: '!=',
  Less: '<',
  LessEqual: '<=',
  Greater: '>',
  GreaterEqual: '>=',
  Like: 'like',
  ILike: 'ilike',
  In: 'in',
  Regex: '=~',
  IRegex: '=~*',
  NotRegex: '!~',
  NotIRegex: '!~*',
};

function compare(p: Parser, left: Expr, op: Token): Expr {
  let compareOp = COMPARE_OPS[op.type] as CompareOp;
  if (op.type === 'In' && isCohortWord(p)) {
    p.advance();
    compareOp = 'in cohort';
  }
  return compareWith(p, left, compareOp);
}

function compareWith(p: Parser, left: Expr, op: CompareOp): Expr {
  const right = parsePrecedence(p, (Prec.Comparison + 1) as Prec);
  return { kind: 'Compare', op, left, right, pos: left.pos };
}

/** `in cohort x`: `cohort` is a keyword only when an operand follows it. */
function isCohortWord(p: Parser): boolean {
  return isWord(p.current, 'cohort') && RULES[p.peek(1).type].prefix !== null && p.peek(1).type !== 'Arrow';
}

/** `not` between two operands: `not in`, `not like`, `not ilike`, `not between`. */
function notInfix(p: Parser, left: Expr, _op: Token): Expr {
  const word = p.advance();
  if (word.type === 'Between') return between_(p, left, word, true);
  if (word.type === 'Like') return compareWith(p, left, 'not like');
  if (word.type === 'ILike') return compareWith(p, left, 'not ilike');
  if (isCohortWord(p)) {
    p.advance();
    return compareWith(p, left, 'not in cohort');
  }
  return compareWith(p, left, 'not in');
}

function betweenInfix(p: Parser, left: Expr, op: Token): Expr {
  return between_(p, left, op, false);
}

/**
 * The lower bound is any expression up to a top-level `and` (`a between c ? 1 : 2 and 3` works);
 * the upper bound binds like a right operand of `between`, so `a between 1 and 2 and c` is
 * `(between) and c`.
 */
function between_(p: Parser, left: Expr, _op: Token, negated: boolean): Expr {
  const low = withStopAtAnd(p, true, () => parsePrecedence(p, Prec.Ternary));
  p.consume('And', "Expected 'and'");
  const high = parsePrecedence(p, (Prec.Between + 1) as Prec);
  return { kind: 'Between', expr: left, low, high, negated, pos: left.pos };
}

/** `e is null` → `e == null`; `e is not null` → `e != null`. */
function isNull(p: Parser, left: Expr, _op: Token): Expr {
  const negated = p.match('Not');
  const nullToken = p.current;
  p.consume('Null', "Expected 'null'");
  return { kind: 'Compare', op: negated ? '!=' : '==', left, right: nullAt(nullToken), pos: left.pos };
}

function nullish(p: Parser, left: Expr, _op: Token): Expr {
  const right = parsePrecedence(p, (Prec.Nullish + 1) as Prec);
  return { kind: 'Call', name: 'ifNull', args: [left, right], pos: left.pos };
}

function and_(p: Parser, left: Expr, _op: Token): Expr {
  const exprs = [left, parsePrecedence(p, (Prec.And + 1) as Prec)];
  while (p.match('And')) exprs.push(parsePrecedence(p, (Prec.And + 1) as Prec));
  return { kind: 'And', exprs, pos: left.pos };
}

function or_(p: Parser, left: Expr, _op: Token): Expr {
  const exprs = [left, parsePrecedence(p, (Prec.Or + 1) as Prec)];
  while (p.match('Or')) exprs.push(parsePrecedence(p, (Prec.Or + 1) as Prec));
  return { kind: 'Or', exprs, pos: left.pos };
}

/** `c ? a : b` → if(c, a, b); right-associative. */
function ternary(p: Parser, left: Expr, _op: Token): Expr {
  const then = parseExpr(p);
  p.consume('Colon', "Expected ':'");
  const otherwise = parsePrecedence(p, Prec.Ternary);
  return { kind: 'Call', name: 'if', args: [left, then, otherwise], pos: left.pos };
}

/** `f(args)` calls by name; any other callee (`a.b(1)`, `f(1)(2)`) is an ExprCall. */
function call(p: Parser, left: Expr, _op: Token): Expr {
  const args = parseArguments(p);
  if (left.kind === 'Field' && left.chain.length === 1) {
    return { kind: 'Call', name: String(left.chain[0]), args, pos: left.pos };
  }
  return { kind: 'ExprCall', callee: left, args, pos: left.pos };
}

/** Call arguments up to the `)`; a trailing comma is allowed. */
function parseArguments(p: Parser): Expr[] {
  const args: Expr[] = [];
  while (!p.check('RightParen') && !p.atEnd()) {
    args.push(parseTopExpr(p));
    if (!p.match('Comma')) break;
  }
  p.consume('RightParen', "Expected ')'");
  return args;
}

function index(p: Parser, left: Expr, _op: Token): Expr {
  const property = parseExpr(p);
  p.consume('RightBracket', "Expected ']'");
  return { kind: 'Property', object: left, property, nullish: false, pos: left.pos };
}

/**
 * Is the `[` at the current token an index? Not when its brackets are empty or hold a top-level
 * comma: then, as in PostHog's parser, the expression ends and an array literal starts the next
 * statement (`a\n[1, 2]`). The scan is bounded, so deep nesting stays linear.
 */
function isIndex(p: Parser): boolean {
  if (p.peek(1).type === 'RightBracket') return false;
  let depth = 0;
  for (let i = 0; i < INDEX_SCAN_LIMIT; i++) {
    const type = p.peek(i).type;
    if (type === 'EOF') return true;
    if (OPENERS.has(type)) depth++;
    else if (CLOSERS.has(type) && --depth === 0) return true;
    else if (type === 'Comma' && depth === 1) return false;
  }
  return true;
}

const INDEX_SCAN_LIMIT = 512;

/** `.name` / `.1`: extends an identifier chain, or reads a property of anything else. */
function dot(p: Parser, left: Expr, _op: Token): Expr {
  const key = memberKey(p);
  if (key === null) return left;
  if (left.kind === 'Field' && extendsChain(left.chain, key.value)) {
    left.chain.push(key.value as string | number);
    return left;
  }
  return { kind: 'Property', object: left, property: key, nullish: false, pos: left.pos };
}

/** Like PostHog's parser, a name after an index (`a.1.b`) reads a property of `a.1`. */
function extendsChain(chain: (string | number)[], key: unknown): boolean {
  return typeof key === 'number' || typeof chain[chain.length - 1] !== 'number';
}

/** `?.name`, `?.1`, `?.[e]`. */
function nullishMember(p: Parser, left: Expr, _op: Token): Expr {
  let property: Expr | null;
  if (p.match('LeftBracket')) {
    property = parseExpr(p);
    p.consume('RightBracket', "Expected ']'");
  } else property = memberKey(p);
  if (property === null) return left;
  return { kind: 'Property', object: left, property, nullish: true, pos: left.pos };
}

/** The name or 1-based index after `.`; the lexer makes every word after a dot an identifier. */
function memberKey(p: Parser): (Expr & { kind: 'Constant' }) | null {
  const token = p.current;
  if (token.type === 'Identifier' || (token.type === 'Number' && Number.isInteger(token.value))) {
    p.advance();
    return { kind: 'Constant', value: token.value as string | number, pos: posOf(token) };
  }
  p.errorAtCurrent('Expected a property name after \'.\'');
  return null;
}

// ---------------------------------------------------------------------------------------------
// The rule table: one row per token type.

const NONE: ParseRule = { prefix: null, infix: null, precedence: Prec.None };

function infixRow(infix: InfixFn, precedence: Prec): ParseRule {
  return { prefix: null, infix, precedence };
}

function prefixRow(prefix: PrefixFn): ParseRule {
  return { prefix, infix: null, precedence: Prec.None };
}

const RULES: Record<TokenType, ParseRule> = {
  LeftParen: { prefix: grouping, infix: call, precedence: Prec.Call },
  RightParen: NONE,
  LeftBracket: { prefix: array, infix: index, precedence: Prec.Call },
  RightBracket: NONE,
  LeftBrace: prefixRow(braces),
  RightBrace: NONE,
  Comma: NONE,
  Semicolon: NONE,
  Dot: infixRow(dot, Prec.Call),
  QuestionDot: infixRow(nullishMember, Prec.Call),
  Colon: NONE,
  DoubleColon: NONE,
  Question: infixRow(ternary, Prec.Ternary),
  DoubleQuestion: infixRow(nullish, Prec.Nullish),
  Arrow: NONE,
  ColonEquals: NONE,
  Equal: infixRow(compare, Prec.Comparison),
  NotEqual: infixRow(compare, Prec.Comparison),
  Less: infixRow(compare, Prec.Comparison),
  LessEqual: infixRow(compare, Prec.Comparison),
  Greater: infixRow(compare, Prec.Comparison),
  GreaterEqual: infixRow(compare, Prec.Comparison),
  Plus: { prefix: plusSign, infix: arithmetic, precedence: Prec.Term },
  Minus: { prefix: negate, infix: arithmetic, precedence: Prec.Term },
  Star: infixRow(arithmetic, Prec.Factor),
  Slash: infixRow(arithmetic, Prec.Factor),
  Percent: infixRow(arithmetic, Prec.Factor),
  Concat: infixRow(concat, Prec.Term),
  Regex: infixRow(compare, Prec.Comparison),
  IRegex: infixRow(compare, Prec.Comparison),
  NotRegex: infixRow(compare, Prec.Comparison),
  NotIRegex: infixRow(compare, Prec.Comparison),
  Identifier: prefixRow(identifier),
  String: prefixRow(stringLiteral),
  Number: prefixRow(numberLiteral),
  FStringStart: prefixRow(fString),
  FStringText: NONE,
  HoleOpen: NONE,
  HoleClose: NONE,
  FStringEnd: NONE,
  TagOpen: prefixRow(tag),
  TagEnd: NONE,
  TagSelfClose: NONE,
  TagClose: NONE,
  TagText: NONE,
  And: { prefix: identifier, infix: and_, precedence: Prec.And },
  Or: { prefix: identifier, infix: or_, precedence: Prec.Or },
  Not: { prefix: not_, infix: notInfix, precedence: Prec.Comparison },
  Like: { prefix: identifier, infix: compare, precedence: Prec.Comparison },
  ILike: { prefix: identifier, infix: compare, precedence: Prec.Comparison },
  In: { prefix: identifier, infix: compare, precedence: Prec.Comparison },
  Is: { prefix: identifier, infix: isNull, precedence: Prec.IsNull },
  Between: { prefix: identifier, infix: betweenInfix, precedence: Prec.Between },
  Null: prefixRow(nullLiteral),
  True: prefixRow(trueLiteral),
  False: prefixRow(falseLiteral),
  Let: NONE,
  Fn: NONE,
  Fun: NONE,
  If: prefixRow(identifier),
  Else: NONE,
  While: NONE,
  For: NONE,
  Return: NONE,
  Throw: NONE,
  Try: NONE,
  Catch: NONE,
  Finally: NONE,
  Error: NONE,
  EOF: NONE,
};

// ---------------------------------------------------------------------------------------------
// Statements

/** Parse one statement into `body` (plus any statement split off it), then recover if needed. */
function parseDeclaration(p: Parser, body: Stmt[]): void {
  const start = p.position;
  body.push(parseStatement(p));
  body.push(...p.pending.splice(0));
  if (p.position === start && !p.atEnd()) p.advance();
  if (p.panicMode) p.synchronize();
}

function parseStatement(p: Parser): Stmt {
  const token = p.current;
  if (!p.enter()) return { kind: 'Empty', pos: posOf(token) };
  const stmt = statementFor(p, token);
  p.leave();
  return stmt;
}

function statementFor(p: Parser, token: Token): Stmt {
  switch (token.type) {
    case 'Let':
      return endStatement(p, varDecl(p));
    case 'Fn':
    case 'Fun':
      return functionStmt(p);
    case 'While':
      return whileStmt(p);
    case 'Return':
    case 'Throw':
      return returnOrThrow(p);
    case 'Try':
      return tryStmt(p);
    case 'LeftBrace':
      return braceStatement(p);
    case 'Semicolon':
      p.advance();
      return { kind: 'Empty', pos: posOf(token) };
    case 'If':
      if (isIfStatement(p)) return ifStmt(p);
      break;
    case 'For':
      if (p.peek(1).type === 'LeftParen') return forStmt(p);
      break;
  }
  return expressionStatement(p, token);
}

function expressionStatement(p: Parser, token: Token): Stmt {
  if (RULES[token.type].prefix === null) {
    p.errorAtCurrent(token.type === 'EOF' ? 'Unexpected end of input' : `Unexpected token ${describeToken(token)}`);
    return { kind: 'Empty', pos: posOf(token) };
  }
  return finishExprStatement(p, parseTopExpr(p));
}

/** After a statement's leading expression: `:=` makes it an assignment. Takes an optional `;`. */
function finishExprStatement(p: Parser, expr: Expr): Stmt {
  return endStatement(p, exprOrAssign(p, expr));
}

function exprOrAssign(p: Parser, expr: Expr): AssignStmt | ExprStmt {
  if (!p.match('ColonEquals')) return { kind: 'ExprStmt', expr, pos: expr.pos };
  return { kind: 'Assign', target: expr, value: parseTopExpr(p), pos: expr.pos };
}

function endStatement<T extends Stmt>(p: Parser, stmt: T): T {
  p.match('Semicolon');
  return stmt;
}

/** A name being declared: an identifier or a non-reserved keyword. */
function declaredName(p: Parser, what: string): string {
  if (isNameToken(p.current)) return nameOf(p.advance());
  p.errorAtCurrent(`Expected ${what}`);
  return '';
}

function varDecl(p: Parser): VarDeclStmt {
  const token = p.advance();
  const name = declaredName(p, 'a variable name');
  const stmt: VarDeclStmt = { kind: 'VarDecl', name, pos: posOf(token) };
  if (p.match('ColonEquals')) stmt.init = parseTopExpr(p);
  return stmt;
}

function functionStmt(p: Parser): Stmt {
  const token = p.advance();
  const name = declaredName(p, 'a function name');
  p.consume('LeftParen', "Expected '('");
  const params = parseParams(p);
  const body = parseBlock(p);
  return { kind: 'Function', name, params, body, pos: posOf(token) };
}

/** `a, b,)`: parameter names with an optional trailing comma, then the `)`. */
function parseParams(p: Parser): string[] {
  const params: string[] = [];
  while (!p.check('RightParen') && !p.atEnd()) {
    const before = p.position;
    params.push(declaredName(p, 'a parameter name'));
    if (!p.match('Comma') || p.position === before) break;
  }
  p.consume('RightParen', "Expected ')'");
  return params;
}

function parenCondition(p: Parser): Expr {
  p.consume('LeftParen', "Expected '('");
  const condition = parseExpr(p);
  p.consume('RightParen', "Expected ')'");
  return condition;
}

/**
 * `if (` starts an if statement only when one condition sits in the parentheses and a statement
 * follows them; otherwise it is a call of the function `if`: `if(c, a, b)`, `if (x) let y`.
 */
function isIfStatement(p: Parser): boolean {
  if (p.peek(1).type !== 'LeftParen' || p.peek(2).type === 'RightParen') return false;
  let depth = 0;
  for (let i = 1; ; i++) {
    const type = p.peek(i).type;
    if (type === 'EOF') return true;
    if (OPENERS.has(type)) depth++;
    else if (CLOSERS.has(type)) depth--;
    else if (type === 'Comma' && depth === 1) return false;
    if (depth === 0) return canStartStatement(p.peek(i + 1));
  }
}

const OPENERS = new Set<TokenType>(['LeftParen', 'LeftBracket', 'LeftBrace', 'HoleOpen', 'TagOpen']);
const CLOSERS = new Set<TokenType>(['RightParen', 'RightBracket', 'RightBrace', 'HoleClose', 'TagClose', 'TagSelfClose']);

function canStartStatement(token: Token): boolean {
  if (token.type === 'Let') return false;
  return STATEMENT_STARTS.has(token.type) || token.type === 'LeftBrace' || token.type === 'Semicolon' || RULES[token.type].prefix !== null;
}

function ifStmt(p: Parser): Stmt {
  const token = p.advance();
  const condition = parenCondition(p);
  const then = parseBranch(p);
  const stmt: IfStmt = { kind: 'If', condition, then, pos: posOf(token) };
  if (p.match('Else')) stmt.else = parseBranch(p);
  return stmt;
}

/** The body of if/else/while/for: a statement, but not a declaration (`while (x) let y` is an error). */
function parseBranch(p: Parser): Stmt {
  if (p.check('Let')) p.errorAtCurrent("Unexpected token 'let'");
  return parseStatement(p);
}

function whileStmt(p: Parser): Stmt {
  const token = p.advance();
  const condition = parenCondition(p);
  const body = parseBranch(p);
  return endStatement(p, { kind: 'While', condition, body, pos: posOf(token) });
}

function forStmt(p: Parser): Stmt {
  const token = p.advance();
  p.advance(); // (
  if (isForIn(p)) return forIn(p, token);
  const init = forClause(p);
  p.consume('Semicolon', "Expected ';'");
  const condition = p.check('Semicolon') ? undefined : parseExpr(p);
  p.consume('Semicolon', "Expected ';'");
  const increment = forClause(p);
  p.consume('RightParen', "Expected ')'");
  const stmt: ForStmt = { kind: 'For', body: parseBranch(p), pos: posOf(token) };
  if (init) stmt.init = init;
  if (condition) stmt.condition = condition;
  if (increment) stmt.increment = increment;
  return endStatement(p, stmt);
}

function isForIn(p: Parser): boolean {
  if (!p.check('Let') || !isNameToken(p.peek(1))) return false;
  if (p.peek(2).type === 'In') return true;
  return p.peek(2).type === 'Comma' && isNameToken(p.peek(3)) && p.peek(4).type === 'In';
}

function forClause(p: Parser): ForStmt['init'] {
  if (p.check('Semicolon') || p.check('RightParen')) return undefined;
  if (p.check('Let')) return varDecl(p);
  return exprOrAssign(p, parseExpr(p));
}

function forIn(p: Parser, token: Token): Stmt {
  p.advance(); // let
  const first = nameOf(p.advance());
  const second = p.match('Comma') ? nameOf(p.advance()) : undefined;
  p.advance(); // in
  const expr = parseExpr(p);
  p.consume('RightParen', "Expected ')'");
  const body = parseBranch(p);
  const stmt: ForInStmt = { kind: 'ForIn', valueVar: second ?? first, expr, body, pos: posOf(token) };
  if (second !== undefined) stmt.keyVar = first;
  return endStatement(p, stmt);
}

/**
 * `return [expr]` / `throw [expr]`: the expression is there when the next token can start one.
 * If `:=` follows it, it was the target of the next statement (`return\n a.b := 1`), as in
 * PostHog's parser: that assignment is split off into `pending`.
 */
function returnOrThrow(p: Parser): Stmt {
  const token = p.advance();
  const kind = token.type === 'Return' ? 'Return' : 'Throw';
  const stmt: ReturnStmt | ThrowStmt = { kind, pos: posOf(token) };
  if (RULES[p.current.type].prefix === null) return endStatement(p, stmt);
  const expr = parseTopExpr(p);
  if (p.check('ColonEquals')) p.pending.push(finishExprStatement(p, expr));
  else stmt.expr = expr;
  return endStatement(p, stmt);
}

function tryStmt(p: Parser): Stmt {
  const token = p.advance();
  const stmt: TryStmt = { kind: 'Try', body: parseBlock(p), catches: [], pos: posOf(token) };
  while (p.check('Catch')) stmt.catches.push(catchClause(p));
  if (p.match('Finally')) stmt.finally = parseBlock(p);
  return stmt;
}

/** `catch { … }`, `catch (e) { … }` or `catch (e: Type) { … }`. */
function catchClause(p: Parser): CatchClause {
  const token = p.advance();
  let varName: string | undefined;
  let typeName: string | undefined;
  if (p.match('LeftParen')) {
    varName = declaredName(p, 'a variable name');
    if (p.match('Colon')) typeName = declaredName(p, 'an error type');
    p.consume('RightParen', "Expected ')'");
  }
  const clause: CatchClause = { body: parseBlock(p), pos: posOf(token) };
  if (varName !== undefined) clause.varName = varName;
  if (typeName !== undefined) clause.typeName = typeName;
  return clause;
}

function parseBlock(p: Parser): BlockStmt {
  const open = p.current;
  if (!p.consume('LeftBrace', "Expected '{'")) return { kind: 'Block', body: [], pos: posOf(open) };
  return finishBlock(p, open, []);
}

/** The rest of a block whose `{` (and perhaps first statements) are consumed. */
function finishBlock(p: Parser, open: Token, body: Stmt[]): BlockStmt {
  while (!p.check('RightBrace') && !p.atEnd()) parseDeclaration(p, body);
  p.consume('RightBrace', "Expected '}'");
  return { kind: 'Block', body, pos: posOf(open) };
}

// ---------------------------------------------------------------------------------------------
// Public API

/** Parse a whole program. Never throws: problems come back as diagnostics. */
export function parseProgram(source: string): { program: Program; diagnostics: Diagnostic[] } {
  const p = new Parser(tokenize(source));
  const body: Stmt[] = [];
  while (!p.atEnd()) parseDeclaration(p, body);
  const program: Program = { kind: 'Program', body, pos: { line: 1, column: 1, offset: 0 } };
  return { program, diagnostics: p.diagnostics };
}

/** Parse exactly one expression spanning the whole input (filters). */
export function parseExpression(source: string): { expr: Expr | null; diagnostics: Diagnostic[] } {
  const p = new Parser(tokenize(source));
  if (p.atEnd()) {
    p.errorAtCurrent('Expected expression');
    return { expr: null, diagnostics: p.diagnostics };
  }
  const expr = parseTopExpr(p);
  if (!p.atEnd()) p.errorAtCurrent(`Unexpected token ${describeToken(p.current)}`);
  return { expr, diagnostics: p.diagnostics };
}

/**
 * Parse an input template: free text with `{expr}` holes. In the text, `\{`, `\}` and `\\` are
 * escapes and every other character is literal. Positions are relative to `text`.
 */
export function parseTemplate(text: string): { expr: Expr; diagnostics: Diagnostic[] } {
  const p = new Parser(tokenize(text, { template: true }));
  const parts: Expr[] = [];
  while (!p.atEnd()) {
    const before = p.position;
    parts.push(...parseTemplateParts(p, true));
    p.panicMode = false;
    if (p.position === before) p.advance();
  }
  return { expr: joinTemplateParts(parts, { line: 1, column: 1, offset: 0 }), diagnostics: p.diagnostics };
}
