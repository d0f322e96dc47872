/**
 * Errors of the management API (`SLUICE_ERR_API_*`). Capture errors live in `src/ingest/errors.ts`; both
 * are rendered by the error handler as `{type, code, detail, attr}`, PostHog's error body.
 */
export const API_ERRORS = {
  SLUICE_ERR_API_UNAUTHENTICATED: { status: 401, type: 'authentication_error', reason: 'not_authenticated' },
  SLUICE_ERR_API_INVALID_KEY: { status: 401, type: 'authentication_error', reason: 'authentication_failed' },
  /** The key is valid but lacks the route's scope, or may not use the project. */
  SLUICE_ERR_API_FORBIDDEN: { status: 403, type: 'authentication_error', reason: 'permission_denied' },
  SLUICE_ERR_API_NOT_FOUND: { status: 404, type: 'invalid_request', reason: 'not_found' },
  SLUICE_ERR_API_INVALID_INPUT: { status: 400, type: 'validation_error', reason: 'invalid_input' },
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly statusCode: number;
  readonly type: string;
  readonly reason: string;
  readonly attr: string | null;
  /** More fields for the error body (e.g. every validation error, not just the first). */
  readonly extra: Record<string, unknown>;

  constructor(code: ApiErrorCode, detail: string, attr: string | null = null, extra: Record<string, unknown> = {}) {
    super(detail);
    this.name = 'ApiError';
    this.code = code;
    this.statusCode = API_ERRORS[code].status;
    this.type = API_ERRORS[code].type;
    this.reason = API_ERRORS[code].reason;
    this.attr = attr;
    this.extra = extra;
  }
}

/**
 * A date-time query parameter as the stores keep times (ISO-8601, UTC, milliseconds), so text comparison
 * orders it with stored values; a 400 naming the field when it is not a date.
 */
export function isoTimeParam(value: string, field: string): string {
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new ApiError('SLUICE_ERR_API_INVALID_INPUT', `${field}: not a date: '${value}'`, field);
  return parsed.toISOString();
}
