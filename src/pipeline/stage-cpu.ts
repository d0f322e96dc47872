/**
 * The CPU time this process spends in each pipeline stage (person processing, matching), and the events
 * it processed: what `sluice_stage_cpu_seconds_total` and `sluice_stage_events_total` report, and what
 * shows how evenly the partitions spread that work over worker processes.
 *
 * What is counted: a batch's synchronous parts — decoding what it read, applying events, running filters,
 * building its write — and none of its waiting. A stage is an async function whose parts alternate with
 * awaits on the store; while it waits, this thread runs other work (other partitions' batches, delivery,
 * HTTP). Timing a whole batch would count that work too (many times over, as batches of several partitions
 * overlap), and "wall time minus time awaiting the store" would still count the time a resumed batch waits
 * for its turn behind that work. So the clock runs only while the batch's own code runs:
 *
 * - The first part, from the call to its first await, is timed around the call.
 * - Every promise created while a batch's code runs is tagged with the batch's tally (V8's promise hooks).
 *   When a tagged promise's reaction runs — the code after an await, and whatever code that await's
 *   chain runs on the batch's behalf, like the store building a query or mapping rows — the clock runs
 *   for that tally until the reaction returns. The driver's parsing of replies (socket callbacks) is not
 *   counted.
 * - A tally closes when its batch ends: work the batch started and left running (invocations handed to
 *   the worker) stops counting then.
 *
 * The hooks are installed once this thread runs its first batch (capture and api processes never do);
 * from then on every promise of the thread pays a property check, tens of nanoseconds.
 *
 * Per thread. Each thread has its own copy of this module, hence its own hooks, clock and totals: the
 * counters of a stage thread (`stage-threads.ts`) count that thread's CPU only. A stage thread reports its
 * totals to the main thread now and then (`reportThreadTotals`), and `stageCpuTotals()` in the main thread
 * adds them to its own, so the process's counters cover every thread; `stageCpuByThread()` keeps them apart.
 *
 * The clock is this thread's CPU time. `process.cpuUsage()` counts every thread of the process (delivery
 * threads run at the same time on the other cores and would be counted in), and wall time counts the time
 * the OS gives the core to other processes (most of it on a busy machine). On Linux the thread's own CPU
 * time is read from `/proc/thread-self/schedstat` (one read of a file kept open, about 3 µs). The kernel
 * updates it at each scheduler tick and switch, so a single part can be off by up to a tick, but the error
 * is as likely either way and cancels out over the thousands of parts a counter sums. Where that file
 * does not exist, `process.cpuUsage()` is the fallback.
 */
import { openSync, readSync } from 'node:fs';
import { promiseHooks } from 'node:v8';
import type { LogItem, Stage } from './consumer.js';

/** Time one batch's code ran, in nanoseconds; counted only while open. */
class Tally {
  ns = 0;
  open = true;
}

export interface StageCpuTotal {
  /** The stage's consumer name (`persons`, `destinations`). */
  stage: string;
  /** CPU seconds spent reading and processing its batches, failed and redone ones included. */
  cpuSeconds: number;
  /** Events of committed batches. */
  events: number;
}

const TALLY = Symbol('sluice.stageCpuTally');
type Tagged = Promise<unknown> & { [TALLY]?: Tally };

const totals = new Map<string, StageCpuTotal>();
let running: Tally | null = null;
let runningSince = 0;
let hookedPrevious: Tally | null = null;
let hooked = false;
let hooksInstalled = false;
let clock: () => number = threadClock() ?? processClock;

/** This thread's CPU nanoseconds from `/proc/thread-self/schedstat`; null where it cannot be read. */
function threadClock(): (() => number) | null {
  let fd: number;
  try {
    fd = openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    return null;
  }
  const buffer = Buffer.alloc(64);
  const read = (): number => {
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    const space = buffer.indexOf(0x20);
    return Number(buffer.toString('latin1', 0, space >= 0 && space < length ? space : length));
  };
  try {
    return Number.isFinite(read()) ? read : null;
  } catch {
    return null;
  }
}

function processClock(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1_000;
}

/** Makes `next` the tally the clock runs for, charging the one it ran for until now; returns that one. */
function switchTo(next: Tally | null): Tally | null {
  const previous = running;
  if (previous === null && next === null) return null;
  let now: number;
  try {
    now = clock();
  } catch {
    // The thread's clock file went away: the process clock from here on (this one part is lost).
    clock = processClock;
    now = clock();
    runningSince = now;
  }
  if (previous !== null && previous.open) previous.ns += now - runningSince;
  running = next;
  runningSince = now;
  return previous;
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  promiseHooks.createHook({
    init(promise: Tagged) {
      if (running !== null) promise[TALLY] = running;
    },
    before(promise: Tagged) {
      const tally = promise[TALLY];
      if (tally === undefined || !tally.open) return;
      hookedPrevious = switchTo(tally);
      hooked = true;
    },
    after() {
      if (!hooked) return;
      hooked = false;
      switchTo(hookedPrevious);
      hookedPrevious = null;
    },
  });
}

/** Runs `work` (one read or one batch of `stage`) with its CPU time counted for the stage. */
async function measured<R>(stage: string, work: () => Promise<R>): Promise<R> {
  installHooks();
  const tally = new Tally();
  let pending: Promise<R>;
  const outer = switchTo(tally);
  try {
    pending = work();
  } finally {
    switchTo(outer);
  }
  try {
    return await pending;
  } finally {
    tally.open = false;
    totalOf(stage).cpuSeconds += tally.ns / 1e9;
  }
}

function totalOf(stage: string): StageCpuTotal {
  let total = totals.get(stage);
  if (!total) totals.set(stage, (total = { stage, cpuSeconds: 0, events: 0 }));
  return total;
}

/** The stage with its reads and batches measured (what a `StageRunner` hands its partition consumers). */
export function measuredStage<T extends LogItem>(stage: Stage<T>): Stage<T> {
  const wrapped: Stage<T> = {
    name: stage.name,
    read: (store, partition, after, limit) => measured(stage.name, () => stage.read(store, partition, after, limit)),
    process: async (batch, offset) => {
      await measured(stage.name, () => stage.process(batch, offset));
      totalOf(stage.name).events += batch.length;
    },
  };
  if (stage.reset) wrapped.reset = (partition) => stage.reset!(partition);
  return wrapped;
}

/** The totals other threads last reported, by thread name (kept after a thread ends: counters never go down). */
const threadTotals = new Map<string, StageCpuTotal[]>();

/** The stages this thread has run, with its CPU seconds and events so far (what a stage thread reports). */
export function ownStageCpuTotals(): StageCpuTotal[] {
  return [...totals.values()].map((t) => ({ ...t }));
}

/**
 * A thread's totals so far (replacing what it reported before). `thread` names one thread's life: a
 * restarted thread reports under a new name, as it counts from zero again.
 */
export function reportThreadTotals(thread: string, reported: StageCpuTotal[]): void {
  threadTotals.set(thread, reported.map((t) => ({ ...t })));
}

/** Every stage this process has run, in this thread and the threads that reported, with CPU seconds and events. */
export function stageCpuTotals(): StageCpuTotal[] {
  const sums = new Map<string, StageCpuTotal>();
  for (const list of [ownStageCpuTotals(), ...threadTotals.values()]) {
    for (const t of list) {
      const sum = sums.get(t.stage);
      if (sum) {
        sum.cpuSeconds += t.cpuSeconds;
        sum.events += t.events;
      } else sums.set(t.stage, { ...t });
    }
  }
  return [...sums.values()];
}

/** The totals per thread: `main` (this thread) first, then each reporting thread by name. */
export function stageCpuByThread(): { thread: string; totals: StageCpuTotal[] }[] {
  return [{ thread: 'main', totals: ownStageCpuTotals() }, ...[...threadTotals].map(([thread, list]) => ({ thread, totals: list.map((t) => ({ ...t })) }))];
}
