/**
 * Memory bombs through shared references. `a := [a, a]` doubles the expanded size of `a` for one
 * slot of memory, so after 27 rounds `a` is a few hundred live bytes that expand to about a billion
 * values. Every native path that walks a value out of the VM (or host data into it) must fail such a
 * value with the usual limit error, quickly, instead of expanding it until the process dies.
 */
import { describe, expect, test } from 'vitest';
import { compileExpressionSource, compileProgramSource } from '../index.js';
import { HogVMError, UncaughtHogError } from '../errors.js';
import { jsToHog, hogToJs } from '../convert.js';
import { printHogValue } from '../stdlib/print.js';
import { exec, type ExecOptions, type ExecResult, execSync, resume } from '../vm/vm.js';
import type { Bytecode } from '../bytecode/opcodes.js';

const BOMB = 'let a := [1, 2, 3, 4, 5, 6, 7, 8]; for (let i := 0; i < 27; i := i + 1) { a := [a, a] }';
const MEMORY_LIMIT_ERROR = /^Memory limit of 67108864 bytes exceeded\. Tried to allocate \d+ bytes\.$/;
/** Generous for a loaded machine; a bomb that escaped the meter would take minutes, or crash. */
const OPTIONS: ExecOptions = { timeout: 10_000 };

function compile(source: string): Bytecode {
  const compiled = compileProgramSource(source);
  expect(compiled.diagnostics).toEqual([]);
  return compiled.bytecode;
}

/** Run to its end (finished or suspended), returning the thrown error, or the result if none. */
function attempt(source: string, options: ExecOptions = {}): { error?: unknown; result?: ExecResult; lines: string[] } {
  const lines: string[] = [];
  try {
    return { result: exec(compile(source), { ...OPTIONS, print: (line) => lines.push(line), ...options }), lines };
  } catch (error) {
    return { error, lines };
  }
}

function expectMemoryLimit(source: string, options: ExecOptions = {}): void {
  const { error, lines } = attempt(source, options);
  expect(error).toBeInstanceOf(HogVMError);
  expect((error as Error).message).toMatch(MEMORY_LIMIT_ERROR);
  expect(lines).toEqual([]);
}

/** A JS value with shared references: 8 numbers doubled `rounds` times. */
function hostBomb(rounds: number): unknown {
  let a: unknown = [1, 2, 3, 4, 5, 6, 7, 8];
  for (let i = 0; i < rounds; i++) a = [a, a];
  return a;
}

describe('shared-reference memory bombs fail with the memory-limit error', () => {
  test('jsonStringify of a bomb, with and without an indent', () => {
    expectMemoryLimit(`${BOMB}; print(jsonStringify(a))`);
    expectMemoryLimit(`${BOMB}; print(jsonStringify({'k': a}, 2))`);
  });

  test('print of a bomb', () => {
    expectMemoryLimit(`${BOMB}; print(a)`);
    expectMemoryLimit(`${BOMB}; print('x', {'a': a})`);
  });

  test('toString of a bomb, and a bomb in a tuple', () => {
    expectMemoryLimit(`${BOMB}; print(toString(a))`);
    expectMemoryLimit(`${BOMB}; print(toString(tuple(a, 1)))`);
  });

  test('concat and f-strings with a bomb', () => {
    expectMemoryLimit(`${BOMB}; print(concat('x', a))`);
    expectMemoryLimit(`${BOMB}; print(f'value: {a}')`);
    expectMemoryLimit(`${BOMB}; print('x' || a)`);
  });

  test('arrayStringConcat of a bomb, and of a long separator repeated', () => {
    expectMemoryLimit(`${BOMB}; print(arrayStringConcat(a, ','))`);
    let longSeparator = "let s := 'xxxxxxxxxxxxxxxx'; for (let i := 0; i < 16; i := i + 1) { s := s || s }";
    longSeparator += '; print(length(arrayStringConcat(range(10000), s)))';
    expectMemoryLimit(longSeparator);
  });

  test('like, regex and in on strings coerce an array operand within the budget', () => {
    expectMemoryLimit(`${BOMB}; print(a like '%x%')`);
    expectMemoryLimit(`${BOMB}; print('x' ilike a)`);
    expectMemoryLimit(`${BOMB}; print(a =~ 'x')`);
    expectMemoryLimit(`${BOMB}; print(a in 'some text')`);
    expectMemoryLimit(`${BOMB}; print(like(a, '%x%'), match(a, 'x'))`);
  });

  test('arithmetic and comparisons coerce an array operand within the budget', () => {
    expectMemoryLimit(`${BOMB}; print(a + 1)`);
    expectMemoryLimit(`${BOMB}; print(a > 'x')`);
    expectMemoryLimit(`${BOMB}; print(plus(a, 1), greater(a, 1))`);
    expectMemoryLimit(`${BOMB}; print(toInt(a), floor(a))`);
  });

  test('an error built from a bomb', () => {
    expectMemoryLimit(`${BOMB}; let e := Error(a); print(e.message)`);
  });

  test('the limit error is not catchable by try/catch in Hog', () => {
    expectMemoryLimit(`${BOMB}; try { print(jsonStringify(a)) } catch (e) { print('caught', e) }`);
  });

  test('host function arguments, and a host function result that shares references', () => {
    let called = false;
    expectMemoryLimit(`${BOMB}; hostFn(a)`, { functions: { hostFn: () => (called = true) } });
    expect(called).toBe(false);
    expectMemoryLimit('let r := hostFn(); print(typeof(r))', { functions: { hostFn: () => hostBomb(27) } });
  });

  test('async function arguments (the fetch request) and the sleep argument', () => {
    expectMemoryLimit(`${BOMB}; fetch('https://example.com', {'body': a})`, { asyncFunctions: ['fetch'] });
    expectMemoryLimit(`${BOMB}; sleep(a)`);
  });

  test('the final result of a program and of a filter-style expression', () => {
    expectMemoryLimit(`${BOMB}; return a`);
    const expression = compileExpressionSource('arrayReduce((acc, x) -> [acc, acc], range(27), [1])');
    expect(expression.diagnostics).toEqual([]);
    expect(() => exec(expression.bytecode, OPTIONS)).toThrow(MEMORY_LIMIT_ERROR);
  });

  test('the suspension state, with a bomb on the stack while a small fetch suspends', () => {
    expectMemoryLimit(`${BOMB}; let r := fetch('https://example.com'); print(length(a))`, { asyncFunctions: ['fetch'] });
  });

  test('an uncaught throw whose payload is a bomb', () => {
    const { error } = attempt(`${BOMB}; throw Error('boom', {'data': a})`);
    expect(error).toBeInstanceOf(HogVMError);
    expect(error).not.toBeInstanceOf(UncaughtHogError);
    expect((error as Error).message).toMatch(MEMORY_LIMIT_ERROR);
  });

  test('globals that share references are copied within the budget', () => {
    expectMemoryLimit('print(length(event.properties.list))', { globals: { event: { properties: { list: hostBomb(27) } } } });
    expectMemoryLimit('print(typeof(event))', { globals: { event: new Map([['list', hostBomb(27)]]) } });
  });

  test('an async result that shares references is copied within the budget when resumed', () => {
    const suspended = exec(compile("let r := fetch('https://example.com'); return length(r)"), {
      ...OPTIONS,
      asyncFunctions: ['fetch'],
    });
    expect(suspended.finished).toBe(false);
    expect(() => resume(suspended.state, hostBomb(27), { ...OPTIONS, asyncFunctions: ['fetch'] })).toThrow(MEMORY_LIMIT_ERROR);
  });

  test('a bomb inside a value with a cycle (left to the metered walk, not sized early) fails too', () => {
    const source = `${BOMB}; let d := {'bomb': a}; d['self'] := d;`;
    const limited = { memoryLimit: 4_000_000 };
    for (const sink of ['print(jsonStringify(d))', 'print(d)', 'return d', "print(arrayStringConcat([d, a], ','))"]) {
      const { error } = attempt(`${source} ${sink}`, limited);
      expect((error as Error).message).toMatch(/^Memory limit of 4000000 bytes exceeded/);
    }
  });

  test('the run deadline also stops a conversion when the memory limit is off', () => {
    const { error } = attempt(`${BOMB}; print(length(jsonStringify(a)))`, { memoryLimit: 0, timeout: 300 });
    expect(error).toBeInstanceOf(HogVMError);
    expect((error as Error).message).toMatch(/^Execution timed out after 0\.3 seconds\./);
  });
});

describe('a string that one call multiplies', () => {
  test('replaceAll with a long replacement for an empty needle is charged before it is built', () => {
    const source = "let s := 'xxxxxxxxxxxxxxxx'; for (let i := 0; i < 14; i := i + 1) { s := s || s } print(length(replaceAll(s, '', s)))";
    expectMemoryLimit(source);
  });
});

describe('error messages that show a value stay short', () => {
  test('calling a bomb names it briefly instead of expanding it', () => {
    const { error } = attempt(`${BOMB}; a(1)`);
    expect(error).toBeInstanceOf(HogVMError);
    expect((error as Error).message).toBe('Invalid closure: <array too large to show>');
  });

  test('setting a property with a bomb key on a string', () => {
    const { error } = attempt(`${BOMB}; let s := 'text'; s[a] := 1`);
    expect((error as Error).message).toBe('Can not set <array too large to show> on non-object: string');
  });

  test('a small value is still shown in full', () => {
    expect((attempt('let f := [1, 2]; f(1)').error as Error).message).toBe('Invalid closure: [1,2]');
  });
});

describe('the budget is per native call and per run', () => {
  test('many conversions that add up to more than the limit are fine one by one', () => {
    const { error, result } = attempt(
      'let v := range(10000); let total := 0; for (let i := 0; i < 400; i := i + 1) { total := total + length(jsonStringify(v)) } return total',
    );
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ finished: true, result: 400 * 48891 });
  });

  test('a conversion can use what is left of the limit, and no more', () => {
    // About 360 KB live (a 262 KB string and a 12,000-item array), and a conversion of about 170 KB:
    // fits a 700 KB limit, not a 450 KB one, though the conversion alone would.
    const source =
      "let big := 'x'; for (let i := 0; i < 18; i := i + 1) { big := big || big } let v := range(12000); return length(jsonStringify(v))";
    expect(attempt(source, { memoryLimit: 700_000 }).result).toMatchObject({ finished: true, result: 60891 });
    const { error } = attempt(source, { memoryLimit: 450_000 });
    expect(error).toBeInstanceOf(HogVMError);
    expect((error as Error).message).toMatch(/^Memory limit of 450000 bytes exceeded/);
  });

  test('a run inside a host function gets its own budget and gives the outer one back', () => {
    const inner = compile("return jsonStringify(range(20))");
    const { error, result } = attempt(`let s := inner(); print(length(s)); ${BOMB}; print(jsonStringify(a))`, {
      functions: { inner: () => execSync(inner, OPTIONS) },
    });
    expect(result).toBeUndefined();
    expect((error as Error).message).toMatch(MEMORY_LIMIT_ERROR);
  });

  test('with no VM running, host code converts its own data without a budget', () => {
    const shared = hostBomb(14);
    const value = jsToHog(shared);
    expect(printHogValue(value).length).toBeGreaterThan(8 * 2 ** 14);
    expect(JSON.stringify(hogToJs(value))).toBe(JSON.stringify(shared));
  });
});
