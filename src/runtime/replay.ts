/**
 * Replay: puts a destination's `parked` invocations (events that arrived while its health watcher had it
 * disabled) and `failed` ones back in the queue, selected by state and by when they were created.
 *
 * - A parked invocation is queued again as it was (a sealed suspension it had is kept; one stored in
 *   plaintext by an older Sluice is dropped, never written back); a failed one starts from scratch: no
 *   attempts, no suspension, no error. Both get a fresh retry window.
 * - Replays use the destination's *current* code, inputs and secrets: they are read when it runs, and a
 *   kept suspension made with an older version of the destination is not resumed — the invocation
 *   starts again from its event (`runner.ts`).
 * - Rate limit: the replayed invocations are spread over time — `perSecond` become due each second — so
 *   the limit holds even across a restart, without a job of its own. One request replays at most `max`.
 * - Visible: a log line per replayed invocation and one summary line, and the `replayed` metric.
 */
import type { InvocationUpdate, LogEntry, Store } from '../store/store.js';
import { hourBucket } from './recorder.js';
import { isSealedSuspension } from './suspension-seal.js';

export type ReplayableState = 'parked' | 'failed';

export interface ReplayRequest {
  projectId: number;
  destinationId: string;
  states: ReplayableState[];
  /** Created at or after (epoch ms). */
  after?: number;
  /** Created before (epoch ms). */
  before?: number;
  dryRun: boolean;
  now: number;
  /** Invocations that become due per second. Default 50. */
  perSecond?: number;
  /** Most invocations one request replays. Default 10 000. */
  max?: number;
}

export interface ReplayResult {
  /** How many match (dry run), or how many were re-queued. */
  count: number;
  /** Matching invocations beyond `max`, left for another request. */
  remaining: number;
  /** When the last replayed invocation becomes due (epoch ms), or null. */
  lastDueAt: number | null;
}

export const REPLAY_DEFAULTS = Object.freeze({ perSecond: 50, max: 10_000 });

export async function replayInvocations(store: Store, request: ReplayRequest): Promise<ReplayResult> {
  const { projectId, destinationId, states, after, before } = request;
  const range = { ...(after !== undefined ? { after } : {}), ...(before !== undefined ? { before } : {}) };
  const matching = await store.countInvocations({ projectId, destinationId, states, ...range });
  if (request.dryRun || matching === 0) return { count: matching, remaining: 0, lastDueAt: null };

  const perSecond = Math.max(1, request.perSecond ?? REPLAY_DEFAULTS.perSecond);
  const max = Math.max(1, request.max ?? REPLAY_DEFAULTS.max);
  // Newest first from the store; replay oldest first.
  const invocations = (await store.listInvocations(projectId, destinationId, { states, ...range, limit: max })).reverse();
  const timestamp = new Date(request.now).toISOString();
  const updates: { id: string; update: InvocationUpdate }[] = [];
  const logs: LogEntry[] = [];
  let lastDueAt: number | null = null;
  invocations.forEach((invocation, index) => {
    const scheduledAt = request.now + Math.floor(index / perSecond) * 1000;
    lastDueAt = scheduledAt;
    const update: InvocationUpdate = { state: 'queued', scheduledAt, attempts: 0, firstAttemptAt: null, finishedAt: null };
    if (invocation.state === 'failed') Object.assign(update, { suspension: null, error: null });
    else if (invocation.suspension !== null && !isSealedSuspension(invocation.suspension)) update.suspension = null;
    updates.push({ id: invocation.id, update });
    logs.push({ projectId, destinationId, invocationId: invocation.id, timestamp, level: 'info', message: `Replay: queued again (was ${invocation.state})` });
  });
  const parked = invocations.filter((i) => i.state === 'parked').length;
  const window = `${after !== undefined ? new Date(after).toISOString() : 'the beginning'} to ${before !== undefined ? new Date(before).toISOString() : 'now'}`;
  logs.push({
    projectId,
    destinationId,
    invocationId: null,
    timestamp,
    level: 'info',
    message: `Replay: ${invocations.length} invocations (${parked} parked, ${invocations.length - parked} failed) created from ${window}, at up to ${perSecond} per second`,
  });
  await store.commitInvocationBatch({
    updates,
    logs,
    metrics: [{ projectId, destinationId, name: 'replayed', hour: hourBucket(request.now), count: invocations.length }],
  });
  return { count: invocations.length, remaining: Math.max(0, matching - invocations.length), lastDueAt };
}
