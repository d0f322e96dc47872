/**
 * A wake-up that arrives while a claim is under way must not be lost. The claim cannot have seen what
 * the matcher stored meanwhile; if its short answer cleared "the queue may have work", those
 * invocations would wait for the next poll (a second by default) instead of being claimed at once.
 */
import { describe, expect, it } from 'vitest';
import type { ClaimRequest, Invocation, Store } from '../../store/store.js';
import type { DestinationRegistry } from '../destination-registry.js';
import type { RuntimeRecorder } from '../recorder.js';
import { Worker } from '../worker.js';

describe('Worker claims', () => {
  it('claim again at once when woken while a claim was under way', async () => {
    const claims: { request: ClaimRequest; answer(rows: Invocation[]): void }[] = [];
    let claimed: () => void = () => {};
    const store = {
      claimInvocations: (request: ClaimRequest) =>
        new Promise<Invocation[]>((answer) => {
          claims.push({ request, answer });
          claimed();
        }),
      extendInvocationLocks: async () => {},
    } as unknown as Store;
    const nextClaim = () => new Promise<void>((resolve) => (claimed = resolve));
    const worker = new Worker({
      store,
      registry: {} as DestinationRegistry,
      execution: { run: async () => ({ kind: 'succeeded', fetches: 0 }) },
      recorder: { flush: async () => {}, update() {}, metric() {} } as unknown as RuntimeRecorder,
      // No poll within the test: only wake-ups make the worker claim.
      pollMs: 3_600_000,
    });
    const first = nextClaim();
    worker.start();
    await first;
    // The matcher stores unclaimed invocations and wakes the worker while its first claim is running.
    worker.wake();
    const second = nextClaim();
    claims[0]!.answer([]);
    await second;
    expect(claims).toHaveLength(2);
    claims[1]!.answer([]);
    await worker.stop();
  });
});
