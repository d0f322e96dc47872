/**
 * Upvalues: a captured local. While open it points at an absolute stack slot
 * (`location`); once closed it holds its own `value`. Closures store upvalue **ids**, so every
 * upvalue ever created in a run stays registered by id; only the open ones are kept in a list
 * sorted by location, so closing on stack truncation is a walk from the end.
 */
import type { HogValue } from '../values.js';

export class Upvalue {
  constructor(
    readonly id: number,
    readonly location: number,
    public closed: boolean,
    public value: HogValue,
  ) {}
}

export class Upvalues {
  /** Every upvalue of the run, by id (ids are 1-based and dense). */
  readonly byId: (Upvalue | undefined)[] = [];
  /** Open upvalues, sorted by location ascending. */
  readonly open: Upvalue[] = [];
  private count = 0;

  /** Forget every upvalue (the machine is kept for another run). */
  reset(): void {
    if (this.byId.length > 0) this.byId.length = 0;
    while (this.open.length > 0) this.open.pop();
    this.count = 0;
  }

  /** Register an upvalue loaded from a serialized state. */
  restore(upvalue: Upvalue): void {
    this.byId[upvalue.id] = upvalue;
    this.count = Math.max(this.count, upvalue.id);
    if (!upvalue.closed) insertSorted(this.open, upvalue);
  }

  /** The open upvalue for stack slot `location`, created if needed (shared by all closures). */
  capture(location: number): Upvalue {
    const open = this.open;
    for (let i = open.length - 1; i >= 0; i--) {
      const u = open[i]!;
      if (u.location === location) return u;
      if (u.location < location) break;
    }
    this.count += 1;
    const created = new Upvalue(this.count, location, false, null);
    this.byId[created.id] = created;
    insertSorted(open, created);
    return created;
  }

  /** Close every open upvalue at `location >= from`, copying its value off the stack. */
  close(from: number, stack: HogValue[]): void {
    const open = this.open;
    while (open.length > 0) {
      const u = open[open.length - 1]!;
      if (u.location < from) return;
      const value = stack[u.location];
      u.value = value === undefined ? null : value;
      u.closed = true;
      open.pop();
    }
  }

  /** All upvalues sorted by location, as PostHog lists them in a state. */
  all(): Upvalue[] {
    const list: Upvalue[] = [];
    for (const u of this.byId) if (u !== undefined) list.push(u);
    return list.sort((a, b) => a.location - b.location || a.id - b.id);
  }
}

function insertSorted(open: Upvalue[], upvalue: Upvalue): void {
  let i = open.length;
  while (i > 0 && open[i - 1]!.location > upvalue.location) i--;
  open.splice(i, 0, upvalue);
}
