import { createGunzip, createInflate } from 'node:zlib';
import { IngestError, NOT_AN_OBJECT } from './errors.js';
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

/**
 * Output chunk of inflation. Each chunk is one turn of the event loop on the main thread; zlib's 16 KiB
 * default made a 20 MiB body cost 1,280 of them, which a flood of compressed bodies turns into a busy loop.
 */
const INFLATE_CHUNK_BYTES = 256 * 1024;

type Compression = 'gzip' | 'deflate';

/**
 * Inflates `input`, counting the output as it comes: past `maxBodyBytes` inflation stops at once, so a
 * gzip bomb costs at most the cap, never its full size. What comes out must be JSON, so output that
 * does not open like an object or array stops inflation at its first chunk.
 */
function decompress(kind: Compression, input: Buffer, limits: IngestLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const stream = kind === 'gzip' ? createGunzip({ chunkSize: INFLATE_CHUNK_BYTES }) : createInflate({ chunkSize: INFLATE_CHUNK_BYTES });
    const chunks: Buffer[] = [];
    let size = 0;
    let opened = false;
    let settled = false;
    const fail = (error: IngestError) => {
      if (settled) return;
      settled = true;
      stream.destroy();
      reject(error);
    };
    stream.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limits.maxBodyBytes) {
        return fail(new IngestError('SLUICE_ERR_INGEST_BODY_TOO_LARGE', `decompressed body is larger than ${formatBytes(limits.maxBodyBytes)}`));
      }
      chunks.push(chunk);
      if (!opened && firstNonSpace(chunk) !== -1) {
        opened = true;
        if (!looksLikeJson(chunk)) fail(notAnObject(`the decompressed body starts with ${opening(chunk.toString('utf8', 0, 64))}`));
      }
    });
    stream.on('error', (error) => fail(new IngestError('SLUICE_ERR_INGEST_BAD_COMPRESSION', `${kind} body could not be decompressed: ${error.message}`)));
    stream.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, size));
    });
    stream.end(input);
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
    // Unasked, base64 is only a guess: `42`, `null` or `hello` are valid base64 too, and decoding them
    // would turn a clear mistake into binary noise. The guess holds only if it yields JSON or gzip.
    if (decoded !== null && (compression === 'base64' || looksLikeJson(decoded) || isGzip(decoded))) payload = decoded;
  }

  const encoding = input.contentEncoding?.toLowerCase().trim();
  if (encoding === 'gzip' || encoding === 'x-gzip' || compression === 'gzip' || compression === 'gzip-js' || isGzip(payload)) {
    payload = await decompress('gzip', payload, limits);
  } else if (encoding === 'deflate') {
    payload = await decompress('deflate', payload, limits);
  } else if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    throw new IngestError('SLUICE_ERR_INGEST_UNSUPPORTED_COMPRESSION', `Content-Encoding "${encoding}" is not supported; use gzip`);
  }

  return parseJson(payload);
}

/** The first characters of a body that is not what capture takes, safe to quote in an error. */
function opening(text: string): string {
  const shown = text.trim().slice(0, 40);
  return JSON.stringify(shown) + (text.trim().length > 40 ? '…' : '');
}

function notAnObject(what: string): IngestError {
  return new IngestError('SLUICE_ERR_INGEST_INVALID_PAYLOAD', `${NOT_AN_OBJECT}; ${what}`);
}

function parseJson(payload: Buffer): unknown {
  const text = payload.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // Text that does not even open like an object or array is a wrong kind of body, not broken JSON.
    if (!looksLikeJson(payload)) throw notAnObject(`the body starts with ${opening(text)}`);
    const reason = error instanceof Error ? error.message : String(error);
    throw new IngestError('SLUICE_ERR_INGEST_MALFORMED_JSON', `request body is not valid JSON: ${reason}`);
  }
}
