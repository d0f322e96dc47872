import { describe, expect, it } from 'vitest';
import { DecodeGate } from '../decode-gate.js';
import { IngestError } from '../errors.js';

/** Work that finishes when the test says so. */
function held(): { work: () => Promise<string>; finish: (value: string) => void } {
  let finish!: (value: string) => void;
  const done = new Promise<string>((resolve) => (finish = resolve));
  return { work: () => done, finish };
}

describe('the decode gate', () => {
  it('runs at most its slots at once and hands a freed slot to the oldest waiter', async () => {
    const gate = new DecodeGate({ slots: 1, maxQueued: 5, maxWaitMs: 60_000 });
    const first = held();
    const second = held();
    const a = gate.run(first.work);
    const b = gate.run(second.work);
    expect(gate.load).toEqual({ running: 1, queued: 1 });
    first.finish('a');
    expect(await a).toBe('a');
    await expect.poll(() => gate.load).toEqual({ running: 1, queued: 0 });
    second.finish('b');
    expect(await b).toBe('b');
    expect(gate.load).toEqual({ running: 0, queued: 0 });
  });

  it('refuses at once with a retryable 503 when the queue is full', async () => {
    const gate = new DecodeGate({ slots: 1, maxQueued: 1, maxWaitMs: 60_000 });
    const first = held();
    const a = gate.run(first.work);
    const b = gate.run(async () => 'b');
    const refused = await gate.run(async () => 'c').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(IngestError);
    expect((refused as IngestError).statusCode).toBe(503);
    expect((refused as IngestError).message).toMatch(/busy decoding other requests; retry shortly/);
    expect((refused as IngestError).extra).toEqual({ retry_after: 1 });
    first.finish('a');
    expect([await a, await b]).toEqual(['a', 'b']);
  });

  it('refuses a request that waited too long and forgets it', async () => {
    const gate = new DecodeGate({ slots: 1, maxQueued: 5, maxWaitMs: 20 });
    const first = held();
    const a = gate.run(first.work);
    await expect(gate.run(async () => 'late')).rejects.toThrow(/waited 20 ms for other requests/);
    expect(gate.load).toEqual({ running: 1, queued: 0 });
    first.finish('a');
    await a;
    expect(gate.load).toEqual({ running: 0, queued: 0 });
  });

  it('frees the slot when the work throws', async () => {
    const gate = new DecodeGate({ slots: 1, maxQueued: 0, maxWaitMs: 60_000 });
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'next')).toBe('next');
  });
});
