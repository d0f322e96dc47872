import { describe, expect, it } from 'vitest';
import { compileProgramSource } from '../../hog/index.js';
import { InvocationExecutor, runToEnd } from '../../runtime/executor.js';
import { invocationJobs } from '../../runtime/jobs.js';
import { TEMPLATES } from '../../templates/index.js';
import { callProblem, findCallProblems, HOST_FUNCTIONS } from '../calls.js';
import { globalsFromExample } from '../globals.js';
import { validateDestination } from '../validation.js';

describe('function calls a destination can make', () => {
  it('finds no problem in the code of any stock template', () => {
    for (const template of TEMPLATES) {
      const { bytecode, lines, diagnostics } = compileProgramSource(template.hog);
      expect(diagnostics, template.id).toEqual([]);
      expect(findCallProblems(bytecode, template.hog, 'code', lines), template.id).toEqual([]);
    }
  });

  it('allows host functions in the code only, and the standard library everywhere', () => {
    for (const name of HOST_FUNCTIONS) {
      expect(callProblem(name, 'code')).toBeNull();
      expect(callProblem(name, 'filter')).toMatch(/only available in the destination's code/);
    }
    for (const name of ['print', 'jsonStringify', 'arrayMap', 'match', 'sha256Hex']) expect(callProblem(name, 'template'), name).toBeNull();
  });

  it('finds calls inside lambdas and nested function bodies, each name once, on the line of its first call', () => {
    const source = "fun f(x) {\n  return arrayMap(y -> nope(y), x)\n}\nlet g := () -> nope(1)\nprint(nope2(f([1])))";
    const { bytecode, lines } = compileProgramSource(source);
    expect(findCallProblems(bytecode, source, 'code', lines)).toEqual([
      { name: 'nope', message: "unknown function 'nope'", line: 2, column: 24 },
      { name: 'nope2', message: "unknown function 'nope2'", line: 5, column: 7 },
    ]);
  });

  it('allows the host functions the executor really provides: code calling each of them runs', async () => {
    const hog = `let res := fetch('https://example.com/hook', {'method': 'POST', 'body': {'a': 1}})\npostHogCapture({'event': 'sent', 'properties': {'status': res.status}})`;
    expect(HOST_FUNCTIONS.every((name) => hog.includes(`${name}(`))).toBe(true);
    const validated = validateDestination({ name: 'hosts', hog });
    if (!validated.ok) throw new Error(JSON.stringify(validated.errors));
    const globals = globalsFromExample(
      { event: { event: 'signed_up', distinct_id: 'd1', properties: {} }, person: null },
      { uuid: () => 'u1', timestamp: () => '2024-01-01T00:00:00.000Z', distinctId: 'd1', personId: 'p1' },
      { project: { id: 1, name: 'p' }, source: { name: 'hosts', id: 'x' }, siteUrl: 'http://localhost' },
    );
    const [job] = invocationJobs(validated.destination, globals);
    const run = await runToEnd(new InvocationExecutor(), job!, async () => ({ status: 200, body: {} }));
    expect(run.error).toBeUndefined();
    expect(run.status).toBe('succeeded');
    expect(run.captured.map((e) => e.event)).toEqual(['sent']);
  });
});
