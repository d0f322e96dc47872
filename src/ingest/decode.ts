import { gunzip, inflate } from 'node:zlib';
import { IngestError } from './errors.js';
import { formatBytes, type IngestLimits } from './limits.js';

/** What a capture request carries besides its body, as far as decoding is concerned. */
export interface EncodedBody {
  body: Buffer;
  contentType?: string | undefined;
  contentEncoding?: string | undefined;
  /** `?compression=…` (`gzip-js`, `gzip`, `base64`, `lz64`) or the form's `compression` field. */
  compression?: string | undefined;
  /** A `data=` value that came in the query string (GET requests). */
  queryData?: string | undefined;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

function isGzip(buf: Buffer): boolean {
  return buf.length >= 2 && buf[0] === GZIP_MAGIC_0 && buf[1] === GZIP_MAGIC_1;
}

function firstNonSpace(buf: Buffer): number {
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return c;
  }
  return -1;
}

function looksLikeJson(buf: Buffer): boolean {
  const c = firstNonSpace(buf);
  return c === 0x7b /* { */ || c === 0x5b /* [ */;
}

function decodeBase64(text: string): Buffer | null {
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0 || !BASE64.test(compact)) return null;
  return Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64');
}

function decompress(
  method: typeof gunzip | typeof inflate,
  name: string,
  input: Buffer,
  limits: IngestLimits,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    method(input, { maxOutputLength: limits.maxBodyBytes }, (error, out) => {
      if (!error) return resolve(out);
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        reject(new IngestError('SLUICE_ERR_INGEST_BODY_TOO_LARGE', `decompressed body is larger than ${formatBytes(limits.maxBodyBytes)}`));
      } else {
        reject(new IngestError('SLUICE_ERR_INGEST_BAD_COMPRESSION', `${name} body could not be decompressed: ${error.message}`));
      }
    });
  });
}

/** Unwraps a form body (`data=…&compression=…`) into the payload and its compression hint. */
function unwrapForm(input: EncodedBody): { payload: Buffer; compression: string | undefined } {
  const form = new URLSearchParams(input.body.toString('utf8'));
  const data = form.get('data');
  if (data === null) {
    throw new IngestError('SLUICE_ERR_INGEST_INVALID_PAYLOAD', 'form-encoded body has no "data" field');
  }
  return { payload: Buffer.from(data, 'utf8'), compression: form.get('compression') ?? input.compression };
}

/**
 * Turns a capture request body into a JSON value, accepting what the PostHog SDKs send: plain JSON; gzip
 * (by `Content-Encoding`, by `?compression=gzip-js`, or recognised by its magic bytes, as posthog-js sends
 * it as `text/plain`); deflate; base64 (plain or inside a form's `data=` field); and URL-encoded JSON in
 * `data=`. Sizes are checked after each expansion.
 */
export async function decodeBody(input: EncodedBody, limits: IngestLimits): Promise<unknown> {
  let payload = input.body;
  let compression = input.compression?.toLowerCase();
  const contentType = input.contentType?.toLowerCase() ?? '';

  if (input.queryData !== undefined && payload.length === 0) {
    payload = Buffer.from(input.queryData, 'utf8');
  } else if (contentType.startsWith('application/x-www-form-urlencoded') && !looksLikeJson(payload)) {
    // (`curl -d '{…}'` labels plain JSON as a form; it is taken as the JSON it is.)
    const form = unwrapForm(input);
    payload = form.payload;
    compression = form.compression?.toLowerCase();
  }
  if (payload.length > limits.maxBodyBytes) {
    throw new IngestError('SLUICE_ERR_INGEST_BODY_TOO_LARGE', `request body is larger than ${formatBytes(limits.maxBodyBytes)}`);
  }
  if (payload.length === 0) {
    throw new IngestError('SLUICE_ERR_INGEST_INVALID_PAYLOAD', 'request body is empty');
  }
  if (compression === 'lz64' || compression === 'lz-string') {
    throw new IngestError('SLUICE_ERR_INGEST_UNSUPPORTED_COMPRESSION', `compression "${compression}" is not supported; use gzip-js or base64`);
  }

  // base64 first: the payload of a form or of ?compression=base64 may itself be gzip once decoded.
  if (compression === 'base64' || (!looksLikeJson(payload) && !isGzip(payload))) {
    const decoded = decodeBase64(payload.toString('latin1'));
    if (decoded !== null) payload = decoded;
  }

  const encoding = input.contentEncoding?.toLowerCase().trim();
  if (encoding === 'gzip' || encoding === 'x-gzip' || compression === 'gzip' || compression === 'gzip-js' || isGzip(payload)) {
    payload = await decompress(gunzip, 'gzip', payload, limits);
  } else if (encoding === 'deflate') {
    payload = await decompress(inflate, 'deflate', payload, limits);
  } else if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    throw new IngestError('SLUICE_ERR_INGEST_UNSUPPORTED_COMPRESSION', `Content-Encoding "${encoding}" is not supported; use gzip`);
  }

  const text = payload.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new IngestError('SLUICE_ERR_INGEST_MALFORMED_JSON', `request body is not valid JSON: ${reason}`);
  }
}
