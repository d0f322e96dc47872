import { describe, expect, it } from 'vitest';
import { buildGlobals } from '../../destinations/globals.js';
import { validateDestination } from '../../destinations/validation.js';
import { InvocationExecutor, runToEnd } from '../executor.js';
import { invocationJobs } from '../jobs.js';

const globals = buildGlobals({
  event: { uuid: 'u', event: 'signed up', distinct_id: 'd', properties: {}, timestamp: '2026-01-01T00:00:00.000Z' },
  person: null,
  project: { id: 1, name: 'P' },
  source: { name: 'S' },
  siteUrl: 'http://localhost:8040',
});

function destinationWithMapping() {
  const result = validateDestination({
    name: 'mapped',
    hog: "print(inputs.line)",
    inputs_schema: [
      { key: 'a', type: 'string' },
      { key: 'b', type: 'string' },
      { key: 'c', type: 'string' },
    ],
    inputs: { a: { value: 'x' }, b: { value: 'y' }, c: { value: 'from the destination' } },
    mappings: [
      { name: 'skipped', disabled: true, inputs: { line: { value: 'never' } }, inputs_schema: [{ key: 'line', type: 'string' }] },
      { name: 'reads c', inputs: { line: { value: 'mapping sees {inputs.c}' } }, inputs_schema: [{ key: 'line', type: 'string' }] },
    ],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.destination;
}

describe('invocation jobs', () => {
  it('makes one job per enabled mapping, whose inputs are evaluated after the destination inputs they read', async () => {
    const jobs = invocationJobs(destinationWithMapping(), globals);
    expect(jobs).toHaveLength(1);
    const run = await runToEnd(new InvocationExecutor(), jobs[0]!, async () => ({ status: 200, body: {} }));
    expect(run.error).toBeUndefined();
    expect(run.logs.map((l) => l.message)).toEqual(['mapping sees from the destination']);
  });
});
