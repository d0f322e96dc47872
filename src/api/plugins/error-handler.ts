import type { FastifyError, FastifyInstance } from 'fastify';
import { StoredDestinationError } from '../../destinations/config-schema.js';
import { IngestError } from '../../ingest/errors.js';
import { ApiError } from '../errors.js';
import { ErrorBody as ErrorBodySchema, type ErrorBody } from '../schemas/errors.js';
import { shared } from './shared.js';

export type { ErrorBody };

/** Maps Sluice errors and Fastify's own (body too large, bad content type, 404) to PostHog's error body. */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof IngestError) {
    return { status: error.statusCode, body: { type: error.type, code: error.reason, detail: error.message, attr: null, ...error.extra } };
  }
  if (error instanceof ApiError) {
    return { status: error.statusCode, body: { type: error.type, code: error.reason, detail: error.message, attr: error.attr, ...error.extra } };
  }
  if (error instanceof StoredDestinationError) {
    // Names the destination and the fields, so it can be fixed or deleted; holds no stored values.
    return { status: 500, body: { type: 'server_error', code: 'stored_configuration_invalid', detail: error.message, attr: null } };
  }
  const fe = error as Partial<FastifyError>;
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, body: { type: 'validation_error', code: 'payload_too_large', detail: 'request body is larger than the limit', attr: null } };
  }
  if (fe.validation !== undefined || fe.code === 'FST_ERR_VALIDATION') {
    return { status: 400, body: { type: 'validation_error', code: 'invalid_input', detail: fe.message ?? 'invalid input', attr: null } };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { type: 'invalid_request', code: (fe.code ?? 'invalid_request').toLowerCase(), detail: fe.message ?? 'bad request', attr: null } };
  }
  return { status: 500, body: { type: 'server_error', code: 'error', detail: 'internal error; see the server log', attr: null } };
}

export const errorHandler = shared(async function errorHandler(app: FastifyInstance) {
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toErrorBody(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.code, detail: body.detail }, 'request refused');
    // The response schema sends only the fields it lists: say so when an error carries one it does not.
    const undeclared = Object.keys(body).filter((field) => !(field in ErrorBodySchema.properties));
    if (undeclared.length > 0) request.log.warn({ fields: undeclared }, 'error fields missing from the Error schema (src/api/schemas/errors.ts) are not sent');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ type: 'invalid_request', code: 'not_found', detail: `no route for ${request.method} ${request.url}`, attr: null }),
  );
}, 'sluice-error-handler');
