import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxFetchesFromEnv } from '../../src/runtime/executor.js';
import { startTestSluice, type TestSluice } from '../ingest/helpers.js';
import { API_KEY, createDestination, sendEvents, startRuntimeSluice, startSink, TOKEN, waitUntil, type Sink } from './helpers.js';

const ENV = { SLUICE_BOOTSTRAP_PROJECT_TOKEN: TOKEN, SLUICE_BOOTSTRAP_API_KEY: API_KEY, SLUICE_FETCH_ALLOW_HOSTS: '127.0.0.1' };

/** Three fetches on its normal path, like a vendor needing a lookup, an upsert and an association. */
function threeFetches(url: string, event: string) {
  return {
    name: `three fetches (${event})`,
    hog: `fetch(inputs.url, {'method': 'POST', 'body': {'n': 1}})\nfetch(inputs.url, {'method': 'POST', 'body': {'n': 2}})\nfetch(inputs.url, {'method': 'POST', 'body': {'n': 3}})`,
    inputs_schema: [{ key: 'url', type: 'string', required: true }],
    inputs: { url: { value: url } },
    filters: { events: [{ id: event, type: 'events' }] },
  };
}

async function finishedInvocation(sluice: TestSluice, id: string) {
  return waitUntil('the invocation to finish', async () => {
    await sluice.runtime.recorder.flush();
    const [invocation] = await sluice.store.listInvocations(1, id, { limit: 10 });
    return invocation && (invocation.state === 'succeeded' || invocation.state === 'failed') ? invocation : null;
  });
}

async function testRun(sluice: TestSluice, configuration: Record<string, unknown>) {
  const res = await fetch(`${sluice.url}/api/projects/1/hog_functions/new/invocations/`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ configuration, globals: { event: { event: 'three' } } }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { status: string; errors: string[]; fetches: { made: number; limit: number } };
}

describe('SLUICE_MAX_FETCHES', () => {
  it('accepts a whole number from 1 to 10 and keeps the default when unset or blank', () => {
    expect(maxFetchesFromEnv(undefined)).toBeUndefined();
    expect(maxFetchesFromEnv('  ')).toBeUndefined();
    expect(maxFetchesFromEnv('1')).toBe(1);
    expect(maxFetchesFromEnv('10')).toBe(10);
  });

  it.each(['0', '11', '-2', '2.5', 'three', '1e309', '9'.repeat(5000)])('refuses %s at startup with an error naming the variable', async (value) => {
    await expect(startTestSluice({ dataDir: ':memory:', env: { ...ENV, SLUICE_MAX_FETCHES: value } })).rejects.toThrow(
      /SLUICE_MAX_FETCHES must be a whole number from 1 to 10/,
    );
  });

  describe('raised to 3, with delivery threads', () => {
    let sluice: TestSluice;
    let sink: Sink;
    beforeAll(async () => {
      sink = await startSink();
      sluice = await startRuntimeSluice({ env: { ...ENV, SLUICE_MAX_FETCHES: '3' }, runtime: { deliveryThreads: 1 } });
    });
    afterAll(async () => {
      await sluice.stop();
      await sink.close();
    });

    it('delivers a destination that makes three fetches to a real sink', async () => {
      expect(sluice.runtime.deliveryThreads?.size).toBe(1);
      const id = await createDestination(sluice, threeFetches(sink.url, 'three'));
      await sendEvents(sluice, [{ event: 'three', distinct_id: 'u1' }]);
      const invocation = await finishedInvocation(sluice, id);
      expect(invocation.state).toBe('succeeded');
      expect(sink.requests.map((r) => r.json)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    });

    it('reports three of three fetches in a test run', async () => {
      const run = await testRun(sluice, threeFetches(sink.url, 'three'));
      expect(run.status).toBe('success');
      expect(run.fetches).toEqual({ made: 3, limit: 3 });
    });
  });

  describe('left at the default', () => {
    let sluice: TestSluice;
    let sink: Sink;
    beforeAll(async () => {
      sink = await startSink();
      sluice = await startRuntimeSluice({ env: ENV, runtime: { deliveryThreads: 0 } });
    });
    afterAll(async () => {
      await sluice.stop();
      await sink.close();
    });

    it('fails the third fetch with an error that names the setting', async () => {
      const id = await createDestination(sluice, threeFetches(sink.url, 'three'));
      await sendEvents(sluice, [{ event: 'three', distinct_id: 'u1' }]);
      const invocation = await finishedInvocation(sluice, id);
      expect(invocation.state).toBe('failed');
      expect(invocation.error).toContain('fetch was called 3 times; a destination may make at most 2 fetch calls per invocation (SLUICE_MAX_FETCHES)');
      expect(sink.requests.map((r) => r.json)).toEqual([{ n: 1 }, { n: 2 }]);
    });

    it('shows the same failure and two of two fetches in a test run', async () => {
      const run = await testRun(sluice, threeFetches(sink.url, 'three'));
      expect(run.status).toBe('error');
      expect(run.errors.join('\n')).toContain('(SLUICE_MAX_FETCHES)');
      expect(run.fetches).toEqual({ made: 2, limit: 2 });
    });

    it('reports one of two fetches for a destination that makes one', async () => {
      const run = await testRun(sluice, {
        name: 'one fetch',
        hog: `fetch(inputs.url, {'method': 'POST', 'body': {'n': 1}})`,
        inputs_schema: [{ key: 'url', type: 'string', required: true }],
        inputs: { url: { value: sink.url } },
      });
      expect(run.fetches).toEqual({ made: 1, limit: 2 });
    });
  });
});
