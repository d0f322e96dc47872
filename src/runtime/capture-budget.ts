/**
 * The bound on `postHogCapture` amplification across hops. The executor caps captures per invocation
 * (`maxCaptures`) and hops per chain (`maxCaptureDepth`), but a destination that captures the very event
 * type it listens to multiplies at every hop (10 → 100 → 1,000). Every captured event carries the uuid of
 * the original event it descends from (`CAPTURE_ROOT_PROPERTY`); a shared counter per original event
 * (`store.counters`, so every process counts together) lets at most `maxDescendants` of them in. The
 * excess is dropped, logged on the invocation that captured it, and costs its destination's health like a
 * failed invocation.
 */
import type { SharedCounters } from '../store/store.js';
import type { RecordedEffects } from './effects.js';
import { CAPTURE_ROOT_PROPERTY, type CapturedEvent } from './executor.js';

/** Captured events allowed per original event, all hops and destinations together. */
export const DEFAULT_MAX_CAPTURE_DESCENDANTS = 100;

/** How long an original event's count lives: chains of captures end within seconds; this only bounds the counter's life. */
const DESCENDANTS_TTL_MS = 60 * 60_000;

const KEY_PREFIX = 'capture-descendants:';

type CaptureEffect = RecordedEffects['capture'];

export interface CaptureBudgetOptions {
  counters: SharedCounters;
  /** Default {@link DEFAULT_MAX_CAPTURE_DESCENDANTS}. */
  maxDescendants?: number;
  now?: () => number;
}

/** Events grouped by the original event they descend from (in order). */
function byRoot(events: CapturedEvent[]): Map<string, CapturedEvent[]> {
  const groups = new Map<string, CapturedEvent[]>();
  for (const event of events) {
    const root = String(event.properties[CAPTURE_ROOT_PROPERTY] ?? '');
    let group = groups.get(root);
    if (!group) groups.set(root, (group = []));
    group.push(event);
  }
  return groups;
}

export class CaptureBudget {
  readonly maxDescendants: number;
  private readonly counters: SharedCounters;
  private readonly now: () => number;

  constructor(options: CaptureBudgetOptions) {
    this.counters = options.counters;
    this.maxDescendants = options.maxDescendants ?? DEFAULT_MAX_CAPTURE_DESCENDANTS;
    this.now = options.now ?? Date.now;
  }

  /** Counts the events against their original events; returns those within the budget and the refused ones. */
  async admit(events: CapturedEvent[]): Promise<{ allowed: CapturedEvent[]; refused: { root: string; count: number }[] }> {
    // Every event the executor captures names its original event; one without (none is made so) is not counted.
    const groups = [...byRoot(events)].filter(([root]) => root !== '');
    const uncounted = events.filter((event) => typeof event.properties[CAPTURE_ROOT_PROPERTY] !== 'string' || event.properties[CAPTURE_ROOT_PROPERTY] === '');
    if (groups.length === 0) return { allowed: uncounted, refused: [] };
    const values = await this.counters.incrementMany(
      groups.map(([root, group]) => ({ key: `${KEY_PREFIX}${root}`, by: group.length, ttlMs: DESCENDANTS_TTL_MS })),
      this.now(),
    );
    const allowed: CapturedEvent[] = [...uncounted];
    const refused: { root: string; count: number }[] = [];
    groups.forEach(([root, group], i) => {
      const before = values[i]!.value - group.length;
      const room = Math.max(0, Math.min(group.length, this.maxDescendants - before));
      allowed.push(...group.slice(0, room));
      if (room < group.length) refused.push({ root, count: group.length - room });
    });
    return { allowed, refused };
  }

  /**
   * Wraps the runtime's capture effect: events over the budget are dropped, with an error line on the
   * invocation and a failed-invocation cost to the destination's health.
   */
  wrap(capture: CaptureEffect, effects: Pick<RecordedEffects, 'log' | 'observe'>): CaptureEffect {
    return (projectId, destinationId, invocationId, events) => {
      this.admit(events).then(
        ({ allowed, refused }) => {
          for (const { root, count } of refused) {
            const error =
              `postHogCapture: ${count} captured event(s) dropped: event ${root} already has ${this.maxDescendants} ` +
              `events captured from it and its descendants (the limit per original event)`;
            effects.log(projectId, destinationId, invocationId, 'error', error);
            effects.observe(projectId, destinationId, { kind: 'failed', error });
          }
          if (allowed.length > 0) capture(projectId, destinationId, invocationId, allowed);
        },
        (error: unknown) => {
          const text = error instanceof Error ? error.message : String(error);
          effects.log(projectId, destinationId, invocationId, 'error', `postHogCapture could not count its events against their original event, so they were dropped: ${text}`);
        },
      );
    };
  }
}
