/**
 * A destination's filter or masking that throws or hits a limit fails that event for that destination
 * only: the matcher keeps going, the other destination on the same event is delivered, and the failing
 * destination counts `filtering_failed`, logs the error and loses health.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { healthPolicy } from '../../src/runtime/health.js';
import type { TestSluice } from '../ingest/helpers.js';
import { createDestination, sendEvents, startRuntimeSluice, startSink, type Sink } from './helpers.js';

/** `[1..8]` doubled 27 times by reference: cheap inside the VM, gigabytes if anything expands it. */
const SHARED_BOMB = 'arrayReduce((acc, x) -> [acc, acc], range(27), [1, 2, 3, 4, 5, 6, 7, 8])';

describe('a failing filter or masking fails only its own event × destination', () => {
  let sluice: TestSluice;
  let sink: Sink;

  beforeAll(async () => {
    sink = await startSink();
    // A small bucket: two failures (100 tokens each of 500) degrade a destination, so the cost is visible.
    // Matching in the main thread: a test below breaks a destination in this thread's registry.
    sluice = await startRuntimeSluice({ stageThreads: 0, runtime: { deliveryThreads: 0, health: { policy: healthPolicy({ bucketSize: 500 }) } } });
  });
  afterAll(async () => {
    await sluice.stop();
    await sink.close();
  });
  afterEach(async () => {
    for (const d of await sluice.store.listDestinations(1)) await sluice.store.deleteDestination(1, d.id);
    await sluice.runtime.reload();
  });

  async function healthy(event: string): Promise<string> {
    return createDestination(sluice, {
      template_id: 'template-webhook',
      name: 'healthy neighbour',
      inputs: { url: { value: `${sink.url}/healthy` }, body: { value: { uuid: '{event.uuid}' } } },
      filters: { events: [{ id: event, type: 'events' }] },
    });
  }

  async function metric(id: string, name: string): Promise<number> {
    await sluice.runtime.recorder.flush();
    const points = await sluice.store.queryMetrics(1, id, { after: '2000-01-01T00:00:00Z', before: '2100-01-01T00:00:00Z', interval: 'day', names: [name] });
    return points.reduce((sum, p) => sum + p.count, 0);
  }

  async function errorLogs(id: string): Promise<string[]> {
    await sluice.runtime.recorder.flush();
    return (await sluice.store.queryLogs(1, id, { levels: ['error'], limit: 100 })).map((l) => l.message);
  }

  const delivered = (uuids: string[]) => uuids.every((u) => sink.requests.some((r) => (r.json as { uuid?: string } | undefined)?.uuid === u));

  async function deliveredEventually(uuids: string[]): Promise<void> {
    for (let i = 0; i < 200 && !delivered(uuids); i++) await new Promise((r) => setTimeout(r, 25));
    expect(delivered(uuids)).toBe(true);
  }

  it('counts a filter that errors or hits a limit as filtering_failed, costs it health, and delivers the neighbour', async () => {
    const erroring = await createDestination(sluice, {
      template_id: 'template-webhook',
      name: 'filter that errors',
      inputs: { url: { value: `${sink.url}/erroring` } },
      filters: { events: [{ id: 'filtered', type: 'events' }], properties: [{ type: 'hogql', key: "jsonParse('{not json') = 1" }] },
    });
    const bomb = await createDestination(sluice, {
      template_id: 'template-webhook',
      name: 'filter bomb',
      inputs: { url: { value: `${sink.url}/bomb` } },
      filters: { events: [{ id: 'filtered', type: 'events' }], properties: [{ type: 'hogql', key: `length(jsonStringify(${SHARED_BOMB})) > 0` }] },
    });
    await healthy('filtered');
    const uuids = ['01890000-0000-7000-8000-000000000001', '01890000-0000-7000-8000-000000000002'];
    await sendEvents(sluice, uuids.map((uuid) => ({ uuid, event: 'filtered', distinct_id: 'u1' })));
    await deliveredEventually(uuids);

    for (const id of [erroring, bomb]) {
      // At least our two events: the health change it causes is announced as an internal event too.
      expect(await metric(id, 'filtering_failed')).toBeGreaterThanOrEqual(2);
      expect(await metric(id, 'triggered')).toBe(0);
      const logs = await errorLogs(id);
      for (const uuid of uuids) expect(logs.filter((m) => m.startsWith(`Error filtering event ${uuid} (filters): `))).toHaveLength(1);
      expect(sluice.runtime.health.stateOf(id)).toBe('degraded');
    }
    expect(sink.requests.filter((r) => r.path !== '/healthy')).toEqual([]);
  });

  it('skips the event for a destination whose masking hash fails, instead of letting it through unmasked', async () => {
    const masked = await createDestination(sluice, {
      template_id: 'template-webhook',
      name: 'masking that errors',
      inputs: { url: { value: `${sink.url}/masked` } },
      filters: { events: [{ id: 'masking', type: 'events' }] },
      masking: { ttl: 60, threshold: null, hash: "{jsonParse('not json')}" },
    });
    await healthy('masking');
    const uuid = '01890000-0000-7000-8000-000000000003';
    await sendEvents(sluice, [{ uuid, event: 'masking', distinct_id: 'u1' }]);
    await deliveredEventually([uuid]);
    expect(await metric(masked, 'filtering_failed')).toBeGreaterThanOrEqual(1);
    expect((await errorLogs(masked)).some((m) => m.includes('(masking)') && m.includes('masking hash failed'))).toBe(true);
    expect(sink.requests.filter((r) => r.path === '/masked')).toEqual([]);
  });

  it('catches an exception thrown outside the filter itself, for that destination and event alone', async () => {
    const broken = await createDestination(sluice, {
      template_id: 'template-webhook',
      name: 'throws while matching',
      inputs: { url: { value: `${sink.url}/broken` } },
      filters: { events: [{ id: 'thrown', type: 'events' }] },
    });
    await healthy('thrown');
    // A hand-made fault in the matcher's own path (building the destination's globals), which no
    // filter evaluation guards: it must still stay with this destination and this event.
    const compiled = sluice.runtime.registry.forProject(1).find((d) => d.id === broken)!;
    compiled.sourceUrl = () => {
      throw new Error('a hand-made failure');
    };
    const uuid = '01890000-0000-7000-8000-000000000004';
    await sendEvents(sluice, [{ uuid, event: 'thrown', distinct_id: 'u1' }]);
    await deliveredEventually([uuid]);
    expect(await metric(broken, 'filtering_failed')).toBeGreaterThanOrEqual(1);
    expect(await errorLogs(broken)).toContain(`Error filtering event ${uuid} (filters): a hand-made failure`);
    expect(sink.requests.filter((r) => r.path === '/broken')).toEqual([]);
  });

  it('gives a runaway filter only 10 ms per event once health has disabled its destination', async () => {
    const runaway = await createDestination(sluice, {
      template_id: 'template-webhook',
      name: 'runaway filter',
      inputs: { url: { value: `${sink.url}/runaway` } },
      filters: { events: [{ id: 'runaway', type: 'events' }], hog: 'length(arrayMap(x -> arrayMap(y -> y, range(10000)), range(10000))) > 0' },
    });
    // Each timed-out filter costs 100 of the bucket's 500 tokens: six events disable the destination.
    for (let i = 0; i < 6; i++) await sendEvents(sluice, [{ event: 'runaway', distinct_id: 'u1' }]);
    expect(sluice.runtime.health.isDisabled(runaway)).toBe(true);
    await sendEvents(sluice, [{ event: 'runaway', distinct_id: 'u1' }]);
    const logs = await errorLogs(runaway);
    expect(logs.some((m) => m.includes('timed out after 0.1 seconds'))).toBe(true);
    // The newest line (logs come newest first) is the event matched while disabled.
    expect(logs[0]).toContain('timed out after 0.01 seconds');
  });
});
