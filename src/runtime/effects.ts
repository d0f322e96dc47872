/**
 * What running an invocation leaves behind, as one small interface (`RunEffects`): the outcome and log
 * lines for the recorder, metric increments, health observations, `postHogCapture` events, and — the only
 * one the run waits for — storing a suspension before a second fetch.
 *
 * In the main thread these go straight to the recorder and the store (`directEffects`). In a delivery
 * thread they are written down as calls (`BufferedEffects`), posted with the invocation's result, and
 * replayed in the main thread (`replayEffects`), so only the main thread ever writes to the store.
 */
import type { InvocationUpdate, JsonObject, LogLevel } from '../store/store.js';
import type { CapturedEvent, InvocationLog } from './executor.js';
import type { HealthObservation } from './health.js';
import type { RuntimeMetric, RuntimeRecorder } from './recorder.js';

/** The effects that need no answer: recorded now, written in the recorder's next batch. */
export interface RecordedEffects {
  update(id: string, update: InvocationUpdate): void;
  /** Adds `count` (default 1) to a metric. */
  metric(projectId: number, destinationId: string, name: RuntimeMetric, count?: number): void;
  observe(projectId: number, destinationId: string, observation: HealthObservation): void;
  log(projectId: number, destinationId: string, invocationId: string | null, level: LogLevel, message: string): void;
  logSteps(projectId: number, destinationId: string, invocationId: string, lines: InvocationLog[]): void;
  /** Events from `postHogCapture`, stored into the same project (failures are logged, not thrown). */
  capture(projectId: number, destinationId: string, invocationId: string, events: CapturedEvent[]): void;
}

export interface RunEffects extends RecordedEffects {
  /** Stores the (sealed: `suspension-seal.ts`) suspension before the request is made; resolves once it is committed. */
  saveSuspension(invocationId: string, suspension: JsonObject): Promise<void>;
}

export type CaptureFn = (projectId: number, events: CapturedEvent[]) => Promise<void>;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Effects applied at once in this thread: the recorder buffers, the store saves suspensions. */
export function directEffects(
  recorder: RuntimeRecorder,
  saveSuspension: (invocationId: string, suspension: JsonObject) => Promise<void>,
  capture: CaptureFn | undefined,
): RunEffects {
  return {
    update: (id, update) => recorder.update(id, update),
    metric: (projectId, destinationId, name, count) => recorder.metric(projectId, destinationId, name, count),
    observe: (projectId, destinationId, observation) => recorder.observe(projectId, destinationId, observation),
    log: (projectId, destinationId, invocationId, level, message) => recorder.log(projectId, destinationId, invocationId, level, message),
    logSteps: (projectId, destinationId, invocationId, lines) => recorder.logSteps(projectId, destinationId, invocationId, lines),
    capture(projectId, destinationId, invocationId, events) {
      if (!capture) return;
      capture(projectId, events).catch((error: unknown) => {
        recorder.log(projectId, destinationId, invocationId, 'error', `postHogCapture could not store its events: ${errorText(error)}`);
      });
    },
    saveSuspension,
  };
}

/** One recorded call: the method's name and its arguments (structured-clonable). */
export type EffectCall = { [K in keyof RecordedEffects]: [K, ...Parameters<RecordedEffects[K]>] }[keyof RecordedEffects];

/** One metric's increments summed over many runs: `[projectId, destinationId, name, count]`. */
export type MetricCount = [number, string, RuntimeMetric, number];

/**
 * Metric increments of many runs, summed per destination and name: a delivery thread posts one count
 * per destination and metric with each batch of results instead of one call per run.
 */
export class MetricTally {
  private counts = new Map<string, MetricCount>();

  add(projectId: number, destinationId: string, name: RuntimeMetric, count = 1): void {
    const key = `${projectId}\u0000${destinationId}\u0000${name}`;
    const existing = this.counts.get(key);
    if (existing !== undefined) existing[3] += count;
    else this.counts.set(key, [projectId, destinationId, name, count]);
  }

  /** The sums so far, and a fresh start. */
  take(): MetricCount[] {
    const all = [...this.counts.values()];
    this.counts = new Map();
    return all;
  }
}

/** Whose effects a `BufferedEffects` writes down: the run's invocation. */
export interface RunOwner {
  projectId: number;
  destinationId: string;
}

/**
 * One call written down by `BufferedEffects`, without the run's project and destination (every call of a
 * run is about its own invocation, so they would only be copied to the main thread over and over); a call
 * about another destination, which a run never makes, is kept whole (`other`).
 */
export type RunCall =
  | ['update', string, InvocationUpdate]
  | ['observe', HealthObservation]
  | ['log', string | null, LogLevel, string]
  | ['logSteps', string, InvocationLog[]]
  | ['capture', string, CapturedEvent[]]
  | ['metric', RuntimeMetric, number]
  | ['other', EffectCall];

/**
 * Writes the calls down instead of applying them; `saveSuspension` is delegated (a round trip). Metric
 * increments go to the `tally` when there is one (summed with other runs'), else into the calls.
 */
export class BufferedEffects implements RunEffects {
  readonly calls: RunCall[] = [];

  constructor(
    private readonly owner: RunOwner,
    readonly saveSuspension: (invocationId: string, suspension: JsonObject) => Promise<void>,
    private readonly tally?: MetricTally,
  ) {}

  private own(projectId: number, destinationId: string): boolean {
    return projectId === this.owner.projectId && destinationId === this.owner.destinationId;
  }

  update(id: string, update: InvocationUpdate): void {
    this.calls.push(['update', id, update]);
  }
  metric(projectId: number, destinationId: string, name: RuntimeMetric, count = 1): void {
    if (this.tally) this.tally.add(projectId, destinationId, name, count);
    else if (this.own(projectId, destinationId)) this.calls.push(['metric', name, count]);
    else this.calls.push(['other', ['metric', projectId, destinationId, name, count]]);
  }
  observe(projectId: number, destinationId: string, observation: HealthObservation): void {
    if (this.own(projectId, destinationId)) this.calls.push(['observe', observation]);
    else this.calls.push(['other', ['observe', projectId, destinationId, observation]]);
  }
  log(projectId: number, destinationId: string, invocationId: string | null, level: LogLevel, message: string): void {
    if (this.own(projectId, destinationId)) this.calls.push(['log', invocationId, level, message]);
    else this.calls.push(['other', ['log', projectId, destinationId, invocationId, level, message]]);
  }
  logSteps(projectId: number, destinationId: string, invocationId: string, lines: InvocationLog[]): void {
    // Most steps log nothing: an empty call would only cost its copy to the main thread.
    if (lines.length === 0) return;
    if (this.own(projectId, destinationId)) this.calls.push(['logSteps', invocationId, lines]);
    else this.calls.push(['other', ['logSteps', projectId, destinationId, invocationId, lines]]);
  }
  capture(projectId: number, destinationId: string, invocationId: string, events: CapturedEvent[]): void {
    if (this.own(projectId, destinationId)) this.calls.push(['capture', invocationId, events]);
    else this.calls.push(['other', ['capture', projectId, destinationId, invocationId, events]]);
  }
}

/** Applies the calls a `BufferedEffects` for `owner`'s run wrote down, in order. */
export function replayEffects(calls: RunCall[], owner: RunOwner, target: RecordedEffects): void {
  const { projectId, destinationId } = owner;
  for (const call of calls) {
    switch (call[0]) {
      case 'update':
        target.update(call[1], call[2]);
        break;
      case 'observe':
        target.observe(projectId, destinationId, call[1]);
        break;
      case 'log':
        target.log(projectId, destinationId, call[1], call[2], call[3]);
        break;
      case 'logSteps':
        target.logSteps(projectId, destinationId, call[1], call[2]);
        break;
      case 'capture':
        target.capture(projectId, destinationId, call[1], call[2]);
        break;
      case 'metric':
        target.metric(projectId, destinationId, call[1], call[2]);
        break;
      case 'other': {
        const [name, ...args] = call[1];
        (target[name] as (...a: unknown[]) => void)(...args);
        break;
      }
    }
  }
}
