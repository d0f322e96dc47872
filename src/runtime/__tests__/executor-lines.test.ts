/**
 * Code errors of an invocation name the Hog source line (issue 5: "a Hog error gives `error` with the
 * message and line"), from the line map validation stores as `bytecode_lines`.
 */
import { describe, expect, it } from 'vitest';
import { buildGlobals, type Globals } from '../../destinations/globals.js';
import type { Destination, InputSchemaItem } from '../../destinations/model.js';
import { validateDestination } from '../../destinations/validation.js';
import { InvocationExecutor, runToEnd, type InvocationJob } from '../executor.js';

const globals: Globals = buildGlobals({
  event: { uuid: 'e-1', event: '$pageview', distinct_id: 'max', properties: {}, timestamp: '2024-05-01T12:00:00.000Z' },
  person: { id: 'p-1', properties: { email: 'max@example.com' } },
  project: { id: 7, name: 'Hogwarts' },
  source: { name: 'Hook', id: 'd-1' },
  siteUrl: 'http://localhost:8000',
});

const schema: InputSchemaItem[] = [{ key: 'url', type: 'string', required: true }];

function destination(hog: string, url = 'https://example.com/{event.event}'): Destination {
  const result = validateDestination(
    { name: 'Hook', hog, inputs_schema: schema, inputs: { url: { value: url } } },
    { now: () => new Date('2024-05-01T00:00:00.000Z'), newId: () => 'd-1' },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.destination;
}

function jobOf(d: Destination, withLines = true): InvocationJob {
  return {
    destinationId: d.id,
    bytecode: d.bytecode,
    ...(withLines ? { lines: d.bytecode_lines } : {}),
    inputsSchema: d.inputs_schema,
    inputs: d.inputs,
    globals,
  };
}

const ok = async () => ({ status: 200, body: {} });

describe('executor errors with the source line', () => {
  it('validation stores the line map beside the bytecode', () => {
    const d = destination('print(1)\nprint(2)');
    expect(d.bytecode_lines).toEqual([2, 1, 8, 2]);
  });

  it('a runtime error on line 3', async () => {
    const d = destination("let a := [1]\nlet i := 0\nprint(a[i])\n");
    const result = await runToEnd(new InvocationExecutor(), jobOf(d), ok);
    expect(result).toMatchObject({ status: 'failed', failure: 'code', error: 'Hog arrays start from index 1 (line 3)' });
    expect(result.logs.at(-1)!.message).toBe('Error executing function: Hog arrays start from index 1 (line 3)');
  });

  it('an uncaught throw on line 5, after a fetch and a resume', async () => {
    const hog = "let res := fetch(inputs.url)\nif (res.status == 200) {\n  print('sent')\n}\nthrow Error('after the fetch')\n";
    const result = await runToEnd(new InvocationExecutor(), jobOf(destination(hog)), ok);
    expect(result.requests).toHaveLength(1);
    expect(result).toMatchObject({ status: 'failed', failure: 'code', error: 'after the fetch (line 5)' });
  });

  it('without a line map (older destinations) the message is unchanged', async () => {
    const d = destination("let a := [1]\nlet i := 0\nprint(a[i])\n");
    const result = await runToEnd(new InvocationExecutor(), jobOf(d, false), ok);
    expect(result.error).toBe('Hog arrays start from index 1');
  });

  it('a template error is unaffected', async () => {
    const d = destination("print(1)\nprint(2)\nfetch(inputs.url)\n", '{nope.a}');
    const result = await runToEnd(new InvocationExecutor(), jobOf(d), ok);
    expect(result.status).toBe('failed');
    expect(result.failure).toBe('inputs');
    expect(result.error).not.toMatch(/\(line \d+\)/);
  });

  it('a limit error is unaffected', async () => {
    const d = destination('let i := 0\nwhile (true) {\n  i := i + 1\n}\n');
    const result = await runToEnd(new InvocationExecutor({ vmTimeoutMs: 20 }), jobOf(d), ok);
    expect(result.failure).toBe('limit');
    expect(result.error).not.toMatch(/\(line \d+\)/);
  });
});
