import { PostHog } from 'posthog-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, startTestSluice, TOKEN, type TestSluice } from './helpers.js';

describe('capture with the real posthog-node client', () => {
  let sluice: TestSluice;
  let client: PostHog;
  let projectId: number;

  beforeAll(async () => {
    sluice = await startTestSluice();
    projectId = sluice.boot.project.id;
    client = new PostHog(TOKEN, { host: sluice.url, flushAt: 1, flushInterval: 0 });
  });

  afterAll(async () => {
    await client.shutdown();
    await sluice.stop();
  });

  async function flushAndSettle(): Promise<void> {
    await client.flush();
    await sluice.settle();
  }

  it('stores a captured event with its properties, uuid and timestamp', async () => {
    const uuid = '0190b1d6-3c5a-7b8e-9f00-0123456789ab';
    client.capture({ distinctId: 'visitor-1', event: 'signed up', properties: { plan: 'pro' }, uuid });
    await flushAndSettle();
    const [stored] = (await sluice.store.readEvents(0, 100)).filter((e) => e.uuid === uuid);
    expect(stored).toBeDefined();
    expect(stored!.event).toBe('signed up');
    expect(stored!.distinct_id).toBe('visitor-1');
    expect(stored!.properties.plan).toBe('pro');
    expect(stored!.properties.$lib).toBe('posthog-node');
    expect(Math.abs(Date.parse(stored!.timestamp) - Date.now())).toBeLessThan(60_000);
  });

  it('merges the anonymous person into the identified one on identify', async () => {
    client.capture({ distinctId: 'anon-42', event: '$pageview', properties: { $set: { favourite: 'blue' } } });
    await flushAndSettle();
    const anon = await sluice.store.getPersonByDistinctId(projectId, 'anon-42');
    expect(anon?.properties.favourite).toBe('blue');

    client.capture({ distinctId: 'max@example.com', event: 'logged in', properties: { $set: { email: 'max@example.com' } } });
    client.identify({ distinctId: 'max@example.com', properties: { $anon_distinct_id: 'anon-42', name: 'Max' } });
    await flushAndSettle();

    const person = await sluice.store.getPersonByDistinctId(projectId, 'anon-42');
    expect(person).not.toBeNull();
    expect(new Set(person!.distinctIds)).toEqual(new Set(['anon-42', 'max@example.com']));
    expect(person!.properties).toMatchObject({ favourite: 'blue', email: 'max@example.com', name: 'Max' });
    expect(person!.isIdentified).toBe(true);
    expect((await sluice.store.getPersonByDistinctId(projectId, 'max@example.com'))!.id).toBe(person!.id);
  });

  it('links two distinct ids with alias', async () => {
    client.capture({ distinctId: 'user-7', event: 'x', properties: { $set: { a: 1 } } });
    client.alias({ distinctId: 'user-7', alias: 'legacy-7' });
    await flushAndSettle();
    const byAlias = await sluice.store.getPersonByDistinctId(projectId, 'legacy-7');
    expect(byAlias).not.toBeNull();
    expect(byAlias!.id).toBe((await sluice.store.getPersonByDistinctId(projectId, 'user-7'))!.id);
    expect(byAlias!.properties.a).toBe(1);
  });

  it('stores group properties from groupIdentify and attaches groups to events', async () => {
    client.groupIdentify({ groupType: 'company', groupKey: 'acme', properties: { name: 'Acme', employees: 12 } });
    await flushAndSettle();
    client.capture({ distinctId: 'worker-1', event: 'report viewed', groups: { company: 'acme' } });
    await flushAndSettle();

    const types = (await sluice.store.listGroupTypes()).filter((t) => t.projectId === projectId);
    const company = types.find((t) => t.groupType === 'company');
    expect(company).toBeDefined();
    const groups = await sluice.store.listGroups(projectId, { groupTypeIndex: company!.groupTypeIndex, limit: 10, offset: 0 });
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ groupKey: 'acme', properties: { name: 'Acme', employees: 12 } });

    const enriched = await sluice.store.readEnrichedEvents(0, 10_000);
    const viewed = enriched.find((e) => e.event.event === 'report viewed');
    expect(viewed?.groups.company).toEqual({ key: 'acme', index: company!.groupTypeIndex, properties: { name: 'Acme', employees: 12 } });
  });

  it('does not overwrite a property with $set_once', async () => {
    client.capture({ distinctId: 'once-1', event: 'a', properties: { $set_once: { first_seen_plan: 'free' } } });
    await flushAndSettle();
    client.capture({ distinctId: 'once-1', event: 'b', properties: { $set_once: { first_seen_plan: 'pro' }, $set: { plan: 'pro' } } });
    await flushAndSettle();
    const person = await sluice.store.getPersonByDistinctId(projectId, 'once-1');
    expect(person!.properties).toMatchObject({ first_seen_plan: 'free', plan: 'pro' });
  });

  it('serves persons and groups through the management API', async () => {
    const persons = await fetch(`${sluice.url}/api/projects/${projectId}/persons/?distinct_id=anon-42`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(persons.status).toBe(200);
    const body = (await persons.json()) as { results: { distinct_ids: string[]; properties: Record<string, unknown> }[] };
    expect(body.results[0]!.properties.name).toBe('Max');

    const groups = await fetch(`${sluice.url}/api/projects/${projectId}/groups/?group_type=company`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    const groupBody = (await groups.json()) as { results: { group_key: string; group_properties: Record<string, unknown> }[] };
    expect(groupBody.results.map((g) => g.group_key)).toEqual(['acme']);
  });
});

describe('capture v1 with posthog-node (POSTHOG_CAPTURE_MODE=v1)', () => {
  let sluice: TestSluice;

  beforeAll(async () => {
    sluice = await startTestSluice();
  });
  afterAll(async () => {
    await sluice.stop();
  });

  it('accepts the v1 batch with a Bearer token and answers per-event results', async () => {
    const previous = process.env.POSTHOG_CAPTURE_MODE;
    process.env.POSTHOG_CAPTURE_MODE = 'v1';
    const errors: unknown[] = [];
    const client = new PostHog(TOKEN, { host: sluice.url, flushAt: 1, flushInterval: 0 });
    client.on('error', (e: unknown) => errors.push(e));
    try {
      client.capture({ distinctId: 'v1-user', event: 'v1 event', properties: { $set: { tier: 'gold' } } });
      await client.flush();
    } finally {
      await client.shutdown();
      if (previous === undefined) delete process.env.POSTHOG_CAPTURE_MODE;
      else process.env.POSTHOG_CAPTURE_MODE = previous;
    }
    await sluice.settle();
    expect(errors).toEqual([]);
    const events = await sluice.store.readEvents(0, 100);
    expect(events.map((e) => e.event)).toContain('v1 event');
    const stored = events.find((e) => e.event === 'v1 event')!;
    expect(stored.properties.$lib).toBe('posthog-node');
    const person = await sluice.store.getPersonByDistinctId(sluice.boot.project.id, 'v1-user');
    expect(person!.properties.tier).toBe('gold');
  });
});
