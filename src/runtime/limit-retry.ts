/**
 * A VM limit hit once is not yet a failure. The time limit of a Hog run is wall time, so a run can pass it
 * within a handful of operations when the machine pauses its thread (every core busy, a long garbage
 * collection): seen as about one failed filter or invocation in 35,000 on a saturated 2-core machine,
 * which failed an event for a destination through no fault of its code. Code that really is over a limit
 * hits it again, so a run that ended at one is run once more before it counts; a run that fails for
 * anything else fails at once. The cost falls only on runs that hit a limit: twice their budget.
 */
import { runWithEngine, type HogRunner } from '../destinations/run-hog.js';
import { hogErrorKind } from '../hog/index.js';

/** Runs of the same program that end at a limit before that counts as its outcome. */
const RUNS_BEFORE_A_LIMIT_FAILS = 2;

export function isLimitError(error: unknown): boolean {
  return hogErrorKind(error) === 'limit';
}

/** `attempt()`, run once more when it ends at a VM limit; any other error, or a second limit, is thrown. */
export function withLimitRetry<T>(attempt: () => T): T {
  for (let run = 1; ; run++) {
    try {
      return attempt();
    } catch (error) {
      if (!isLimitError(error) || run >= RUNS_BEFORE_A_LIMIT_FAILS) throw error;
    }
  }
}

/** The expression runner (filters, input templates, masking hashes) with a second run after a limit. */
export const runWithLimitRetry: HogRunner = (bytecode, options) => withLimitRetry(() => runWithEngine(bytecode, options));
