import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestSluice } from '../ingest/helpers.js';
import { createDestination, sendEvents, sleep, startRuntimeSluice, startSink, type Sink, type SinkAnswer } from './helpers.js';

describe('retries', () => {
  let sluice: TestSluice;
  const sinks: Sink[] = [];

  beforeAll(async () => {
    sluice = await startRuntimeSluice();
  });
  afterAll(async () => {
    await sluice.stop();
  });
  afterEach(async () => {
    for (const sink of sinks.splice(0)) await sink.close();
    for (const d of await sluice.store.listDestinations(1)) await sluice.store.deleteDestination(1, d.id);
    await sluice.runtime.reload();
  });

  async function newSink(answer: (index: number) => SinkAnswer): Promise<Sink> {
    const sink = await startSink((_request, index) => answer(index));
    sinks.push(sink);
    return sink;
  }

  async function webhookTo(url: string, event: string, extra: Record<string, unknown> = {}): Promise<string> {
    return createDestination(sluice, {
      template_id: 'template-webhook',
      inputs: { url: { value: url } },
      filters: { events: [{ id: event, type: 'events' }] },
      ...extra,
    });
  }

  async function finished(id: string): Promise<{ state: string; attempts: number; error: string | null }[]> {
    for (let i = 0; i < 100; i++) {
      await sluice.runtime.recorder.flush();
      const all = await sluice.store.listInvocations(1, id, { limit: 10 });
      if (all.length > 0 && all.every((x) => x.state === 'succeeded' || x.state === 'failed')) return all;
      await sleep(50);
    }
    throw new Error('invocations did not finish');
  }

  it('retries a 503 and succeeds when the destination answers 200', async () => {
    const sink = await newSink((i) => (i === 0 ? { status: 503 } : { status: 200 }));
    const id = await webhookTo(sink.url, 'retry-503');
    await sendEvents(sluice, [{ event: 'retry-503', distinct_id: 'u' }]);
    await sink.waitFor(2, 5_000);
    const [invocation] = await finished(id);
    expect(invocation).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(sink.requests[1]!.at - sink.requests[0]!.at).toBeGreaterThanOrEqual(400);
    const logs = await sluice.store.queryLogs(1, id, { limit: 10, levels: ['warn'] });
    expect(logs[0]?.message).toMatch(/status 503.*retrying in .* \(attempt 1 of 3\)/);
  });

  it('honours Retry-After: 2 on a 429', async () => {
    const sink = await newSink((i) => (i === 0 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 }));
    const id = await webhookTo(sink.url, 'retry-429');
    await sendEvents(sluice, [{ event: 'retry-429', distinct_id: 'u' }]);
    await sink.waitFor(2, 6_000);
    expect(sink.requests[1]!.at - sink.requests[0]!.at).toBeGreaterThanOrEqual(2_000);
    expect((await finished(id))[0]).toMatchObject({ state: 'succeeded', attempts: 2 });
  });

  it('retries after the connection is reset', async () => {
    const sink = await newSink((i) => (i === 0 ? 'reset' : { status: 200 }));
    const id = await webhookTo(sink.url, 'retry-reset');
    await sendEvents(sluice, [{ event: 'retry-reset', distinct_id: 'u' }]);
    await sink.waitFor(2, 5_000);
    expect((await finished(id))[0]).toMatchObject({ state: 'succeeded', attempts: 2 });
  });

  it('resumes at the failed second fetch without repeating the first one', async () => {
    const first = await newSink(() => ({ status: 200, body: '{"token":"abc"}' }));
    const second = await newSink((i) => (i === 0 ? { status: 502 } : { status: 201 }));
    const id = await createDestination(sluice, {
      name: 'two fetches',
      hog: `let auth := fetch(inputs.first, {'method': 'POST', 'body': {'event': event.event}})
let res := fetch(inputs.second, {'method': 'POST', 'headers': {'x-token': auth.body.token}, 'body': {'n': 2}})
if (res.status >= 400) { throw Error(f'second failed: {res.status}') }
print('delivered with', res.status)`,
      inputs_schema: [
        { key: 'first', type: 'string', required: true },
        { key: 'second', type: 'string', required: true },
      ],
      inputs: { first: { value: first.url }, second: { value: second.url } },
      filters: { events: [{ id: 'two-step', type: 'events' }] },
    });
    await sendEvents(sluice, [{ event: 'two-step', distinct_id: 'u' }]);
    await second.waitFor(2, 5_000);
    const [invocation] = await finished(id);
    expect(invocation).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(first.requests).toHaveLength(1);
    expect(second.requests.map((r) => r.headers['x-token'])).toEqual(['abc', 'abc']);
    const logs = await sluice.store.queryLogs(1, id, { limit: 10, levels: ['info'] });
    expect(logs.map((l) => l.message)).toContain('delivered with 201');
  });

  it('hands the last response to the code when retries are used up (the webhook template then fails)', async () => {
    const sink = await newSink(() => ({ status: 500, body: 'down' }));
    const id = await webhookTo(sink.url, 'always-500', { retry_policy: { max_attempts: 2 } });
    await sendEvents(sluice, [{ event: 'always-500', distinct_id: 'u' }]);
    await sink.waitFor(2, 5_000);
    const [invocation] = await finished(id);
    expect(invocation).toMatchObject({ state: 'failed', attempts: 2 });
    expect(invocation!.error).toMatch(/failed with status 500/);
    expect(sink.requests).toHaveLength(2);
  });

  it('fails the invocation on a network error once retries are used up', async () => {
    const sink = await newSink(() => 'reset');
    const id = await webhookTo(sink.url, 'always-reset', { retry_policy: { max_attempts: 1 } });
    await sendEvents(sluice, [{ event: 'always-reset', distinct_id: 'u' }]);
    const [invocation] = await finished(id);
    expect(invocation!.state).toBe('failed');
    expect(invocation!.error).toMatch(/^fetch to http:\/\/127\.0\.0\.1:\d+\/? failed/);
    expect(sink.requests).toHaveLength(1);
  });
});
