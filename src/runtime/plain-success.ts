/**
 * The common outcome of a delivery thread's run — one fetch answered with a success, the code done —
 * posted to the main thread as a few numbers instead of its effect calls.
 *
 * Such a run leaves exactly four calls behind (its metrics go in the thread's tally): the fetch's health
 * observation, the VM's, the `succeeded` update and the `succeeded` observation. Posting them as objects
 * costs the thread a structured serialization of four small objects and arrays (their keys written out
 * each time) and the main thread the rebuilding of all of them, for every delivery. Their variable parts
 * are six numbers; anything that differs from that shape in any way is posted as its calls, unchanged.
 */
import type { RunCall } from './effects.js';
import type { HealthObservation } from './health.js';
import type { InvocationUpdate } from '../store/store.js';
import type { RunOutcome } from './runner.js';

/** Numbers per run in a results message's `succeeded` list. */
export const PLAIN_SUCCESS_FIELDS = 7;

/**
 * Appends `[seq, fetchMs, vmMs, vmBytes (-1: unknown), attempts, firstAttemptAt, finishedAt]` to `out`
 * and returns true when the run is a plain success; otherwise leaves `out` alone and returns false.
 */
export function encodePlainSuccess(seq: number, invocationId: string, outcome: RunOutcome, calls: RunCall[], out: number[]): boolean {
  if (outcome.kind !== 'succeeded' || outcome.fetches !== 1 || outcome.retryInMs !== undefined || calls.length !== 4) return false;
  const [fetch, vm, update, succeeded] = calls;
  if (fetch![0] !== 'observe' || vm![0] !== 'observe' || update![0] !== 'update' || update![1] !== invocationId || succeeded![0] !== 'observe') return false;
  const fetched = fetch![1];
  const ran = vm![1];
  if (fetched.kind !== 'fetch' || fetched.result !== 'ok' || fetched.error !== undefined || !hasKeys(fetched, 3)) return false;
  if (ran.kind !== 'hog' || !hasKeys(ran, ran.bytes === undefined ? 2 : 3)) return false;
  if (succeeded![1].kind !== 'succeeded' || !hasKeys(succeeded![1], 1)) return false;
  const change = update![2];
  if (change.state !== 'succeeded' || change.suspension !== null || typeof change.attempts !== 'number' || typeof change.firstAttemptAt !== 'number' || typeof change.finishedAt !== 'number' || !hasKeys(change, 5)) {
    return false;
  }
  out.push(seq, fetched.ms, ran.ms, ran.bytes ?? -1, change.attempts, change.firstAttemptAt, change.finishedAt);
  return true;
}

/** The outcome and effect calls of the plain success at `at` in `list`, as `encodePlainSuccess` read them, for `invocationId`. */
export function decodePlainSuccess(list: number[], at: number, invocationId: string): { seq: number; outcome: RunOutcome; effects: RunCall[] } {
  const vmBytes = list[at + 3]!;
  const update: InvocationUpdate = {
    state: 'succeeded',
    suspension: null,
    attempts: list[at + 4]!,
    firstAttemptAt: list[at + 5]!,
    finishedAt: list[at + 6]!,
  };
  const vm: HealthObservation = vmBytes < 0 ? { kind: 'hog', ms: list[at + 2]! } : { kind: 'hog', ms: list[at + 2]!, bytes: vmBytes };
  const effects: RunCall[] = [['observe', { kind: 'fetch', ms: list[at + 1]!, result: 'ok' }], ['observe', vm], ['update', invocationId, update], ['observe', { kind: 'succeeded' }]];
  return { seq: list[at]!, outcome: { kind: 'succeeded', fetches: 1 }, effects };
}

/** Exactly `count` own keys: an object with anything more is not the plain shape. */
function hasKeys(value: object, count: number): boolean {
  let n = 0;
  for (const _ in value) n++;
  return n === count;
}
