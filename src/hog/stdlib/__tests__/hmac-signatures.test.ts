import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call } from './helpers.js';

describe('sha256HmacHex and sha256Hmac', () => {
  it('compute HMAC-SHA256 of the message under the key, as node:crypto does', () => {
    const expected = createHmac('sha256', 'whsec_key').update('1700000000.{"id":"evt_1"}', 'utf8').digest('hex');
    expect(call('sha256HmacHex', 'whsec_key', '1700000000.{"id":"evt_1"}')).toBe(expected);
  });

  it('match the RFC 4231 test case 2 vector', () => {
    expect(call('sha256HmacHex', 'Jefe', 'what do ya want for nothing?')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('encode in base64 when asked, as Shopify-style signatures are', () => {
    const expected = createHmac('sha256', 'k').update('body', 'utf8').digest('base64');
    expect(call('sha256Hmac', 'k', 'body', 'base64')).toBe(expected);
    expect(call('sha256Hmac', 'k', 'body')).toBe(call('sha256HmacHex', 'k', 'body'));
  });

  it('reject a key or message that is not text, and an unknown encoding', () => {
    expect(() => call('sha256HmacHex', ['k'], 'm')).toThrow('sha256HmacHex expects a string');
    expect(() => call('sha256Hmac', 'k', 'm', 'rot13')).toThrow('unsupported encoding');
  });
});

describe('constantTimeEquals', () => {
  it('is true only for equal strings', () => {
    expect(call('constantTimeEquals', 'abc', 'abc')).toBe(true);
    expect(call('constantTimeEquals', 'abc', 'abd')).toBe(false);
    expect(call('constantTimeEquals', 'abc', 'abcd')).toBe(false);
    expect(call('constantTimeEquals', '', '')).toBe(true);
    expect(call('constantTimeEquals', 'héllo', 'héllo')).toBe(true);
  });

  it('is false for anything that is not two strings, null included', () => {
    expect(call('constantTimeEquals', null, null)).toBe(false);
    expect(call('constantTimeEquals', 1, 1)).toBe(false);
    expect(call('constantTimeEquals', 'a', null)).toBe(false);
  });
});
