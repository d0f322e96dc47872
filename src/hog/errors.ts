/**
 * Errors raised while running Hog.
 *
 *   HogRuntimeError      base class: anything that ends a Hog run
 *   ├── HogVMError       a VM/runtime error (missing global, bad index, limits, …); never catchable in Hog
 *   └── UncaughtHogError a Hog `throw` that no `try` caught; carries the error's type, message, payload
 */
import type { HogValue } from './values.js';

export class HogRuntimeError extends Error {
  /** Where the VM was when the error ended the run: `chunk@ip` per frame, innermost first. */
  hogStack: string[] = [];

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HogRuntimeError';
  }
}

export class HogVMError extends HogRuntimeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HogVMError';
  }
}

export class UncaughtHogError extends HogRuntimeError {
  readonly type: string;
  readonly payload: HogValue;

  constructor(type: string, message: string, payload: HogValue = null) {
    super(message);
    this.name = 'UncaughtHogError';
    this.type = type;
    this.payload = payload;
  }

  override toString(): string {
    return `${this.type}('${this.message.replaceAll("'", "\\'")}')`;
  }
}
