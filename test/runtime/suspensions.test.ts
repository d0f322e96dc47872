/**
 * Suspensions of retried and parked invocations, end to end on a real Sluice (delivery threads included
 * when the machine has 2 cores) and real HTTP sinks on 127.0.0.1: they are stored sealed, and a
 * destination changed since one was made runs from its event with the current code, inputs and secrets.
 *
 * A retry is made due by moving its `scheduled_at` rather than by waiting: the sink answers
 * `Retry-After: 600`, the test changes the destination, then makes the stored retry due now.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestSluice } from '../ingest/helpers.js';
import { API_KEY, createDestination, sendEvents, startRuntimeSluice, startSink, waitUntil, type Sink, type SinkAnswer } from './helpers.js';

const OLD_SECRET = 'old_secret_4f1c9a7e2b';
const NEW_SECRET = 'new_secret_8d3e6b0c5a';

const HOG = `let res := fetch(inputs.url, {'method': 'POST', 'headers': {'Authorization': f'Bearer {inputs.token}'}, 'body': {'event': event.event}})
if (res.status >= 400) {
  throw Error(f'status {res.status}')
}`;


describe('suspensions of retried and parked invocations', () => {
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
  });

  async function newSink(answer: (index: number) => SinkAnswer): Promise<Sink> {
    const sink = await startSink((_request, index) => answer(index));
    sinks.push(sink);
    return sink;
  }

  async function patch(id: string, body: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${sluice.url}/api/projects/1/hog_functions/${id}/`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.text()).toBe(200);
  }

  async function destinationTo(url: string, event: string, retryPolicy?: Record<string, unknown>): Promise<string> {
    return createDestination(sluice, {
      name: `suspensions ${event}`,
      hog: HOG,
      inputs_schema: [
        { key: 'url', type: 'string', required: true },
        { key: 'token', type: 'string', secret: true, templating: false, required: true },
      ],
      inputs: { url: { value: url }, token: { value: OLD_SECRET } },
      filters: { events: [{ id: event, type: 'events' }] },
      ...(retryPolicy ? { retry_policy: retryPolicy } : {}),
    });
  }

  /** Sends the event and waits until its invocation is stored waiting for a retry; returns it. */
  async function retryWaiting(id: string, event: string) {
    await sendEvents(sluice, [{ event, distinct_id: 'u' }]);
    return waitUntil('the invocation to wait for its retry', async () => {
      await sluice.runtime.recorder.flush();
      const [invocation] = await sluice.store.listInvocations(1, id, { limit: 1 });
      return invocation?.state === 'queued' && invocation.attempts === 1 ? invocation : null;
    });
  }

  async function makeDue(invocationId: string): Promise<void> {
    await sluice.store.updateInvocation(invocationId, { state: 'queued', scheduledAt: Date.now() });
    sluice.runtime.worker.wake();
  }

  async function finished(id: string) {
    return waitUntil('the invocation to finish', async () => {
      await sluice.runtime.recorder.flush();
      const [invocation] = await sluice.store.listInvocations(1, id, { limit: 1 });
      return invocation && (invocation.state === 'succeeded' || invocation.state === 'failed') ? invocation : null;
    });
  }

  async function logLines(id: string): Promise<string[]> {
    return (await sluice.store.queryLogs(1, id, { limit: 50 })).map((l) => l.message);
  }

  it('stores the suspension of a retry sealed: no URL, header or secret in it', async () => {
    const sink = await newSink(() => ({ status: 503, headers: { 'retry-after': '600' } }));
    const id = await destinationTo(`${sink.url}/sealed`, 'sealed-retry');
    const waiting = await retryWaiting(id, 'sealed-retry');
    expect(Object.keys(waiting.suspension!)).toEqual(['encrypted']);
    expect(waiting.suspension!.encrypted).toMatch(/^v1:[0-9a-f]{8}:/);
    const stored = JSON.stringify(waiting.suspension);
    for (const plain of [OLD_SECRET, sink.url, 'Authorization', 'vmState']) expect(stored).not.toContain(plain);
  });

  it('a retry after the URL and secret changed goes to the new URL with the new secret, from the event', async () => {
    const sink = await newSink((index) => (index === 0 ? { status: 503, headers: { 'retry-after': '600' } } : { status: 200 }));
    const id = await destinationTo(`${sink.url}/old`, 'changed-retry');
    const waiting = await retryWaiting(id, 'changed-retry');
    expect(sink.requests[0]).toMatchObject({ path: '/old', headers: { authorization: `Bearer ${OLD_SECRET}` } });

    await patch(id, { inputs: { url: { value: `${sink.url}/new` }, token: { value: NEW_SECRET } } });
    await makeDue(waiting.id);
    await sink.waitFor(2, 30_000);
    expect(sink.requests[1]).toMatchObject({ path: '/new', headers: { authorization: `Bearer ${NEW_SECRET}` } });
    expect(await finished(id)).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(await logLines(id)).toContainEqual(expect.stringMatching(/^The destination changed since this invocation was suspended \(version \d+, now \d+\): starting again from the event/));
  });

  it('a retry of an unchanged destination resumes its stored request, without starting again', async () => {
    const sink = await newSink((index) => (index === 0 ? { status: 503, headers: { 'retry-after': '600' } } : { status: 200 }));
    const id = await destinationTo(`${sink.url}/same`, 'same-retry');
    const waiting = await retryWaiting(id, 'same-retry');
    await makeDue(waiting.id);
    await sink.waitFor(2, 30_000);
    expect(sink.requests[1]).toMatchObject({ path: '/same', headers: { authorization: `Bearer ${OLD_SECRET}` } });
    expect(await finished(id)).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect((await logLines(id)).some((line) => line.includes('starting again'))).toBe(false);
  });

  it('the error of a failed retry names the URL actually requested, not the one stored before the change', async () => {
    const sink = await newSink(() => ({ status: 503, headers: { 'retry-after': '600' } }));
    const closed = await newSink(() => ({ status: 200 }));
    const closedUrl = `${closed.url}/gone`;
    await closed.close();
    sinks.pop();
    const id = await destinationTo(`${sink.url}/before`, 'failed-retry', { max_attempts: 2 });
    const waiting = await retryWaiting(id, 'failed-retry');
    await patch(id, { inputs: { url: { value: closedUrl }, token: { secret: true } } });
    await makeDue(waiting.id);
    const failed = await finished(id);
    expect(failed.state).toBe('failed');
    expect(failed.error).toContain(`fetch to ${closedUrl} failed`);
    expect(failed.error).not.toContain('/before');
  });

  it('a replayed parked invocation runs from its event with the current inputs when the destination changed', async () => {
    const sink = await newSink((index) => (index === 0 ? { status: 503, headers: { 'retry-after': '600' } } : { status: 200 }));
    const id = await destinationTo(`${sink.url}/parked-old`, 'parked-replay');
    const waiting = await retryWaiting(id, 'parked-replay');
    // What the worker does to an invocation of a destination its health watcher disabled: the sealed suspension stays.
    await sluice.store.updateInvocation(waiting.id, { state: 'parked' });
    await patch(id, { inputs: { url: { value: `${sink.url}/parked-new` }, token: { value: NEW_SECRET } } });
    const replay = await fetch(`${sluice.url}/api/projects/1/hog_functions/${id}/replay/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ states: ['parked'] }),
    });
    expect(replay.status, await replay.text()).toBe(200);
    sluice.runtime.worker.wake();
    await sink.waitFor(2, 30_000);
    expect(sink.requests[1]).toMatchObject({ path: '/parked-new', headers: { authorization: `Bearer ${NEW_SECRET}` } });
    expect(await finished(id)).toMatchObject({ state: 'succeeded' });
  });
});
