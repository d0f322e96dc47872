/**
 * Source-level VM tests: Hog programs compiled with our compiler, run on our VM and on
 * `@posthog/hogvm`, comparing what they print (and their uncaught error, if any).
 */
import { describe, expect, test } from 'vitest';
import type { Bytecode } from '../bytecode/opcodes.js';
import { compileProgram } from '../compiler.js';
import { parseProgram } from '../parser.js';
import { exec, execSync, resume, type VMState } from '../vm/vm.js';
import { runPosthog } from './vm-helpers.js';

function compile(source: string): Bytecode {
  const parsed = parseProgram(source);
  expect(parsed.diagnostics).toEqual([]);
  const compiled = compileProgram(parsed.program);
  expect(compiled.diagnostics).toEqual([]);
  return compiled.bytecode;
}

function runOurs(bytecode: Bytecode, globals: Record<string, unknown> = {}): { lines: string[]; error?: string } {
  const lines: string[] = [];
  try {
    execSync(bytecode, { globals, print: (line) => lines.push(line) });
    return { lines };
  } catch (e) {
    return { lines, error: (e as Error).message };
  }
}

function expectSamePrints(source: string, globals: Record<string, unknown> = {}): string[] {
  const bytecode = compile(source);
  const ours = runOurs(bytecode, globals);
  const theirs = runPosthog(bytecode, { globals });
  expect(ours).toEqual({ lines: theirs.lines, ...(theirs.error ? { error: theirs.error } : {}) });
  return ours.lines;
}

const programs: Record<string, string> = {
  arithmetic: `print(1 + 2 * 3, 7 / 2, -7 % 3, 7 % -3, -7.5 % 2, 0.1 + 0.2, 1e21, null + 1, true + true, '1' + 2)`,
  comparisons: `print(1 == '1', '1.0' == 1, true == 1, 2 != true, null < 3, null > -1, 'B' < 'a', [1,2] < [1,3], {'a':1} == {'a':1}, 'abc' == 1)`,
  logic: `print(1 and 'a', 0 or '', not 0, true and null, (false ? 1 : 2), null ?? 'x', 0 ?? 'y')`,
  strings: `let s := 'hello'; print(s || ' ' || 'world', concat(s, null, 1), length(s), upper(s), 'ell' in s, s like '%ll%', s ilike 'HE%', s not like 'x%')`,
  fstrings: `let x := 3; print(f'x={x}, list={[1, 2]}, nul={null}!')`,
  arrays: `let a := [1, 2, 3]; a[2] := 20; print(a, a[1], a[-1], a[5], length(a), 2 in a, 4 not in a); let b := a; b[1] := 'x'; print(a)`,
  dicts: `let key := 'kk'; let d := {key: 'v', 1: 'one', true: 'yes'}; d.new := {'nested': [1]}; d.new.nested[1] := 2; print(d, d.kk, d['1'], d[1], d.nope?.deeper)`,
  tuples: `let t := (1, 'a', [2]); print(t, t.1, t[3][1], typeof(t), (1,))`,
  whileLoop: `let i := 0; let acc := []; while (i < 5) { acc := arrayPushBack(acc, i * i); i := i + 1 }; print(acc)`,
  forLoops: `for (let i := 0; i < 3; i := i + 1) { print(i) } for (let k, v in {'a': 1, 'b': 2}) { print(k, v) } for (let i, v in ['x', 'y']) { print(i, v) }`,
  functions: `fun add(a, b) { return a + b } fun pad(a, b) { return b } print(add(2, 3), pad(1)); let f := x -> x * 10; print(f(4), f)`,
  recursion: `fun fib(n) { if (n < 2) { return n } return fib(n - 1) + fib(n - 2) } print(fib(20)); let fact := n -> n <= 1 ? 1 : n * fact(n - 1); print(fact(10))`,
  closures: `
    fun counter() { let n := 0; return [() -> { n := n + 1; return n }, () -> n] }
    let c := counter(); let inc := c[1]; let get := c[2];
    inc(); inc(); print(get());
    let c2 := counter(); c2[1](); print(get(), c2[2]())`,
  scopeSharing: `let var := 10; fun varify(x) { return x * var } print(varify(2)); var := 20; print(varify(2)); let b := {'key': 1}; fun setKey(d) { d.key := 4 } setKey(b); print(b)`,
  tryCatch: `
    try { throw Error('boom') } catch (e) { print('caught', e.message, e.type) }
    try { throw HogError('Custom', 'msg', {'p': 1}) } catch (e: Other) { print('wrong') } catch (e: Custom) { print('custom', e.payload) }
    fun thrower() { let x := 1; throw RetryError('retry') }
    try { let y := 2; thrower() } catch (e) { print(e) }
    try { try { throw Error('inner') } catch (e: Nope) { print('no') } } catch (e) { print('outer', e.message) }
    print('after')`,
  uncaught: `print('before'); throw Error('bad thing')`,
  nulls: `print(lower(null), concat(null, 'a'), null == null, empty(null))`,
  between: `print(5 between 1 and 10, 5 not between 1 and 10, null between 1 and 2)`,
  stlValues: `let t := typeof; print(t([])); let fns := [upper, lower]; print(fns[1]('a'), fns[2]('B'))`,
  json: `let o := jsonParse('{"a": [1, 2, {"b": null}]}'); print(o, o.a[3].b, jsonStringify(o))`,
  globals: `print(event.properties.$browser, event.properties.missing, person.id, length(event.properties.list))`,
  higherOrder: `print(arrayMap(x -> x * 2, [1, 2, 3]), arrayFilter(x -> x > 1, [1, 2, 3]), arrayReduce((acc, x) -> acc + x, [1, 2, 3], 10), arrayExists(x -> x == 2, [1, 2]), arrayCount(x -> x > 0, [0, 1, 2]))`,
};

const globals = { event: { properties: { $browser: 'Chrome', list: [1, 2, 3] } }, person: { id: 'p1' } };

describe('compiled programs print the same on both VMs', () => {
  for (const [name, source] of Object.entries(programs)) {
    test(name, () => {
      const lines = expectSamePrints(source, globals);
      expect(lines.length + (name === 'uncaught' ? 0 : 0)).toBeGreaterThan(0);
    });
  }
});

describe('reference behaviour where @posthog/hogvm 1.0.71 differs', () => {
  test('catchAfterReturn: a throw after returning from inside a try is not caught by that try', () => {
    const bytecode = compile(`
      fun f() { try { return 'from try' } catch (e) { print('wrong catch'); return 'x' } }
      print(f());
      try { throw Error('later') } catch (e) { print('right catch', e.message) }
      throw Error('uncaught')`);
    expect(runOurs(bytecode)).toEqual({ lines: ['from try', 'right catch later'], error: 'uncaught' });
  });

  test('each loop iteration captures a fresh upvalue (npm 1.0.71 reuses the closed one at that slot)', () => {
    const bytecode = compile(`
      let fns := [];
      for (let i := 0; i < 3; i := i + 1) { let j := i; fns := arrayPushBack(fns, () -> j) }
      print(fns[1](), fns[2](), fns[3]())`);
    expect(runOurs(bytecode)).toEqual({ lines: ['0 1 2'] });
  });

  test('null-tolerant STL: length(null) is null', () => {
    expect(runOurs(compile('print(length(null), upper(null), length(null) > 3, length(null) < 3)'))).toEqual({
      lines: ['null null false true'],
    });
  });

  test('a compiled destination suspends on fetch inside a function and a try, and resumes', () => {
    const bytecode = compile(`
      let base := inputs.url;
      fun send(payload) {
        try {
          let res := fetch(base || '/capture', {'method': 'POST', 'body': payload});
          if (res.status >= 400) { throw Error(f'status {res.status}') }
          return res.body
        } catch (e) {
          return concat('failed: ', e.message)
        }
      }
      let r1 := send({'event': event.event, 'props': event.properties});
      let r2 := send({'n': 2});
      return [r1, r2]`);
    const options = { asyncFunctions: ['fetch'], globals: { inputs: { url: 'https://x' }, event: { event: 'pageview', properties: { a: 1 } } } };
    const first = exec(bytecode, options);
    if (first.finished) throw new Error('expected suspension');
    expect(first.asyncFunctionArgs).toEqual(['https://x/capture', { method: 'POST', body: { event: 'pageview', props: { a: 1 } } }]);
    const second = resume(JSON.parse(JSON.stringify(first.state)) as VMState, { status: 200, body: 'ok' }, options);
    if (second.finished) throw new Error('expected a second suspension');
    const done = resume(JSON.parse(JSON.stringify(second.state)) as VMState, { status: 500, body: '' }, options);
    expect(done).toMatchObject({ finished: true, result: ['ok', 'failed: status 500'] });
  });
});
