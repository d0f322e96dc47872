/**
 * How the executor classifies a failed run comes from the VM error's `kind`, never from its message: a
 * limit fails as `limit` (no source line: where the deadline struck says nothing), anything the code
 * did — a VM or stdlib error, a Hog `throw` — as `code` with its line, whatever words its message uses.
 */
import { describe, expect, it } from 'vitest';
import { buildGlobals } from '../../destinations/globals.js';
import { validateDestination } from '../../destinations/validation.js';
import { InvocationExecutor, runToEnd, type InvocationJob } from '../executor.js';

const globals = buildGlobals({
  event: { uuid: 'e-1', event: '$pageview', distinct_id: 'max', properties: {}, timestamp: '2024-05-01T12:00:00.000Z' },
  person: { id: 'p-1', properties: {} },
  project: { id: 7, name: 'Hogwarts' },
  source: { name: 'Hook', id: 'd-1' },
  siteUrl: 'http://localhost:8000',
});

function jobOf(hog: string): InvocationJob {
  const result = validateDestination({ name: 'Hook', hog, inputs_schema: [], inputs: {} }, { now: () => new Date('2024-05-01T00:00:00.000Z'), newId: () => 'd-1' });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const d = result.destination;
  return { destinationId: d.id, bytecode: d.bytecode, lines: d.bytecode_lines, inputsSchema: d.inputs_schema, inputs: d.inputs, globals };
}

async function failureOf(hog: string, executor = new InvocationExecutor({ vmTimeoutMs: 50 })) {
  const result = await runToEnd(executor, jobOf(hog), async () => ({ status: 200, body: {} }));
  expect(result.status).toBe('failed');
  return { failure: result.failure, error: result.error };
}

describe('failed runs are classified by the error kind', () => {
  it('a Hog throw whose message reads like a limit is a code failure', async () => {
    const hog = "print('start')\nthrow Error('Memory limit of 67108864 bytes exceeded; rate limit hit')\n";
    expect(await failureOf(hog)).toEqual({ failure: 'code', error: 'Memory limit of 67108864 bytes exceeded; rate limit hit (line 2)' });
  });

  it('a stdlib error that quotes "timed out" is a code failure', async () => {
    const result = await failureOf("let x := 1\nreturn jsonParse('timed out')\n");
    expect(result.failure).toBe('code');
    expect(result.error).toMatch(/timed out.* \(line 2\)$/);
  });

  it('a type error, and a host function refusing its argument, are code failures', async () => {
    expect(await failureOf("let s := 'text'\ns.x := 1\n")).toEqual({ failure: 'code', error: 'Can not set x on non-object: string (line 2)' });
    expect(await failureOf("print(1)\npostHogCapture('limit')\n")).toEqual({
      failure: 'code',
      error: 'postHogCapture expects a dictionary {event, distinct_id, properties} (line 2)',
    });
  });

  it('running out of time, call stack or memory is a limit failure', async () => {
    const loop = await failureOf('while (true) {\n}\n');
    expect(loop.failure).toBe('limit');
    expect(loop.error).toMatch(/^Execution timed out after 0\.05 seconds\. Performed \d+ ops\.$/);
    expect(await failureOf('fun f(n) {\n  return f(n + 1)\n}\nf(0)\n')).toEqual({ failure: 'limit', error: 'Call stack exceeded maximum length of 1000' });
    const memory = await failureOf("let s := 'x'\nwhile (true) {\n  s := s || s\n}\n", new InvocationExecutor({ vmTimeoutMs: 1_000, memoryLimit: 1_000_000 }));
    expect(memory.failure).toBe('limit');
    expect(memory.error).toMatch(/^Memory limit of 1000000 bytes exceeded/);
  });
});
