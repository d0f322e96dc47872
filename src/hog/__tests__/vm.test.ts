import { describe, expect, test } from 'vitest';
import { Op } from '../bytecode/opcodes.js';
import { HogVMError, UncaughtHogError } from '../errors.js';
import { exec, type ExecOptions, execAsync, execSync, resume, type VMState } from '../vm/vm.js';
import {
  call,
  closure,
  fn,
  global,
  H,
  ifElse,
  int,
  local,
  print,
  runPosthog,
  str,
  tryCatch,
  whileLoop,
} from './vm-helpers.js';

type Cell = string | number | boolean | null;

/** Run on our VM, capturing printed lines; errors come back as their message. */
function runOurs(bytecode: unknown, options: ExecOptions = {}): { result?: unknown; error?: string; lines: string[] } {
  const lines: string[] = [];
  try {
    const result = execSync(bytecode as Cell[], { print: (line) => lines.push(line), ...options });
    return { result, lines };
  } catch (e) {
    return { error: (e as Error).message, lines };
  }
}

/** Same bytecode on both VMs: same result (or error message) and same printed lines. */
function expectSameAsPosthog(bytecode: Cell[], options: Record<string, unknown> = {}): unknown {
  const ours = runOurs(bytecode, options as ExecOptions);
  const theirs = runPosthog(bytecode, options);
  expect(ours).toEqual(theirs);
  return ours.result;
}

const J = (state: VMState): VMState => JSON.parse(JSON.stringify(state)) as VMState;

describe('constants, arithmetic and logic', () => {
  test.each<[string, Cell[], unknown]>([
    ['adds with the left operand on top', H(...int(2), ...int(1), Op.PLUS), 3],
    ['subtracts left - right', H(...int(2), ...int(10), Op.MINUS), 8],
    ['divides as floats', H(...int(2), ...int(3), Op.DIVIDE), 1.5],
    ['keeps the sign of the dividend in MOD', H(...int(3), ...int(-7), Op.MOD), -1],
    ['multiplies floats', H(Op.FLOAT, 2.5, ...int(4), Op.MULTIPLY), 10],
    ['coerces null to 0 in arithmetic', H(...int(1), Op.NULL, Op.PLUS), 1],
    ['coerces numeric strings in arithmetic', H(...int(2), ...str('1'), Op.PLUS), 3],
    ['AND is true only when all operands are truthy', H(...int(1), ...str('a'), Op.TRUE, Op.AND, 3), true],
    ['AND with a falsy operand', H(...int(1), ...str(''), Op.AND, 2), false],
    ['OR never short-circuits and yields booleans', H(...int(0), ...str(''), Op.NULL, Op.OR, 3), false],
    ['NOT uses JS truthiness', H(...str('0'), Op.NOT), false],
    ['pushes large integers from the constant table', H(...int(2 ** 40)), 2 ** 40],
  ])('%s', (_name, bytecode, expected) => {
    expect(expectSameAsPosthog(bytecode)).toEqual(expected);
  });
});

describe('comparisons (unifyComparisonTypes)', () => {
  const cmp = (op: number, left: Cell[], right: Cell[]): Cell[] => H(...right, ...left, op);
  test.each<[string, Cell[], boolean]>([
    ["'1' == 1", cmp(Op.EQ, str('1'), int(1)), true],
    ['true == 1', cmp(Op.EQ, [Op.TRUE], int(1)), true],
    ['2 != true', cmp(Op.NOT_EQ, int(2), [Op.TRUE]), true],
    ["'abc' == 1 is false", cmp(Op.EQ, str('abc'), int(1)), false],
    ["'abc' != 1", cmp(Op.NOT_EQ, str('abc'), int(1)), true],
    ["'' == 0", cmp(Op.EQ, str(''), int(0)), true],
    ["'true' == true", cmp(Op.EQ, str('true'), [Op.TRUE]), true],
    ['null == null', cmp(Op.EQ, [Op.NULL], [Op.NULL]), true],
    ['null == 0 is false', cmp(Op.EQ, [Op.NULL], int(0)), false],
    ['null < 3 (null orders like 0)', cmp(Op.LT, [Op.NULL], int(3)), true],
    ['null > 3 is false', cmp(Op.GT, [Op.NULL], int(3)), false],
    ["1 < '2'", cmp(Op.LT, int(1), str('2')), true],
    ["'B' < 'a'", cmp(Op.LT, str('B'), str('a')), true],
    ['[1,2] == [1,2]', cmp(Op.EQ, [...int(1), ...int(2), Op.ARRAY, 2], [...int(1), ...int(2), Op.ARRAY, 2]), true],
    ['[1,2] < [1,3]', cmp(Op.LT, [...int(1), ...int(2), Op.ARRAY, 2], [...int(1), ...int(3), Op.ARRAY, 2]), true],
    ['[1] <= [1,0]', cmp(Op.LT_EQ, [...int(1), Op.ARRAY, 1], [...int(1), ...int(0), Op.ARRAY, 2]), true],
    ["[1,'a'] == [1,'a'] is false (identity)", cmp(Op.EQ, [...int(1), ...str('a'), Op.ARRAY, 2], [...int(1), ...str('a'), Op.ARRAY, 2]), false],
    ['{} == {} is false (identity)', cmp(Op.EQ, [Op.DICT, 0], [Op.DICT, 0]), false],
    ['3 >= 3', cmp(Op.GT_EQ, int(3), int(3)), true],
  ])('%s', (_name, bytecode, expected) => {
    expect(expectSameAsPosthog(bytecode)).toBe(expected);
  });

  test('compares a datetime with a date string by epoch seconds', () => {
    const dt = { __hogDateTime__: true, dt: 1714739696, zone: 'UTC' };
    const bytecode = H(...str('2024-01-01'), ...global('d'), Op.GT);
    expect(execSync(bytecode, { globals: { d: dt } })).toBe(true);
  });
});

describe('membership and pattern matching', () => {
  test.each<[string, Cell[], boolean]>([
    ["'a' in 'car'", H(...str('car'), ...str('a'), Op.IN), true],
    ["'1' in [1] is false", H(...int(1), Op.ARRAY, 1, ...str('1'), Op.IN), false],
    ['1 in [1.0]', H(Op.FLOAT, 1.0, Op.ARRAY, 1, ...int(1), Op.IN), true],
    ['3 not in [1, 2]', H(...int(1), ...int(2), Op.ARRAY, 2, ...int(3), Op.NOT_IN), true],
    ["'banana' like 'n'", H(...str('n'), ...str('banana'), Op.LIKE), true],
    ["'Banana' ilike '%NAN%'", H(...str('%NAN%'), ...str('Banana'), Op.ILIKE), true],
    ["'banana' not like 'x_'", H(...str('x_'), ...str('banana'), Op.NOT_LIKE), true],
    ["'Banana' not ilike 'b%'", H(...str('b%'), ...str('Banana'), Op.NOT_ILIKE), false],
    ["'hello' =~ 'l+o'", H(...str('l+o'), ...str('hello'), Op.REGEX), true],
    ["'HELLO' =~* 'l+o'", H(...str('l+o'), ...str('HELLO'), Op.IREGEX), true],
    ["'HELLO' !~ 'l+o'", H(...str('l+o'), ...str('HELLO'), Op.NOT_REGEX), true],
    ["'HELLO' !~* 'l+o'", H(...str('l+o'), ...str('HELLO'), Op.NOT_IREGEX), false],
    ['null =~ x is false', H(...str('x'), Op.NULL, Op.REGEX), false],
    ["'' =~ '' is false", H(...str(''), ...str(''), Op.REGEX), false],
  ])('%s', (_name, bytecode, expected) => {
    expect(expectSameAsPosthog(bytecode)).toBe(expected);
  });
});

describe('locals, jumps and collections', () => {
  test('sums 1..10 in a while loop with GET_LOCAL/SET_LOCAL and relative jumps', () => {
    const bytecode = H(
      ...int(0), // sum
      ...int(1), // i
      ...whileLoop(
        [...int(10), ...local(1), Op.LT_EQ],
        [...local(1), ...local(0), Op.PLUS, Op.SET_LOCAL, 0, ...int(1), ...local(1), Op.PLUS, Op.SET_LOCAL, 1],
      ),
      ...local(0),
      Op.RETURN,
    );
    expect(expectSameAsPosthog(bytecode)).toBe(55);
  });

  test('ifElse picks the right branch and JUMP_IF_STACK_NOT_NULL implements ??', () => {
    expect(expectSameAsPosthog(H(...ifElse([Op.FALSE], int(1), int(2))))).toBe(2);
    expect(expectSameAsPosthog(H(Op.NULL, Op.JUMP_IF_STACK_NOT_NULL, 3, Op.POP, ...int(7)))).toBe(7);
    expect(expectSameAsPosthog(H(...int(5), Op.JUMP_IF_STACK_NOT_NULL, 3, Op.POP, ...int(7)))).toBe(5);
  });

  test('builds dicts, arrays and tuples in push order', () => {
    const bytecode = H(
      ...str('a'), ...int(1), ...str('b'), ...int(1), ...int(2), Op.TUPLE, 2, Op.DICT, 2,
      ...int(1), ...int(2), ...int(3), Op.ARRAY, 3, Op.ARRAY, 2,
    );
    expect(expectSameAsPosthog(bytecode)).toEqual([{ a: 1, b: [1, 2] }, [1, 2, 3]]);
  });

  test('reads properties: dict keys, 1-based and negative array indexes, nulls elsewhere', () => {
    const arr = [...int(10), ...int(20), ...int(30), Op.ARRAY, 3];
    expect(expectSameAsPosthog(H(...arr, ...int(1), Op.GET_PROPERTY))).toBe(10);
    expect(expectSameAsPosthog(H(...arr, ...int(-1), Op.GET_PROPERTY))).toBe(30);
    expect(expectSameAsPosthog(H(...arr, ...int(4), Op.GET_PROPERTY))).toBe(null);
    expect(expectSameAsPosthog(H(...str('k'), ...int(1), Op.DICT, 1, ...str('k'), Op.GET_PROPERTY))).toBe(1);
    expect(expectSameAsPosthog(H(...str('k'), ...int(1), Op.DICT, 1, ...str('x'), Op.GET_PROPERTY_NULLISH))).toBe(null);
    expect(expectSameAsPosthog(H(...str('abc'), ...int(1), Op.GET_PROPERTY))).toBe(null);
    expect(expectSameAsPosthog(H(Op.NULL, ...str('a'), Op.GET_PROPERTY))).toBe(null);
    expect(runOurs(H(...arr, ...int(0), Op.GET_PROPERTY)).error).toBe('Hog arrays start from index 1');
  });

  test('dict keys keep their identity: 1 and "1" differ', () => {
    const bytecode = H(...int(1), ...str('one'), Op.DICT, 1, ...str('1'), Op.GET_PROPERTY);
    expect(expectSameAsPosthog(bytecode)).toBe(null);
  });

  test('SET_PROPERTY mutates dicts and arrays in place', () => {
    const bytecode = H(
      Op.DICT, 0, // local 0
      ...int(1), ...int(2), Op.ARRAY, 2, // local 1
      ...local(0), ...str('k'), ...str('v'), Op.SET_PROPERTY,
      ...local(1), ...int(2), ...int(99), Op.SET_PROPERTY,
      ...local(0), ...local(1), Op.ARRAY, 2, Op.RETURN,
    );
    expect(expectSameAsPosthog(bytecode)).toEqual([{ k: 'v' }, [1, 99]]);
  });

  test('SET_PROPERTY errors: index 0 and non-objects', () => {
    expect(runOurs(H(Op.ARRAY, 0, ...int(0), ...int(1), Op.SET_PROPERTY)).error).toBe('Hog arrays start from index 1');
    expect(runOurs(H(...int(5), ...str('a'), ...int(1), Op.SET_PROPERTY)).error).toBe('Can not set a on non-object: number');
  });

  test('writing past the end of an array extends it with nulls', () => {
    const bytecode = H(Op.ARRAY, 0, ...local(0), ...int(3), ...str('x'), Op.SET_PROPERTY, ...local(0), Op.RETURN);
    expect(execSync(bytecode)).toEqual([null, null, 'x']);
  });

  test('the program result is the last value left on the stack, else null', () => {
    expect(execSync(H(...int(1), ...int(2)))).toBe(2);
    expect(execSync(H(...int(1), Op.POP))).toBe(null);
    expect(execSync(H())).toBe(null);
  });
});

describe('globals', () => {
  const globals = { event: { properties: { $browser: 'Chrome', list: [1, 2] } }, n: 3 };

  test('reads nested globals and gives null for a missing nested key', () => {
    expect(expectSameAsPosthog(H(...global('event', 'properties', '$browser')), { globals })).toBe('Chrome');
    expect(expectSameAsPosthog(H(...global('event', 'nope', 'deeper')), { globals })).toBe(null);
    expect(expectSameAsPosthog(H(...global('n')), { globals })).toBe(3);
  });

  test('a missing root global is an error naming the chain', () => {
    expect(expectSameAsPosthog(H(...global('a', 'b')), { globals })).toBeUndefined();
    expect(runOurs(H(...global('a', 'b')), { globals }).error).toBe('Global variable not found: a.b');
  });

  test('globals are deep copies: mutating one never changes the host object or a later read', () => {
    const host = { obj: { a: 1 } };
    const bytecode = H(
      ...global('obj'), ...str('a'), ...int(2), Op.SET_PROPERTY,
      ...global('obj', 'a'),
    );
    expect(execSync(bytecode, { globals: host })).toBe(1);
    expect(host.obj.a).toBe(1);
  });

  test('options.globals are merged over bytecodes.root.globals', () => {
    const input = { bytecodes: { root: { bytecode: H(...global('a'), ...global('b'), Op.ARRAY, 2), globals: { a: 1, b: 2 } } } };
    expect(execSync(input, { globals: { b: 3 } })).toEqual([1, 3]);
  });

  test('STL names become callable closures', () => {
    const bytecode = H(...str('x'), ...global('typeof'), Op.CALL_LOCAL, 1);
    expect(expectSameAsPosthog(bytecode)).toBe('string');
  });
});

describe('functions and closures', () => {
  // fun add(a, b) { return a + b }
  const add = [...fn('add', 2, 0, [...local(1), ...local(0), Op.PLUS, Op.RETURN]), ...closure()];

  test('calls a local function with CALL_LOCAL', () => {
    expect(expectSameAsPosthog(H(...add, ...int(2), ...int(3), ...local(0), Op.CALL_LOCAL, 2, Op.RETURN))).toBe(5);
  });

  test('pads missing arguments with null', () => {
    // fun f(a, b) { return b }
    const f = [...fn('f', 2, 0, [...local(1), Op.RETURN]), ...closure()];
    expect(expectSameAsPosthog(H(...f, ...int(1), ...local(0), Op.CALL_LOCAL, 1, Op.RETURN))).toBe(null);
  });

  test('too many arguments is an error', () => {
    const f = [...fn('f', 1, 0, [Op.NULL, Op.RETURN]), ...closure()];
    const bytecode = H(...f, ...int(1), ...int(2), ...local(0), Op.CALL_LOCAL, 2);
    expect(runOurs(bytecode).error).toBe('Too many arguments. Passed 2, expected 1');
  });

  test('recursion: fib(15)', () => {
    // fun fib(n) { if (n < 2) return n; return fib(n - 1) + fib(n - 2) }  (fib is upvalue 0)
    const body = [
      ...ifElse([...int(2), ...local(0), Op.LT], [...local(0), Op.RETURN], []),
      ...int(2), ...local(0), Op.MINUS, Op.GET_UPVALUE, 0, Op.CALL_LOCAL, 1,
      ...int(1), ...local(0), Op.MINUS, Op.GET_UPVALUE, 0, Op.CALL_LOCAL, 1,
      Op.PLUS, Op.RETURN,
    ];
    const bytecode = H(...fn('fib', 1, 1, body), ...closure([true, 0]), ...int(15), ...local(0), Op.CALL_LOCAL, 1, Op.RETURN);
    expect(expectSameAsPosthog(bytecode)).toBe(610);
  });

  test('two closures share one upvalue by id, and it outlives its frame', () => {
    // fun make() { let n := 0; let inc := () -> { n := n + 1; return n }; let get := () -> n; return [inc, get] }
    const inc = [...fn('inc', 0, 1, [...int(1), Op.GET_UPVALUE, 0, Op.PLUS, Op.SET_UPVALUE, 0, Op.GET_UPVALUE, 0, Op.RETURN]), ...closure([true, 0])];
    const get = [...fn('get', 0, 1, [Op.GET_UPVALUE, 0, Op.RETURN]), ...closure([true, 0])];
    const make = [...fn('make', 0, 0, [...int(0), ...inc, ...get, ...local(1), ...local(2), Op.ARRAY, 2, Op.RETURN]), ...closure()];
    const bytecode = H(
      ...make,
      ...local(0), Op.CALL_LOCAL, 0, // local 1: [inc, get]
      ...local(1), ...int(1), Op.GET_PROPERTY, Op.CALL_LOCAL, 0, Op.POP,
      ...local(1), ...int(1), Op.GET_PROPERTY, Op.CALL_LOCAL, 0, Op.POP,
      ...local(1), ...int(2), Op.GET_PROPERTY, Op.CALL_LOCAL, 0, Op.RETURN,
    );
    expect(expectSameAsPosthog(bytecode)).toBe(2);
  });

  test('CLOSE_UPVALUE closes a captured block local', () => {
    // let f; { let x := 5; f := () -> x; } x slot is reused; f() still returns 5
    const bytecode = H(
      Op.NULL, // local 0: f
      ...int(5), // local 1: x
      ...fn('f', 0, 1, [Op.GET_UPVALUE, 0, Op.RETURN]), ...closure([true, 1]), Op.SET_LOCAL, 0,
      Op.CLOSE_UPVALUE,
      ...int(99), // reuses slot 1
      ...local(0), Op.CALL_LOCAL, 0, Op.RETURN,
    );
    expect(expectSameAsPosthog(bytecode)).toBe(5);
  });

  test('a closure captures its enclosing closure’s upvalue (isLocal=false)', () => {
    // let x := 7; fun outer() { return () -> x }; outer()()
    const innerFn = [...fn('inner', 0, 1, [Op.GET_UPVALUE, 0, Op.RETURN]), ...closure([false, 0])];
    const outer = [...fn('outer', 0, 1, [...innerFn, Op.RETURN]), ...closure([true, 0])];
    const bytecode = H(...int(7), ...outer, ...local(1), Op.CALL_LOCAL, 0, Op.CALL_LOCAL, 0, Op.RETURN);
    expect(expectSameAsPosthog(bytecode)).toBe(7);
  });

  test('calling a non-closure is an error', () => {
    expect(runOurs(H(...int(1), Op.CALL_LOCAL, 0)).error).toBe('Invalid closure: 1');
  });
});

describe('global calls', () => {
  test('calls STL functions and host sync functions with conversion', () => {
    expect(expectSameAsPosthog(H(...str('abc'), ...call('length', 1)))).toBe(3);
    const functions = { double: (x: { v: number }) => ({ v: x.v * 2 }) };
    const bytecode = H(...str('v'), ...int(21), Op.DICT, 1, ...call('double', 1), ...str('v'), Op.GET_PROPERTY);
    expect(execSync(bytecode, { functions })).toBe(42);
  });

  test('checks STL arity', () => {
    expect(runOurs(H(...call('length', 0))).error).toBe('Function length requires at least 1 arguments');
    expect(runOurs(H(...int(1), ...int(2), ...call('length', 2))).error).toBe('Function length requires at most 1 arguments');
  });

  test('an unknown function is an error', () => {
    expect(runOurs(H(...call('nope', 0))).error).toBe('Unsupported function call: nope');
  });

  test('more than 300 arguments is an error', () => {
    const args = Array.from({ length: 301 }, () => [Op.NULL]).flat() as Cell[];
    expect(runOurs(H(...args, ...call('concat', 301))).error).toBe('Too many arguments');
  });

  test('print writes one line joined by spaces', () => {
    const bytecode = H(...print(str('a'), int(1), [Op.NULL]));
    expect(expectSameAsPosthog(bytecode)).toBe(null);
    expect(runOurs(bytecode).lines).toEqual(['a 1 null']);
  });

  test('import runs another chunk and returns its value', () => {
    const input = { bytecodes: { root: { bytecode: H(...str('lib'), ...call('import', 1), ...int(1), Op.PLUS) }, lib: { bytecode: H(...int(41), Op.RETURN) } } };
    expect(execSync(input)).toBe(42);
    const viaLoader = execSync(H(...str('lib'), ...call('import', 1)), { importBytecode: () => H(...int(7)) });
    expect(viaLoader).toBe(null); // an imported chunk's trailing value is dropped by the implicit return null
  });

  test('legacy _h bytecode pops CALL_GLOBAL arguments in reverse', () => {
    // v0: args pushed in reverse source order → concat('a', 'b')
    expect(expectSameAsPosthog(['_h', Op.STRING, 'b', Op.STRING, 'a', Op.CALL_GLOBAL, 'concat', 2])).toBe('ab');
  });

  test('DECLARE_FN (legacy) registers a function for CALL_GLOBAL', () => {
    // DECLARE_FN 'f' 1 <len> body: GET_LOCAL 0, INTEGER 1, PLUS, RETURN
    const body = [...int(1), ...local(0), Op.PLUS, Op.RETURN];
    const bytecode = ['_h', Op.DECLARE_FN, 'f', 1, body.length, ...body, ...int(41), Op.CALL_GLOBAL, 'f', 1];
    expect(expectSameAsPosthog(bytecode)).toBe(42);
  });
});

describe('exceptions', () => {
  const error = (msg: string): Cell[] => [...str(msg), ...call('Error', 1)];

  test('catches a thrown error and reads its fields', () => {
    const bytecode = H(...tryCatch([...error('boom'), Op.THROW], [...local(0), ...str('message'), Op.GET_PROPERTY, Op.RETURN]));
    expect(expectSameAsPosthog(bytecode)).toBe('boom');
  });

  test('unwinds across function calls, restoring both stacks', () => {
    const thrower = [...fn('thrower', 0, 0, [...int(1), ...int(2), ...error('deep'), Op.THROW]), ...closure()];
    const bytecode = H(
      ...thrower,
      ...tryCatch([...int(5), ...local(0), Op.CALL_LOCAL, 0, Op.POP, Op.POP], [...local(1), ...str('message'), Op.GET_PROPERTY, Op.RETURN]),
    );
    expect(expectSameAsPosthog(bytecode)).toBe('deep');
  });

  test('an uncaught throw raises UncaughtHogError with type, message and payload', () => {
    const bytecode = H(...str('MyError'), ...str('bad'), ...str('p'), ...int(1), Op.DICT, 1, ...call('HogError', 3), Op.THROW);
    try {
      execSync(bytecode);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UncaughtHogError);
      const err = e as UncaughtHogError;
      expect([err.type, err.message, err.payload]).toEqual(['MyError', 'bad', new Map([['p', 1]])]);
      expect(String(err)).toBe("MyError('bad')");
    }
  });

  test('throwing a non-error is a VM error', () => {
    expect(runOurs(H(...int(1), Op.THROW)).error).toBe('Can not throw: value is not of type Error');
  });

  test('catchAfterReturn: RETURN inside try drops that call’s try frame', () => {
    // fun f() { try { return 1 } catch (e) { print('wrong catch'); return 2 } }  f(); throw Error('after')
    const f = [...fn('f', 0, 0, tryCatch([...int(1), Op.RETURN], [...print(str('wrong catch')), ...int(2), Op.RETURN])), ...closure()];
    const bytecode = H(...f, ...local(0), Op.CALL_LOCAL, 0, Op.POP, ...error('after'), Op.THROW);
    const ours = runOurs(bytecode);
    expect(ours.lines).toEqual([]);
    expect(ours.error).toBe('after');
    expect(() => execSync(bytecode, { print: () => {} })).toThrow(UncaughtHogError);
  });

  test('POP_TRY without a try frame is an error', () => {
    expect(runOurs(H(Op.POP_TRY)).error).toBe('Invalid operation POP_TRY: no try block to pop');
  });

  test('VM errors are not catchable by Hog try', () => {
    expect(runOurs(H(...tryCatch([...global('missing')], [...int(1), Op.RETURN]))).error).toBe('Global variable not found: missing');
  });
});

describe('async suspension', () => {
  test('suspends on a host async function and resumes from a JSON round-tripped state', () => {
    const bytecode = H(...str('https://x'), ...int(2), ...call('fetch', 2), ...str('status'), Op.GET_PROPERTY, ...int(1), Op.PLUS, Op.RETURN);
    const first = exec(bytecode, { asyncFunctions: ['fetch'] });
    expect(first.finished).toBe(false);
    if (first.finished) return;
    expect(first.asyncFunctionName).toBe('fetch');
    expect(first.asyncFunctionArgs).toEqual(['https://x', 2]);
    expect(first.state.asyncSteps).toBe(1);
    expect(Object.keys(first.state).sort()).toEqual(
      ['asyncSteps', 'bytecodes', 'callStack', 'declaredFunctions', 'maxMemUsed', 'ops', 'stack', 'syncDuration', 'throwStack', 'upvalues'],
    );
    expect(first.state.callStack[0]!.ip).toBe(9); // PostHog ip numbers: the instruction after CALL_GLOBAL
    const second = resume(J(first.state), { status: 200 }, { asyncFunctions: ['fetch'] });
    expect(second).toMatchObject({ finished: true, result: 201 });
  });

  test('a closure and a try/catch span the suspension', () => {
    // let n := 10; let add := (x) -> x + n; try { let r := fetch(); throw Error(r) } catch (e) { return add(e.message) }
    const add = [...fn('add', 1, 1, [Op.GET_UPVALUE, 0, ...local(0), Op.PLUS, Op.RETURN]), ...closure([true, 0])];
    const bytecode = H(
      ...int(10),
      ...add,
      ...tryCatch(
        [...call('fetch', 0), ...local(2), ...call('Error', 1), Op.THROW],
        [...local(2), ...str('message'), Op.GET_PROPERTY, ...local(1), Op.CALL_LOCAL, 1, Op.RETURN],
      ),
    );
    const first = exec(bytecode, { asyncFunctions: ['fetch'] });
    expect(first.finished).toBe(false);
    const state = J(first.state);
    expect(state.throwStack).toHaveLength(1);
    expect(state.upvalues).toHaveLength(1);
    const done = resume(state, 5, { asyncFunctions: ['fetch'] });
    expect(done).toMatchObject({ finished: true, result: 15 });
  });

  test('our state resumes on @posthog/hogvm and theirs on ours', async () => {
    const { posthogExec } = await import('./vm-helpers.js');
    const bytecode = H(...int(1), ...str('a'), ...call('fetch', 1), ...local(0), Op.PLUS, Op.RETURN);
    const ours = exec(bytecode, { asyncFunctions: ['fetch'] });
    if (ours.finished) throw new Error('expected suspension');
    const state = J(ours.state);
    state.stack.push(41);
    expect(posthogExec(state, { asyncFunctions: { fetch: () => null } }).result).toBe(42);

    const theirs = posthogExec(bytecode, { asyncFunctions: { fetch: () => null } });
    const theirState = JSON.parse(JSON.stringify(theirs.state)) as VMState;
    expect(resume(theirState, 9, { asyncFunctions: ['fetch'] })).toMatchObject({ finished: true, result: 10 });
  });

  test('async closures from GET_GLOBAL suspend like CALL_GLOBAL and continue after the call', () => {
    const bytecode = H(...str('u'), ...global('fetch'), Op.CALL_LOCAL, 1, ...int(1), Op.PLUS, Op.RETURN);
    const first = exec(bytecode, { asyncFunctions: ['fetch'] });
    if (first.finished) throw new Error('expected suspension');
    expect(first.asyncFunctionArgs).toEqual(['u']);
    expect(resume(J(first.state), 1, {})).toMatchObject({ finished: true, result: 2 });
  });

  test('exec(state) with the result already pushed works PostHog-style', () => {
    const first = exec(H(...call('fetch', 0), Op.RETURN), { asyncFunctions: { fetch: true } });
    if (first.finished) throw new Error('expected suspension');
    const state = J(first.state);
    state.stack.push({ a: [1, 2] });
    expect(exec(state)).toMatchObject({ finished: true, result: { a: [1, 2] } });
  });

  test('tuples held across a suspension come back as arrays', () => {
    const bytecode = H(...int(1), ...int(2), Op.TUPLE, 2, ...call('fetch', 0), Op.POP, ...call('typeof', 1), Op.RETURN);
    const first = exec(bytecode, { asyncFunctions: ['fetch'] });
    if (first.finished) throw new Error('expected suspension');
    expect(resume(J(first.state), null).finished && (resume(J(first.state), null) as { result: unknown }).result).toBe('array');
  });

  test('execAsync loops over host async functions', async () => {
    const bytecode = H(...str('a'), ...call('fetch', 1), ...str('b'), ...call('fetch', 1), Op.PLUS);
    const result = await execAsync(bytecode, { asyncFunctions: { fetch: async (x: string) => x.charCodeAt(0) } });
    expect(result.result).toBe(97 + 98);
  });

  test('execSync refuses to suspend', () => {
    expect(() => execSync(H(...call('fetch', 0)), { asyncFunctions: ['fetch'] })).toThrow('Unexpected async function call: fetch');
  });

  test('sleep is an async STL function', async () => {
    const first = exec(H(...int(0), ...call('sleep', 1)));
    expect(first).toMatchObject({ finished: false, asyncFunctionName: 'sleep' });
    expect((await execAsync(H(...int(0), ...call('sleep', 1), Op.POP, ...int(3)))).result).toBe(3);
  });
});

describe('limits', () => {
  const infiniteLoop = H(Op.JUMP, -2);

  test('an infinite loop stops at the timeout with the op count', () => {
    const started = Date.now();
    const error = runOurs(infiniteLoop, { timeout: 50 }).error;
    expect(error).toMatch(/^Execution timed out after 0.05 seconds. Performed \d+ ops.$/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('the timeout is cumulative across resumes', () => {
    const bytecode = H(...call('fetch', 0), Op.POP, Op.JUMP, -2);
    const first = exec(bytecode, { asyncFunctions: ['fetch'], timeout: 100 });
    if (first.finished) throw new Error('expected suspension');
    const state = J(first.state);
    state.syncDuration = 99;
    expect(() => resume(state, null, { asyncFunctions: ['fetch'], timeout: 100 })).toThrow(/timed out after 0.1 seconds/);
  });

  test('a string doubling in a loop hits the memory limit quickly', () => {
    const bytecode = H(...str('x'), ...whileLoop([Op.TRUE], [...local(0), ...local(0), ...call('concat', 2), Op.SET_LOCAL, 0]));
    const started = Date.now();
    const error = runOurs(bytecode).error;
    expect(error).toMatch(/^Memory limit of 67108864 bytes exceeded. Tried to allocate \d+ bytes.$/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('a huge array built in a loop hits a small memory limit', () => {
    // let a := []; while (true) { a[length(a) + 1] := 'xxxxxxxxxx' }
    const bytecode = H(Op.ARRAY, 0, ...whileLoop([Op.TRUE], [...local(0), ...int(1), ...local(0), ...call('length', 1), Op.PLUS, ...str('xxxxxxxxxx'), Op.SET_PROPERTY]));
    expect(runOurs(bytecode, { memoryLimit: 100_000 }).error).toMatch(/^Memory limit of 100000 bytes exceeded/);
  });

  test('a dict growing in place with number keys hits the memory limit', () => {
    // let d := {}; let i := 0; while (true) { d[i] := i; i := i + 1 }
    const bytecode = H(Op.DICT, 0, ...int(0), ...whileLoop([Op.TRUE], [...local(0), ...local(1), ...local(1), Op.SET_PROPERTY, ...int(1), ...local(1), Op.PLUS, Op.SET_LOCAL, 1]));
    expect(runOurs(bytecode, { memoryLimit: 200_000 }).error).toMatch(/^Memory limit of 200000 bytes exceeded/);
  });

  test('a single giant array write is refused before allocating', () => {
    const bytecode = H(Op.ARRAY, 0, ...int(1e9), ...int(1), Op.SET_PROPERTY);
    expect(runOurs(bytecode).error).toMatch(/^Memory limit of 67108864 bytes exceeded/);
  });

  test('building and discarding small strings in a long loop stays under the limit', () => {
    // i := 0; while (i < 200000) { concat('abc', i); i := i + 1 }
    const bytecode = H(...int(0), ...whileLoop([...int(200000), ...local(0), Op.LT], [...str('abcdefghij'), ...local(0), ...call('concat', 2), Op.POP, ...int(1), ...local(0), Op.PLUS, Op.SET_LOCAL, 0]), ...local(0));
    expect(runOurs(bytecode, { memoryLimit: 1_000_000 })).toEqual({ result: 200000, lines: [] });
  });

  test('memoryLimit <= 0 disables the limit', () => {
    const bytecode = H(Op.ARRAY, 0, ...local(0), ...int(100_000), ...int(1), Op.SET_PROPERTY, ...local(0), ...call('length', 1));
    expect(runOurs(bytecode, { memoryLimit: 0 }).result).toBe(100_000);
    expect(runOurs(bytecode, { memoryLimit: 1000 }).error).toMatch(/^Memory limit of 1000 bytes exceeded/);
  });

  test('runaway recursion exceeds the call stack', () => {
    const bytecode = H(...fn('f', 0, 1, [Op.GET_UPVALUE, 0, Op.CALL_LOCAL, 0, Op.RETURN]), ...closure([true, 0]), ...local(0), Op.CALL_LOCAL, 0);
    expect(runOurs(bytecode).error).toBe('Call stack exceeded maximum length of 1000');
  });

  test('a third async call with maxAsyncSteps: 2 fails', () => {
    const bytecode = H(...call('fetch', 0), ...call('fetch', 0), ...call('fetch', 0));
    const opts = { asyncFunctions: ['fetch'], maxAsyncSteps: 2 };
    const r1 = exec(bytecode, opts);
    if (r1.finished) throw new Error('expected suspension');
    const r2 = resume(J(r1.state), 1, opts);
    if (r2.finished) throw new Error('expected suspension');
    expect(() => resume(J(r2.state), 2, opts)).toThrow(HogVMError);
    expect(() => resume(J(r2.state), 2, opts)).toThrow('Exceeded maximum number of async steps: 2');
  });

  test('errors carry a Hog stack of chunk@ip per frame', () => {
    const bytecode = H(...fn('f', 0, 0, [...global('nope'), Op.RETURN]), ...closure(), ...local(0), Op.CALL_LOCAL, 0);
    try {
      execSync(bytecode);
      expect.unreachable();
    } catch (e) {
      expect((e as HogVMError).hogStack).toEqual(['root@9', 'root@18']);
    }
  });

  test('errors are HogVMErrors, including ones thrown inside STL functions', () => {
    expect(() => execSync(infiniteLoop, { timeout: 10 })).toThrow(HogVMError);
    expect(() => execSync(H(...int(1), Op.NULL, Op.IN))).toThrow(HogVMError);
  });
});

describe('bytecode validation', () => {
  test('rejects bytecode without a header', () => {
    expect(() => execSync([Op.TRUE])).toThrow("Invalid HogQL bytecode, must start with '_H'");
  });

  test('reports an unknown opcode and a truncated instruction', () => {
    expect(runOurs(H(99)).error).toBe('Unexpected node while running bytecode in chunk "root": 99');
    expect(runOurs(H(Op.INTEGER)).error).toBe('Unexpected end of bytecode');
  });
});
