/**
 * The line map beside the bytecode (`CompileOutput.lines`) and `locateError`: runtime errors and
 * uncaught throws name the source line of the instruction that failed, the bytecode is unchanged.
 */
import { describe, expect, test } from 'vitest';
import { HogRuntimeError, UncaughtHogError } from '../errors.js';
import { compileExpressionSource, compileProgramSource, compileTemplateSource } from '../index.js';
import { locateError, sourceLineOf, withSourceLine } from '../source-map.js';
import { exec, execSync, resume } from '../vm/vm.js';

function compile(source: string) {
  const compiled = compileProgramSource(source);
  expect(compiled.diagnostics).toEqual([]);
  return compiled;
}

function failure(source: string, globals: Record<string, unknown> = {}): { error: HogRuntimeError; line: number | null } {
  const { bytecode, lines } = compile(source);
  try {
    execSync(bytecode, { globals, print: () => {} });
  } catch (error) {
    expect(error).toBeInstanceOf(HogRuntimeError);
    return { error: error as HogRuntimeError, line: locateError(error, lines)?.line ?? null };
  }
  throw new Error('expected the program to fail');
}

describe('sourceLineOf', () => {
  const lines = [2, 1, 9, 3, 20, 4];
  test('finds the last pair at or before the ip', () => {
    expect(sourceLineOf(lines, 2)).toBe(1);
    expect(sourceLineOf(lines, 8)).toBe(1);
    expect(sourceLineOf(lines, 9)).toBe(3);
    expect(sourceLineOf(lines, 19)).toBe(3);
    expect(sourceLineOf(lines, 1000)).toBe(4);
  });
  test('is null before the first pair and on an empty map', () => {
    expect(sourceLineOf(lines, 1)).toBeNull();
    expect(sourceLineOf([], 5)).toBeNull();
  });
});

describe('the line map', () => {
  test('is compact pairs with ascending ips past the header, one per line change', () => {
    const { bytecode, lines } = compile("let a := 1\nlet b := 2\n\nprint(a + b)\n");
    expect(lines.length % 2).toBe(0);
    for (let i = 2; i < lines.length; i += 2) {
      expect(lines[i]!).toBeGreaterThan(lines[i - 2]!);
      expect(lines[i + 1]).not.toBe(lines[i - 1]);
    }
    expect(lines[0]).toBe(2);
    expect(lines.filter((_, i) => i % 2 === 1)).toEqual([1, 2, 4]);
    expect(lines[lines.length - 2]!).toBeLessThan(bytecode.length);
  });

  test('leaves the bytecode as it was', () => {
    const { bytecode, lines } = compile("let a := 1\nprint(\n  a)\n");
    expect(bytecode).toEqual(['_H', 1, 33, 1, 36, 0, 2, 'print', 1, 35, 35]);
    expect(lines).toEqual([2, 1, 4, 3, 6, 2]); // `a` on line 3, then CALL_GLOBAL and POP on line 2
  });

  test('gives a multi-line call the line where the call starts', () => {
    expect(failure("print(1)\nlet x := nope(\n  1,\n  2)\n").line).toBe(2);
  });

  test('is empty after syntax errors and present for expressions and templates', () => {
    expect(compileProgramSource('print(').lines).toEqual([]);
    expect(compileExpressionSource('event.name').lines).toEqual([2, 1]);
    expect(compileTemplateSource('Hi {person.name}').lines[1]).toBe(1);
  });
});

describe('locateError', () => {
  test('a runtime error on line 3', () => {
    const { error, line } = failure('let a := [1]\nlet i := 0\nprint(a[i])\n');
    expect(error.message).toBe('Hog arrays start from index 1');
    expect(line).toBe(3);
  });

  test('an uncaught throw on line 5 points at the throw, inside a function called from line 9', () => {
    const source = "fun f(x) {\n  if (x > 1) {\n    print('deep')\n    let y := x\n    throw Error('boom')\n  }\n}\nprint('start')\nf(5)\n";
    const { error, line } = failure(source);
    expect(error).toBeInstanceOf(UncaughtHogError);
    expect(line).toBe(5);
  });

  test('an error inside a lambda run by a bytecode STL function names the lambda line', () => {
    expect(failure('let i := 0\nlet x := arrayMap(\n  v -> v[i],\n  [[1], 2])\n').line).toBe(3);
  });

  test('an error raised inside a bytecode STL chunk names the line of the call', () => {
    const source = "print(1)\n\nlet x := arrayMap(\n  v -> 1,\n  [1], 3)\n";
    expect(failure(source).line).toBe(3);
  });

  test('errors after a resume, with the state JSON round-tripped', () => {
    const { bytecode, lines } = compile("let r := fetch('x')\nprint(r)\nlet z := r.a.b.c\nlet n := nope()\n");
    const first = exec(bytecode, { asyncFunctions: ['fetch'] });
    expect(first.finished).toBe(false);
    const state = JSON.parse(JSON.stringify(first.state));
    let caught: unknown;
    try {
      resume(state, { a: null }, { asyncFunctions: ['fetch'], print: () => {} });
    } catch (error) {
      caught = error;
    }
    expect(locateError(caught, lines)).toEqual({ line: 4 });
    expect(withSourceLine('Error: x', caught, lines)).toBe('Error: x (line 4)');
  });

  test('is null without a map, for other errors, and for errors outside the root chunk', () => {
    const { error } = failure('print(1)\nnope()\n');
    expect(locateError(error, [])).toBeNull();
    expect(locateError(new Error('x'), [2, 1])).toBeNull();
    const outside = new HogRuntimeError('x');
    outside.hogStack = ['stl/arrayMap@7'];
    expect(locateError(outside, [2, 1])).toBeNull();
    expect(withSourceLine('m', outside, [2, 1])).toBe('m');
  });
});
