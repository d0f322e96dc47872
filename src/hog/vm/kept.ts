/**
 * Conversions of whole globals kept between runs (`ExecOptions.keptConversions`). A host that runs
 * several programs on the same globals (a chain of transformations on one event) would otherwise
 * convert the same host object into Hog values once per program. A run that reads a global whole and
 * finishes without setting any property (so the values are still equal to a fresh conversion, and
 * the program that held them is gone) gives them back here; the next run reading the same host
 * object takes them instead of converting again, and is charged the same memory.
 *
 * The host promises not to change a host object while a conversion of it is kept: keep one of these
 * per set of globals, and drop it when they change.
 */
import type { HogValue } from '../values.js';

/** A few globals are read whole per program; more than this are simply not kept. */
const MAX_KEPT = 4;

interface Kept {
  raw: object;
  value: HogValue;
  /** What the memory accounting charged for the conversion (`jsToHogTallied`'s tally). */
  cost: number;
}

export class KeptConversions {
  private readonly kept: Kept[] = [];

  /** The kept conversion of `raw`, removed (a run may change it), or null. */
  take(raw: object): Kept | null {
    const kept = this.kept;
    for (let i = 0; i < kept.length; i++) {
      if (kept[i]!.raw === raw) {
        const found = kept[i]!;
        kept[i] = kept[kept.length - 1]!;
        kept.pop();
        return found;
      }
    }
    return null;
  }

  /** Keeps `value`, a conversion of `raw` that no program holds any longer, unless one already is. */
  give(raw: object, value: HogValue, cost: number): void {
    const kept = this.kept;
    if (kept.length >= MAX_KEPT) return;
    for (let i = 0; i < kept.length; i++) if (kept[i]!.raw === raw) return;
    kept.push({ raw, value, cost });
  }
}
