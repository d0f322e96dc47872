/**
 * Robustness: the lexer and parser must return (never throw, never hang) for every input, and
 * every diagnostic must point inside the source. Inputs are random text, random token soup, and
 * mutations (delete / insert / duplicate / swap tokens) of valid programs.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Diagnostic } from '../ast.js';
import { tokenize } from '../lexer.js';
import { parseExpression, parseProgram, parseTemplate } from '../parser.js';

/** Generous per-input budget: typical inputs parse in well under a millisecond. */
// Generous: this proves "never hangs", not speed (speed is measured in `npm run bench`), and must hold on a loaded CI machine.
const BUDGET_MS = 5000;

const VALID_PROGRAMS = [
  "let a := 1 + 2 * 3; print(a || 'x')",
  'fun fib(n) { if (n < 2) { return n } return fib(n - 1) + fib(n - 2) } print(fib(10))',
  'for (let i := 0; i < 10; i := i + 1) { print(i) }',
  "for (let k, v in {'a': 1, 'b': [1, 2,]}) print(k, v)",
  'let f := (x, y) -> { let z := x + y; return z } let g := x -> x ?? 0',
  "try { throw HogError('T', 'm', {}) } catch (e: T) { print(e.message) } catch { print('other') }",
  "let s := f'hello {event.properties.$name ?? 'you'} at {now()}'",
  'let x := a between 1 and 2 and not b is null or c in [1, 2] and d not like \'%x%\'',
  'let r := case when a then 1 when b then 2 else 3 end; r := a ? b : c ? d : e',
  'event.properties.list[1].name := upper(obj?.a?.[1]?.b); return\n event',
  'while (x > 0) { x := x - 1 } ;; { let y := {k: v, 1 + 1: `weird name`} }',
  "let tag := <div class='x' on>Hi {name}! <b>{1 + 1}</b></div>",
  "x, y -> x + y\nlet t := (1,)\nlet u := f(1)(2)['a'].1\nlet v := \"quoted\" =~ '^a.*' and 'b' !~* 'c'",
];

const VOCABULARY = [
  'let', 'fn', 'fun', 'if', 'else', 'while', 'for', 'in', 'return', 'throw', 'try', 'catch', 'finally', 'and', 'or',
  'not', 'like', 'ilike', 'is', 'null', 'true', 'false', 'between', 'case', 'when', 'then', 'end', 'cohort',
  'x', 'y', '$z', '__proto__', 'constructor', '`q w`', '"dq"', '1', '2.5', '.5', '0x1F', "'s'", "f'a{x}b'", "f'{", "'", '`', '"', '(', ')',
  '[', ']', '{', '}', ',', ';', '.', '?.', '?', ':', '::', '->', ':=', '=', '==', '!=', '<>', '<', '<=', '>', '>=',
  '+', '-', '*', '/', '%', '||', '??', '=~', '~', '~*', '!~', '!~*', '!', '&', '|', '#', '//', '--', '/*', '*/',
  '\\', '\n', '\u00a0', 'é', '<a', '<b>', '</a>', '/>', '>', "<c d='e'>",
];

function checkDiagnostics(source: string, diagnostics: Diagnostic[]): void {
  for (const d of diagnostics) {
    expect(typeof d.message).toBe('string');
    expect(d.offset).toBeGreaterThanOrEqual(0);
    expect(d.offset).toBeLessThanOrEqual(source.length);
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.column).toBeGreaterThanOrEqual(1);
  }
}

function parsesQuickly(source: string): void {
  const start = performance.now();
  const program = parseProgram(source);
  const expression = parseExpression(source);
  const template = parseTemplate(source);
  const elapsed = performance.now() - start;
  expect(elapsed, JSON.stringify(source.slice(0, 200))).toBeLessThan(BUDGET_MS);
  expect(program.program.kind).toBe('Program');
  checkDiagnostics(source, program.diagnostics);
  checkDiagnostics(source, expression.diagnostics);
  checkDiagnostics(source, template.diagnostics);
}

/** The source text of each token of a valid program, for mutation. */
function lexemes(source: string): string[] {
  return tokenize(source)
    .filter((t) => t.type !== 'EOF')
    .map((t) => t.lexeme);
}

type Mutation = { op: 'delete' | 'insert' | 'duplicate' | 'swap'; at: number; other: number; word: string };

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('delete', 'insert', 'duplicate', 'swap'),
  at: fc.nat(),
  other: fc.nat(),
  word: fc.constantFrom(...VOCABULARY),
});

function mutate(tokens: string[], mutations: Mutation[]): string {
  const out = [...tokens];
  for (const m of mutations) {
    if (out.length === 0) {
      out.push(m.word);
      continue;
    }
    const i = m.at % out.length;
    const j = m.other % out.length;
    if (m.op === 'delete') out.splice(i, 1);
    else if (m.op === 'insert') out.splice(i, 0, m.word);
    else if (m.op === 'duplicate') out.splice(i, 0, out[i]);
    else [out[i], out[j]] = [out[j], out[i]];
  }
  return out.join(' ');
}

describe('parser fuzzing', () => {
  test('the seed programs are valid', () => {
    for (const source of VALID_PROGRAMS) expect(parseProgram(source).diagnostics, source).toEqual([]);
  });

  test('returns for random printable text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), parsesQuickly), { numRuns: 1000 });
  });

  test('returns for random text over the whole Unicode range', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 100 }), parsesQuickly), { numRuns: 500 });
  });

  test('returns for random token soup', () => {
    const soup = fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 80 }).map((words) => words.join(' '));
    fc.assert(fc.property(soup, parsesQuickly), { numRuns: 1500 });
  });

  test('returns for mutations of valid programs', () => {
    const mutated = fc
      .tuple(fc.constantFrom(...VALID_PROGRAMS), fc.array(mutationArb, { minLength: 1, maxLength: 6 }))
      .map(([source, mutations]) => mutate(lexemes(source), mutations));
    fc.assert(fc.property(mutated, parsesQuickly), { numRuns: 1500 });
  });

  test('returns for deep and unbalanced nesting', () => {
    const opener = fc.constantFrom('(', '[', '{', "f'{", 'x -> ', 'not ', '- ', 'if (x) ', 'a ? ', '(x) -> {', '<a>', "f'{<a>{");
    const deep = fc
      .tuple(opener, fc.integer({ min: 1, max: 3000 }), fc.boolean())
      .map(([open, n, close]) => open.repeat(n) + '1' + (close ? ')]}'.repeat(n) : ''));
    fc.assert(fc.property(deep, parsesQuickly), { numRuns: 60 });
  });

  test('parses a long flat program in linear time', () => {
    const source = 'let a := 1 + 2 * f(x, [1, 2], {\'k\': v}) ?? y\n'.repeat(5000);
    const start = performance.now();
    expect(parseProgram(source).diagnostics).toEqual([]);
    expect(performance.now() - start).toBeLessThan(20_000);
  });

  test('caps the number of diagnostics for garbage input', () => {
    const { diagnostics } = parseProgram(') '.repeat(10_000));
    expect(diagnostics.length).toBeLessThanOrEqual(101);
  });
});
