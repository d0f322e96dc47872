/**
 * `postHogCapture` limits in the executor: captures per invocation (over all its steps), the hop count
 * an event carries, and the original event every captured event names.
 */
import { describe, expect, it } from 'vitest';
import { buildGlobals, type Globals } from '../../destinations/globals.js';
import { validateDestination } from '../../destinations/validation.js';
import { CAPTURE_DEPTH_PROPERTY, CAPTURE_ROOT_PROPERTY, InvocationExecutor, runToEnd, type InvocationJob } from '../executor.js';

function globalsWith(properties: Record<string, unknown>): Globals {
  return buildGlobals({
    event: { uuid: 'original-1', event: 'signup', distinct_id: 'max', properties, timestamp: '2024-05-01T12:00:00.000Z' },
    person: { id: 'p-1', properties: {} },
    project: { id: 7, name: 'Hogwarts' },
    source: { name: 'Capturer', id: 'd-1' },
    siteUrl: 'http://localhost:8000',
  });
}

function job(hog: string, properties: Record<string, unknown> = {}): InvocationJob {
  const result = validateDestination({ name: 'Capturer', hog, inputs_schema: [], inputs: {} }, { now: () => new Date('2024-05-01T00:00:00.000Z'), newId: () => 'd-1' });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const d = result.destination;
  return { destinationId: d.id, bytecode: d.bytecode, inputsSchema: d.inputs_schema, inputs: d.inputs, globals: globalsWith(properties) };
}

const capture = (n: number) => `for (let i := 0; i < ${n}; i := i + 1) { postHogCapture({'event': 'child', 'properties': {'i': i}}) }`;
const ok = async () => ({ status: 200, body: {} });

describe('postHogCapture limits', () => {
  it('fails the invocation at the 11th capture, keeping the 10 made before', async () => {
    const result = await runToEnd(new InvocationExecutor(), job(capture(20)), ok);
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/^postHogCapture was called 11 times; a destination may capture at most 10 events per invocation/);
    expect(result.captured).toHaveLength(10);
  });

  it('counts captures over every step of an invocation, across a fetch', async () => {
    const hog = `${capture(6)}\nfetch('https://example.com/a', {'method': 'POST'})\n${capture(6)}`;
    const result = await runToEnd(new InvocationExecutor(), job(hog), ok);
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/^postHogCapture was called 11 times/);
    expect(result.captured).toHaveLength(10);
  });

  it('allows exactly the configured number of captures', async () => {
    const result = await runToEnd(new InvocationExecutor({ maxCaptures: 3 }), job(capture(3)), ok);
    expect(result.status).toBe('succeeded');
    expect(result.captured).toHaveLength(3);
  });

  it('names the original event in every captured event, ignoring a root an original event claims', async () => {
    const original = await runToEnd(new InvocationExecutor(), job(capture(1), { [CAPTURE_ROOT_PROPERTY]: 'someone-elses-event' }), ok);
    expect(original.captured[0]!.properties).toMatchObject({ [CAPTURE_DEPTH_PROPERTY]: 1, [CAPTURE_ROOT_PROPERTY]: 'original-1' });
    // A captured event passes its original event on.
    const child = await runToEnd(new InvocationExecutor(), job(capture(1), { [CAPTURE_DEPTH_PROPERTY]: 1, [CAPTURE_ROOT_PROPERTY]: 'original-0' }), ok);
    expect(child.captured[0]!.properties).toMatchObject({ [CAPTURE_DEPTH_PROPERTY]: 2, [CAPTURE_ROOT_PROPERTY]: 'original-0' });
  });

  it('reads a negative or non-numeric hop count as 0, so a sender cannot buy extra hops', async () => {
    for (const depth of [-100, 'lots', null]) {
      const result = await runToEnd(new InvocationExecutor(), job(capture(1), { [CAPTURE_DEPTH_PROPERTY]: depth }), ok);
      expect(result.captured[0]!.properties[CAPTURE_DEPTH_PROPERTY]).toBe(1);
    }
    const deep = await runToEnd(new InvocationExecutor(), job(capture(1), { [CAPTURE_DEPTH_PROPERTY]: 3 }), ok);
    expect(deep.captured).toHaveLength(0);
  });
});
