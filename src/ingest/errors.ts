/**
 * Every way intake can refuse input, in one registry. Each error has a stable Sluice code
 * (`SLUICE_ERR_INGEST_*`), the HTTP status, and PostHog's capture error vocabulary (`type`, `code`) so the
 * body reads `{"type": "validation_error", "code": "invalid_payload", "detail": "…", "attr": null}` as
 * PostHog's Django capture answered.
 */

export type IngestErrorType = 'validation_error' | 'authentication_error' | 'server_error';

interface IngestErrorSpec {
  status: number;
  type: IngestErrorType;
  /** PostHog-style snake_case code, returned as `code` in the HTTP body. */
  reason: string;
}

export const INGEST_ERRORS = {
  SLUICE_ERR_INGEST_NO_TOKEN: { status: 401, type: 'authentication_error', reason: 'missing_api_key' },
  SLUICE_ERR_INGEST_INVALID_TOKEN: { status: 401, type: 'authentication_error', reason: 'invalid_api_key' },
  SLUICE_ERR_INGEST_MALFORMED_JSON: { status: 400, type: 'validation_error', reason: 'invalid_payload' },
  SLUICE_ERR_INGEST_BAD_COMPRESSION: { status: 400, type: 'validation_error', reason: 'invalid_payload' },
  SLUICE_ERR_INGEST_UNSUPPORTED_COMPRESSION: { status: 400, type: 'validation_error', reason: 'unsupported_compression' },
  SLUICE_ERR_INGEST_INVALID_PAYLOAD: { status: 400, type: 'validation_error', reason: 'invalid_payload' },
  SLUICE_ERR_INGEST_EMPTY_BATCH: { status: 400, type: 'validation_error', reason: 'empty_batch' },
  SLUICE_ERR_INGEST_BODY_TOO_LARGE: { status: 413, type: 'validation_error', reason: 'payload_too_large' },
  SLUICE_ERR_INGEST_TOO_MANY_EVENTS: { status: 413, type: 'validation_error', reason: 'too_many_events' },
  SLUICE_ERR_INGEST_EVENT_TOO_LARGE: { status: 413, type: 'validation_error', reason: 'event_too_large' },
  SLUICE_ERR_INGEST_EVENT_TOO_DEEP: { status: 400, type: 'validation_error', reason: 'event_too_deep' },
  SLUICE_ERR_INGEST_MIXED_TOKENS: { status: 400, type: 'validation_error', reason: 'mixed_project_tokens' },
  SLUICE_ERR_INGEST_INVALID_EVENT: { status: 400, type: 'validation_error', reason: 'invalid_event' },
  SLUICE_ERR_INGEST_MISSING_EVENT_NAME: { status: 400, type: 'validation_error', reason: 'missing_event_name' },
  SLUICE_ERR_INGEST_MISSING_DISTINCT_ID: { status: 400, type: 'validation_error', reason: 'missing_distinct_id' },
  SLUICE_ERR_INGEST_INVALID_UUID: { status: 400, type: 'validation_error', reason: 'invalid_uuid' },
  SLUICE_ERR_INGEST_ALL_EVENTS_REJECTED: { status: 400, type: 'validation_error', reason: 'invalid_payload' },
  SLUICE_ERR_INGEST_UNAVAILABLE: { status: 503, type: 'server_error', reason: 'unavailable' },
} as const satisfies Record<string, IngestErrorSpec>;

/** What every capture body must be, once its encodings (gzip, base64, form) are removed. */
export const NOT_AN_OBJECT =
  'request body must be a JSON object (one event, or {"batch": [...]}) or a JSON array of events, optionally gzip- or base64-encoded';

export type IngestErrorCode = keyof typeof INGEST_ERRORS;

export class IngestError extends Error {
  readonly code: IngestErrorCode;
  readonly statusCode: number;
  readonly type: IngestErrorType;
  /** PostHog-style code for the HTTP body. */
  readonly reason: string;
  /** Extra body fields (e.g. the list of rejected events). */
  readonly extra: Record<string, unknown> | undefined;

  constructor(code: IngestErrorCode, detail: string, extra?: Record<string, unknown>) {
    super(detail);
    this.name = 'IngestError';
    this.code = code;
    const spec: IngestErrorSpec = INGEST_ERRORS[code];
    this.statusCode = spec.status;
    this.type = spec.type;
    this.reason = spec.reason;
    this.extra = extra;
  }
}
