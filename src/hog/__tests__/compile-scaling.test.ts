/**
 * Compiling is linear. For each program shape that used to be quadratic (thousands of locals, long
 * functions, many closures) or could be (statements, deep nesting, strings, f-strings), the compiler's
 * own work meter (`compileWork`: cells and pieces placed and written, names looked up) grows like the
 * program, exactly and independently of the machine's load. Wall or CPU time is not asserted here: under
 * load its noise (garbage collection grows with the heap) came within 10% of a quadratic pass's cost;
 * `npm run bench` is where time is measured.
 */
import { describe, expect, it } from 'vitest';
import { Code, append, compileWork, flatten, markLine } from '../compiler/emit.js';
import { compileProgramSource } from '../index.js';

const SHAPES: Record<string, (n: number) => string> = {
  'many statements': (n) => lines(n, (i) => `let v${i} := ${i} + 1`),
  'many references to the first local': (n) => `let first := 1\n${lines(n, (i) => `let r${i} := first`)}`,
  'one long function': (n) => `fun f(a) {\n${lines(n, (i) => `  let x${i} := a + ${i}`)}\n  return a\n}\nprint(f(1))`,
  'many closures in one function': (n) => `fun outer() {\n${lines(n / 2, (i) => `  let c${i} := 1\n  fun g${i}() { return c${i} }`)}\n}`,
  'deeply nested blocks': (n) => lines(n / 100, () => nested(100)),
  'many string literals': (n) => `let s := [\n${lines(n, (i) => `  'string literal ${i}',`)}\n]`,
  'one long f-string': (n) => `let s := f'${lines(n, (i) => `line ${i} {event.properties.p${i % 10}}`)}'`,
};

function lines(n: number, line: (i: number) => string): string {
  return Array.from({ length: Math.floor(n) }, (_, i) => line(i)).join('\n');
}

function nested(depth: number): string {
  let body = 'let x := 1';
  for (let d = 0; d < depth - 2; d++) body = `if (x > ${d}) {\n${body}\n}`;
  return `{\n${body}\n}`;
}

function compileClean(source: string): void {
  expect(compileProgramSource(source).diagnostics).toEqual([]);
}

function workOf(source: string): number {
  const before = compileWork.units;
  compileClean(source);
  return compileWork.units - before;
}

describe('compile work grows linearly with the program', () => {
  for (const [shape, generate] of Object.entries(SHAPES)) {
    it(`compiles ${shape} with work proportional to its length`, () => {
      const ratio = workOf(generate(8_000)) / workOf(generate(1_000));
      // 8× the program: 8× the work, give or take the fixed part. Quadratic would be ~64×.
      expect(ratio).toBeGreaterThan(6);
      expect(ratio).toBeLessThan(9);
    });
  }
});

describe('code pieces (compiler/emit.ts)', () => {
  it('writes nested pieces out once, each cell with the line of the innermost mark over it', () => {
    const inner = markLine(Code.of('a', 'b'), 2);
    const outer = append(Code.of('x'), inner, ['y']);
    markLine(outer, 1);
    append(outer, ['z']);
    const out: unknown[] = ['_H', 1];
    const table = flatten(outer, out as never);
    expect(out).toEqual(['_H', 1, 'x', 'a', 'b', 'y', 'z']);
    // 'z' came after the outer mark, so it keeps the line before it.
    expect(table).toEqual([2, 1, 3, 2, 5, 1]);
  });

  it('refuses to place one piece twice or change a piece once placed', () => {
    const piece = Code.of('a');
    append(new Code(), piece);
    expect(() => append(new Code(), piece)).toThrow('placed only once');
    expect(() => append(piece, ['b'])).toThrow('already placed');
  });
});
