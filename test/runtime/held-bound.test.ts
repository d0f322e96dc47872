/**
 * A destination slower than its traffic must not grow the process's memory: invocations waiting behind
 * its concurrency cap count against the worker's `maxPending`, whether the matcher handed them over in
 * memory or the worker claimed them, and the rest wait in the queue on disk. Before this bound, the
 * matcher's hand-over counted only the invocations not yet sorted, so everything held behind a slow
 * destination piled up in memory without limit (a burst of 300 events held ~300 here).
 *
 * The destination's server holds every request unanswered until the test lets it go; then everything
 * is delivered, once.
 *
 * The second case is what that bound must not cost: while the slow destination has filled it, another
 * destination's invocations are still taken and delivered at once. Before, the matcher stored them queued
 * and claims waited for room (and would have taken the slow one's older rows first), so nothing reached
 * the other destination until the slow server answered.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestSluice } from '../ingest/helpers.js';
import { createDestination, sendEvents, startRuntimeSluice, startSink, waitUntil, type Sink } from './helpers.js';

const MAX_PENDING = 40;
const PER_DESTINATION = 2;
const EVENTS = 300;

interface HeldServer {
  url: string;
  /** Event ids of the requests received, answered or not. */
  received: string[];
  /** Answers every held request and every later one at once. */
  release(): void;
  close(): Promise<void>;
}

async function startHoldingServer(): Promise<HeldServer> {
  const received: string[] = [];
  const held: ServerResponse[] = [];
  let released = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { n: string }).n);
      if (released) res.writeHead(200).end('{}');
      else held.push(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    release() {
      released = true;
      for (const res of held.splice(0)) res.writeHead(200).end('{}');
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A webhook destination to `url` for events named `event`, sending the event's `n`. */
function webhookTo(sluice: TestSluice, url: string, event: string): Promise<string> {
  return createDestination(sluice, {
    template_id: 'template-webhook',
    inputs: { url: { value: `${url}/hook` }, body: { value: { n: '{event.properties.n}' } } },
    filters: { events: [{ id: event, type: 'events' }] },
  });
}

/** Sends `EVENTS` orders in batches of 50, as an SDK does, and waits until all are matched. */
async function sendOrders(sluice: TestSluice): Promise<void> {
  const events = Array.from({ length: EVENTS }, (_, n) => ({ event: 'order', distinct_id: `u${n % 7}`, properties: { n: String(n) } }));
  for (let i = 0; i < EVENTS; i += 50) await sendEvents(sluice, events.slice(i, i + 50));
  await sluice.settle();
  await sluice.runtime.matcher.waitFor(await sluice.store.lastEventSeq());
}

/** Waits until every order is stored and at least those the worker may not keep wait `queued`. */
async function waitForQueuedOrders(sluice: TestSluice, id: string): Promise<void> {
  const queued = await waitUntil('invocations waiting in the queue', async () => {
    await sluice.runtime.recorder.flush();
    const waiting = (await sluice.store.listInvocations(1, id, { limit: 1000 })).filter((x) => x.state === 'queued' || x.state === 'running');
    return waiting.length === EVENTS ? waiting : null;
  });
  expect(queued.filter((x) => x.state === 'queued').length).toBeGreaterThanOrEqual(EVENTS - MAX_PENDING - PER_DESTINATION);
}

/** Lets the slow server answer; then every order is delivered, exactly once. */
async function releaseAndExpectEveryOrder(sluice: TestSluice, slow: HeldServer, id: string): Promise<void> {
  slow.release();
  await waitUntil('every invocation delivered', async () => {
    await sluice.runtime.recorder.flush();
    const all = await sluice.store.listInvocations(1, id, { limit: 1000 });
    return all.length === EVENTS && all.every((x) => x.state === 'succeeded');
  });
  expect(new Set(slow.received).size).toBe(EVENTS);
  expect(slow.received.length).toBe(EVENTS);
}

describe('invocations held behind a slow destination', () => {
  let sluice: TestSluice;
  let slow: HeldServer;
  let fast: Sink;

  /**
   * A fresh Sluice for each case; the cap per destination from the environment when `env` says. The
   * worker polls the queue only every minute: whatever it claims in time, it claims because it was told.
   */
  async function start(env?: Record<string, string>): Promise<void> {
    slow = await startHoldingServer();
    fast = await startSink();
    const worker = env ? { pollMs: 60_000 } : { pollMs: 60_000, maxPending: MAX_PENDING, maxPerDestination: PER_DESTINATION };
    sluice = await startRuntimeSluice({
      ...(env ? { env } : {}),
      runtime: { deliveryThreads: 0, worker },
    });
  }
  afterEach(async () => {
    slow.release();
    await sluice.stop();
    await slow.close();
    await fast.close();
  });

  it('stay within maxPending while the rest waits in the queue, and are all delivered once it answers', async () => {
    await start();
    const id = await webhookTo(sluice, slow.url, 'order');
    await sendOrders(sluice);

    // Every event is matched: what the worker does not keep is in the queue, and it keeps no more than its bound.
    const worker = sluice.runtime.worker;
    await waitUntil('the destination to hold its first requests', () => slow.received.length >= PER_DESTINATION);
    expect(worker.busy).toBeLessThanOrEqual(MAX_PENDING + PER_DESTINATION);
    await waitForQueuedOrders(sluice, id);
    expect(worker.busy).toBeLessThanOrEqual(MAX_PENDING + PER_DESTINATION);

    await releaseAndExpectEveryOrder(sluice, slow, id);
  });

  it('do not keep another destination waiting once they fill it', async () => {
    await start();
    const slowId = await webhookTo(sluice, slow.url, 'order');
    await webhookTo(sluice, fast.url, 'signup');
    await sendOrders(sluice);
    await waitUntil('the slow destination to hold its first requests', () => slow.received.length >= PER_DESTINATION);
    // The slow destination has taken the worker's whole bound: the rest of its orders wait in the queue.
    await waitForQueuedOrders(sluice, slowId);

    // Now the other destination's events: each is delivered while the slow server still holds every order.
    const signups = Array.from({ length: 60 }, (_, n) => ({ event: 'signup', distinct_id: `s${n}`, properties: { n: `s${n}` } }));
    for (let i = 0; i < signups.length; i += 20) await sendEvents(sluice, signups.slice(i, i + 20));
    await fast.waitFor(signups.length, 20_000);
    expect(slow.received.length).toBeLessThan(EVENTS);

    await releaseAndExpectEveryOrder(sluice, slow, slowId);
  });

  it('run at most SLUICE_DESTINATION_CONCURRENCY of one destination at a time', async () => {
    await start({ SLUICE_DESTINATION_CONCURRENCY: '3' });
    const id = await webhookTo(sluice, slow.url, 'order');
    await sendOrders(sluice);
    const worker = sluice.runtime.worker;
    await waitUntil('every order handed to the worker', () => worker.busy === EVENTS);
    await waitUntil('the slow destination to hold its first requests', () => slow.received.length >= 3);
    expect(worker.inFlightCount).toBe(3);
    expect(slow.received.length).toBe(3);
    await releaseAndExpectEveryOrder(sluice, slow, id);
  });
});
