import { Analytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/store/store.js';
import { startTestSluice, TOKEN, type TestSluice } from './helpers.js';

/** Every stored event of one distinct id, oldest first. */
async function eventsOf(sluice: TestSluice, distinctId: string): Promise<StoredEvent[]> {
  return (await sluice.store.readEvents(0, 10_000)).filter((e) => e.distinct_id === distinctId);
}

async function groupOf(sluice: TestSluice, type: string, key: string): Promise<Record<string, unknown> | undefined> {
  const projectId = sluice.boot.project.id;
  const groupType = (await sluice.store.listGroupTypes()).find((t) => t.projectId === projectId && t.groupType === type);
  if (groupType === undefined) return undefined;
  const groups = await sluice.store.listGroups(projectId, { groupTypeIndex: groupType.groupTypeIndex, limit: 100, offset: 0 });
  return groups.find((g) => g.groupKey === key)?.properties;
}

describe('the Segment-spec API with the real @segment/analytics-node client', () => {
  let sluice: TestSluice;
  let client: Analytics;
  const errors: unknown[] = [];

  beforeAll(async () => {
    sluice = await startTestSluice();
    client = new Analytics({ writeKey: TOKEN, host: sluice.url, flushAt: 1, flushInterval: 10, maxRetries: 0 });
    client.on('error', (e) => errors.push(e));
  });
  afterAll(async () => {
    await client.closeAndFlush();
    await sluice.stop();
  });

  async function flushAndSettle(): Promise<void> {
    await client.flush();
    await sluice.settle();
  }

  it('stores a track call as an event with its properties, library and context', async () => {
    client.track({ anonymousId: 'seg-anon-1', event: 'Product Viewed', properties: { sku: 'A-1', price: 9.5 }, context: { locale: 'de-DE' } });
    await flushAndSettle();
    expect(errors).toEqual([]);
    const [stored] = await eventsOf(sluice, 'seg-anon-1');
    expect(stored).toMatchObject({ event: 'Product Viewed', properties: { sku: 'A-1', price: 9.5, $lib: '@segment/analytics-node' } });
    expect(stored!.properties.$segment_context).toMatchObject({ locale: 'de-DE' });
    expect(Math.abs(Date.parse(stored!.timestamp) - Date.now())).toBeLessThan(60_000);
  });

  it('merges the anonymous person into the user on identify and sets the traits as person properties', async () => {
    client.identify({ anonymousId: 'seg-anon-1', userId: 'seg-user-1', traits: { email: 'ada@example.com', plan: 'pro' } });
    await flushAndSettle();
    const projectId = sluice.boot.project.id;
    const person = await sluice.store.getPersonByDistinctId(projectId, 'seg-anon-1');
    expect(new Set(person!.distinctIds)).toEqual(new Set(['seg-anon-1', 'seg-user-1']));
    expect(person!.properties).toMatchObject({ email: 'ada@example.com', plan: 'pro' });
    expect(person!.isIdentified).toBe(true);
  });

  it('stores a page call as $pageview with the page URL', async () => {
    client.page({ userId: 'seg-user-1', name: 'Pricing', properties: { url: 'https://shop.test/pricing', path: '/pricing', title: 'Pricing' } });
    await flushAndSettle();
    const page = (await eventsOf(sluice, 'seg-user-1')).find((e) => e.event === '$pageview');
    expect(page?.properties).toMatchObject({ $current_url: 'https://shop.test/pricing', $pathname: '/pricing', $title: 'Pricing', name: 'Pricing' });
  });

  it('sets group properties from a group call', async () => {
    client.group({ userId: 'seg-user-1', groupId: 'acme', traits: { name: 'Acme', employees: 40 } });
    await flushAndSettle();
    expect(await groupOf(sluice, 'company', 'acme')).toEqual({ name: 'Acme', employees: 40 });
  });

  it('links a previous id to the user with alias', async () => {
    client.track({ userId: 'seg-legacy-9', event: 'Old Login' });
    client.alias({ previousId: 'seg-legacy-9', userId: 'seg-user-1' });
    await flushAndSettle();
    const projectId = sluice.boot.project.id;
    const legacy = await sluice.store.getPersonByDistinctId(projectId, 'seg-legacy-9');
    expect(legacy!.id).toBe((await sluice.store.getPersonByDistinctId(projectId, 'seg-user-1'))!.id);
    expect(errors).toEqual([]);
  });

  it('stores a retried message once, by its messageId', async () => {
    const body = JSON.stringify({ writeKey: TOKEN, batch: [{ type: 'track', event: 'Retried', userId: 'seg-retry', messageId: 'ajs-next-retry-1', timestamp: new Date().toISOString() }] });
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${sluice.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status).toBe(200);
    }
    await sluice.settle();
    expect(await eventsOf(sluice, 'seg-retry')).toHaveLength(1);
  });
});

describe('the Segment-spec API with the real @rudderstack/rudder-sdk-node client', () => {
  let sluice: TestSluice;
  let client: RudderAnalytics;
  const errors: unknown[] = [];

  beforeAll(async () => {
    sluice = await startTestSluice();
    // gzip is the client's default: its bodies arrive compressed.
    client = new RudderAnalytics(TOKEN, { dataPlaneUrl: sluice.url, flushAt: 1, flushInterval: 10, retryCount: 0, logLevel: 'error', errorHandler: (e) => errors.push(e) });
  });
  afterAll(async () => {
    await client.flush();
    await sluice.stop();
  });

  /** The client may still be posting when its flush resolves: wait until `count` events are stored. */
  async function flushUntilStored(count: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      await client.flush();
      await sluice.settle();
      if ((await sluice.store.readEvents(0, 10_000)).length >= count) {
        // The last of them may have been stored after `settle` looked: settle again, now that all are stored.
        await sluice.settle();
        return;
      }
      if (Date.now() > deadline) throw new Error(`fewer than ${count} events were stored`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('sends track, identify, page, group and alias, mapped onto events, persons and groups', async () => {
    client.track({ anonymousId: 'rs-anon', event: 'Signup Started', properties: { source: 'ad' } });
    await flushUntilStored(1);
    client.identify({ anonymousId: 'rs-anon', userId: 'rs-user', traits: { name: 'Grace' } });
    await flushUntilStored(2);
    client.page({ userId: 'rs-user', name: 'Home', properties: { url: 'https://app.test/' } });
    client.group({ userId: 'rs-user', groupId: 'globex', traits: { industry: 'energy' } });
    await flushUntilStored(4);
    client.alias({ previousId: 'rs-old', userId: 'rs-user' });
    await flushUntilStored(5);
    expect(errors).toEqual([]);

    const projectId = sluice.boot.project.id;
    const anon = await eventsOf(sluice, 'rs-anon');
    expect(anon[0]).toMatchObject({ event: 'Signup Started', properties: { source: 'ad' } });
    expect(String(anon[0]!.properties.$lib)).toMatch(/analytics-node|rudder/i);
    const person = await sluice.store.getPersonByDistinctId(projectId, 'rs-anon');
    expect(new Set(person!.distinctIds)).toEqual(new Set(['rs-anon', 'rs-user', 'rs-old']));
    expect(person!.properties).toMatchObject({ name: 'Grace' });
    const user = await eventsOf(sluice, 'rs-user');
    expect(user.find((e) => e.event === '$pageview')?.properties).toMatchObject({ $current_url: 'https://app.test/', name: 'Home' });
    expect(await groupOf(sluice, 'company', 'globex')).toEqual({ industry: 'energy' });
  });
});
