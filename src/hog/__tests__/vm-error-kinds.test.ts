/**
 * Every error that ends a run says what kind it is — `limit`, `runtime` or `uncaught` — so hosts never
 * read the message to decide what it means. Messages stay PostHog's (test/hog checks them); here only
 * the kinds, and that a message cannot pass for another kind.
 */
import { describe, expect, test } from 'vitest';
import { HogRuntimeError, HogVMError, hogErrorKind, UncaughtHogError, type HogErrorKind } from '../errors.js';
import { compileProgramSource } from '../index.js';
import { exec, resume, type ExecOptions } from '../vm/vm.js';

function compile(source: string) {
  const compiled = compileProgramSource(source);
  expect(compiled.diagnostics).toEqual([]);
  return compiled.bytecode;
}

/** Runs `source` and returns the error it ended with (fails the test when it ended without one). */
function errorOf(source: string, options: ExecOptions = {}): HogRuntimeError {
  try {
    exec(compile(source), { timeout: 5_000, print: () => {}, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(HogRuntimeError);
    return error as HogRuntimeError;
  }
  throw new Error(`expected ${JSON.stringify(source)} to fail`);
}

function expectKind(source: string, kind: HogErrorKind, message: string | RegExp, options: ExecOptions = {}): HogRuntimeError {
  const error = errorOf(source, options);
  expect({ kind: error.kind, name: error.name }).toEqual({ kind, name: kind === 'uncaught' ? 'UncaughtHogError' : 'HogVMError' });
  expect(hogErrorKind(error)).toBe(kind);
  if (typeof message === 'string') expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
  return error;
}

const BOMB = 'let a := [1, 2, 3, 4, 5, 6, 7, 8]; for (let i := 0; i < 27; i := i + 1) { a := [a, a] }';

describe('limit: the run hit one of its execution limits', () => {
  test('an infinite loop runs out of time', () => {
    expectKind('while (true) { }', 'limit', /^Execution timed out after 0\.05 seconds\. Performed \d+ ops\.$/, { timeout: 50 });
  });

  test('unbounded recursion runs out of call stack', () => {
    expectKind('fun f(n) { return f(n + 1) } f(0)', 'limit', 'Call stack exceeded maximum length of 1000');
  });

  test('a memory bomb runs out of memory, also when it is the payload of a throw', () => {
    const limit = /^Memory limit of 67108864 bytes exceeded\. Tried to allocate \d+ bytes\.$/;
    expectKind(`${BOMB}; print(jsonStringify(a))`, 'limit', limit);
    expectKind(`${BOMB}; throw Error('boom', {'data': a})`, 'limit', limit);
  });

  test('a string doubled until it is too large', () => {
    expectKind("let s := 'x'; while (true) { s := s || s }", 'limit', /^Memory limit of 1000000 bytes exceeded/, { memoryLimit: 1_000_000 });
  });

  test('a value nested too deep for the engine to walk', () => {
    const error = expectKind('let a := []; for (let i := 0; i < 200000; i := i + 1) { a := [a] } return a', 'limit', 'Maximum call stack size exceeded');
    expect(error.cause).toBeInstanceOf(RangeError);
  });

  test('more arguments in one call than the VM takes', () => {
    expectKind(`return concat(${Array.from({ length: 301 }, () => "'a'").join(', ')})`, 'limit', 'Too many arguments');
  });

  test('range() past its cap', () => {
    expectKind('return range(100000000)', 'limit', 'range() would create 100000000 elements; the limit is 10000000');
  });

  test('more async steps than allowed, and a resumed run out of time', () => {
    const options = { asyncFunctions: ['fetch'], maxAsyncSteps: 1 };
    const suspended = exec(compile("fetch('a'); fetch('b')"), options);
    expect(suspended.finished).toBe(false);
    let error: unknown;
    try {
      resume(suspended.state, null, options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HogVMError);
    expect(error).toMatchObject({ kind: 'limit', message: 'Exceeded maximum number of async steps: 1' });

    const looping = exec(compile("fetch('a'); while (true) { }"), { asyncFunctions: ['fetch'] });
    expect(() => resume(looping.state, null, { asyncFunctions: ['fetch'], timeout: 30 })).toThrow(
      expect.objectContaining({ kind: 'limit', message: expect.stringMatching(/^Execution timed out after 0\.03 seconds/) }),
    );
  });
});

describe('runtime: the VM or the standard library refused an operation', () => {
  test('an unknown function', () => {
    expectKind('return nope(1)', 'runtime', 'Unsupported function call: nope');
  });

  test('type errors and bad arguments', () => {
    expectKind("let s := 'text'; s.x := 1", 'runtime', 'Can not set x on non-object: string');
    expectKind('let i := 0; return [1, 2][i]', 'runtime', 'Hog arrays start from index 1');
    expectKind('return 1 in 2', 'runtime', /^Can not use IN on a value of type/);
    expectKind("return lower('a', 'b', 'c')", 'runtime', /^Function lower requires/);
    expectKind('throw 1', 'runtime', 'Can not throw: value is not of type Error');
  });

  test('a missing global', () => {
    expectKind('return event.name', 'runtime', 'Global variable not found: event.name');
  });

  test('an error whose text reads like a limit is still a runtime error', () => {
    expectKind("return jsonParse('timed out')", 'runtime', /timed out/);
    const hostError = errorOf('return host()', { functions: { host: () => { throw new Error('Memory limit of 1 bytes exceeded. Tried to allocate 2 bytes.'); } } });
    expect(hostError).toMatchObject({ kind: 'runtime', message: 'Memory limit of 1 bytes exceeded. Tried to allocate 2 bytes.' });
  });

  test('a host RangeError that is not the engine running out of stack stays a runtime error', () => {
    const error = errorOf('return host()', { functions: { host: () => { throw new RangeError('Invalid time value'); } } });
    expect(error).toMatchObject({ kind: 'runtime', message: 'Invalid time value' });
  });
});

describe('uncaught: a Hog throw that no try caught', () => {
  test("throw Error('x') keeps the thrown error", () => {
    const error = expectKind("throw Error('x')", 'uncaught', 'x');
    expect(error).toBeInstanceOf(UncaughtHogError);
    expect((error as UncaughtHogError).type).toBe('Error');
    expect((error as UncaughtHogError).payload).toBeNull();
  });

  test('a custom error type with a payload', () => {
    const error = expectKind("throw HogError('RetryError', 'try later', {'after': 5})", 'uncaught', 'try later') as UncaughtHogError;
    expect([error.type, error.payload]).toEqual(['RetryError', new Map([['after', 5]])]);
  });

  test('a thrown message that reads like a limit is not a limit', () => {
    expectKind("throw Error('Execution timed out after 0.1 seconds. Memory limit exceeded')", 'uncaught', 'Execution timed out after 0.1 seconds. Memory limit exceeded');
  });

  test('a caught throw ends nothing', () => {
    const result = exec(compile("try { throw Error('x') } catch (e) { return e.message }"));
    expect(result).toMatchObject({ finished: true, result: 'x' });
  });
});

test('only errors of a Hog run have a kind', () => {
  expect(hogErrorKind(new Error('Execution timed out'))).toBeNull();
  expect(hogErrorKind('limit')).toBeNull();
  expect(new HogVMError('x').kind).toBe('runtime');
});
