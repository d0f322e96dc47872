/**
 * Errors raised while running Hog.
 *
 *   HogRuntimeError      base class: anything that ends a Hog run
 *   ├── HogVMError       a VM/runtime error (missing global, bad index, limits, …); never catchable in Hog
 *   └── UncaughtHogError a Hog `throw` that no `try` caught; carries the error's type, message, payload
 *
 * Every one carries a `kind`, so hosts decide what an error means (a limit hit, a bug in the program, a
 * Hog `throw`) without reading its message, whose text is PostHog's and is only for people.
 */
import type { HogValue } from './values.js';

/**
 * - `limit`: the run hit an execution limit (time, memory, call stack depth, async steps, the host's
 *   stack, a stdlib size cap);
 * - `runtime`: the VM or the standard library refused an operation (a type error, a bad argument, an
 *   unknown function, invalid bytecode, an error thrown by a host function);
 * - `uncaught`: a Hog `throw` that the program did not catch.
 */
export type HogErrorKind = 'limit' | 'runtime' | 'uncaught';

export interface HogErrorOptions {
  cause?: unknown;
  /** Default `runtime`. */
  kind?: HogErrorKind;
}

export class HogRuntimeError extends Error {
  /** Where the VM was when the error ended the run: `chunk@ip` per frame, innermost first. */
  hogStack: string[] = [];
  readonly kind: HogErrorKind;

  constructor(message: string, options: HogErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HogRuntimeError';
    this.kind = options.kind ?? 'runtime';
  }
}

export class HogVMError extends HogRuntimeError {
  declare readonly kind: 'limit' | 'runtime';

  constructor(message: string, options: { cause?: unknown; kind?: 'limit' | 'runtime' } = {}) {
    super(message, options);
    this.name = 'HogVMError';
  }
}

/** A run that hit one of its execution limits. */
export function limitError(message: string): HogVMError {
  return new HogVMError(message, { kind: 'limit' });
}

export class UncaughtHogError extends HogRuntimeError {
  declare readonly kind: 'uncaught';
  readonly type: string;
  readonly payload: HogValue;

  constructor(type: string, message: string, payload: HogValue = null) {
    super(message, { kind: 'uncaught' });
    this.name = 'UncaughtHogError';
    this.type = type;
    this.payload = payload;
  }

  override toString(): string {
    return `${this.type}('${this.message.replaceAll("'", "\\'")}')`;
  }
}

/** The kind of an error that ended a Hog run; `null` for anything else (a host's own error). */
export function hogErrorKind(error: unknown): HogErrorKind | null {
  return error instanceof HogRuntimeError ? error.kind : null;
}
