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
  metric(projectId: number, destinationId: string, name: RuntimeMetric): void;
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
    metric: (projectId, destinationId, name) => recorder.metric(projectId, destinationId, name),
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

/** Writes the calls down instead of applying them; `saveSuspension` is delegated (a round trip). */
export class BufferedEffects implements RunEffects {
  readonly calls: EffectCall[] = [];

  constructor(readonly saveSuspension: (invocationId: string, suspension: JsonObject) => Promise<void>) {}

  update(...args: Parameters<RecordedEffects['update']>): void {
    this.calls.push(['update', ...args]);
  }
  metric(...args: Parameters<RecordedEffects['metric']>): void {
    this.calls.push(['metric', ...args]);
  }
  observe(...args: Parameters<RecordedEffects['observe']>): void {
    this.calls.push(['observe', ...args]);
  }
  log(...args: Parameters<RecordedEffects['log']>): void {
    this.calls.push(['log', ...args]);
  }
  logSteps(...args: Parameters<RecordedEffects['logSteps']>): void {
    this.calls.push(['logSteps', ...args]);
  }
  capture(...args: Parameters<RecordedEffects['capture']>): void {
    this.calls.push(['capture', ...args]);
  }
}

/** Applies calls written down by `BufferedEffects`, in order. */
export function replayEffects(calls: EffectCall[], target: RecordedEffects): void {
  for (const [name, ...args] of calls) {
    (target[name] as (...a: unknown[]) => void)(...args);
  }
}
