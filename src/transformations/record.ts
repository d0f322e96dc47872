/**
 * Hands what a chain run produced to the runtime's recorder: metrics and log lines are buffered and
 * written with the runtime's other results, and observations reach the health watcher, which degrades
 * and disables a failing transformation exactly as it does a destination (docs/health.md).
 */
import type { RuntimeRecorder } from '../runtime/recorder.js';
import type { Event } from '../store/store.js';
import type { ChainResult } from './chain.js';

export type ChainRecorder = Pick<RuntimeRecorder, 'metric' | 'observe' | 'logSteps'>;

export function recordChainResult(recorder: ChainRecorder, result: Pick<ChainResult<Event>, 'logs' | 'metrics' | 'observations'>): void {
  for (const m of result.metrics) recorder.metric(m.projectId, m.destinationId, m.name, m.count);
  for (const o of result.observations) recorder.observe(o.projectId, o.destinationId, o.observation);
  for (const line of result.logs) {
    recorder.logSteps(line.projectId, line.destinationId, line.invocationId ?? '', [{ timestamp: line.timestamp, level: line.level, message: line.message }]);
  }
}
