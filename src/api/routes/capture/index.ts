import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IngestError } from '../../../ingest/errors.js';
import type { CaptureRequest, CaptureResult, Intake } from '../../../ingest/intake.js';
import { corsHooks, preflight } from '../../plugins/cors.js';
import { CaptureAccepted, captureResponses, CaptureV1Result, preflightResponses } from '../../schemas/capture.js';
import { ref } from '../../schemas/common.js';
import { segmentRoutes } from './segment.js';

/** PostHog's capture paths (v0), answered identically. Trailing slashes are ignored by the router. */
export const CAPTURE_PATHS = ['/batch', '/capture', '/e', '/i/v0/e', '/track'] as const;
/** Capture v1 (`POSTHOG_CAPTURE_MODE=v1` in posthog-node): Bearer token, per-event results. */
export const CAPTURE_V1_PATH = '/i/v1/analytics/events';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The query string with one string per name (the first, when a name is repeated). */
function queryOf(request: FastifyRequest): Record<string, string | undefined> {
  const query: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') query[name] = first;
  }
  return query;
}

function toCaptureRequest(request: FastifyRequest): CaptureRequest {
  return {
    body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
    contentType: header(request, 'content-type'),
    contentEncoding: header(request, 'content-encoding'),
    query: queryOf(request),
    authorization: header(request, 'authorization'),
    sdkInfo: header(request, 'posthog-sdk-info'),
    ip: request.ip,
    endpoint: request.routeOptions.url,
  };
}

export async function captureRoutes(app: FastifyInstance, opts: { intake: Intake }): Promise<void> {
  const { intake } = opts;
  /** Captures, telling a client refused for load when to come back (the SDKs retry 5xx). */
  const capture = async (request: FastifyRequest, reply: FastifyReply): Promise<CaptureResult> => {
    try {
      return await intake.capture(toCaptureRequest(request));
    } catch (error) {
      if (error instanceof IngestError && error.statusCode === 503) reply.header('retry-after', String(error.extra?.retry_after ?? 1));
      throw error;
    }
  };
  // Capture bodies are decoded by intake (JSON, gzip with or without a header, base64, forms), so every
  // content type arrives as raw bytes. The raw limit equals the decoded limit: decoding never shrinks JSON.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: intake.limits.maxBodyBytes }, (_request, body, done) => done(null, body));
  corsHooks(app);
  // An unknown token in the URL or Authorization header is refused before the body is even read (after
  // the CORS hook, so a browser can read the refusal).
  app.addHook('onRequest', async (request) => {
    if (request.method === 'OPTIONS') return;
    await intake.checkTokenOutsideBody({ query: queryOf(request), authorization: header(request, 'authorization') });
  });

  const v0 = async (request: FastifyRequest, reply: FastifyReply) => {
    const result = await capture(request, reply);
    return result.rejected.length === 0 ? { status: 1 } : { status: 1, rejected: result.rejected };
  };
  const v1 = async (request: FastifyRequest, reply: FastifyReply) => {
    const result = await capture(request, reply);
    const results: Record<string, { result: string; details?: string }> = {};
    for (const a of result.accepted) results[a.uuid] = { result: 'ok' };
    for (const r of result.rejected) if (r.uuid !== undefined) results[r.uuid] = { result: 'drop', details: r.detail };
    return { results };
  };

  const v0Responses = captureResponses(ref(CaptureAccepted));
  for (const path of CAPTURE_PATHS) {
    app.post(path, v0Responses, v0);
    app.get(path, v0Responses, v0);
    app.options(path, preflightResponses, async (request, reply) => preflight(request, reply));
  }
  app.post(CAPTURE_V1_PATH, captureResponses(ref(CaptureV1Result)), v1);
  app.options(CAPTURE_V1_PATH, preflightResponses, async (request, reply) => preflight(request, reply));
  await app.register(segmentRoutes, { intake });
}
