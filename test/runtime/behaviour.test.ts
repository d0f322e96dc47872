import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestSluice } from '../ingest/helpers.js';
import { createDestination, sendEvents, sleep, startRuntimeSluice, startSink, type Sink } from './helpers.js';

describe('runtime behaviour', () => {
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

  async function newSink(): Promise<Sink> {
    const sink = await startSink();
    sinks.push(sink);
    return sink;
  }

  async function settled(id: string, expected: number) {
    for (let i = 0; i < 100; i++) {
      await sluice.runtime.worker.idle();
      await sluice.runtime.recorder.flush();
      const all = await sluice.store.listInvocations(1, id, { limit: 100 });
      if (all.length >= expected && all.every((x) => x.state !== 'queued' && x.state !== 'running')) return all;
      await sleep(30);
    }
    throw new Error('invocations did not finish');
  }

  async function metric(id: string, name: string): Promise<number> {
    await sluice.runtime.recorder.flush();
    const points = await sluice.store.queryMetrics(1, id, { after: '2000-01-01T00:00:00.000Z', before: '2100-01-01T00:00:00.000Z', interval: 'day', names: [name] });
    return points.reduce((sum, p) => sum + p.count, 0);
  }

  it('makes one invocation per enabled, matching mapping, each with its own inputs', async () => {
    const sink = await newSink();
    const bodySchema = [{ key: 'body', type: 'json' }];
    const id = await createDestination(sluice, {
      template_id: 'template-webhook',
      inputs: { url: { value: sink.url } },
      filters: { events: [{ id: 'order', type: 'events' }, { id: 'refund', type: 'events' }] },
      mappings: [
        { name: 'orders', inputs_schema: bodySchema, inputs: { body: { value: { kind: 'order', total: '{event.properties.total}' } } }, filters: { events: [{ id: 'order', type: 'events' }] } },
        { name: 'everything', inputs_schema: bodySchema, inputs: { body: { value: { kind: 'all', event: '{event.event}' } } } },
        { name: 'off', disabled: true, inputs_schema: bodySchema, inputs: { body: { value: { kind: 'off' } } } },
      ],
    });
    await sendEvents(sluice, [
      { event: 'order', distinct_id: 'm', properties: { total: 12 } },
      { event: 'refund', distinct_id: 'm' },
      { event: 'pageview', distinct_id: 'm' },
    ]);
    const invocations = await settled(id, 3);
    expect(invocations.map((i) => i.mappingIndex).sort()).toEqual([0, 1, 1]);
    expect(invocations.every((i) => i.state === 'succeeded')).toBe(true);
    expect(sink.requests.map((r) => r.json).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      { kind: 'all', event: 'order' },
      { kind: 'all', event: 'refund' },
      { kind: 'order', total: 12 },
    ]);
    expect(await metric(id, 'triggered')).toBe(3);
    expect(await metric(id, 'filtered')).toBe(1);
  });

  it('masks repeated events of the same person within the ttl', async () => {
    const sink = await newSink();
    const id = await createDestination(sluice, {
      template_id: 'template-webhook',
      inputs: { url: { value: sink.url } },
      filters: { events: [{ id: 'masked-event', type: 'events' }] },
      masking: { ttl: 600, hash: '{person.id}', threshold: null },
    });
    await sendEvents(sluice, [
      { event: 'masked-event', distinct_id: 'p1' },
      { event: 'masked-event', distinct_id: 'p1' },
      { event: 'masked-event', distinct_id: 'p2' },
      { event: 'masked-event', distinct_id: 'p1' },
    ]);
    await settled(id, 2);
    expect(sink.requests).toHaveLength(2);
    expect(await metric(id, 'masked')).toBe(2);
  });

  it('stops a postHogCapture loop after a few hops', async () => {
    const id = await createDestination(sluice, {
      name: 'echo',
      hog: `postHogCapture({'event': 'echo', 'distinct_id': event.distinct_id, 'properties': {'from': event.event}})`,
      filters: { events: [{ id: 'start-loop', type: 'events' }, { id: 'echo', type: 'events' }] },
    });
    await sendEvents(sluice, [{ event: 'start-loop', distinct_id: 'looper' }]);
    let echoes = 0;
    for (let i = 0; i < 100; i++) {
      await sluice.runtime.worker.idle();
      await sluice.settle();
      await sluice.runtime.matcher.waitFor(await sluice.store.lastEventSeq());
      await sluice.runtime.worker.idle();
      const now = (await sluice.store.readEvents(0, 10_000)).filter((e) => e.event === 'echo').length;
      if (now === echoes && i > 5) break;
      echoes = now;
      await sleep(50);
    }
    const events = (await sluice.store.readEvents(0, 10_000)).filter((e) => e.event === 'echo');
    expect(events.map((e) => e.properties.$hog_function_execution_count)).toEqual([1, 2, 3]);
    const warnings = await sluice.store.queryLogs(1, id, { limit: 10, levels: ['warn'] });
    expect(warnings.some((l) => /loop protection/.test(l.message))).toBe(true);
  });

  it('fails the invocation clearly at a third fetch', async () => {
    const sink = await newSink();
    const id = await createDestination(sluice, {
      name: 'three fetches',
      hog: `fetch(inputs.url, {'body': {'n': 1}})\nfetch(inputs.url, {'body': {'n': 2}})\nfetch(inputs.url, {'body': {'n': 3}})`,
      inputs_schema: [{ key: 'url', type: 'string', required: true }],
      inputs: { url: { value: sink.url } },
      filters: { events: [{ id: 'three', type: 'events' }] },
    });
    await sendEvents(sluice, [{ event: 'three', distinct_id: 'u' }]);
    const [invocation] = await settled(id, 1);
    expect(invocation!.state).toBe('failed');
    expect(invocation!.error).toMatch(/fetch was called 3 times; a destination may make at most 2 fetch calls/);
    expect(sink.requests.map((r) => r.json)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('fails only the invocation stuck in an infinite loop', async () => {
    const sink = await newSink();
    const looping = await createDestination(sluice, {
      name: 'loops forever',
      hog: `let i := 0\nwhile (true) { i := i + 1 }`,
      filters: { events: [{ id: 'spin', type: 'events' }] },
    });
    const healthy = await createDestination(sluice, {
      template_id: 'template-webhook',
      inputs: { url: { value: sink.url } },
      filters: { events: [{ id: 'spin', type: 'events' }] },
    });
    await sendEvents(sluice, [{ event: 'spin', distinct_id: 'u' }]);
    const [stuck] = await settled(looping, 1);
    const [fine] = await settled(healthy, 1);
    expect(stuck!.state).toBe('failed');
    expect(stuck!.error).toMatch(/timed out|time/i);
    expect(fine!.state).toBe('succeeded');
    expect(sink.requests).toHaveLength(1);
  });

  it('decrypts secret inputs for delivery and redacts them from errors and logs', async () => {
    const sink = await startSink(() => ({ status: 400, body: 'bad key s3cr3t-value-123' }));
    sinks.push(sink);
    const id = await createDestination(sluice, {
      name: 'secret header',
      hog: `let res := fetch(inputs.url, {'headers': {'x-key': inputs.key}, 'body': {'ok': true}})
print('sent with', inputs.key)
if (res.status >= 400) { throw Error(f'refused: {res.body}') }`,
      inputs_schema: [
        { key: 'url', type: 'string', required: true },
        { key: 'key', type: 'string', required: true, secret: true },
      ],
      inputs: { url: { value: sink.url }, key: { value: 's3cr3t-value-123' } },
      filters: { events: [{ id: 'secret', type: 'events' }] },
    });
    const stored = await sluice.store.getDestination(1, id);
    expect(JSON.stringify(stored!.config)).not.toContain('s3cr3t-value-123');
    await sendEvents(sluice, [{ event: 'secret', distinct_id: 'u' }]);
    const [invocation] = await settled(id, 1);
    expect(sink.requests[0]!.headers['x-key']).toBe('s3cr3t-value-123');
    expect(invocation!.state).toBe('failed');
    expect(invocation!.error).toContain('refused: bad key ***');
    const logs = await sluice.store.queryLogs(1, id, { limit: 10 });
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) expect(line.message).not.toContain('s3cr3t-value-123');
  });

  it('picks up a disabled destination at once through reload and stops delivering to it', async () => {
    const sink = await newSink();
    const id = await createDestination(sluice, {
      template_id: 'template-webhook',
      inputs: { url: { value: sink.url } },
      filters: { events: [{ id: 'toggle', type: 'events' }] },
    });
    await sendEvents(sluice, [{ event: 'toggle', distinct_id: 'u' }]);
    await sink.waitFor(1);
    const stored = (await sluice.store.getDestination(1, id))!;
    await sluice.store.saveDestination({ id, projectId: 1, enabled: false, config: { ...stored.config, enabled: false } });
    await sluice.runtime.reload();
    await sendEvents(sluice, [{ event: 'toggle', distinct_id: 'u' }]);
    await sleep(100);
    expect(sink.requests).toHaveLength(1);
  });
});
