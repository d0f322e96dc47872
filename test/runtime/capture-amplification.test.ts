/**
 * `postHogCapture` amplification: a destination that captures 20 events of the very type it listens to
 * once turned 1 event into 8,421 (1 + 20 + 400 + 8,000 over three hops). Now each invocation may capture
 * at most 10 (the 11th call fails it), and one original event has at most 100 descendants in all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthPolicy } from '../../src/runtime/health.js';
import type { Invocation } from '../../src/store/store.js';
import type { TestSluice } from '../ingest/helpers.js';
import { createDestination, sendEvents, sleep, startRuntimeSluice } from './helpers.js';

const AMPLIFIER = `
for (let i := 0; i < 20; i := i + 1) {
  postHogCapture({'event': 'amplify', 'distinct_id': event.distinct_id, 'properties': {'i': i}})
}`;

describe('postHogCapture amplification', () => {
  let sluice: TestSluice;

  beforeAll(async () => {
    // A bucket too large to disable the destination mid-test: every invocation then ends `failed`.
    sluice = await startRuntimeSluice({ runtime: { deliveryThreads: 0, health: { policy: healthPolicy({ bucketSize: 1e9 }) } } });
  });
  afterAll(async () => {
    await sluice.stop();
  });

  it('caps captures per invocation at 10 and descendants of one event at 100, recording the excess as failures', async () => {
    const id = await createDestination(sluice, {
      name: 'amplifier',
      hog: AMPLIFIER,
      inputs_schema: [],
      inputs: {},
      filters: { events: [{ id: 'amplify', type: 'events' }] },
    });
    await sendEvents(sluice, [{ event: 'amplify', distinct_id: 'u1' }]);

    const droppedIn = (logs: { message: string }[]) =>
      logs.reduce((sum, l) => sum + Number(/^postHogCapture: (\d+) captured event\(s\) dropped/.exec(l.message)?.[1] ?? 0), 0);
    // Hop 0 captures 10; hop 1 (10 invocations) tries 100, of which 90 fit; hop 2 (90) tries 900, none fit.
    let invocations: Invocation[] = [];
    const deadline = Date.now() + 30_000;
    for (;;) {
      await sluice.runtime.recorder.flush();
      invocations = await sluice.store.listInvocations(1, id, { limit: 2_000 });
      const logs = await sluice.store.queryLogs(1, id, { levels: ['error'], search: 'dropped', limit: 2_000 });
      if (droppedIn(logs) >= 910 && invocations.every((i) => i.state === 'failed')) break;
      if (Date.now() > deadline) {
        const states = invocations.map((i) => i.state).join(',');
        const other = logs.filter((l) => !/^postHogCapture: \d+ captured/.test(l.message)).map((l) => l.message);
        throw new Error(`still running: ${invocations.length} invocations (${states}), ${droppedIn(logs)} dropped; other lines: ${other.join(' | ')}`);
      }
      await sleep(50);
    }
    // The original event and its 100 descendants: one invocation each.
    expect(invocations).toHaveLength(101);
    for (const invocation of invocations) {
      expect(invocation.error).toMatch(/^postHogCapture was called 11 times; a destination may capture at most 10 events per invocation/);
    }
    const logs = await sluice.store.queryLogs(1, id, { levels: ['error'], search: 'dropped', limit: 2_000 });
    expect(logs[0]!.message).toMatch(/already has 100 events captured from it and its descendants \(the limit per original event\)/);
    expect(droppedIn(logs)).toBe(910);
  }, 60_000);
});
