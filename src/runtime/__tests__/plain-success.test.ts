import { describe, expect, it } from 'vitest';
import { BufferedEffects } from '../effects.js';
import { decodePlainSuccess, encodePlainSuccess, PLAIN_SUCCESS_FIELDS } from '../plain-success.js';

const owner = { projectId: 1, destinationId: 'd1' };
const noSave = async () => {};

/** The calls a run with one successful fetch leaves, made as the runner makes them. */
function plainRun(options: { vmBytes?: number } = {}): BufferedEffects {
  const effects = new BufferedEffects(owner, noSave);
  effects.logSteps(1, 'd1', 'inv-1', []);
  effects.observe(1, 'd1', { kind: 'fetch', ms: 3.5, result: 'ok' });
  effects.logSteps(1, 'd1', 'inv-1', []);
  effects.observe(1, 'd1', { kind: 'hog', ms: 0.25, ...(options.vmBytes !== undefined ? { bytes: options.vmBytes } : {}) });
  effects.update('inv-1', { state: 'succeeded', suspension: null, attempts: 1, firstAttemptAt: 1_000, finishedAt: 1_004 });
  effects.observe(1, 'd1', { kind: 'succeeded' });
  return effects;
}

describe('plain successes posted as numbers', () => {
  it('decodes to the very calls and outcome the run made', () => {
    for (const vmBytes of [undefined, 2_048]) {
      const effects = plainRun(vmBytes === undefined ? {} : { vmBytes });
      const out: number[] = [];
      expect(encodePlainSuccess(7, 'inv-1', { kind: 'succeeded', fetches: 1 }, effects.calls, out)).toBe(true);
      expect(out).toHaveLength(PLAIN_SUCCESS_FIELDS);
      expect(decodePlainSuccess(out, 0, 'inv-1')).toEqual({ seq: 7, outcome: { kind: 'succeeded', fetches: 1 }, effects: effects.calls });
    }
  });

  it('leaves every other run as its calls', () => {
    const cases: { name: string; effects: BufferedEffects; fetches?: number; kind?: 'failed'; id?: string }[] = [];
    const logged = plainRun();
    logged.logSteps(1, 'd1', 'inv-1', [{ timestamp: 't', level: 'info', message: 'printed' }]);
    cases.push({ name: 'a log line', effects: logged });
    const slowFetch = new BufferedEffects(owner, noSave);
    slowFetch.observe(1, 'd1', { kind: 'fetch', ms: 3, result: 'failed', error: 'fetch answered status 503' });
    slowFetch.observe(1, 'd1', { kind: 'hog', ms: 1 });
    slowFetch.update('inv-1', { state: 'succeeded', suspension: null, attempts: 1, firstAttemptAt: 1, finishedAt: 2 });
    slowFetch.observe(1, 'd1', { kind: 'succeeded' });
    cases.push({ name: 'a failed fetch', effects: slowFetch });
    cases.push({ name: 'two fetches', effects: plainRun(), fetches: 2 });
    cases.push({ name: 'a failure', effects: plainRun(), kind: 'failed' });
    cases.push({ name: 'another invocation', effects: plainRun(), id: 'inv-2' });
    for (const c of cases) {
      const out: number[] = [];
      const encoded = encodePlainSuccess(1, c.id ?? 'inv-1', { kind: c.kind ?? 'succeeded', fetches: c.fetches ?? 1 }, c.effects.calls, out);
      expect({ name: c.name, encoded, out }).toEqual({ name: c.name, encoded: false, out: [] });
    }
  });
});
