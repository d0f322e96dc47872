/**
 * Transformations through the whole pipeline: the real posthog-node client → capture → transformations
 * (the first step of person processing) → persons → matcher → worker → a real HTTP sink on 127.0.0.1.
 *
 * The project's chain comes from the templates, in this order: drop `is_bot = true` (0), hash `email`
 * with HMAC-SHA-256 and a salt (10), strip URL query strings (20). The tests check what the webhook
 * receives, the person profile, the stored originals, the order, and what a failing or hostile
 * transformation leaves behind (logs, metrics, health) while the rest of the chain and the destination
 * keep working. Health runs with a 1 000-token bucket (degraded after 2 failures, disabled after 11).
 */
import { createHmac } from 'node:crypto';
import { PostHog } from 'posthog-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthPolicy } from '../../src/runtime/health.js';
import type { TestSluice } from '../ingest/helpers.js';
import { API_KEY, createDestination, startRuntimeSluice, startSink, TOKEN, waitUntil, type ReceivedRequest, type Sink } from './helpers.js';

const SALT = 'pepper-for-tests';
const hmac = (value: string) => createHmac('sha256', SALT).update(value).digest('hex');

interface WebhookBody {
  event: { uuid: string; event: string; distinct_id: string; properties: Record<string, unknown> };
  person: { properties: Record<string, unknown> } | null;
}

describe('transformations end to end', () => {
  let sluice: TestSluice;
  let sink: Sink;
  let client: PostHog;
  const chain: { drop: string; hash: string; strip: string } = { drop: '', hash: '', strip: '' };

  async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${sluice.url}/api/projects/1${path}`, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  async function transformation(body: Record<string, unknown>): Promise<string> {
    return createDestination(sluice, { type: 'transformation', ...body });
  }

  /**
   * Flushes the client and waits until capture, persons and matching are done, every invocation has
   * been delivered (none queued or running in the store), and the recorder has written what it holds.
   */
  async function delivered(): Promise<void> {
    await client.flush();
    await sluice.settle();
    await sluice.runtime.matcher.waitFor(await sluice.store.lastEventSeq());
    await waitUntil('every invocation to be delivered', async () => {
      await sluice.runtime.recorder.flush();
      return (await sluice.store.countInvocations({ states: ['queued', 'running'] })) === 0;
    });
    await sluice.runtime.recorder.flush();
  }

  let sent = 0;
  /** Captures with posthog-node, numbering the event (`n`) so deliveries, which run in parallel, can be put in order. */
  function capture(distinctId: string, event: string, properties: Record<string, unknown> = {}): void {
    client.capture({ distinctId, event, properties: { ...properties, n: ++sent } });
  }

  /** What the webhook received for these distinct ids, in the order the events were captured. */
  function received(...distinctIds: string[]): WebhookBody[] {
    return sink.requests
      .map((r: ReceivedRequest) => r.json as WebhookBody)
      .filter((b) => distinctIds.includes(b.event.distinct_id))
      .sort((a, b) => Number(a.event.properties.n) - Number(b.event.properties.n));
  }

  async function metrics(id: string): Promise<Record<string, number>> {
    return (await api('GET', `/hog_functions/${id}/metrics/`)).json.totals as Record<string, number>;
  }

  async function errorLogs(id: string): Promise<{ message: string; instance_id: string }[]> {
    return (await api('GET', `/hog_functions/${id}/logs/?level=error`)).json.results as { message: string; instance_id: string }[];
  }

  async function stateOf(id: string): Promise<string> {
    return ((await api('GET', `/hog_functions/${id}/`)).json.status as { state: string }).state;
  }

  beforeAll(async () => {
    sink = await startSink();
    // Transformations in the main thread: the tests count exactly which event health disabled a function
    // at, and a stage thread hears of a health change one message later (test/scale/stage-threads.test.ts
    // runs transformations in threads).
    sluice = await startRuntimeSluice({ stageThreads: 0, runtime: { worker: { pollMs: 20 }, health: { policy: healthPolicy({ bucketSize: 1_000 }) } } });
    client = new PostHog(TOKEN, { host: sluice.url, flushAt: 1_000, flushInterval: 0 });
    chain.drop = await transformation({
      template_id: 'template-drop-events',
      name: 'Drop bots',
      execution_order: 0,
      filters: { properties: [{ key: 'is_bot', type: 'event', operator: 'exact', value: [true] }] },
    });
    chain.hash = await transformation({ template_id: 'template-pii-hashing', execution_order: 10, inputs: { salt: { value: SALT } } });
    chain.strip = await transformation({ template_id: 'template-url-parameters', execution_order: 20 });
    // Every event (the template's own filter keeps only pageviews).
    await createDestination(sluice, { template_id: 'template-webhook', name: 'Sink', inputs: { url: { value: `${sink.url}/hook` } }, filters: {} });
  });
  afterAll(async () => {
    await client.shutdown();
    await sluice.stop();
    await sink.close();
  });

  it('delivers only the transformed, kept events; the person holds the hash; the stored originals stay as sent', async () => {
    const url = 'https://shop.example/cart?token=secret&utm_source=mail#summary';
    capture('ada', 'signed up', { email: 'ada@example.com', $set: { email: 'ada@example.com' }, $current_url: url });
    capture('crawler', '$pageview', { is_bot: true, email: 'bot@example.com', $current_url: url });
    capture('ada', '$pageview', { $current_url: 'https://shop.example/p/42?ref=ad' });
    capture('crawler', '$pageview', { is_bot: true });
    await delivered();

    const bodies = received('ada', 'crawler');
    expect(bodies.map((b) => [b.event.distinct_id, b.event.event])).toEqual([
      ['ada', 'signed up'],
      ['ada', '$pageview'],
    ]);
    const [signup, pageview] = bodies;
    expect(signup!.event.properties).toMatchObject({ email: hmac('ada@example.com'), $set: { email: hmac('ada@example.com') }, $current_url: 'https://shop.example/cart#summary' });
    expect(pageview!.event.properties.$current_url).toBe('https://shop.example/p/42');
    // The person was processed from the transformed event: the destination and the profile hold the hash.
    expect(pageview!.person?.properties.email).toBe(hmac('ada@example.com'));
    expect((await sluice.store.getPersonByDistinctId(1, 'ada'))?.properties.email).toBe(hmac('ada@example.com'));
    expect(await sluice.store.getPersonByDistinctId(1, 'crawler')).toBeNull();

    // Capture stored every event exactly as sent, bots included.
    const stored = (await sluice.store.readEvents(0, 1_000)).filter((e) => e.distinct_id === 'ada' || e.distinct_id === 'crawler');
    expect(stored).toHaveLength(4);
    expect(stored[0]!.properties).toMatchObject({ email: 'ada@example.com', $set: { email: 'ada@example.com' }, $current_url: url });
    expect(stored[1]!.properties).toMatchObject({ is_bot: true, email: 'bot@example.com' });
    // What destinations read back after a restart: the transformed events, never the dropped ones.
    const enriched = (await sluice.store.readEnrichedEvents(0, 1_000)).filter((e) => e.event.distinct_id === 'ada' || e.event.distinct_id === 'crawler');
    expect(enriched.map((e) => e.event.uuid)).toEqual([stored[0]!.uuid, stored[2]!.uuid]);
    expect(enriched[0]!.event.properties.email).toBe(hmac('ada@example.com'));

    expect(await metrics(chain.drop)).toMatchObject({ dropped: 2, filtered: 2 });
    expect(await metrics(chain.hash)).toMatchObject({ transformed: 1, unchanged: 1 });
    expect(await metrics(chain.strip)).toMatchObject({ transformed: 2 });
  });

  it('runs the chain in execution order: swapping hashing and URL stripping changes what is delivered', async () => {
    // Both now work on `landing`: hashed before stripping, the hash keeps the query; stripped first, it does not.
    expect((await api('PATCH', `/hog_functions/${chain.hash}/`, { inputs: { salt: { value: SALT }, properties_to_hash: { value: ['email', '$set.email', 'landing'] } } })).status).toBe(200);
    expect((await api('PATCH', `/hog_functions/${chain.strip}/`, { inputs: { url_properties: { value: ['$current_url', 'landing'] } } })).status).toBe(200);
    const landing = 'https://shop.example/?campaign=spring';
    capture('order-1', 'visit', { landing });
    await delivered();
    expect(received('order-1').map((b) => b.event.properties.landing)).toEqual([hmac(landing)]);

    const rearranged = await api('POST', '/hog_functions/rearrange/', { orders: { [chain.strip]: 10, [chain.hash]: 20 } });
    expect(rearranged.status).toBe(200);
    expect((rearranged.json.results as { id: string }[]).map((r) => r.id)).toEqual([chain.drop, chain.strip, chain.hash]);
    capture('order-2', 'visit', { landing });
    await delivered();
    expect(received('order-2').map((b) => b.event.properties.landing)).toEqual([hmac('https://shop.example/')]);

    // Back to the order the other tests expect.
    expect((await api('POST', '/hog_functions/rearrange/', { orders: { [chain.hash]: 10, [chain.strip]: 20 } })).status).toBe(200);
  });

  it('passes events on unchanged past a failing transformation, and logs, counts and disables it', async () => {
    // Between hashing (10) and stripping (20): both still run on every event.
    const failing = await transformation({
      name: 'Breaks on flagged events',
      execution_order: 15,
      hog: "if (event.properties.flag) {\n  throw Error('cannot handle flagged events')\n}\nlet e := event\ne.properties.tagged := true\nreturn e",
    });
    const url = 'https://shop.example/?session=1';
    for (let i = 0; i < 12; i++) capture('flagged', 'flagged', { flag: true, i, email: 'f@example.com', $current_url: url });
    capture('flagged', 'fine', { i: 12 });
    await delivered();

    const bodies = received('flagged');
    expect(bodies).toHaveLength(13);
    for (const body of bodies.slice(0, 12)) {
      expect(body.event.properties).toMatchObject({ email: hmac('f@example.com'), $current_url: 'https://shop.example/' });
      expect(body.event.properties.tagged).toBeUndefined();
    }
    // The 12th failure found it disabled after the 11th: a disabled transformation is skipped, so the
    // last event passes it untouched as well.
    expect(bodies[12]!.event.properties.tagged).toBeUndefined();

    const logs = await errorLogs(failing);
    expect(logs).toHaveLength(11);
    expect(logs[0]!.message).toMatch(/^Transformation failed on event [0-9a-f-]{36}; the event passes on unchanged: cannot handle flagged events$/);
    expect(new Set(logs.map((l) => l.instance_id))).toEqual(new Set(bodies.slice(0, 11).map((b) => b.event.uuid)));
    expect(await metrics(failing)).toMatchObject({ failed: 11 });
    await waitUntil('the failing transformation to be disabled', async () => (await stateOf(failing)) === 'disabled_temporarily');
    const history = (await api('GET', `/hog_functions/${failing}/health/`)).json.changes as { to: string }[];
    expect(history.map((c) => c.to).reverse()).toEqual(['degraded', 'disabled_temporarily']);

    expect((await api('DELETE', `/hog_functions/${failing}/`)).status).toBe(204);
  });

  it('contains hostile code: an endless loop, a memory bomb, deep recursion and oversized events fail only themselves on each event', async () => {
    const hostile = {
      loop: await transformation({ name: 'Endless loop', execution_order: 5, hog: 'let i := 0\nwhile (true) {\n  i := i + 1\n}\nreturn event' }),
      memory: await transformation({ name: 'Memory bomb', execution_order: 12, hog: "let s := 'xxxxxxxxxxxxxxxx'\nwhile (true) {\n  s := concat(s, s)\n}\nreturn event" }),
      huge: await transformation({
        name: 'Huge event',
        execution_order: 13,
        hog: "let s := 'xxxxxxxxxxxxxxxx'\nwhile (length(s) < 1200000) {\n  s := concat(s, s)\n}\nlet e := event\ne.properties.big := s\nreturn e",
      }),
      deep: await transformation({
        name: 'Deep event',
        execution_order: 14,
        hog: "let d := {}\nlet i := 0\nwhile (i < 100) {\n  d := {'d': d}\n  i := i + 1\n}\nlet e := event\ne.properties.deep := d\nreturn e",
      }),
      recursion: await transformation({ name: 'Deep recursion', execution_order: 25, hog: 'fn down(n) {\n  return down(n + 1)\n}\nreturn down(0)' }),
    };
    const url = 'https://shop.example/pay?card=4111';
    capture('hostile-1', 'paid', { email: 'h@example.com', $current_url: url });
    capture('hostile-2', 'paid', { email: 'h2@example.com', $current_url: url });
    capture('hostile-3', 'bot visit', { is_bot: true });
    await delivered();

    const bodies = received('hostile-1', 'hostile-2', 'hostile-3');
    expect(bodies.map((b) => b.event.distinct_id)).toEqual(['hostile-1', 'hostile-2']);
    expect(bodies[0]!.event.properties).toMatchObject({ email: hmac('h@example.com'), $current_url: 'https://shop.example/pay' });
    expect(bodies[1]!.event.properties).toMatchObject({ email: hmac('h2@example.com'), $current_url: 'https://shop.example/pay' });

    // The bot event was dropped first (order 0): none of them ran on it.
    expect(await metrics(hostile.loop)).toMatchObject({ failed: 2 });
    expect(await metrics(hostile.memory)).toMatchObject({ failed: 2 });
    expect(await metrics(hostile.recursion)).toMatchObject({ failed: 2 });
    expect(await metrics(hostile.huge)).toMatchObject({ failed: 2 });
    expect(await metrics(hostile.deep)).toMatchObject({ failed: 2 });
    expect((await errorLogs(hostile.huge))[0]!.message).toMatch(/the returned event is larger than 1 MiB/);
    expect((await errorLogs(hostile.deep))[0]!.message).toMatch(/nested deeper than 64 levels/);
    expect(bodies[0]!.event.properties.big).toBeUndefined();
    expect(bodies[0]!.event.properties.deep).toBeUndefined();
    expect((await errorLogs(hostile.loop))[0]!.message).toContain('exceeded the time limit');
    expect((await errorLogs(hostile.memory))[0]!.message).toContain('exceeded the memory limit of 8 MiB');
    expect((await errorLogs(hostile.recursion))[0]!.message).toContain('exceeded the call depth limit');
    for (const id of Object.values(hostile)) expect((await api('DELETE', `/hog_functions/${id}/`)).status).toBe(204);
  });
});
