import { describe, expect, it } from 'vitest';
import hogvm from '@posthog/hogvm';
import { BYTECODE_STL } from '../index.js';
import { BYTECODE_STL_SOURCES } from '../bytecode-stl.hog.js';
import { regexExtract, regexMatch } from '../regex.js';
import { Op } from '../../bytecode/opcodes.js';
import { compileOrThrow } from '../../index.js';
import { execSync } from '../../vm/vm.js';

/** Compile a `fun name(...) {...}` declaration and take the body out of its CALLABLE. */
function compiledBody(source: string): unknown[] {
  const bytecode = compileOrThrow(source);
  expect(bytecode.slice(2, 4)).toEqual([Op.CALLABLE, expect.any(String)]);
  const bodyLength = bytecode[6] as number;
  return bytecode.slice(7, 7 + bodyLength);
}

function runOurs(source: string, globals: Record<string, unknown> = {}): unknown {
  return execSync(compileOrThrow(source), { globals });
}

/**
 * Run one of our bytecode STL bodies on @posthog/hogvm: wrap it as a local function
 * (`CALLABLE … CLOSURE`), push the arguments and `CALL_LOCAL`.
 */
function runOnNpm(name: string, argsSource: string): unknown {
  const entry = BYTECODE_STL[name]!;
  const body = entry.bytecode.slice(2);
  const args = compileOrThrow(`return [${argsSource}]`);
  // `return [a, b]` compiles to `<a> <b> ARRAY n RETURN`; keep the argument pushes only.
  const pushes = args.slice(2, -3);
  const program = [
    '_H', 1,
    Op.CALLABLE, `my_${name}`, entry.params.length, 0, body.length, ...body,
    Op.CLOSURE, 0,
    ...pushes, Op.GET_LOCAL, 0, Op.CALL_LOCAL, entry.params.length, Op.RETURN,
  ];
  const npm = hogvm as unknown as { exec: (b: unknown, o: unknown) => { result: unknown } };
  const regex = { match: (re: string, s: string) => regexMatch(re, s), extract: (re: string, s: string) => regexExtract(re, s) };
  const options = { external: { regex } };
  return npm.exec(program, options).result;
}

describe('the bytecode STL', () => {
  it('defines the same functions as the Hog sources, with the same parameters', () => {
    expect(Object.keys(BYTECODE_STL).sort()).toEqual(Object.keys(BYTECODE_STL_SOURCES).sort());
    for (const [name, { params }] of Object.entries(BYTECODE_STL_SOURCES)) expect(BYTECODE_STL[name]!.params, name).toEqual(params);
  });

  it.each(Object.keys(BYTECODE_STL_SOURCES))('hand-assembled %s matches the compiled Hog source', (name) => {
    const ours = BYTECODE_STL[name]!.bytecode;
    expect(ours.slice(0, 2)).toEqual(['_H', 1]);
    expect(ours.slice(2)).toEqual(compiledBody(BYTECODE_STL_SOURCES[name]!.source));
  });
});

describe('the bytecode STL on the Sluice VM', () => {
  it('arrayMap maps every element into a new array', () => {
    expect(runOurs('return arrayMap(x -> x * 2, [1, 2, 3])')).toEqual([2, 4, 6]);
    expect(runOurs("return arrayMap(x -> upper(x), {'a': 'x', 'b': 'y'})")).toEqual(['X', 'Y']);
    expect(runOurs('return arrayMap(x -> x, null)')).toEqual([]);
    expect(runOurs('return arrayMap(x -> x, [])')).toEqual([]);
  });

  it('arrayFilter keeps the elements where the function is truthy', () => {
    expect(runOurs('return arrayFilter(x -> x > 1, [1, 2, 3])')).toEqual([2, 3]);
    expect(runOurs("return arrayFilter(x -> x, [0, 1, '', 'a', null])")).toEqual([1, 'a']);
    expect(runOurs('return arrayFilter(x -> true, null)')).toEqual([]);
  });

  it('arrayExists and arrayCount test truthiness', () => {
    expect(runOurs('return arrayExists(x -> x == 2, [1, 2, 3])')).toBe(true);
    expect(runOurs('return arrayExists(x -> x == 5, [1, 2, 3])')).toBe(false);
    expect(runOurs('return arrayExists(x -> true, null)')).toBe(false);
    expect(runOurs('return arrayCount(x -> x > 1, [1, 2, 3])')).toBe(2);
    expect(runOurs('return arrayCount(x -> true, null)')).toBe(0);
  });

  it('arrayReduce folds left to right from the initial value', () => {
    expect(runOurs('return arrayReduce((acc, x) -> acc + x, [1, 2, 3], 10)')).toBe(16);
    expect(runOurs("return arrayReduce((acc, x) -> concat(acc, x), ['a', 'b'], '>')")).toBe('>ab');
    expect(runOurs('return arrayReduce((acc, x) -> acc + x, null, 7)')).toBe(7);
  });

  it('passes closures that capture outer variables', () => {
    expect(runOurs('let k := 10\nreturn arrayMap(x -> x + k, [1, 2])')).toEqual([11, 12]);
  });

  it('sortableSemver extracts the first dotted version as integers', () => {
    expect(runOurs("return sortableSemver('v1.22.3-beta')")).toEqual([1, 22, 3]);
    expect(runOurs("return sortableSemver('release 10.0 and 2.1')")).toEqual([10, 0]);
    expect(runOurs("return sortableSemver('no version')")).toEqual([]);
    expect(runOurs("return sortableSemver('7')")).toEqual([]);
    expect(runOurs('return sortableSemver(null)')).toEqual([]);
  });

  it('inCohort and notInCohort check membership with == and need the ids', () => {
    expect(runOurs('return inCohort(2, [1, 2])')).toBe(true);
    expect(runOurs("return inCohort('2', [1, 2])")).toBe(true);
    expect(runOurs('return inCohort(3, [1, 2])')).toBe(false);
    expect(runOurs('return notInCohort(3, [1, 2])')).toBe(true);
    expect(runOurs('return notInCohort(1, [1, 2])')).toBe(false);
    expect(() => runOurs('return inCohort(1, null)')).toThrow('inCohort() requires cohort membership to be loaded');
    expect(() => runOurs('return notInCohort(1, null)')).toThrow('notInCohort() requires cohort membership');
  });
});

describe('the bytecode STL on @posthog/hogvm', () => {
  it('gives the same results when wrapped as a local function', () => {
    expect(runOnNpm('arrayMap', 'x -> x * 2, [1, 2, 3]')).toEqual([2, 4, 6]);
    expect(runOnNpm('arrayFilter', 'x -> x > 1, [1, 2, 3]')).toEqual([2, 3]);
    expect(runOnNpm('arrayExists', 'x -> x == 3, [1, 2, 3]')).toBe(true);
    expect(runOnNpm('arrayCount', 'x -> x > 1, [1, 2, 3]')).toBe(2);
    expect(runOnNpm('arrayReduce', '(acc, x) -> acc + x, [1, 2, 3], 10')).toBe(16);
    expect(runOnNpm('sortableSemver', "'v1.22.3-beta'")).toEqual([1, 22, 3]);
    expect(runOnNpm('inCohort', '2, [1, 2]')).toBe(true);
    expect(runOnNpm('notInCohort', '2, [1, 2]')).toBe(false);
  });
});
