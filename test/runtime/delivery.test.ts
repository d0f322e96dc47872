import { PostHog } from 'posthog-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestSluice } from '../ingest/helpers.js';
import { createDestination, sendEvents, startRuntimeSluice, startSink, TOKEN, type Sink } from './helpers.js';

describe('end-to-end delivery', () => {
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

  async function newSink(...args: Parameters<typeof startSink>): Promise<Sink> {
    const sink = await startSink(...args);
    sinks.push(sink);
    return sink;
  }

  it('delivers exactly the matching events sent with posthog-node, with templated bodies and headers, within a second', async () => {
    const sink = await newSink();
    await createDestination(sluice, {
      template_id: 'template-webhook',
      name: 'Signups to my service',
      inputs: {
        url: { value: `${sink.url}/hook?source=sluice` },
        body: { value: { text: '{event.name} was triggered by {person.properties.first_name} {person.properties.last_name}', props: '{event.properties}' } },
        headers: { value: { 'Content-Type': 'application/json', 'X-Event': '{event.name}' } },
      },
      filters: { events: [{ id: 'signed up', type: 'events' }] },
    });

    const client = new PostHog(TOKEN, { host: sluice.url, flushAt: 1, flushInterval: 0 });
    const sentAt = Date.now();
    client.identify({ distinctId: 'ada', properties: { first_name: 'Ada', last_name: 'Lovelace' } });
    client.capture({ distinctId: 'ada', event: 'signed up', properties: { plan: 'pro' } });
    client.capture({ distinctId: 'ada', event: '$pageview', properties: { $current_url: 'https://x' } });
    client.capture({ distinctId: 'grace', event: 'signed up', properties: { plan: 'free', $set: { first_name: 'Grace', last_name: 'Hopper' } } });
    await client.shutdown();

    const received = await sink.waitFor(2, 1_000);
    expect(Date.now() - sentAt).toBeLessThan(1_500);
    await new Promise((r) => setTimeout(r, 200));
    expect(sink.requests).toHaveLength(2);
    const bodies = sink.requests.map((r) => r.json as { text: string; props: Record<string, unknown> });
    expect(bodies.map((b) => b.text).sort()).toEqual(['signed up was triggered by Ada Lovelace', 'signed up was triggered by Grace Hopper']);
    expect(bodies.map((b) => b.props.plan).sort()).toEqual(['free', 'pro']);
    for (const r of received) {
      expect(r.method).toBe('POST');
      expect(r.path).toBe('/hook?source=sluice');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-event']).toBe('signed up');
    }
  });

  it('records succeeded invocations, metrics and a log line per debug print', async () => {
    const sink = await newSink();
    const id = await createDestination(sluice, {
      template_id: 'template-webhook',
      inputs: { url: { value: sink.url }, debug: { value: true } },
      filters: { events: [{ id: 'ping', type: 'events' }] },
    });
    await sendEvents(sluice, [{ event: 'ping', distinct_id: 'u1' }, { event: 'other', distinct_id: 'u1' }]);
    await sink.waitFor(1);
    await sluice.runtime.worker.idle();
    await sluice.runtime.recorder.flush();

    const invocations = await sluice.store.listInvocations(1, id, { limit: 10 });
    expect(invocations.map((i) => i.state)).toEqual(['succeeded']);
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    const metrics = await sluice.store.queryMetrics(1, id, {
      after: hour.toISOString(),
      before: new Date(hour.getTime() + 3_600_000).toISOString(),
      interval: 'hour',
    });
    const count = (name: string) => metrics.find((m) => m.name === name)?.count ?? 0;
    expect([count('triggered'), count('filtered'), count('succeeded'), count('fetch')]).toEqual([1, 1, 1, 1]);
    const logs = await sluice.store.queryLogs(1, id, { limit: 10, invocationId: invocations[0]!.id });
    expect(logs.map((l) => l.message.split(' ')[0])).toEqual(expect.arrayContaining(['Request', 'Response']));
  });
});
