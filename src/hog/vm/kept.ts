/**
 * Conversions of whole globals kept between runs (`ExecOptions.keptConversions`). A host that runs
 * several programs on the same globals (a chain of transformations on one event) would otherwise
 * convert the same host object into Hog values once per program. A run that reads a global whole and
 * finishes without setting any property (so the values are still equal to a fresh conversion, and
 * the program that held them is gone) gives them back here; the next run reading the same host
 * object takes them instead of converting again, and is charged the same memory.
 *
 * The host promises not to change a host object while a conversion of it is kept: keep one of these
 * per set of globals, and `clear` it when they change.
 */
import type { HogValue } from '../values.js';

/** A few globals are read whole per program; more than this are simply not kept. */
const MAX_KEPT = 4;

export class KeptConversions {
  private count = 0;
  private readonly raws: (object | null)[] = [];
  private readonly values: HogValue[] = [];
  /** What the memory accounting charged for each conversion (`jsToHogTallied`'s tally). */
  private readonly costs: number[] = [];
  /** What `take` found: valid until the next `take`. */
  takenValue: HogValue = null;
  takenCost = 0;

  /** Takes the kept conversion of `raw` (a run may change it) into `takenValue`/`takenCost`; false when there is none. */
  take(raw: object): boolean {
    for (let i = 0; i < this.count; i++) {
      if (this.raws[i] !== raw) continue;
      this.takenValue = this.values[i]!;
      this.takenCost = this.costs[i]!;
      this.removeAt(i);
      return true;
    }
    return false;
  }

  /** Keeps `value`, a conversion of `raw` that no program holds any longer, unless one already is. */
  give(raw: object, value: HogValue, cost: number): void {
    if (this.count >= MAX_KEPT) return;
    for (let i = 0; i < this.count; i++) if (this.raws[i] === raw) return;
    this.raws[this.count] = raw;
    this.values[this.count] = value;
    this.costs[this.count] = cost;
    this.count++;
  }

  /** Forgets every conversion: the host objects are about to change. */
  clear(): void {
    while (this.count > 0) this.removeAt(this.count - 1);
    this.takenValue = null;
  }

  private removeAt(i: number): void {
    const last = --this.count;
    this.raws[i] = this.raws[last]!;
    this.values[i] = this.values[last]!;
    this.costs[i] = this.costs[last]!;
    this.raws[last] = null;
    this.values[last] = null;
  }
}
