import { describe, expect, test } from 'vitest';
import { formatDiagnostic, type Expr } from '../ast.js';
import { parseExpression, parseProgram, parseTemplate } from '../parser.js';

/** Drop positions (and isFloat unless asked) so trees compare by shape. */
function strip(node: unknown, keepFloat = false): unknown {
  if (Array.isArray(node)) return node.map((n) => strip(n, keepFloat));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'pos' || (k === 'isFloat' && !keepFloat)) continue;
    out[k] = strip(v, keepFloat);
  }
  return out;
}

function expr(src: string): unknown {
  const { expr: e, diagnostics } = parseExpression(src);
  expect(diagnostics, src).toEqual([]);
  return strip(e);
}

function prog(src: string): unknown[] {
  const { program, diagnostics } = parseProgram(src);
  expect(diagnostics.map(formatDiagnostic), src).toEqual([]);
  return strip(program.body) as unknown[];
}

function errorsOf(src: string): string[] {
  return parseProgram(src).diagnostics.map(formatDiagnostic);
}

const F = (...chain: (string | number)[]) => ({ kind: 'Field', chain });
const C = (value: null | boolean | number | string) => ({ kind: 'Constant', value });
const call = (name: string, ...args: unknown[]) => ({ kind: 'Call', name, args });
const arith = (op: string, left: unknown, right: unknown) => ({ kind: 'Arithmetic', op, left, right });
const cmp = (op: string, left: unknown, right: unknown) => ({ kind: 'Compare', op, left, right });
const and = (...exprs: unknown[]) => ({ kind: 'And', exprs });
const or = (...exprs: unknown[]) => ({ kind: 'Or', exprs });
const not = (e: unknown) => ({ kind: 'Not', expr: e });
const prop = (object: unknown, property: unknown, nullish = false) => ({ kind: 'Property', object, property, nullish });
const between = (e: unknown, low: unknown, high: unknown, negated = false) => ({ kind: 'Between', expr: e, low, high, negated });
const stmt = (e: unknown) => ({ kind: 'ExprStmt', expr: e });

describe('precedence and associativity', () => {
  test('puts || on the additive level: a || b + c is concat(a, b) + c', () => {
    expect(expr('a || b + c')).toEqual(arith('+', call('concat', F('a'), F('b')), F('c')));
  });

  test('flattens a chain of || into one concat', () => {
    expect(expr('a || b || c')).toEqual(call('concat', F('a'), F('b'), F('c')));
  });

  test('keeps a user concat() call as an argument rather than merging it', () => {
    expect(expr('concat(a, b) || c')).toEqual(call('concat', call('concat', F('a'), F('b')), F('c')));
  });

  test('binds * tighter than + and - left to right', () => {
    expect(expr('1 + 2 * 3 - 4')).toEqual(arith('-', arith('+', C(1), arith('*', C(2), C(3))), C(4)));
  });

  test('reads not a == b as not (a == b)', () => {
    expect(expr('not a == b')).toEqual(not(cmp('==', F('a'), F('b'))));
  });

  test('reads not a ?? b as not (a ?? b)', () => {
    expect(expr('not a ?? b')).toEqual(not(call('ifNull', F('a'), F('b'))));
  });

  test('reads a = b ?? c as ifNull(a == b, c)', () => {
    expect(expr('a = b ?? c')).toEqual(call('ifNull', cmp('==', F('a'), F('b')), F('c')));
  });

  test('makes and/or n-ary with and binding tighter', () => {
    expect(expr('a and b or c and d')).toEqual(or(and(F('a'), F('b')), and(F('c'), F('d'))));
    expect(expr('a and b and c')).toEqual(and(F('a'), F('b'), F('c')));
    expect(expr('a or b or c')).toEqual(or(F('a'), F('b'), F('c')));
  });

  test('reads a between 1 and 2 and c as (between) and c', () => {
    expect(expr('a between 1 and 2 and c')).toEqual(and(between(F('a'), C(1), C(2)), F('c')));
  });

  test('binds between tighter than and, or and not, as PostHog parses it', () => {
    expect(expr('x and a between 1 and 2')).toEqual(and(F('x'), between(F('a'), C(1), C(2))));
    expect(expr('not a between 1 and 2')).toEqual(not(between(F('a'), C(1), C(2))));
    expect(expr('a ?? b between 1 and 2')).toEqual(between(call('ifNull', F('a'), F('b')), C(1), C(2)));
    expect(expr('a between 1 and 2 = true')).toEqual(between(F('a'), C(1), cmp('==', C(2), C(true))));
  });

  test('lets the lower bound of between be any expression up to and', () => {
    expect(expr('a between c ? 1 : 2 and 3')).toEqual(between(F('a'), call('if', F('c'), C(1), C(2)), C(3)));
  });

  test('parses not between', () => {
    expect(expr('a not between 1 and 2')).toEqual(between(F('a'), C(1), C(2), true));
  });

  test('makes comparisons left-associative: a < b < c is (a < b) < c', () => {
    expect(expr('a < b < c')).toEqual(cmp('<', cmp('<', F('a'), F('b')), F('c')));
  });

  test('rewrites is null / is not null and binds them looser than comparisons', () => {
    expect(expr('x is null and y')).toEqual(and(cmp('==', F('x'), C(null)), F('y')));
    expect(expr('x IS NOT NULL')).toEqual(cmp('!=', F('x'), C(null)));
    expect(expr('a = b is null')).toEqual(cmp('==', cmp('==', F('a'), F('b')), C(null)));
    expect(expr('a ?? b is null')).toEqual(call('ifNull', F('a'), cmp('==', F('b'), C(null))));
  });

  test('makes ?? left-associative', () => {
    expect(expr('a ?? b ?? c')).toEqual(call('ifNull', call('ifNull', F('a'), F('b')), F('c')));
  });

  test('makes the ternary right-associative and rewrites it to if()', () => {
    expect(expr('a ? b : c ? d : e')).toEqual(call('if', F('a'), F('b'), call('if', F('c'), F('d'), F('e'))));
    expect(expr('x > 1 and y ? 1 : 2')).toEqual(call('if', and(cmp('>', F('x'), C(1)), F('y')), C(1), C(2)));
  });

  test('reads every comparison operator and synonym', () => {
    const ops: [string, string][] = [
      ['=', '=='], ['==', '=='], ['!=', '!='], ['<>', '!='], ['<', '<'], ['<=', '<='], ['>', '>'], ['>=', '>='],
      ['like', 'like'], ['ilike', 'ilike'], ['not like', 'not like'], ['not ilike', 'not ilike'], ['in', 'in'],
      ['not in', 'not in'], ['=~', '=~'], ['~', '=~'], ['!~', '!~'], ['=~*', '=~*'], ['~*', '=~*'], ['!~*', '!~*'],
      ['in cohort', 'in cohort'], ['not in cohort', 'not in cohort'],
    ];
    for (const [src, op] of ops) expect(expr(`a ${src} 1`), src).toEqual(cmp(op, F('a'), C(1)));
  });

  test('reads a variable named cohort after in as a variable', () => {
    expect(expr('a in cohort')).toEqual(cmp('in', F('a'), F('cohort')));
  });

  test('binds postfix operators tightest: -a.b[1](2) negates the whole chain', () => {
    expect(expr('-a.b[1](2)')).toEqual(
      arith('-', C(0), { kind: 'ExprCall', callee: prop(F('a', 'b'), C(1)), args: [C(2)] }),
    );
  });
});

describe('literals and unary minus', () => {
  test('folds a minus into a following number literal', () => {
    expect(expr('-1')).toEqual(C(-1));
    expect(strip(parseExpression('-1.5').expr, true)).toEqual({ kind: 'Constant', value: -1.5, isFloat: true });
    expect(expr('1 - -1')).toEqual(arith('-', C(1), C(-1)));
  });

  test('rewrites -x and -(1) to 0 - x', () => {
    expect(expr('-x')).toEqual(arith('-', C(0), F('x')));
    expect(expr('-(1)')).toEqual(arith('-', C(0), C(1)));
  });

  test('marks float literals with isFloat', () => {
    expect(strip(parseExpression('1e3').expr, true)).toEqual({ kind: 'Constant', value: 1000, isFloat: true });
    expect(strip(parseExpression('2').expr, true)).toEqual(C(2));
  });

  test('reads true, false and null in any case', () => {
    expect(expr('[TRUE, False, NULL]')).toEqual({ kind: 'Array', items: [C(true), C(false), C(null)] });
  });

  test('parses arrays and tuples with trailing commas', () => {
    expect(expr('[1, 2,]')).toEqual({ kind: 'Array', items: [C(1), C(2)] });
    expect(expr('[]')).toEqual({ kind: 'Array', items: [] });
    expect(expr('(1,)')).toEqual({ kind: 'Tuple', items: [C(1)] });
    expect(expr('(1, 2, 3)')).toEqual({ kind: 'Tuple', items: [C(1), C(2), C(3)] });
    expect(expr('(1)')).toEqual(C(1));
  });

  test('parses dicts with expression keys and a trailing comma', () => {
    expect(expr("{'a': 1, key: 2, 1 + 1: 3,}")).toEqual({
      kind: 'Dict',
      entries: [
        { key: C('a'), value: C(1) },
        { key: F('key'), value: C(2) },
        { key: arith('+', C(1), C(1)), value: C(3) },
      ],
    });
    expect(expr('{}')).toEqual({ kind: 'Dict', entries: [] });
  });

  test('reads "x" as an identifier, not a string', () => {
    expect(expr('"x"')).toEqual(F('x'));
  });
});

describe('f-strings', () => {
  test("gives concat('a', x, 'b') for f'a{x}b'", () => {
    expect(expr("f'a{x}b'")).toEqual(call('concat', C('a'), F('x'), C('b')));
  });

  test("gives the expression itself for a lone placeholder f'{x}'", () => {
    expect(expr("f'{x}'")).toEqual(F('x'));
    expect(expr("f'{1}'")).toEqual(C(1));
  });

  test('gives a constant for text without holes', () => {
    expect(expr("f'abc'")).toEqual(C('abc'));
    expect(expr("f''")).toEqual(C(''));
  });

  test('parses nested f-strings, strings and dicts in holes', () => {
    expect(expr("f'{f'{a}'}'")).toEqual(F('a'));
    expect(expr("f'{'{'}'")).toEqual(C('{'));
    expect(expr("f'{{'a':1}}'")).toEqual({ kind: 'Dict', entries: [{ key: C('a'), value: C(1) }] });
    expect(expr("f'{ {'a':1} }'")).toEqual({ kind: 'Dict', entries: [{ key: C('a'), value: C(1) }] });
  });
});

describe('member access and calls', () => {
  test('parses identifier chains, including tuple indexes', () => {
    expect(expr('event.properties.$browser')).toEqual(F('event', 'properties', '$browser'));
    expect(expr('a.1')).toEqual(F('a', 1));
    expect(expr('a.b.1.2')).toEqual(F('a', 'b', 1, 2));
    expect(expr('obj.`a b`.if')).toEqual(F('obj', 'a b', 'if'));
  });

  test('reads a name after an index as a property of the indexed value', () => {
    expect(expr('a.1.b')).toEqual(prop(F('a', 1), C('b')));
  });

  test('parses indexing and the nullish forms', () => {
    expect(expr('a[1]')).toEqual(prop(F('a'), C(1)));
    expect(expr('a?.b')).toEqual(prop(F('a'), C('b'), true));
    expect(expr('a?.1')).toEqual(prop(F('a'), C(1), true));
    expect(expr('a?.[x]')).toEqual(prop(F('a'), F('x'), true));
    expect(expr('x?.y.z')).toEqual(prop(prop(F('x'), C('y'), true), C('z')));
  });

  test('calls by name, and any other callee through ExprCall', () => {
    expect(expr('f(1, 2,)')).toEqual(call('f', C(1), C(2)));
    expect(expr('a.b(1)')).toEqual({ kind: 'ExprCall', callee: F('a', 'b'), args: [C(1)] });
    expect(expr('arr[1](2)')).toEqual({ kind: 'ExprCall', callee: prop(F('arr'), C(1)), args: [C(2)] });
    expect(expr('(getFn())(x)')).toEqual({ kind: 'ExprCall', callee: call('getFn'), args: [F('x')] });
  });

  test('parses parametric calls f(1)(2) as a call of the result', () => {
    expect(expr('f(1)(2)')).toEqual({ kind: 'ExprCall', callee: call('f', C(1)), args: [C(2)] });
  });

  test('reads if(c, a, b) and not(x) as ordinary calls', () => {
    expect(expr('if(a, 1, 2)')).toEqual(call('if', F('a'), C(1), C(2)));
    expect(expr('not(x)')).toEqual(call('not', F('x')));
  });

  test('rewrites CASE WHEN to if / multiIf', () => {
    expect(expr('case when a then 1 else 2 end')).toEqual(call('if', F('a'), C(1), C(2)));
    expect(expr('CASE WHEN a THEN 1 WHEN b THEN 2 END')).toEqual(call('multiIf', F('a'), C(1), F('b'), C(2), C(null)));
    expect(expr('case x when 1 then 2 else 3 end')).toEqual(call('_caseWithExpression', F('x'), C(1), C(2), C(3)));
  });

  test('still reads case and end as plain variables', () => {
    expect(prog('let end := case + 1')).toEqual([{ kind: 'VarDecl', name: 'end', init: arith('+', F('case'), C(1)) }]);
  });
});

describe('lambdas', () => {
  const lambda = (params: string[], body: unknown) => ({ kind: 'Lambda', params, body });

  test('parses every lambda form', () => {
    expect(expr('x -> x + 1')).toEqual(lambda(['x'], arith('+', F('x'), C(1))));
    expect(expr('(x, y) -> x')).toEqual(lambda(['x', 'y'], F('x')));
    expect(expr('(x, y,) -> x')).toEqual(lambda(['x', 'y'], F('x')));
    expect(expr('() -> 1')).toEqual(lambda([], C(1)));
    expect(expr('(x) -> { return x }')).toEqual(
      lambda(['x'], { kind: 'Block', body: [{ kind: 'Return', expr: F('x') }] }),
    );
  });

  test('parses x, y -> expr as a statement', () => {
    expect(prog('x, y -> x + y')).toEqual([stmt(lambda(['x', 'y'], arith('+', F('x'), F('y'))))]);
  });

  test('makes x -> {} a lambda returning an empty dict', () => {
    expect(expr('x -> {}')).toEqual(lambda(['x'], { kind: 'Dict', entries: [] }));
  });

  test('makes x -> {x} a lambda whose body is a placeholder', () => {
    expect(expr('x -> {x}')).toEqual(lambda(['x'], { kind: 'Placeholder', expr: F('x') }));
  });

  test('makes x -> {a: 1} a lambda returning a dict', () => {
    expect(expr('x -> {a: 1}')).toEqual(lambda(['x'], { kind: 'Dict', entries: [{ key: F('a'), value: C(1) }] }));
  });

  test('continues an expression after a brace body: x -> {} + 1', () => {
    expect(expr('x -> {} + 1')).toEqual(lambda(['x'], arith('+', { kind: 'Dict', entries: [] }, C(1))));
  });

  test('reads a brace body with statements as a block', () => {
    expect(expr('x -> { print(x); x := 2 }')).toEqual(
      lambda(['x'], {
        kind: 'Block',
        body: [stmt(call('print', F('x'))), { kind: 'Assign', target: F('x'), value: C(2) }],
      }),
    );
    expect(expr('x -> { if (x) { return 1 } }')).toMatchObject({ body: { kind: 'Block' } });
  });

  test('passes lambdas as arguments', () => {
    expect(expr('arrayMap(x -> x * 2, [1, 2])')).toEqual(
      call('arrayMap', lambda(['x'], arith('*', F('x'), C(2))), { kind: 'Array', items: [C(1), C(2)] }),
    );
  });

  test('reads f(a, b -> c) as one two-parameter lambda argument, as PostHog does', () => {
    expect(expr('f(a, b -> c)')).toEqual(call('f', lambda(['a', 'b'], F('c'))));
  });

  test('does not call f(a) with a following (x, y) -> lambda', () => {
    expect(prog('f(a) (x, y) -> x')).toEqual([stmt(call('f', F('a'))), stmt(lambda(['x', 'y'], F('x')))]);
  });
});

describe('statements', () => {
  test('parses let with and without an initializer', () => {
    expect(prog('let a := 1 let b')).toEqual([
      { kind: 'VarDecl', name: 'a', init: C(1) },
      { kind: 'VarDecl', name: 'b' },
    ]);
  });

  test('needs no separators, and a lone ; is an empty statement', () => {
    expect(prog('let a := 1 let b := 2;;')).toEqual([
      { kind: 'VarDecl', name: 'a', init: C(1) },
      { kind: 'VarDecl', name: 'b', init: C(2) },
      { kind: 'Empty' },
    ]);
  });

  test("reads 'x'\\n'y' as two statements", () => {
    expect(prog("'x'\n'y'")).toEqual([stmt(C('x')), stmt(C('y'))]);
  });

  test('parses assignment to names and property chains', () => {
    expect(prog('a.b.c := 1 a[2] := 4 a.2.d := 3 event[\'properties\'][\'$browser\'] := \'Firefox\'')).toEqual([
      { kind: 'Assign', target: F('a', 'b', 'c'), value: C(1) },
      { kind: 'Assign', target: prop(F('a'), C(2)), value: C(4) },
      { kind: 'Assign', target: prop(F('a', 2), C('d')), value: C(3) },
      { kind: 'Assign', target: prop(prop(F('event'), C('properties')), C('$browser')), value: C('Firefox') },
    ]);
  });

  test('parses if / else if / else with single statements and blocks', () => {
    expect(prog('if (a) print(1) else if (b) { print(2) } else print(3)')).toEqual([
      {
        kind: 'If',
        condition: F('a'),
        then: stmt(call('print', C(1))),
        else: {
          kind: 'If',
          condition: F('b'),
          then: { kind: 'Block', body: [stmt(call('print', C(2)))] },
          else: stmt(call('print', C(3))),
        },
      },
    ]);
  });

  test('parses while', () => {
    expect(prog('while (i < 3) i := i + 1;')).toEqual([
      { kind: 'While', condition: cmp('<', F('i'), C(3)), body: { kind: 'Assign', target: F('i'), value: arith('+', F('i'), C(1)) } },
    ]);
  });

  test('parses for with every part optional', () => {
    expect(prog('for (let i := 0; i < 3; i := i + 1) print(i)')).toEqual([
      {
        kind: 'For',
        init: { kind: 'VarDecl', name: 'i', init: C(0) },
        condition: cmp('<', F('i'), C(3)),
        increment: { kind: 'Assign', target: F('i'), value: arith('+', F('i'), C(1)) },
        body: stmt(call('print', F('i'))),
      },
    ]);
    expect(prog('for (;;) {}')).toEqual([{ kind: 'For', body: { kind: 'Block', body: [] } }]);
    expect(prog('for (i := 0; ; f(i)) {}')).toMatchObject([
      { kind: 'For', init: { kind: 'Assign' }, increment: { kind: 'ExprStmt' } },
    ]);
  });

  test('parses for-in with one or two variables', () => {
    expect(prog('for (let v in arr) print(v)')).toEqual([
      { kind: 'ForIn', valueVar: 'v', expr: F('arr'), body: stmt(call('print', F('v'))) },
    ]);
    expect(prog('for (let k, v in {}) {}')).toEqual([
      { kind: 'ForIn', keyVar: 'k', valueVar: 'v', expr: { kind: 'Dict', entries: [] }, body: { kind: 'Block', body: [] } },
    ]);
  });

  test('parses fun and fn declarations, with a trailing comma in the parameters', () => {
    expect(prog('fun f(a, b,) { return a } fn g() {}')).toEqual([
      { kind: 'Function', name: 'f', params: ['a', 'b'], body: { kind: 'Block', body: [{ kind: 'Return', expr: F('a') }] } },
      { kind: 'Function', name: 'g', params: [], body: { kind: 'Block', body: [] } },
    ]);
  });

  test('parses try with typed, untyped and bare catches, and finally', () => {
    expect(prog('try { throw Error() } catch (e: RetryError) { } catch (e) { } catch { } finally { }')).toEqual([
      {
        kind: 'Try',
        body: { kind: 'Block', body: [{ kind: 'Throw', expr: call('Error') }] },
        catches: [
          { varName: 'e', typeName: 'RetryError', body: { kind: 'Block', body: [] } },
          { varName: 'e', body: { kind: 'Block', body: [] } },
          { body: { kind: 'Block', body: [] } },
        ],
        finally: { kind: 'Block', body: [] },
      },
    ]);
  });

  test('parses return and throw with and without an expression', () => {
    expect(prog('fn f() { return } fn g() { return; } throw')).toEqual([
      { kind: 'Function', name: 'f', params: [], body: { kind: 'Block', body: [{ kind: 'Return' }] } },
      { kind: 'Function', name: 'g', params: [], body: { kind: 'Block', body: [{ kind: 'Return' }] } },
      { kind: 'Throw' },
    ]);
  });

  test('takes the expression on the next line after return', () => {
    expect(prog('return\n 2 + 2')).toEqual([{ kind: 'Return', expr: arith('+', C(2), C(2)) }]);
  });

  test('splits return\\n a := 1 into a bare return and an assignment', () => {
    expect(prog('fn f() { return\n a := 1 }')).toEqual([
      {
        kind: 'Function',
        name: 'f',
        params: [],
        body: { kind: 'Block', body: [{ kind: 'Return' }, { kind: 'Assign', target: F('a'), value: C(1) }] },
      },
    ]);
  });

  test('parses nested blocks', () => {
    expect(prog('{ let a := 1 { a } }')).toEqual([
      { kind: 'Block', body: [{ kind: 'VarDecl', name: 'a', init: C(1) }, { kind: 'Block', body: [stmt(F('a'))] }] },
    ]);
  });

  test('reads {} and {x} as blocks but {k: v} as a dict at the start of a statement', () => {
    expect(prog('{}')).toEqual([{ kind: 'Block', body: [] }]);
    expect(prog('{x}')).toEqual([{ kind: 'Block', body: [stmt(F('x'))] }]);
    expect(prog("{'a': 1}")).toEqual([stmt({ kind: 'Dict', entries: [{ key: C('a'), value: C(1) }] })]);
  });

  test('reads a brace statement followed by an operator as an expression: {} ? a : b', () => {
    expect(prog('{} ? a : b')).toEqual([stmt(call('if', { kind: 'Dict', entries: [] }, F('a'), F('b')))]);
  });

  test('starts a new statement at [ when the brackets hold a list, as PostHog does', () => {
    expect(prog('a\n[1, 2]')).toEqual([stmt(F('a')), stmt({ kind: 'Array', items: [C(1), C(2)] })]);
    expect(prog('a\n[1]')).toEqual([stmt(prop(F('a'), C(1)))]);
  });

  test('reads if (…) as a call when it cannot be an if statement', () => {
    expect(prog('if(a, b, c)')).toEqual([stmt(call('if', F('a'), F('b'), F('c')))]);
    expect(prog('if (x) let y := 1')).toEqual([stmt(call('if', F('x'))), { kind: 'VarDecl', name: 'y', init: C(1) }]);
  });
});

describe('keywords as names', () => {
  test('allows non-reserved keywords as declared names', () => {
    expect(prog('let select := 1 let from := 2 let if := 3 let return := 4 let in := 5')).toEqual([
      { kind: 'VarDecl', name: 'select', init: C(1) },
      { kind: 'VarDecl', name: 'from', init: C(2) },
      { kind: 'VarDecl', name: 'if', init: C(3) },
      { kind: 'VarDecl', name: 'return', init: C(4) },
      { kind: 'VarDecl', name: 'in', init: C(5) },
    ]);
  });

  test('always reads true and false as booleans, even after let true := 1', () => {
    expect(prog('let true := 1 print(true)')).toEqual([
      { kind: 'VarDecl', name: 'true', init: C(1) },
      stmt(call('print', C(true))),
    ]);
  });

  test.each(['let', 'fn', 'fun', 'while', 'try', 'catch', 'finally', 'throw', 'null'])('rejects %s as a declared name', (kw) => {
    expect(errorsOf(`let ${kw} := 1`).length).toBeGreaterThan(0);
  });
});

describe('diagnostics', () => {
  test('reports an unexpected character with its position', () => {
    expect(errorsOf('let a := 1\nlet b := !a')).toEqual(["Unexpected character '!' at 2:10"]);
    expect(errorsOf('a && b')).toEqual(["Unexpected character '&' at 1:3"]);
  });

  test("reports a missing ')' at the token found instead", () => {
    expect(errorsOf('print(1\nlet x := 2')).toEqual(["Expected ')' at 2:1"]);
    expect(errorsOf('let x := (1 + 2\n  let y')).toEqual(["Expected ')' at 2:3"]);
  });

  test('reports a missing expression', () => {
    expect(errorsOf('let x := ;')).toEqual(['Expected expression at 1:10']);
    expect(errorsOf('let x := ')).toEqual(['Expected expression at 1:10']);
  });

  test('reports an unexpected else', () => {
    expect(errorsOf('x := 1 else y')).toEqual(["Unexpected token 'else' at 1:8"]);
  });

  test('reports an unterminated string at its opening quote', () => {
    expect(errorsOf("print('abc)")).toContain('Unterminated string at 1:7');
  });

  test('reports an invalid escape', () => {
    expect(errorsOf("print('a\\zb')")).toEqual(["Invalid escape sequence '\\z' at 1:9"]);
  });

  test('reports () that is not a lambda', () => {
    expect(errorsOf('let x := ()')).toEqual(['Expected expression at 1:11']);
  });

  test('rejects a declaration as the body of while and for', () => {
    expect(errorsOf('while (x) let y := 1')).toEqual(["Unexpected token 'let' at 1:11"]);
  });

  test('recovers at the next statement and reports later errors too', () => {
    expect(errorsOf('let a := (1 +;\nlet b := 2\nlet c := ]\nprint(a)')).toEqual([
      'Expected expression at 1:14',
      'Expected expression at 3:10',
    ]);
  });

  test('reports one error per broken statement, not a cascade', () => {
    expect(errorsOf('f(1, 2 3 4 5 6)')).toHaveLength(1);
  });

  test('reports unbalanced braces', () => {
    expect(errorsOf('fn f() { return 1')).toEqual(["Expected '}' at 1:18"]);
    expect(errorsOf('}')).toEqual(["Unexpected token '}' at 1:1"]);
  });

  test('reports nesting deeper than the cap instead of overflowing the stack', () => {
    const deep = '('.repeat(5000) + '1' + ')'.repeat(5000);
    expect(errorsOf(deep)[0]).toMatch(/^Nesting too deep/);
    const blocks = '{'.repeat(5000) + '}'.repeat(5000);
    expect(errorsOf(blocks)).toEqual(['Nesting too deep (more than 256 levels) at 1:257']);
    expect(errorsOf('- '.repeat(5000) + '1')[0]).toMatch(/^Nesting too deep/);
  });

  test('accepts nesting just under the cap', () => {
    expect(errorsOf('('.repeat(200) + '1' + ')'.repeat(200))).toEqual([]);
  });

  test('gives every node the position of its first token', () => {
    const { program } = parseProgram('let x := 1\n  print(a + b)');
    const call2 = (program.body[1] as { expr: Expr }).expr;
    expect(call2.pos).toEqual({ line: 2, column: 3, offset: 13 });
    const sum = (call2 as { args: Expr[] }).args[0];
    expect(sum.pos).toEqual({ line: 2, column: 9, offset: 19 });
  });
});

describe('parseExpression', () => {
  test('parses one whole expression', () => {
    expect(expr("event.event = '$pageview' and person.properties.email ilike '%@posthog.com'")).toEqual(
      and(cmp('==', F('event', 'event'), C('$pageview')), cmp('ilike', F('person', 'properties', 'email'), C('%@posthog.com'))),
    );
  });

  test('rejects trailing tokens and empty input', () => {
    expect(parseExpression('1 2').diagnostics.map(formatDiagnostic)).toEqual(["Unexpected token '2' at 1:3"]);
    expect(parseExpression('').expr).toBeNull();
    expect(parseExpression('   ').diagnostics).toHaveLength(1);
  });
});

describe('parseTemplate', () => {
  const template = (text: string) => {
    const { expr: e, diagnostics } = parseTemplate(text);
    expect(diagnostics).toEqual([]);
    return strip(e);
  };

  test('gives a constant string for text without holes', () => {
    expect(template("it's a \\ b")).toEqual(C("it's a \\ b"));
    expect(template('')).toEqual(C(''));
  });

  test('gives the expression itself, keeping its type, for a lone hole', () => {
    expect(template('{event.properties.count}')).toEqual(F('event', 'properties', 'count'));
    expect(template('{[1, 2]}')).toEqual({ kind: 'Array', items: [C(1), C(2)] });
  });

  test('concatenates text and holes otherwise', () => {
    expect(template('https://x.com/{event.uuid}?q={inputs.q}')).toEqual(
      call('concat', C('https://x.com/'), F('event', 'uuid'), C('?q='), F('inputs', 'q')),
    );
  });

  test('unescapes \\{, \\} and \\\\ and keeps other characters literal', () => {
    expect(template('\\{"a": 1\\} \\\\ \\n \' }')).toEqual(C('{"a": 1} \\ \\n \' }'));
  });

  test('allows strings with braces and dicts inside holes', () => {
    expect(template("{concat('}', '{')}")).toEqual(call('concat', C('}'), C('{')));
    expect(template("{ {'a': 1} }")).toEqual({ kind: 'Dict', entries: [{ key: C('a'), value: C(1) }] });
  });

  test('reports an unclosed { at its position, relative to the template', () => {
    const { diagnostics } = parseTemplate('Hello\n  {person.name');
    expect(diagnostics.map(formatDiagnostic)).toEqual(["Unclosed '{' at 2:3"]);
  });

  test('reports a bad expression inside a hole and keeps going', () => {
    const { diagnostics } = parseTemplate('a {1 +} b {!x} c');
    expect(diagnostics.map(formatDiagnostic)).toEqual(["Expected expression at 1:7", "Unexpected character '!' at 1:12"]);
  });
});

describe('HogQLX tags', () => {
  const tag = (name: string, attributes: unknown[], children: unknown[] = []) => ({ kind: 'HogQLXTag', tag: name, attributes, children });

  test('parses a self-closing tag', () => {
    expect(expr('<hr/>')).toEqual(tag('hr', []));
    expect(expr("<a href='x' />")).toEqual(tag('a', [{ name: 'href', value: C('x') }]));
  });

  test('parses attributes given as strings, expressions or nothing (true)', () => {
    expect(expr("<span a='x' b={1 + 2} c></span>")).toEqual(
      tag('span', [
        { name: 'a', value: C('x') },
        { name: 'b', value: arith('+', C(1), C(2)) },
        { name: 'c', value: C(true) },
      ]),
    );
  });

  test('parses text, expression and tag children, keeping text verbatim', () => {
    expect(expr("<p>it's {x} > <b>bold</b></p>")).toEqual(
      tag('p', [], [C("it's "), F('x'), C(' > '), tag('b', [], [C('bold')])]),
    );
  });

  test('drops whitespace-only text that spans lines, as PostHog does', () => {
    expect(expr('<div>\n  <b/>\n  text\n</div>')).toEqual(tag('div', [], [tag('b', []), C('\n  text\n')]));
    expect(expr('<div>  </div>')).toEqual(tag('div', [], [C('  ')]));
  });

  test('starts a tag only where a value cannot end, so a <b stays a comparison', () => {
    expect(expr('a <b')).toEqual(cmp('<', F('a'), F('b')));
    expect(prog('return <a/>')).toEqual([{ kind: 'Return', expr: tag('a', []) }]);
  });

  test('reports mismatched and unterminated tags', () => {
    expect(errorsOf('let x := <a></b>')).toEqual(["Expected '</a>', found '</b>' at 1:13"]);
    expect(errorsOf('let x := <a><b></a>')[0]).toMatch(/^(Unterminated tag|Expected)/);
    expect(errorsOf('let x := <a>text')).toEqual(['Unterminated tag at 1:10']);
  });
});

describe('known gotchas of the grammar', () => {
  test("parses --1 as a comment: 1--1 is just 1", () => {
    expect(prog('1--1')).toEqual([stmt(C(1))]);
  });

  test('parses 1_000 as two statements', () => {
    expect(prog('1_000')).toEqual([stmt(C(1)), stmt(F('_000'))]);
  });

  test('parses a program that mixes every statement form', () => {
    const src = `
      fun fib(n) {
        if (n < 2) { return n }
        return fib(n - 1) + fib(n - 2)
      }
      let results := []
      for (let i := 0; i < 10; i := i + 1) { results := arrayPushBack(results, fib(i)) }
      let total := 0
      for (let k, v in results) total := total + v
      while (total > 100) total := total / 2
      let safe := x -> x ?? 'none'
      try {
        throw HogError('Oops', 'msg', {'a': 1})
      } catch (e: Oops) {
        print(f'caught {e.message}: {e.payload?.a}')
      } catch (e) {
        print(e)
      }
      return {'total': total, 'safe': safe(null), 'ok': total between 0 and 100}
    `;
    expect(errorsOf(src)).toEqual([]);
    expect(prog(src).map((s) => (s as { kind: string }).kind)).toEqual([
      'Function', 'VarDecl', 'For', 'VarDecl', 'ForIn', 'While', 'VarDecl', 'Try', 'Return',
    ]);
  });
});
