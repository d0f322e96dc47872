/**
 * Delivery outcomes: the closed set of errors a delivery can end in. The executor decides whether to
 * retry, fail or report from the error class alone:
 *
 * - `InputValidationError`: the request or its configuration is wrong; retrying cannot help.
 * - `AuthError`: the destination refused our credentials (401/403); don't retry, tell the health watcher.
 * - `RetryableError`: transient (network error, timeout, 408, 429, 5xx); back off and retry, honouring
 *   `retryAfterMs` when the destination named one.
 * - `TemplateError`: everything else, with a `code` and, when an HTTP response caused it, a `status`.
 *
 * Every code lives in one registry, grouped by kind, so a new code cannot be created without choosing how
 * the runtime treats it. Codes are stable: never reuse or rename one.
 */

export type DeliveryErrorKind = 'input' | 'auth' | 'retryable' | 'template';

export const RUNTIME_ERRORS = {
  SLUICE_ERR_RUNTIME_INPUT_INVALID: 'input',
  SLUICE_ERR_RUNTIME_FETCH_URL_INVALID: 'input',
  SLUICE_ERR_RUNTIME_FETCH_REQUEST_INVALID: 'input',
  SLUICE_ERR_RUNTIME_FETCH_TARGET_BLOCKED: 'input',
  SLUICE_ERR_RUNTIME_RETRY_POLICY_INVALID: 'input',
  SLUICE_ERR_RUNTIME_AUTH: 'auth',
  SLUICE_ERR_RUNTIME_RETRYABLE: 'retryable',
  SLUICE_ERR_RUNTIME_FETCH_NETWORK: 'retryable',
  SLUICE_ERR_RUNTIME_FETCH_TIMEOUT: 'retryable',
  SLUICE_ERR_RUNTIME_TEMPLATE: 'template',
  SLUICE_ERR_RUNTIME_HTTP_FAILURE: 'template',
} as const satisfies Record<string, DeliveryErrorKind>;

export type RuntimeErrorCode = keyof typeof RUNTIME_ERRORS;

/** The codes that belong to one kind, so each class only accepts its own. */
export type RuntimeErrorCodeOf<K extends DeliveryErrorKind> = {
  [C in RuntimeErrorCode]: (typeof RUNTIME_ERRORS)[C] extends K ? C : never;
}[RuntimeErrorCode];

export interface DeliveryErrorOptions {
  /** HTTP status that caused the error, when there was a response. */
  status?: number;
  /** The underlying error (network error, parse error, …). */
  cause?: unknown;
}

/** Base of the closed set. Not exported as a constructor target: use one of the four subclasses. */
export abstract class DeliveryError extends Error {
  abstract readonly kind: DeliveryErrorKind;
  readonly code: RuntimeErrorCode;
  readonly status: number | undefined;

  protected constructor(code: RuntimeErrorCode, message: string, options: DeliveryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
  }

  /** Whether the runtime should back off and try again. */
  get retryable(): boolean {
    return this.kind === 'retryable';
  }
}

export class InputValidationError extends DeliveryError {
  readonly kind = 'input';
  /** Path of the offending field (e.g. `retryPolicy.maxAttempts`, `url`), when there is one. */
  readonly field: string | undefined;

  constructor(
    message: string,
    options: DeliveryErrorOptions & { code?: RuntimeErrorCodeOf<'input'>; field?: string } = {},
  ) {
    super(options.code ?? 'SLUICE_ERR_RUNTIME_INPUT_INVALID', message, options);
    this.name = 'InputValidationError';
    this.field = options.field;
  }
}

export class AuthError extends DeliveryError {
  readonly kind = 'auth';

  constructor(message: string, options: DeliveryErrorOptions & { code?: RuntimeErrorCodeOf<'auth'> } = {}) {
    super(options.code ?? 'SLUICE_ERR_RUNTIME_AUTH', message, options);
    this.name = 'AuthError';
  }
}

export class RetryableError extends DeliveryError {
  readonly kind = 'retryable';
  /** The earliest the destination asked to be retried (from `Retry-After`), in ms from now. */
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    options: DeliveryErrorOptions & { code?: RuntimeErrorCodeOf<'retryable'>; retryAfterMs?: number } = {},
  ) {
    super(options.code ?? 'SLUICE_ERR_RUNTIME_RETRYABLE', message, options);
    this.name = 'RetryableError';
    this.retryAfterMs = options.retryAfterMs;
  }
}

export class TemplateError extends DeliveryError {
  readonly kind = 'template';

  constructor(message: string, options: DeliveryErrorOptions & { code?: RuntimeErrorCodeOf<'template'> } = {}) {
    super(options.code ?? 'SLUICE_ERR_RUNTIME_TEMPLATE', message, options);
    this.name = 'TemplateError';
  }
}

export function isDeliveryError(value: unknown): value is DeliveryError {
  return value instanceof DeliveryError;
}

/**
 * Any thrown value as a delivery outcome: delivery errors pass through, anything else (a bug, an
 * unexpected library error) becomes a `TemplateError` so it is never retried blindly.
 */
export function toDeliveryError(value: unknown): DeliveryError {
  if (value instanceof DeliveryError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new TemplateError(message, { cause: value });
}
