import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../decode.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { computeTimestamp } from '../timestamp.js';

const json = { event: 'x', distinct_id: 'y' };
const decode = (body: Buffer | string, extra: Record<string, string> = {}) =>
  decodeBody({ body: Buffer.isBuffer(body) ? body : Buffer.from(body), ...extra }, DEFAULT_LIMITS);

describe('body decoding', () => {
  it('reads plain JSON', async () => {
    expect(await decode(JSON.stringify(json))).toEqual(json);
  });
  it('reads gzip by header, by ?compression and by magic bytes', async () => {
    const gz = gzipSync(JSON.stringify(json));
    expect(await decode(gz, { contentEncoding: 'gzip' })).toEqual(json);
    expect(await decode(gz, { compression: 'gzip-js' })).toEqual(json);
    expect(await decode(gz, { contentType: 'text/plain' })).toEqual(json);
  });
  it('reads base64, plain and inside a form', async () => {
    const b64 = Buffer.from(JSON.stringify(json)).toString('base64');
    expect(await decode(b64)).toEqual(json);
    expect(await decode(`data=${encodeURIComponent(b64)}`, { contentType: 'application/x-www-form-urlencoded' })).toEqual(json);
  });
  it('reads gzip that was base64-encoded into a form', async () => {
    const b64 = gzipSync(JSON.stringify(json)).toString('base64');
    expect(await decode(`data=${encodeURIComponent(b64)}&compression=gzip-js`, { contentType: 'application/x-www-form-urlencoded' })).toEqual(json);
  });
  it('reads base64 asked for by ?compression=base64 or recognised because it decodes to JSON or gzip', async () => {
    const b64 = Buffer.from(JSON.stringify([json])).toString('base64');
    expect(await decode(b64, { compression: 'base64' })).toEqual([json]);
    expect(await decode(b64, { contentType: 'text/plain' })).toEqual([json]);
    expect(await decode(gzipSync(JSON.stringify(json)).toString('base64'))).toEqual(json);
  });
  it('takes text that is not JSON for what it is, not for base64 noise', async () => {
    // `hello`, `null` and `true` are valid base64 as well; decoded they would be binary garbage.
    for (const text of ['hello', 'nul', 'true x']) {
      await expect(decode(text)).rejects.toThrow(/^request body must be a JSON object .*; the body starts with "/);
    }
    expect(await decode('null')).toBeNull();
    expect(await decode('42')).toBe(42);
  });
  it('still says which JSON is broken when the body opens like JSON', async () => {
    await expect(decode('{"event": ')).rejects.toThrow(/^request body is not valid JSON/);
  });
  it('stops inflating at the size cap, and at the first chunk when the output is not JSON', async () => {
    const limits = { ...DEFAULT_LIMITS, maxBodyBytes: 1024 * 1024 };
    // 256 MiB inflated from 256 KiB: concatenated gzip members, as a bomb would be built.
    const spaces = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
    const jsonBomb = Buffer.concat([gzipSync('['), ...Array.from({ length: 32 }, () => spaces)]);
    await expect(decodeBody({ body: jsonBomb }, limits)).rejects.toThrow('decompressed body is larger than 1 MiB');
    const zeros = Buffer.concat(Array.from({ length: 32 }, () => gzipSync(Buffer.alloc(8 * 1024 * 1024))));
    await expect(decodeBody({ body: zeros }, limits)).rejects.toThrow(/^request body must be a JSON object .*; the decompressed body starts with "\\u0000/);
    await expect(decodeBody({ body: gzipSync('42'), contentEncoding: 'gzip' }, limits)).rejects.toThrow(/starts with "42"$/);
  });
  it('refuses lz64 with a clear reason', async () => {
    await expect(decode('abc', { compression: 'lz64' })).rejects.toThrow(/not supported/);
  });
});

describe('event timestamps', () => {
  const now = Date.parse('2026-01-01T12:00:00.000Z');
  it('removes client clock skew using sent_at', () => {
    expect(computeTimestamp({ timestamp: '2026-01-01T10:59:50.000Z', sentAt: '2026-01-01T11:00:00.000Z', offset: undefined, ignoreSentAt: false }, now)).toBe('2026-01-01T11:59:50.000Z');
  });
  it('uses offset when there is no sent_at', () => {
    expect(computeTimestamp({ timestamp: undefined, sentAt: undefined, offset: 1000, ignoreSentAt: false }, now)).toBe('2026-01-01T11:59:59.000Z');
  });
  it('keeps the timestamp as sent when told to ignore sent_at', () => {
    expect(computeTimestamp({ timestamp: '2025-06-01T00:00:00.000Z', sentAt: '2026-01-01T00:00:00.000Z', offset: undefined, ignoreSentAt: true }, now)).toBe('2025-06-01T00:00:00.000Z');
  });
  it('replaces a timestamp far in the future or unparsable with now', () => {
    expect(computeTimestamp({ timestamp: '2030-01-01T00:00:00Z', sentAt: undefined, offset: undefined, ignoreSentAt: false }, now)).toBe('2026-01-01T12:00:00.000Z');
    expect(computeTimestamp({ timestamp: 'yesterday', sentAt: undefined, offset: undefined, ignoreSentAt: false }, now)).toBe('2026-01-01T12:00:00.000Z');
  });
});
