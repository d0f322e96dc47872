/**
 * What the capture endpoints answer (their request bodies are raw bytes, decoded by intake: gzip, base64,
 * forms). PostHog's v0 paths, capture v1, and the Segment-spec paths.
 */
import { Type } from '@sinclair/typebox';
import { ref } from './common.js';
import { errorResponses, RejectedEvent } from './errors.js';

const rejected = Type.Optional(Type.Array(ref(RejectedEvent), { description: 'Events of the batch refused (the others were stored)' }));

export const CaptureAccepted = Type.Object({ status: Type.Literal(1), rejected }, { $id: 'CaptureAccepted', description: 'Stored (and committed) before this answer' });

export const CaptureV1Result = Type.Object(
  {
    results: Type.Record(
      Type.String({ description: 'The event uuid' }),
      Type.Object({ result: Type.Union([Type.Literal('ok'), Type.Literal('drop')]), details: Type.Optional(Type.String()) }),
    ),
  },
  { $id: 'CaptureV1Result' },
);

export const SegmentAccepted = Type.Object({ success: Type.Literal(true), rejected }, { $id: 'SegmentAccepted' });

/**
 * A capture route's schema: the body is raw bytes, decoded by intake, so only the answers are described.
 * Errors: 400 (a bad body or every event refused), 401 (no or an unknown project token), 413, 503 (load).
 */
export const captureResponses = <T>(ok: T) => ({ schema: { response: { 200: ok, ...errorResponses() } } });

/** A CORS preflight: 204 with the allowed methods and headers. */
export const preflightResponses = { schema: { response: { 204: Type.Null({ description: 'CORS preflight: the allowed methods and headers' }) } } };
