import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { PartitionOffsetWrite, Store } from '../../store/store.js';
import { START_POSITION } from '../../store/store.js';
import type { LogItem, Stage } from '../consumer.js';
import { measuredStage, ownStageCpuTotals, reportThreadTotals, stageCpuByThread, stageCpuTotals } from '../stage-cpu.js';

/** Fixed CPU work: the same number of steps costs the same CPU, however busy the machine is. */
function work(steps: number): number {
  let x = 1;
  for (let i = 0; i < steps; i++) x = (x * 31 + i) % 1_000_003;
  return x;
}

/** Spins for `ms` of wall time (CPU that is not the stage's when it runs elsewhere). */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) work(1_000);
}

function cpuMs(run: () => void): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1_000;
}

const items: LogItem[] = Array.from({ length: 10 }, (_, i) => ({ seq: i + 1, partition: 0, position: { tx: 1, seq: i + 1 } }));
const offset = { consumer: 'x', partition: 0, position: START_POSITION } as unknown as PartitionOffsetWrite;
const store = {} as Store;

/** A stage named `name` whose batches and reads run `process`. */
function stageOf(name: string, process: () => Promise<void>): Stage<LogItem> {
  return { name, read: async () => (await process(), items), process };
}

function totalOf(name: string): { cpuMs: number; events: number } {
  const total = stageCpuTotals().find((t) => t.stage === name);
  return { cpuMs: (total?.cpuSeconds ?? 0) * 1_000, events: total?.events ?? 0 };
}

describe('stage CPU time', () => {
  it('counts the CPU of every part of a batch, before and after its awaits, and its events', async () => {
    const steps = 3_000_000;
    work(steps); // warm up the JIT
    const reference = cpuMs(() => work(steps * 3));
    const stage = measuredStage(
      stageOf('cpu-parts', async () => {
        work(steps);
        await sleep(20);
        work(steps);
        await Promise.resolve();
        work(steps);
      }),
    );
    await stage.process(items, offset);
    const { cpuMs: measured, events } = totalOf('cpu-parts');
    expect(events).toBe(10);
    expect(measured).toBeGreaterThan(reference * 0.5);
    expect(measured).toBeLessThan(reference * 1.5 + 20);
  });

  it('does not count time awaiting, nor other work this thread runs meanwhile, nor work left running after the batch', async () => {
    const stage = measuredStage(
      stageOf('cpu-waiting', async () => {
        setImmediate(() => spin(150)); // someone else's work, while the batch waits
        await sleep(300);
        void sleep(10).then(() => spin(150)); // started by the batch, runs after it ended
      }),
    );
    await stage.process(items, offset);
    await sleep(250);
    const { cpuMs: measured, events } = totalOf('cpu-waiting');
    expect(events).toBe(10);
    expect(measured).toBeLessThan(50);
  });

  it('counts reads and failed batches as CPU, and only committed batches as events', async () => {
    const stage = measuredStage(
      stageOf('cpu-failing', async () => {
        work(2_000_000);
        await sleep(5);
        throw new Error('the store refused the batch');
      }),
    );
    await expect(stage.process(items, offset)).rejects.toThrow('the store refused the batch');
    const afterFailure = totalOf('cpu-failing');
    expect(afterFailure.events).toBe(0);
    expect(afterFailure.cpuMs).toBeGreaterThan(0);
    await expect(stage.read(store, 0, START_POSITION, 10)).rejects.toThrow('the store refused the batch');
    expect(totalOf('cpu-failing').cpuMs).toBeGreaterThan(afterFailure.cpuMs);
  });

  it('keeps the stage name and reset', () => {
    const resets: number[] = [];
    const stage = measuredStage({ ...stageOf('cpu-reset', async () => {}), reset: (p) => void resets.push(p) });
    expect(stage.name).toBe('cpu-reset');
    stage.reset?.(3);
    expect(resets).toEqual([3]);
  });

  it('adds what other threads report to the totals of this one, keeping each thread apart', () => {
    reportThreadTotals('stage-0.1', [{ stage: 'cpu-threads', cpuSeconds: 1.5, events: 100 }]);
    reportThreadTotals('stage-1.1', [{ stage: 'cpu-threads', cpuSeconds: 0.5, events: 40 }]);
    // A later report replaces the thread's earlier one (totals so far, not increments).
    reportThreadTotals('stage-1.1', [{ stage: 'cpu-threads', cpuSeconds: 0.75, events: 60 }]);
    expect(stageCpuTotals().find((t) => t.stage === 'cpu-threads')).toEqual({ stage: 'cpu-threads', cpuSeconds: 2.25, events: 160 });
    expect(ownStageCpuTotals().find((t) => t.stage === 'cpu-threads')).toBeUndefined();
    const byThread = stageCpuByThread();
    expect(byThread[0]!.thread).toBe('main');
    expect(byThread.find((t) => t.thread === 'stage-1.1')?.totals).toEqual([{ stage: 'cpu-threads', cpuSeconds: 0.75, events: 60 }]);
  });
});
