import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IngestError } from '../../../ingest/errors.js';
import type { Intake } from '../../../ingest/intake.js';
import { basicAuthUser, SEGMENT_TYPES, segmentFormat, type SegmentType } from '../../../ingest/segment.js';
import { preflight } from '../../plugins/cors.js';
import { captureResponses, preflightResponses, SegmentAccepted } from '../../schemas/capture.js';
import { ref } from '../../schemas/common.js';

/**
 * `/v1/batch` (Segment's and RudderStack's server SDKs post here) and one path per call type, plus the
 * one-letter paths Segment's browser library posts to (`/v1/b` for a batch, `/v1/t` for track, …), and
 * RudderStack's `/v1/import` and `/beacon/v1/batch` (its browser SDK's `sendBeacon` path, which cannot
 * set headers and so names the write key in the query string: `?writeKey=…`).
 */
export const SEGMENT_BATCH_PATHS = ['/v1/batch', '/v1/b', '/v1/import', '/beacon/v1/batch'];
export const SEGMENT_CALL_PATHS = SEGMENT_TYPES.flatMap((type): [string, SegmentType][] => [
  [`/v1/${type}`, type],
  [`/v1/${type.charAt(0)}`, type],
]);

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The write key outside the body: the Basic auth username, else `?writeKey=` (beacon requests). */
function writeKeyOutsideBody(request: FastifyRequest): string | undefined {
  const user = basicAuthUser(header(request, 'authorization'));
  if (user !== undefined) return user;
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.writeKey === 'string' && query.writeKey !== '' ? query.writeKey : undefined;
}

/** Token errors in Segment's words: the write key is the project token. */
function inSegmentWords(error: unknown): unknown {
  if (!(error instanceof IngestError)) return error;
  if (error.code === 'SLUICE_ERR_INGEST_NO_TOKEN') {
    return new IngestError(error.code, 'no write key: send the project token as the HTTP Basic auth username (empty password) or as "writeKey" in the body');
  }
  if (error.code === 'SLUICE_ERR_INGEST_INVALID_TOKEN') {
    return new IngestError(error.code, 'write key is not valid: it must be the project token of a Sluice project');
  }
  return error;
}

/**
 * The Segment HTTP tracking API. Registered inside the capture plugin, so bodies arrive as raw bytes
 * under the capture size limit and CORS and the early token check apply as for PostHog capture.
 */
export async function segmentRoutes(app: FastifyInstance, opts: { intake: Intake }): Promise<void> {
  const { intake } = opts;
  // An unknown write key in Basic auth is refused before the body is read, as a token in the URL is for
  // PostHog capture: a flood of bad keys costs one cached lookup each, never a decode.
  app.addHook('onRequest', async (request) => {
    if (request.method === 'OPTIONS') return;
    const user = writeKeyOutsideBody(request);
    if (user === undefined) return;
    try {
      await intake.checkTokenOutsideBody({ query: { token: user } });
    } catch (error) {
      throw inSegmentWords(error);
    }
  });
  const handle = (type: SegmentType | undefined) => async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      const result = await intake.capture({
        body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        // The Segment API takes JSON only; RudderStack's client labels its gzip bodies as a form, which the
        // PostHog decoder would try to unwrap.
        contentType: 'application/json',
        contentEncoding: header(request, 'content-encoding'),
        query: {},
        authorization: header(request, 'authorization'),
        ip: request.ip,
        format: segmentFormat(type, writeKeyOutsideBody(request)),
        endpoint: request.routeOptions.url,
      });
      return result.rejected.length === 0 ? { success: true } : { success: true, rejected: result.rejected };
    } catch (error) {
      if (error instanceof IngestError && error.statusCode === 503) reply.header('retry-after', String(error.extra?.retry_after ?? 1));
      throw inSegmentWords(error);
    }
  };
  const routes: [string, SegmentType | undefined][] = [...SEGMENT_BATCH_PATHS.map((path): [string, undefined] => [path, undefined]), ...SEGMENT_CALL_PATHS];
  const responses = captureResponses(ref(SegmentAccepted));
  for (const [path, type] of routes) {
    app.post(path, responses, handle(type));
    app.options(path, preflightResponses, async (request, reply) => preflight(request, reply));
  }
}
