/**
 * The events API: a project's recent events, newest first, by name, distinct id and time, and with
 * `hog_function` the latest events that function's filters match, each with its person (the test panel's
 * "latest matching event"). Events arrive through the real capture endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestSluice } from '../ingest/helpers.js';
import { API_KEY, createDestination, sendEvents, startRuntimeSluice } from './helpers.js';

describe('GET /api/projects/:id/events/', () => {
  let sluice: TestSluice;

  beforeAll(async () => {
    sluice = await startRuntimeSluice({ runtime: { deliveryThreads: 0 } });
    await sendEvents(sluice, [
      { event: 'signed_up', distinct_id: 'u1', timestamp: '2026-03-01T10:00:00Z', properties: { plan: 'free', $set: { email: 'one@example.com' } } },
      { event: '$pageview', distinct_id: 'u2', timestamp: '2026-03-01T10:01:00Z' },
      { event: 'signed_up', distinct_id: 'u2', timestamp: '2026-03-01T10:02:00Z', properties: { plan: 'growth', $set: { email: 'two@example.com' } } },
      { event: 'purchase', distinct_id: 'u1', timestamp: '2026-03-01T10:03:00Z' },
    ]);
  });
  afterAll(async () => {
    await sluice.stop();
  });

  async function get(query: string): Promise<{ status: number; json: { results?: Record<string, unknown>[]; detail?: string; attr?: string } }> {
    const res = await fetch(`${sluice.url}/api/projects/1/events/${query}`, { headers: { authorization: `Bearer ${API_KEY}` } });
    return { status: res.status, json: (await res.json()) as { results?: Record<string, unknown>[] } };
  }
  const names = (r: { json: { results?: Record<string, unknown>[] } }) => r.json.results!.map((e) => `${String(e.event)}@${String(e.distinct_id)}`);

  it('lists recent events newest first, filtered by names, distinct id and time', async () => {
    expect(names(await get(''))).toEqual(['purchase@u1', 'signed_up@u2', '$pageview@u2', 'signed_up@u1']);
    expect(names(await get('?event=signed_up,purchase&limit=2'))).toEqual(['purchase@u1', 'signed_up@u2']);
    expect(names(await get('?distinct_id=u2'))).toEqual(['signed_up@u2', '$pageview@u2']);
    expect(names(await get('?after=2026-03-01T10:01:00Z&before=2026-03-01T11:02:00%2B01:00'))).toEqual(['$pageview@u2']);
    const [latest] = (await get('?limit=1')).json.results!;
    expect(latest).toMatchObject({ event: 'purchase', distinct_id: 'u1', timestamp: '2026-03-01T10:03:00.000Z', properties: expect.any(Object) });
  });

  it("returns the latest events a function's filters match, each with its person", async () => {
    const id = await createDestination(sluice, {
      name: 'growth signups',
      hog: "print('x')",
      inputs_schema: [],
      inputs: {},
      filters: { events: [{ id: 'signed_up', type: 'events', properties: [{ key: 'plan', value: 'growth', operator: 'exact', type: 'event' }] }] },
    });
    const r = await get(`?hog_function=${id}&limit=5`);
    expect(names(r)).toEqual(['signed_up@u2']);
    expect(r.json.results![0]!.person).toMatchObject({ distinct_ids: ['u2'], properties: { email: 'two@example.com' } });
  });

  it('refuses bad queries with the field at fault, and an unknown function with 404', async () => {
    const bad = await get('?after=yesterday');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('after');
    expect((await get('?limit=1000')).status).toBe(400);
    const missing = await get('?hog_function=00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.json.attr).toBe('hog_function');
    const noKey = await fetch(`${sluice.url}/api/projects/1/events/`);
    expect(noKey.status).toBe(401);
  });
});
