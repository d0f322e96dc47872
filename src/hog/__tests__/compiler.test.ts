/**
 * Compiler tests. Two kinds:
 *   - exact bytecode for representative constructs, against PostHog's compilation schemes (several
 *     arrays are copied from PostHog's own `.hoge` snapshots, e.g. `between` and `catchAfterReturn`);
 *   - programs compiled here and run on PostHog's VM (`@posthog/hogvm` 1.0.71), asserting what they
 *     print. Avoids what npm 1.0.71 is known to get wrong (async closures, catchAfterReturn, arraySort).
 * Most build the AST by hand (see compiler-ast.ts) so a parser bug cannot hide a compiler bug; the
 * last group compiles source through `parseProgram`.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Expr, Program } from '../ast.js';
import { Op, type Bytecode } from '../bytecode/opcodes.js';
import { disassemble } from '../bytecode/disassemble.js';
import { compileExpression, compileProgram } from '../compiler.js';
import { parseExpression, parseProgram } from '../parser.js';
import {
  and,
  arr,
  assign,
  at,
  between,
  bin,
  block,
  bool,
  call,
  callExpr,
  catch_,
  cmp,
  dict,
  for_,
  forIn,
  fun,
  id,
  if_,
  lambda,
  let_,
  not,
  nul,
  num,
  or,
  placeholder,
  print,
  program,
  prop,
  ret,
  stmt,
  str,
  throw_,
  try_,
  tuple,
  while_,
} from './compiler-ast.js';

const require = createRequire(import.meta.url);
const hogvm = require('@posthog/hogvm') as {
  exec: (
    bytecode: unknown,
    options: Record<string, unknown>,
  ) => { finished: boolean; result: unknown; error?: unknown };
};

const H = ['_H', 1];

function compiled(prog: Program): Bytecode {
  const { bytecode, diagnostics } = compileProgram(prog);
  expect(diagnostics).toEqual([]);
  return bytecode;
}

function body(prog: Program): Bytecode {
  return compiled(prog).slice(2);
}

function exprCode(expr: Expr): Bytecode {
  const { bytecode, diagnostics } = compileExpression(expr);
  expect(diagnostics).toEqual([]);
  return bytecode.slice(2);
}

/** Run on @posthog/hogvm; return the printed lines and the program's result. */
function run(prog: Program, globals: Record<string, unknown> = {}): { lines: string[]; result: unknown } {
  const bytecode = compiled(prog);
  const lines: string[] = [];
  const res = hogvm.exec(bytecode, {
    globals,
    functions: { print: (...args: unknown[]) => void lines.push(args.map(show).join(' ')) },
  });
  if (res.error) throw new Error(`VM error: ${String(res.error)}\n${disassemble(bytecode)}`);
  return { lines, result: res.result };
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function diagnosticsOf(prog: Program): { message: string; line: number; column: number }[] {
  return compileProgram(prog).diagnostics.map(({ message, line, column }) => ({ message, line, column }));
}

// ---------------------------------------------------------------------------------------------
describe('exact bytecode', () => {
  it('compiles 1 + 2 as a statement with right operand first and no constant folding', () => {
    expect(compiled(program(stmt(bin('+', num(1), num(2)))))).toEqual(['_H', 1, 33, 2, 33, 1, 6, 35]);
  });

  it('compiles an expression without the trailing POP', () => {
    expect(compileExpression(bin('-', num(1), num(2))).bytecode).toEqual([...H, 33, 2, 33, 1, 7]);
  });

  it('distinguishes INTEGER from FLOAT by isFloat and integrality', () => {
    expect(exprCode(arr(num(1), num(1.5), num(2, true), str('s'), nul(), bool(true), bool(false)))).toEqual([
      ...[Op.INTEGER, 1, Op.FLOAT, 1.5, Op.FLOAT, 2, Op.STRING, 's', Op.NULL, Op.TRUE, Op.FALSE],
      ...[Op.ARRAY, 7],
    ]);
  });

  it('keeps a let value as a local slot and pops locals at program end', () => {
    expect(body(program(let_('a', num(1)), let_('b'), print(id('a'), id('b'))))).toEqual([
      ...[Op.INTEGER, 1, Op.NULL],
      ...[Op.GET_LOCAL, 0, Op.GET_LOCAL, 1, Op.CALL_GLOBAL, 'print', 2, Op.POP],
      ...[Op.POP, Op.POP],
    ]);
  });

  it('pushes a global chain reversed for GET_GLOBAL and walks a local chain with GET_PROPERTY', () => {
    expect(exprCode(id('event', 'properties', '$browser'))).toEqual([
      ...[Op.STRING, '$browser', Op.STRING, 'properties', Op.STRING, 'event', Op.GET_GLOBAL, 3],
    ]);
    expect(body(program(let_('a', dict()), stmt(id('a', 'b', 2))))).toEqual([
      ...[Op.DICT, 0],
      ...[Op.GET_LOCAL, 0, Op.STRING, 'b', Op.GET_PROPERTY, Op.INTEGER, 2, Op.GET_PROPERTY, Op.POP],
      Op.POP,
    ]);
  });

  it('assigns locals, property chains (INTEGER for numeric links) and indexes', () => {
    const prog = program(
      let_('a', dict()),
      assign(id('a'), num(1)),
      assign(id('a', 'b', 2, 'c'), num(3)),
      assign(prop(id('a'), str('k')), num(4)),
    );
    expect(body(prog)).toEqual([
      ...[Op.DICT, 0],
      ...[Op.INTEGER, 1, Op.SET_LOCAL, 0],
      ...[Op.GET_LOCAL, 0, Op.STRING, 'b', Op.GET_PROPERTY, Op.INTEGER, 2, Op.GET_PROPERTY],
      ...[Op.STRING, 'c', Op.INTEGER, 3, Op.SET_PROPERTY],
      ...[Op.GET_LOCAL, 0, Op.STRING, 'k', Op.INTEGER, 4, Op.SET_PROPERTY],
      Op.POP,
    ]);
  });

  it('compiles dicts as key/value pairs, tuples, index and nullish reads', () => {
    expect(exprCode(dict([str('a'), num(1)], [id('k'), num(2)]))).toEqual([
      ...[Op.STRING, 'a', Op.INTEGER, 1, Op.STRING, 'k', Op.GET_GLOBAL, 1, Op.INTEGER, 2, Op.DICT, 2],
    ]);
    expect(exprCode(tuple(num(1), num(2)))).toEqual([Op.INTEGER, 1, Op.INTEGER, 2, Op.TUPLE, 2]);
    expect(exprCode(prop(arr(), num(1), true))).toEqual([Op.ARRAY, 0, Op.INTEGER, 1, Op.GET_PROPERTY_NULLISH]);
  });

  it('compiles and/or/not nodes and the special calls', () => {
    expect(exprCode(and(num(1), num(2), num(3)))).toEqual([33, 1, 33, 2, 33, 3, Op.AND, 3]);
    expect(exprCode(or(num(1), num(2)))).toEqual([33, 1, 33, 2, Op.OR, 2]);
    expect(exprCode(not(num(1)))).toEqual([33, 1, Op.NOT]);
    expect(exprCode(call('and', num(1), num(2)))).toEqual([33, 1, 33, 2, Op.AND, 2]);
    expect(exprCode(call('or', num(1), num(2)))).toEqual([33, 1, 33, 2, Op.OR, 2]);
    expect(exprCode(call('not', num(1)))).toEqual([33, 1, Op.NOT]);
    // with one argument, and()/or() are ordinary STL calls
    expect(exprCode(call('and', num(1)))).toEqual([33, 1, Op.CALL_GLOBAL, 'and', 1]);
  });

  it('compiles if(), ternaries and multiIf() to jumps', () => {
    expect(exprCode(call('if', bool(true), num(1), num(2)))).toEqual([
      ...[Op.TRUE, Op.JUMP_IF_FALSE, 4, Op.INTEGER, 1, Op.JUMP, 2, Op.INTEGER, 2],
    ]);
    expect(exprCode(call('if', bool(true), num(1)))).toEqual([Op.TRUE, Op.JUMP_IF_FALSE, 2, Op.INTEGER, 1]);
    expect(exprCode(call('multiIf', bool(true), num(1), bool(false), num(2), num(3)))).toEqual([
      ...[Op.TRUE, Op.JUMP_IF_FALSE, 4, Op.INTEGER, 1, Op.JUMP, 9],
      ...[Op.FALSE, Op.JUMP_IF_FALSE, 4, Op.INTEGER, 2, Op.JUMP, 2, Op.INTEGER, 3],
    ]);
  });

  it('compiles ?? (ifNull) with JUMP_IF_STACK_NOT_NULL', () => {
    expect(exprCode(call('ifNull', nul(), str('x')))).toEqual([
      ...[Op.NULL, Op.JUMP_IF_STACK_NOT_NULL, 3, Op.POP, Op.STRING, 'x'],
    ]);
  });

  it('matches the between scheme of the between.hoge snapshot', () => {
    // print(5 between 1 and 10); print(5 not between 1 and 10)
    const prog = program(print(between(num(5), num(1), num(10))), print(between(num(5), num(1), num(10), true)));
    const check = (lowOp: number, highOp: number, join: number) => [
      ...[31, 33, 5, 33, 1, 33, 10, 36, 2, 31, 12, 36, 3, 31, 12, 36, 1, 31, 12, 3, 3, 40, 14],
      ...[36, 2, 36, 1, lowOp, 36, 3, 36, 1, highOp, join, 2, 39, 1, 31, 37, 0, 35, 35, 35, 2, 'print', 1, 35],
    ];
    expect(compiled(prog)).toEqual([...H, ...check(14, 16, 3), ...check(15, 13, 4)]);
  });

  it('puts between hidden locals above pending temporaries (call args, let initializers)', () => {
    // let x := 0; print(x, 5 between 1 and 10): R must be slot 2, above local x and the first argument
    const code = body(program(let_('x', num(0)), print(id('x'), between(num(5), num(1), num(10)))));
    expect(code.slice(0, 7)).toEqual([Op.INTEGER, 0, Op.GET_LOCAL, 0, Op.NULL, Op.INTEGER, 5]);
    expect(code).toContain(Op.SET_LOCAL);
    expect(code[code.indexOf(Op.SET_LOCAL) + 1]).toBe(2);
    // let y := 5 between 1 and 10: R is y's own slot 0
    const letCode = body(program(let_('y', between(num(5), num(1), num(10)))));
    expect(letCode[letCode.indexOf(Op.SET_LOCAL) + 1]).toBe(0);
  });

  it('compiles if statements with and without else', () => {
    expect(body(program(if_(bool(true), print(num(1)), print(num(2)))))).toEqual([
      ...[Op.TRUE, Op.JUMP_IF_FALSE, 8, 33, 1, 2, 'print', 1, 35, Op.JUMP, 6, 33, 2, 2, 'print', 1, 35],
    ]);
    expect(body(program(if_(bool(true), print(num(1)))))).toEqual([Op.TRUE, Op.JUMP_IF_FALSE, 6, 33, 1, 2, 'print', 1, 35]);
  });

  it('compiles while loops with a backward jump', () => {
    expect(body(program(while_(bool(false), print())))).toEqual([
      ...[Op.FALSE, Op.JUMP_IF_FALSE, 6, Op.CALL_GLOBAL, 'print', 0, Op.POP, Op.JUMP, -9],
    ]);
  });

  it('compiles for loops, and an empty condition as TRUE', () => {
    const loop = for_(let_('i', num(0)), cmp('<', id('i'), num(3)), assign(id('i'), bin('+', id('i'), num(1))), print(id('i')));
    expect(body(program(loop))).toEqual([
      ...[33, 0],
      ...[33, 3, 36, 0, Op.LT, Op.JUMP_IF_FALSE, 15],
      ...[36, 0, 2, 'print', 1, 35],
      ...[33, 1, 36, 0, Op.PLUS, Op.SET_LOCAL, 0],
      ...[Op.JUMP, -22],
      Op.POP,
    ]);
    expect(body(program(for_(undefined, undefined, undefined, ret(num(1)))))).toEqual([
      ...[Op.TRUE, Op.JUMP_IF_FALSE, 5, Op.INTEGER, 1, Op.RETURN, Op.JUMP, -8],
    ]);
  });

  it('compiles for-in with the hidden locals and keys/values/length calls', () => {
    expect(body(program(forIn('k', 'v', arr(), print(id('k'), id('v')))))).toEqual([
      ...[Op.ARRAY, 0],
      ...[36, 0, 2, 'keys', 1],
      ...[36, 0, 2, 'values', 1],
      ...[33, 1],
      ...[36, 2, 2, 'length', 1],
      ...[31, 31],
      ...[36, 4, 36, 3, Op.LT_EQ, Op.JUMP_IF_FALSE, 31],
      ...[36, 1, 36, 3, Op.GET_PROPERTY, Op.SET_LOCAL, 5],
      ...[36, 2, 36, 3, Op.GET_PROPERTY, Op.SET_LOCAL, 6],
      ...[36, 5, 36, 6, 2, 'print', 2, 35],
      ...[36, 3, 33, 1, Op.PLUS, Op.SET_LOCAL, 3],
      ...[Op.JUMP, -38],
      ...[35, 35, 35, 35, 35, 35, 35],
    ]);
    const valuesOnly = body(program(forIn(undefined, 'v', arr(), block())));
    expect(valuesOnly.slice(0, 14)).toEqual([Op.ARRAY, 0, 36, 0, 2, 'values', 1, 33, 1, 36, 1, 2, 'length', 1]);
  });

  it('compiles functions with an implicit return null, and calls to locals and globals', () => {
    expect(body(program(fun('f', ['a'], print(id('a'))), stmt(call('f', num(1)))))).toEqual([
      ...[Op.CALLABLE, 'f', 1, 0, 8, 36, 0, 2, 'print', 1, 35, Op.NULL, Op.RETURN, Op.CLOSURE, 0],
      ...[33, 1, Op.GET_LOCAL, 0, Op.CALL_LOCAL, 1, Op.POP],
      Op.POP,
    ]);
  });

  it('keeps the scope-end POPs after the final return of a function body, like bytecode.py', () => {
    expect(body(program(fun('f', [], let_('x', num(1)), ret(id('x')))))).toEqual([
      ...[Op.CALLABLE, 'f', 0, 0, 6, 33, 1, 36, 0, Op.RETURN, Op.POP, Op.CLOSURE, 0],
      Op.POP,
    ]);
  });

  it('compiles lambdas with expression, block and placeholder bodies', () => {
    expect(exprCode(lambda(['x'], id('x')))).toEqual([Op.CALLABLE, 'lambda', 1, 0, 3, 36, 0, 38, Op.CLOSURE, 0]);
    expect(exprCode(lambda(['x'], block()))).toEqual([Op.CALLABLE, 'lambda', 1, 0, 2, 31, 38, Op.CLOSURE, 0]);
    expect(exprCode(lambda(['x'], placeholder(id('x'))))).toEqual([
      ...[Op.CALLABLE, 'lambda', 1, 0, 5, 36, 0, Op.POP, Op.NULL, Op.RETURN, Op.CLOSURE, 0],
    ]);
  });

  it('captures upvalues: CLOSURE pairs, GET/SET_UPVALUE, dedupe, CLOSE_UPVALUE at scope end', () => {
    const prog = program(
      let_('n', num(0)),
      let_('inc', lambda([], block(assign(id('n'), bin('+', id('n'), num(1))), ret(id('n'))))),
    );
    expect(body(prog)).toEqual([
      ...[33, 0],
      ...[Op.CALLABLE, 'lambda', 0, 1, 10],
      ...[33, 1, Op.GET_UPVALUE, 0, Op.PLUS, Op.SET_UPVALUE, 0, Op.GET_UPVALUE, 0, Op.RETURN],
      ...[Op.CLOSURE, 1, true, 0],
      ...[Op.POP, Op.CLOSE_UPVALUE],
    ]);
  });

  it('closes a captured block local with CLOSE_UPVALUE at the end of each loop iteration', () => {
    // npm 1.0.71 reuses closed upvalues for the same slot, so this is checked on the bytecode only.
    const loop = while_(bool(true), block(let_('j', num(1)), stmt(lambda([], id('j')))));
    expect(body(program(loop))).toEqual([
      ...[Op.TRUE, Op.JUMP_IF_FALSE, 18, 33, 1],
      ...[Op.CALLABLE, 'lambda', 0, 1, 3, Op.GET_UPVALUE, 0, Op.RETURN, Op.CLOSURE, 1, true, 0, Op.POP],
      ...[Op.CLOSE_UPVALUE, Op.JUMP, -21],
    ]);
  });

  it('passes upvalues through an intermediate function (isLocal false)', () => {
    const prog = program(let_('a', num(1)), stmt(lambda([], lambda([], id('a')))));
    expect(body(prog)).toEqual([
      ...[33, 1],
      ...[Op.CALLABLE, 'lambda', 0, 1, 13],
      ...[Op.CALLABLE, 'lambda', 0, 1, 3, Op.GET_UPVALUE, 0, Op.RETURN, Op.CLOSURE, 1, false, 0],
      Op.RETURN,
      ...[Op.CLOSURE, 1, true, 0, Op.POP],
      Op.CLOSE_UPVALUE,
    ]);
  });

  it('compiles calls through upvalues and call expressions', () => {
    const prog = program(fun('f', []), stmt(lambda([], call('f', num(2)))));
    expect(body(prog).slice(9)).toEqual([
      ...[Op.CALLABLE, 'lambda', 0, 1, 7, 33, 2, Op.GET_UPVALUE, 0, Op.CALL_LOCAL, 1, Op.RETURN, Op.CLOSURE, 1, true, 0],
      ...[Op.POP, Op.CLOSE_UPVALUE],
    ]);
    expect(exprCode(callExpr(call('g'), num(1), num(2)))).toEqual([
      ...[33, 1, 33, 2, Op.CALL_GLOBAL, 'g', 0, Op.CALL_LOCAL, 2],
    ]);
  });

  it('matches catchAfterReturn.hoge for a function with try/catch', () => {
    // fun safeParse(s) { try { return jsonParse(s) } catch { return null } }
    const prog = program(fun('safeParse', ['s'], try_(block(ret(call('jsonParse', id('s')))), [catch_(undefined, undefined, ret(nul()))])));
    expect(compiled(prog)).toEqual([
      ...H,
      ...[52, 'safeParse', 1, 0, 26, 50, 10, 36, 0, 2, 'jsonParse', 1, 38, 51, 39, 13, 36, 1, 32, 'type', 45, 31, 38],
      ...[39, 2, 35, 49, 35, 35, 31, 38, 53, 0, 35],
    ]);
  });

  it('compiles typed catches with a type test, a binding and a rethrow', () => {
    const prog = program(
      try_(block(throw_(call('Error'))), [catch_('e', 'FishError', print(num(1))), catch_('err', undefined, print(id('err')))]),
    );
    expect(body(prog)).toEqual([
      ...[Op.TRY, 8, Op.CALL_GLOBAL, 'Error', 0, Op.THROW, Op.POP_TRY, Op.JUMP, 35],
      ...[Op.GET_LOCAL, 0, Op.STRING, 'type', Op.GET_PROPERTY],
      ...[Op.STRING, 'FishError', Op.GET_LOCAL, 1, Op.EQ, Op.JUMP_IF_FALSE, 8],
      ...[33, 1, 2, 'print', 1, 35, Op.JUMP, 13],
      ...[Op.GET_LOCAL, 0, 36, 2, 2, 'print', 1, 35, Op.POP, Op.JUMP, 2],
      ...[Op.POP, Op.THROW],
      ...[Op.POP, Op.POP],
    ]);
  });

  it('jumps past the whole clause for a typed catch binding another name (bytecode.py lands short)', () => {
    const prog = program(try_(block(), [catch_('err', 'T', print(id('err')))]));
    const code = body(prog);
    const at = code.indexOf(Op.JUMP_IF_FALSE);
    // binding GET_LOCAL e (2) + print (6) + scope POP (1) + JUMP end (2)
    expect(code.slice(at, at + 2)).toEqual([Op.JUMP_IF_FALSE, 11]);
  });

  it('compiles HogQLX tags to dicts, or calls a local function of that name', () => {
    const tag = (name: string): Expr => ({
      kind: 'HogQLXTag',
      tag: name,
      attributes: [{ name: 'a', value: num(1) }],
      children: [str('hi')],
      pos: at(1, 1),
    });
    expect(exprCode(tag('span'))).toEqual([
      ...[Op.STRING, '__hx_tag', Op.STRING, 'span', Op.STRING, 'a', 33, 1],
      ...[Op.STRING, 'children', Op.STRING, 'hi', Op.ARRAY, 1, Op.DICT, 3],
    ]);
    expect(body(program(fun('Box', ['props']), stmt(tag('Box')))).slice(9)).toEqual([
      ...[Op.STRING, 'a', 33, 1, Op.STRING, 'children', Op.STRING, 'hi', Op.ARRAY, 1, Op.DICT, 2],
      ...[Op.GET_LOCAL, 0, Op.CALL_LOCAL, 1, Op.POP, Op.POP],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('compile errors', () => {
  it('reports a redeclaration in the same scope, with its position', () => {
    expect(diagnosticsOf(program(let_('a', num(1)), let_('a', num(2), at(2, 1))))).toEqual([
      { message: 'Variable `a` already declared in this scope', line: 2, column: 1 },
    ]);
  });

  it('allows shadowing in an inner block', () => {
    expect(diagnosticsOf(program(let_('a'), block(let_('a'))))).toEqual([]);
  });

  it('reports assignment to a global and to a non-assignable expression', () => {
    const target: Expr = { kind: 'Field', chain: ['x'], pos: at(3, 5) };
    expect(diagnosticsOf(program(assign(target, num(1))))).toEqual([
      { message: 'Variable "x" not declared in this scope. Can not assign to globals.', line: 3, column: 5 },
    ]);
    expect(diagnosticsOf(program(assign(bin('+', num(1), num(2)), num(3))))).toEqual([
      { message: 'Can not assign to this type of expression', line: 1, column: 1 },
    ]);
  });

  it('reports a literal [0] index', () => {
    expect(diagnosticsOf(program(stmt(prop(arr(), num(0), false, at(1, 4)))))).toEqual([
      { message: 'Array access starts from 1', line: 1, column: 4 },
    ]);
  });

  it('reports finally and a try without catch', () => {
    expect(diagnosticsOf(program(try_(block(), [catch_(undefined, undefined)], { ...block(), pos: at(5, 3) })))).toEqual([
      { message: 'finally blocks are not yet supported', line: 5, column: 3 },
    ]);
    expect(diagnosticsOf(program(try_(block(), [], undefined, at(1, 1))))).toEqual([
      { message: 'try statement must have at least one catch block', line: 1, column: 1 },
    ]);
  });

  it('reports cohorts and placeholders outside lambda bodies', () => {
    expect(diagnosticsOf(program(stmt(cmp('in cohort', id('person'), num(2), at(1, 7)))))).toEqual([
      {
        message: "Can't use cohorts in real-time filters. Please inline the relevant expressions (cohort id=2).",
        line: 1,
        column: 7,
      },
    ]);
    expect(diagnosticsOf(program(stmt(placeholder(num(1), at(2, 2)))))).toEqual([
      { message: 'Placeholders are not allowed in this context', line: 2, column: 2 },
    ]);
  });

  it('collects several errors instead of stopping at the first', () => {
    const prog = program(assign(id('g'), num(1)), let_('a'), let_('a'), stmt(prop(arr(), num(0))));
    expect(diagnosticsOf(prog).map((d) => d.message)).toEqual([
      'Variable "g" not declared in this scope. Can not assign to globals.',
      'Variable `a` already declared in this scope',
      'Array access starts from 1',
    ]);
  });

  it('does not report unknown global functions (hosts add their own)', () => {
    expect(diagnosticsOf(program(stmt(call('someHostFunction', num(1)))))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('running compiled programs on @posthog/hogvm', () => {
  it('runs arithmetic, locals, and returns the last return value', () => {
    const prog = program(let_('a', num(7)), print(bin('-', id('a'), num(2)), bin('%', num(-7), num(3))), ret(bin('*', id('a'), num(6))));
    expect(run(prog)).toEqual({ lines: ['5 -1'], result: 42 });
  });

  it('evaluates an expression for templates and filters', () => {
    const { bytecode } = compileExpression(call('concat', str('a'), id('event', 'name')));
    expect(hogvm.exec(bytecode, { globals: { event: { name: 'x' } } }).result).toBe('ax');
  });

  it('runs recursion through a function declared before its body', () => {
    const fib = fun(
      'fib',
      ['n'],
      if_(cmp('<', id('n'), num(2)), ret(id('n'))),
      ret(bin('+', call('fib', bin('-', id('n'), num(1))), call('fib', bin('-', id('n'), num(2))))),
    );
    expect(run(program(fib, print(call('fib', num(15))))).lines).toEqual(['610']);
  });

  it('runs a recursive lambda that sees itself in its own initializer', () => {
    const fact = let_('fact', lambda(['n'], call('if', cmp('<=', id('n'), num(1)), num(1), bin('*', id('n'), call('fact', bin('-', id('n'), num(1)))))));
    expect(run(program(fact, print(call('fact', num(5))))).lines).toEqual(['120']);
  });

  it('runs closures that capture by reference and outlive their scope', () => {
    const prog = program(
      fun('counter', [], let_('n', num(0)), ret(lambda([], block(assign(id('n'), bin('+', id('n'), num(1))), ret(id('n')))))),
      let_('c1', call('counter')),
      let_('c2', call('counter')),
      print(call('c1'), call('c1'), call('c1'), call('c2')),
    );
    expect(run(prog).lines).toEqual(['1 2 3 1']);
  });

  it('shares one upvalue between two closures', () => {
    const prog = program(
      fun(
        'pair',
        [],
        let_('v', num(0)),
        let_('get', lambda([], id('v'))),
        let_('set', lambda(['x'], block(assign(id('v'), id('x'))))),
        ret(arr(id('get'), id('set'))),
      ),
      let_('p', call('pair')),
      stmt(callExpr(prop(id('p'), num(2)), num(42))),
      print(callExpr(prop(id('p'), num(1)))),
    );
    expect(run(prog).lines).toEqual(['42']);
  });

  it('sees later assignments to a captured variable (test scope)', () => {
    const prog = program(
      let_('v', num(10)),
      fun('varify', ['x'], ret(bin('*', id('x'), id('v')))),
      print(call('varify', num(2))),
      assign(id('v'), num(20)),
      print(call('varify', num(2))),
    );
    expect(run(prog).lines).toEqual(['20', '40']);
  });

  it('runs nested functions three levels deep with upvalues passed through', () => {
    const prog = program(
      fun(
        'outer',
        ['a'],
        fun('middle', ['b'], fun('inner', ['c'], ret(bin('+', bin('+', id('a'), id('b')), id('c')))), ret(call('inner', num(100)))),
        ret(call('middle', num(10))),
      ),
      print(call('outer', num(1))),
    );
    expect(run(prog).lines).toEqual(['111']);
  });

  it('catches a typed error thrown in another function and rethrows unmatched types', () => {
    const prog = program(
      fun('fail', ['t'], throw_(call('HogError', id('t'), str('boom')))),
      try_(
        block(try_(block(stmt(call('fail', str('FishError')))), [catch_('e', 'FoodError', print(str('food')))])),
        [catch_('err', 'FishError', print(str('fish'), prop(id('err'), str('message')))), catch_(undefined, undefined, print(str('other')))],
      ),
      try_(block(stmt(call('fail', str('X')))), [catch_('e', 'FishError', print(str('fish'))), catch_('err', 'X', print(str('x'), prop(id('err'), str('type'))))]),
      try_(block(stmt(call('fail', str('Z')))), [catch_('e', 'FishError', print(str('fish'))), catch_(undefined, undefined, print(str('any'), id('e', 'type')))]),
      print(str('done')),
    );
    expect(run(prog).lines).toEqual(['fish boom', 'x X', 'any Z', 'done']);
  });

  it('unwinds locals of the try body and keeps enclosing locals intact', () => {
    const prog = program(
      let_('a', num(1)),
      try_(block(let_('b', num(2)), let_('c', num(3)), throw_(call('Error', str('m')))), [catch_(undefined, undefined, print(id('a'), id('e', 'message')))]),
      let_('d', num(4)),
      print(id('a'), id('d')),
    );
    expect(run(prog).lines).toEqual(['1 m', '1 4']);
  });

  it('iterates for-in over arrays (0-based keys) and dicts (insertion order)', () => {
    const prog = program(
      forIn('k', 'v', arr(str('a'), str('b')), print(id('k'), id('v'))),
      forIn(undefined, 'v', tuple(num(1), num(2)), print(id('v'))),
      forIn('k', 'v', dict([str('x'), num(1)], [str('y'), num(2)]), print(id('k'), id('v'))),
    );
    expect(run(prog).lines).toEqual(['0 a', '1 b', '1', '2', 'x 1', 'y 2']);
  });

  it('evaluates between null-safely, inside call arguments and initializers', () => {
    const prog = program(
      let_('x', num(5)),
      print(str('in'), between(id('x'), num(1), num(10)), between(id('x'), num(6), num(10))),
      print(between(id('x'), num(1), num(10), true), between(nul(), num(1), num(10))),
      let_('y', between(num(3), id('x'), num(10))),
      print(arr(id('y'), between(num(0), num(0), num(0)))),
    );
    expect(run(prog).lines).toEqual(['in true false', 'false null', '[false,true]']);
  });

  it('short-circuits ?? and ternaries but evaluates every and/or operand', () => {
    const prog = program(
      let_('n', num(0)),
      fun('bump', [], assign(id('n'), bin('+', id('n'), num(1))), ret(bool(true))),
      print(call('ifNull', nul(), str('fallback')), call('ifNull', str('set'), call('bump'))),
      print(call('if', bool(true), str('yes'), call('bump')), call('if', num(0), call('bump'), str('no'))),
      print(or(bool(true), call('bump')), and(bool(false), call('bump')), id('n')),
      print(call('multiIf', bool(false), num(1), bool(true), num(2), num(3)), call('multiIf', bool(false), num(1), num(3))),
    );
    expect(run(prog).lines).toEqual(['fallback set', 'yes no', 'true false 2', '2 3']);
  });

  it('reads global chains, mutates dicts in place and indexes arrays from 1', () => {
    const prog = program(
      let_('d', dict([str('a'), dict([str('b'), num(1)])])),
      assign(id('d', 'a', 'b'), num(2)),
      assign(prop(id('d'), str('c')), arr(num(10), num(20))),
      assign(id('d', 'c', 2), num(30)),
      print(id('d', 'a', 'b'), prop(id('d', 'c'), num(-1)), id('event', 'properties', '$browser'), id('event', 'missing', 'x')),
    );
    expect(run(prog, { event: { properties: { $browser: 'Firefox' } } }).lines).toEqual(['2 30 Firefox null']);
  });

  it('runs while loops and for loops with an empty condition ended by return', () => {
    const prog = program(
      let_('i', num(0)),
      while_(cmp('<', id('i'), num(3)), assign(id('i'), bin('+', id('i'), num(1)))),
      print(id('i')),
      fun('firstOver', ['limit'], for_(let_('k', num(1)), undefined, assign(id('k'), bin('*', id('k'), num(2))), if_(cmp('>', id('k'), id('limit')), ret(id('k'))))),
      print(call('firstOver', num(100))),
    );
    expect(run(prog).lines).toEqual(['3', '128']);
  });

  it('calls builtins through variables and lambdas through STL higher-order functions', () => {
    const prog = program(
      let_('up', id('upper')),
      print(callExpr(id('up'), str('x'))),
      print(call('arrayMap', lambda(['x'], bin('*', id('x'), num(2))), arr(num(1), num(2)))),
      print(call('arrayFilter', lambda(['x'], placeholder(id('x'))), arr(num(1)))),
    );
    expect(run(prog).lines).toEqual(['X', '[2,4]', '[]']);
  });
});

describe('disassemble', () => {
  it('lists one instruction per line with operands and jump targets', () => {
    const bytecode = compiled(program(let_('f', lambda(['x'], id('x'))), if_(bool(true), print(str('a')))));
    expect(disassemble(bytecode).split('\n')).toEqual([
      "0002 CALLABLE 'lambda' 1 0 3 (body 0007..0009)",
      '0007 GET_LOCAL 0',
      '0009 RETURN',
      '0010 CLOSURE 0',
      '0012 TRUE',
      '0013 JUMP_IF_FALSE 6 -> 0021',
      "0015 STRING 'a'",
      "0017 CALL_GLOBAL 'print' 1",
      '0020 POP',
      '0021 POP',
    ]);
  });

  it('shows CLOSURE pairs and unknown opcodes', () => {
    expect(disassemble(['_H', 1, Op.CLOSURE, 1, true, 0, 99])).toBe('0002 CLOSURE 1 true 0\n0006 <unknown 99>');
  });
});

// ---------------------------------------------------------------------------------------------
function compileSource(source: string): Bytecode {
  const parsed = parseProgram(source);
  expect(parsed.diagnostics).toEqual([]);
  return compiled(parsed.program);
}

function runSource(source: string, globals: Record<string, unknown> = {}): string[] {
  const parsed = parseProgram(source);
  expect(parsed.diagnostics).toEqual([]);
  return run(parsed.program, globals).lines;
}

function sourceDiagnostics(source: string): string[] {
  const parsed = parseProgram(source);
  expect(parsed.diagnostics).toEqual([]);
  return compileProgram(parsed.program).diagnostics.map((d) => `${d.message} at ${d.line}:${d.column}`);
}

describe('source programs (parser + compiler) on @posthog/hogvm', () => {
  it('compiles 1 + 2 exactly', () => {
    expect(compileSource('1 + 2')).toEqual(['_H', 1, 33, 2, 33, 1, 6, 35]);
  });

  it('compiles an input template expression', () => {
    const parsed = parseExpression("f'Hi {person.properties.name ?? 'there'}!'");
    expect(parsed.diagnostics).toEqual([]);
    const { bytecode } = compileExpression(parsed.expr!);
    const globals = { person: { properties: { name: 'Ada' } } };
    expect(hogvm.exec(bytecode, { globals }).result).toBe('Hi Ada!');
    expect(hogvm.exec(bytecode, { globals: { person: { properties: {} } } }).result).toBe('Hi there!');
  });

  it('runs counters, shared upvalues and curried lambdas', () => {
    const source = `
      fun makeCounter(start) {
        let count := start
        let bump := () -> { count := count + 1; return count }
        let peek := () -> count
        return {'bump': bump, 'peek': peek}
      }
      let a := makeCounter(10)
      let b := makeCounter(0)
      a.bump(); a.bump(); b.bump()
      print(a.peek(), b.peek())
      let curry := x -> y -> z -> x * 100 + y * 10 + z
      print(curry(1)(2)(3))
    `;
    expect(runSource(source)).toEqual(['12 1', '123']);
  });

  it('runs mutual recursion through locals and upvalues', () => {
    const source = `
      fun isEven(n) {
        fun isOdd(m) { return if(m == 0, false, isEven(m - 1)) }
        if (n == 0) { return true }
        return isOdd(n - 1)
      }
      print(isEven(10), isEven(7))
      let fib := n -> n < 2 ? n : fib(n - 1) + fib(n - 2)
      print(fib(20))
    `;
    expect(runSource(source)).toEqual(['true false', '6765']);
  });

  it('catches errors across function calls, by type, and rethrows what no catch matches', () => {
    const source = `
      fun check(x) {
        if (x < 0) throw HogError('RangeError', 'negative', {'x': x})
        if (x == 0) throw Error('zero')
        return x
      }
      fun safe(x) {
        try {
          return check(x)
        } catch (err: RangeError) {
          return err.payload.x * -1
        }
      }
      print(safe(5), safe(-3))
      try {
        safe(0)
      } catch (e: RangeError) {
        print('wrong')
      } catch (other) {
        print('outer', other.type, other.message)
      }
      let kept := 'still here'
      try { throw RetryError('again') } catch { print(e.type, kept) }
    `;
    expect(runSource(source)).toEqual(['5 3', 'outer Error zero', 'RetryError still here']);
  });

  it('iterates for-in over arrays, tuples and dicts, with nested loops and captured loop values', () => {
    const source = `
      let total := 0
      for (let i, v in ['a', 'b']) { print(i, v) }
      for (let k, v in {'x': 1, 'y': 2}) {
        for (let w in (10, 20)) { total := total + v * w }
        print(k)
      }
      print(total)
    `;
    expect(runSource(source)).toEqual(['0 a', '1 b', 'x', 'y', '90']);
  });

  it('runs between, ??, ternaries, multiIf and n-ary and/or', () => {
    const source = `
      let x := 5
      print(x between 1 and 10, x not between 1 and 10, null between 1 and 2)
      print([x between 6 and 9, 1 + (2 between 1 and 3 ? 10 : 20)])
      let y := null
      print(y ?? 'dflt', x ?? 'unused', y ?? y ?? 'last')
      print(x > 3 ? 'big' : 'small', x > 10 ? 'huge' : x > 4 ? 'mid' : 'tiny')
      print(multiIf(x == 1, 'one', x == 5, 'five', 'other'))
      print(true and 1 and 'a', false or 0 or '', not x)
    `;
    expect(runSource(source)).toEqual([
      'true false null',
      '[false,11]',
      'dflt 5 last',
      'big mid',
      'five',
      'true false false',
    ]);
  });

  it('assigns through property chains on locals and upvalues', () => {
    const source = `
      let cfg := {'a': {'list': [1, 2, 3]}}
      cfg.a.list[2] := 20
      cfg['a']['new'] := true
      let set := (k, v) -> { cfg.a[k] := v }
      set('fromLambda', 1)
      print(cfg.a.list, cfg.a.new, cfg.a.fromLambda)
    `;
    expect(runSource(source)).toEqual(['[1,20,3] true 1']);
  });

  it('reads nested globals and calls host functions', () => {
    const globals = { event: { event: '$pageview', properties: { $browser: 'Chrome', n: 2 } } };
    const source = `
      if (event.event == '$pageview' and event.properties.$browser =~ 'Chr') {
        print(event.properties.n * 21, event.properties.missing ?? 'none')
      }
    `;
    const lines: string[] = [];
    const parsed = parseProgram(source);
    const { bytecode } = compileProgram(parsed.program);
    hogvm.exec(bytecode, {
      globals,
      functions: { print: (...args: unknown[]) => void lines.push(args.join(' ')) },
      external: { regex: { match: (re: string, value: string) => new RegExp(re).test(value) } },
    });
    expect(lines).toEqual(['42 none']);
  });

  it('reports compile errors with source positions', () => {
    expect(sourceDiagnostics('let a := 1\nlet a := 2')).toEqual(['Variable `a` already declared in this scope at 2:1']);
    expect(sourceDiagnostics('x := 1')).toEqual([
      'Variable "x" not declared in this scope. Can not assign to globals. at 1:1',
    ]);
    expect(sourceDiagnostics('let a := [1]\nprint(a[0])')).toEqual(['Array access starts from 1 at 2:7']);
    expect(sourceDiagnostics('try { print(1) } catch (e) { } finally { }')).toEqual([
      'finally blocks are not yet supported at 1:40',
    ]);
  });
});
