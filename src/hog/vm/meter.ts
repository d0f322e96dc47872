/**
 * The conversion meter: bounds every walk that copies a Hog value out of (or into) the VM.
 *
 * Values may share references (`a := [a, a]` doubles the size of `a` at the cost of one slot), and
 * the memory accounting counts a shared object once. Anything that expands a value (JSON, printing,
 * string coercion, conversion to plain JS for the host or a saved state) visits a shared object once
 * per reference, so a few live slots can expand into gigabytes inside one native call, where the
 * run loop's clock and memory checks never run. Each such walk reports what it produces to `spend`:
 * 8 bytes per value plus a string's length, as the memory accounting charges. The meter fails the
 * run with the usual limit errors as soon as one native call has produced more than the run's memory
 * limit minus what is live, or the run's deadline has passed.
 *
 * The meter of the running VM is module state (`active`) rather than a parameter: the walkers sit
 * under dozens of standard-library functions, the operators and the public printing helpers, and
 * threading a budget through all of them would change every signature for a concern none of them
 * has. A run is synchronous, so only the VM that set `active` can observe it; `exec` restores the
 * previous meter when it returns, so a host function that runs another VM gets its own. With no VM
 * running, `active` is null and conversions are unbounded: that is host code converting its own data.
 */
import { isHogError } from '../values.js';

/** Spend between two looks at the clock: about a thousand visited values. */
const CLOCK_EVERY = 8192;
/** Spend after which the value being walked is sized as a whole (see `checkRoot`). */
const SIZE_WALKS_AFTER = 64 * 1024;

/** What a meter needs from the run it bounds. */
export interface MeterOwner {
  /** Bytes a native call may produce, as of the last measurement of the live values (or Infinity). */
  remainingEstimate(): number;
  /**
   * Deep-measure the live values plus `pending` bytes being produced: throws the memory-limit error
   * when they exceed the limit, else returns the limit minus the live values (or Infinity).
   */
  remainingAfter(pending: number): number;
  /** Throws the timeout error once the run's deadline has passed. */
  checkTimeout(): void;
}

export class Meter {
  /** Bytes produced since the current native call opened its allowance. */
  spent = 0;
  /** `spent` above which `overflow` must look at the clock or the budget. */
  next = CLOCK_EVERY;
  /** Counts `open` calls; the state below belongs to the call `overflow` last saw. */
  private calls = 0;
  private seenCall = 0;
  private nextClock = CLOCK_EVERY;
  /** The last root sized in this native call, so each is sized once. */
  private sizedRoot: unknown = null;
  /** What this native call may produce, once measured exactly (-1 until then). */
  private exact = -1;
  /**
   * The outermost walk in progress (`beginWalk`), and whether it descends into everything (`full`)
   * or only into arrays (a join). Walks nested in it convert parts of it (keys, items), so the
   * outermost value is the one to size. Walks are begun and ended in pairs; one that throws ends
   * the run, so no walk is in progress when a native call starts.
   */
  root: unknown = null;
  rootFull = false;
  walkDepth = 0;

  constructor(
    private readonly owner: MeterOwner,
    private readonly firstCheck = CLOCK_EVERY,
  ) {
    this.next = firstCheck;
  }

  /** As new, for another run of the same machine. */
  reset(): void {
    this.spent = 0;
    this.next = this.firstCheck;
    this.calls = 0;
    this.seenCall = 0;
    this.nextClock = CLOCK_EVERY;
    this.sizedRoot = null;
    this.exact = -1;
    this.root = null;
    this.rootFull = false;
    this.walkDepth = 0;
  }

  /**
   * A fresh allowance for one native call. Small conversions (under `CLOCK_EVERY` bytes) never
   * leave `spend`'s fast path; the budget is looked at lazily, when a conversion grows.
   */
  open(): void {
    // Kept to three writes: the VM opens an allowance at every native call. The rest of the
    // per-call state is reset by the first `overflow` of the call, which few calls reach.
    this.spent = 0;
    this.next = this.firstCheck;
    this.calls++;
  }

  /** Slow path of `spend`: check the clock, then the budget (cheaply first, exactly if needed). */
  overflow(): void {
    if (this.seenCall !== this.calls) {
      this.seenCall = this.calls;
      this.nextClock = CLOCK_EVERY;
      this.sizedRoot = null;
      this.exact = -1;
    }
    if (this.spent > this.nextClock) {
      this.owner.checkTimeout();
      this.nextClock = this.spent + CLOCK_EVERY;
    }
    let remaining = this.exact >= 0 ? this.exact : this.owner.remainingEstimate();
    if (this.spent > SIZE_WALKS_AFTER && this.walkDepth > 0 && this.root !== this.sizedRoot) remaining = this.checkRoot(remaining);
    // The estimate can be stale (values dropped or added since the last measurement): measure
    // exactly before failing. Live values do not change during a native call, so this walk happens
    // at most once per call that fits, and once more for the call that does not.
    if (this.spent > remaining) remaining = this.measure(this.spent);
    this.next = Math.min(this.nextClock, remaining);
  }

  private measure(pending: number): number {
    this.exact = this.owner.remainingAfter(pending);
    return this.exact;
  }

  /**
   * Fail early: a walk that has grown large may be expanding a value that shares references, whose
   * full expansion can be sized without doing it (`expandedSize`, linear in the distinct objects).
   * When that size alone cannot fit, the walk would fail later anyway, after allocating up to the
   * whole budget; fail now instead.
   */
  private checkRoot(remaining: number): number {
    this.sizedRoot = this.root;
    const size = expandedSize(this.root, this.rootFull);
    return size > remaining ? this.measure(size) : remaining;
  }
}

/** Deeper than this, sizing stops counting (it only needs a lower bound) rather than recursing on. */
const MAX_SIZING_DEPTH = 1000;

/**
 * A lower bound of what any metered walk of `value` spends: 8 bytes per value plus a string's length,
 * a shared object counted once per reference, computed once per distinct object. With `full` false
 * only arrays are descended into (a join prints a dict as `[object Map]`). A value with a cycle gives
 * 0: walks print an ancestor as null, so the same object can expand differently along different paths.
 */
export function expandedSize(root: unknown, full: boolean): number {
  const sizes = new Map<object, number>();
  let cyclic = false;
  const size = (value: unknown, depth: number): number => {
    if (typeof value === 'string') return 8 + value.length;
    if (typeof value !== 'object' || value === null) return 8;
    const known = sizes.get(value);
    if (known !== undefined) {
      if (known >= 0) return known;
      cyclic = true;
      return 8;
    }
    if (depth > MAX_SIZING_DEPTH) return 8;
    sizes.set(value, -1);
    let total = 8;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) total += size(value[i], depth + 1);
    } else if (full && value instanceof Map) {
      // Keys that are not strings are only counted as one value: some walks print them as a join.
      for (const [k, v] of value) total += (typeof k === 'string' ? 8 + k.length : 8) + size(v, depth + 1);
    } else if (full && isHogError(value)) {
      total += size(value.payload, depth + 1);
    } else if (full && Object.getPrototypeOf(value) === Object.prototype && !isTaggedValue(value)) {
      for (const key of Object.keys(value)) total += 8 + key.length + size((value as Record<string, unknown>)[key], depth + 1);
    }
    sizes.set(value, total);
    return total;
  };
  const total = size(root, 0);
  return cyclic ? 0 : total;
}

/** Closures, callables, dates, intervals: walks print or copy them as one short value. */
function isTaggedValue(value: object): boolean {
  const v = value as Record<string, unknown>;
  return v.__hogClosure__ === true || typeof v.__hogCallable__ === 'string' || v.__hogDate__ === true || v.__hogDateTime__ === true || v.__hogInterval__ === true;
}

let active: Meter | null = null;

/** The meter of the running VM, or null. */
export function activeMeter(): Meter | null {
  return active;
}

/** Make `meter` the running one; returns the previous meter, for the caller to restore. */
export function activateMeter(meter: Meter | null): Meter | null {
  const previous = active;
  active = meter;
  return previous;
}

/**
 * Record `bytes` of output from the conversion in progress. The fast path is a module read, an add
 * and a compare, so walkers call it per visited value.
 */
export function spend(bytes: number): void {
  const m = active;
  if (m !== null && (m.spent += bytes) > m.next) m.overflow();
}

/**
 * Mark the start of a metered walk of the container `value` (`full` false for a join, which only
 * descends into arrays), so that a walk which grows large can be sized as a whole. Pair with
 * `endWalk` when the walk returns; a walk that throws ends the run (or the preview).
 */
export function beginWalk(value: object, full: boolean): void {
  const m = active;
  if (m !== null && m.walkDepth++ === 0) {
    m.root = value;
    m.rootFull = full;
  }
}

export function endWalk(): void {
  const m = active;
  if (m !== null && m.walkDepth > 0 && --m.walkDepth === 0) m.root = null;
}

/**
 * A fresh allowance, for native code the VM runs outside a call boundary of its own (operators that
 * coerce an array to text or a number). Never called from inside a conversion.
 */
export function openAllowance(): void {
  if (active !== null) active.open();
}

/** Thrown by a preview meter when the value is too large to show. */
class TooLarge extends Error {}

/** Bytes of work a preview may take, and characters it shows. */
const PREVIEW_BYTES = 1024;
const PREVIEW_CHARS = 200;

const PREVIEW_OWNER: MeterOwner = {
  remainingEstimate: () => PREVIEW_BYTES,
  remainingAfter: () => {
    throw new TooLarge();
  },
  checkTimeout: () => {},
};

/**
 * `render(value)` for an error message: at most 200 characters, and never more than 1 KB of work
 * whatever the value's expanded size (a fixed cap, not the run's budget: an error message does not
 * need megabytes). A larger value is shown as `<array too large to show>`.
 */
export function preview(value: unknown, render: (value: unknown) => string): string {
  const previous = activateMeter(new Meter(PREVIEW_OWNER, PREVIEW_BYTES));
  let text: string;
  try {
    text = render(value);
  } catch (error) {
    if (!(error instanceof TooLarge)) throw error;
    return `<${Array.isArray(value) ? 'array' : value instanceof Map ? 'dict' : typeof value} too large to show>`;
  } finally {
    activateMeter(previous);
  }
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}
