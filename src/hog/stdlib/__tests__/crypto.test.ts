import * as nodeCrypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import hogvm from '@posthog/hogvm';
import type { HogValue } from '../../values.js';
import { call } from './helpers.js';

type TheirFn = (args: unknown[], name: string, options: unknown) => unknown;
const theirs = (hogvm as unknown as { STL: Record<string, { fn: TheirFn }> }).STL;
const npm = (name: string, ...args: unknown[]): unknown => theirs[name]!.fn(args, name, { external: { crypto: nodeCrypto } });

describe('hex digests', () => {
  it('match the standard test vectors', () => {
    expect(call('md5Hex', '')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(call('sha1Hex', 'abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(call('sha256Hex', 'abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hash unicode text as UTF-8', () => {
    expect(call('md5Hex', 'héllo 🦔')).toBe(npm('md5Hex', 'héllo 🦔'));
  });

  it('return null for null', () => {
    for (const name of ['md5Hex', 'sha1Hex', 'sha256Hex', 'md5', 'sha1', 'sha256']) expect(call(name, null), name).toBe(null);
  });

  it('hash numbers as their text and reject containers', () => {
    expect(call('md5Hex', 123)).toBe(call('md5Hex', '123'));
    expect(() => call('sha256Hex', ['a'])).toThrow('Function sha256Hex expects a string, got array');
  });
});

describe('digests with an encoding', () => {
  it('default to hex and support base64, base64url and binary', () => {
    for (const name of ['md5', 'sha1', 'sha256']) {
      expect(call(name, 'hello')).toBe(npm(name, 'hello'));
      for (const enc of ['hex', 'base64', 'base64url', 'binary']) expect(call(name, 'hello?>', enc), `${name} ${enc}`).toBe(npm(name, 'hello?>', enc));
    }
  });

  it('reject an unknown encoding', () => {
    expect(() => call('sha256', 'a', 'rot13')).toThrow(/unsupported encoding rot13/);
  });
});

describe('HMAC chains', () => {
  const chains: HogValue[][] = [
    ['key', 'message'],
    ['secret', 'date', 'region', 'service', 'aws4_request'],
    ['ключ', 'сообщение 🦔'],
  ];

  it('match the npm VM for two or more links', () => {
    for (const chain of chains) {
      expect(call('sha256HmacChainHex', chain)).toBe(npm('sha256HmacChainHex', chain));
      expect(call('sha1HmacChainHex', chain)).toBe(npm('sha1HmacChainHex', chain));
      expect(call('sha256HmacChain', chain, 'base64')).toBe(npm('sha256HmacChain', chain, 'base64'));
      expect(call('sha1HmacChain', chain, 'binary')).toBe(npm('sha1HmacChain', chain, 'binary'));
    }
  });

  it('compute HMAC(key, message) for a two-element chain', () => {
    expect(call('sha256HmacChainHex', ['key', 'The quick brown fox jumps over the lazy dog'])).toBe(
      'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });

  it('need at least two elements', () => {
    expect(() => call('sha256HmacChainHex', ['only'])).toThrow(/at least two elements/);
    expect(() => call('sha256HmacChainHex', null)).toThrow(/at least two elements/);
  });
});
