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
