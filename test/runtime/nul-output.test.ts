/**
 * A destination whose output holds U+0000 (a `print`, an error message) once made Postgres refuse the
 * runtime's whole write batch: the outcomes and logs of every destination in it were lost, and their
 * invocations stayed `running`. Now the character is stored as U+FFFD and the neighbours are unaffected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestSluice } from '../ingest/helpers.js';
import { createDestination, sendEvents, startRuntimeSluice, waitUntil } from './helpers.js';

/** 'AAA', U+0000, 'BB' */
const WITH_NUL = "base64Decode('QUFBAEJC')";

describe('output holding U+0000', () => {
  let sluice: TestSluice;

  beforeAll(async () => {
    sluice = await startRuntimeSluice({ runtime: { deliveryThreads: 0 } });
  });
  afterAll(async () => {
    await sluice.stop();
  });

  it('is logged with U+FFFD, and the neighbour on the same event finishes and logs', async () => {
    const hostile = await createDestination(sluice, { name: 'nul', hog: `print(${WITH_NUL}); throw Error(${WITH_NUL})`, inputs_schema: [], inputs: {} });
    const neighbour = await createDestination(sluice, { name: 'neighbour', hog: `print('fine')`, inputs_schema: [], inputs: {} });
    await sendEvents(sluice, [{ event: 'e', distinct_id: 'u' }]);
    const finished = async (id: string, state: string) => {
      await sluice.runtime.recorder.flush();
      const invocations = await sluice.store.listInvocations(1, id, { limit: 10 });
      return invocations.length === 1 && invocations[0]!.state === state ? invocations[0]! : null;
    };
    await waitUntil('the neighbour succeeds', () => finished(neighbour, 'succeeded'), 10_000);
    const failed = await waitUntil('the hostile destination fails', () => finished(hostile, 'failed'), 10_000);
    expect(failed.error).toContain('AAA\uFFFDBB');
    expect((await sluice.store.queryLogs(1, neighbour, { limit: 10 })).map((l) => l.message)).toContain('fine');
    expect((await sluice.store.queryLogs(1, hostile, { limit: 10 })).map((l) => l.message)).toContain('AAA\uFFFDBB');
  });
});
