/**
 * Hashes and HMAC chains on node:crypto. Inputs are UTF-8 strings; numbers and
 * booleans hash as their text. A null input hashes to null.
 */
import { createHash, createHmac, timingSafeEqual, type BinaryToTextEncoding } from 'node:crypto';
import { jsString } from '../convert.js';
import { preview } from '../vm/meter.js';
import type { HogValue } from '../values.js';
import { type StlTable, define, isNullish } from './define.js';
import { hogTypeOf } from './core.js';

const ENCODINGS: Record<string, BinaryToTextEncoding | 'binary'> = {
  hex: 'hex',
  base64: 'base64',
  base64url: 'base64url',
  binary: 'binary',
};

function encodingOf(name: string, value: HogValue | undefined): BinaryToTextEncoding {
  if (isNullish(value)) return 'hex';
  const encoding = typeof value === 'string' ? ENCODINGS[value] : undefined;
  if (!encoding) throw new Error(`Function ${name}: unsupported encoding ${preview(value, jsString)} (use hex, base64, base64url or binary)`);
  return encoding as BinaryToTextEncoding;
}

function hashInput(name: string, value: HogValue | undefined): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`Function ${name} expects a string, got ${hogTypeOf(value)}`);
}

function hasher(algorithm: string, name: string, fixedHex: boolean) {
  return ([data, enc]: HogValue[]): HogValue => {
    if (isNullish(data)) return null;
    const encoding = fixedHex ? 'hex' : encodingOf(name, enc);
    return createHash(algorithm).update(hashInput(name, data), 'utf8').digest(encoding);
  };
}

/** `h = HMAC(arr[0], arr[1])`, then `h = HMAC(key = h, msg = arr[i])` for each further element. */
export function hmacChain(algorithm: string, name: string, data: HogValue, encoding: BinaryToTextEncoding): string {
  if (!Array.isArray(data) || data.length < 2) throw new Error(`Function ${name}: the data array must contain at least two elements`);
  const parts = data.map((d) => hashInput(name, d));
  let digest = createHmac(algorithm, parts[0]!).update(parts[1]!, 'utf8').digest();
  for (const part of parts.slice(2)) digest = createHmac(algorithm, digest).update(part, 'utf8').digest();
  return encoding === ('binary' as BinaryToTextEncoding) ? digest.toString('latin1') : digest.toString(encoding);
}

function chain(algorithm: string, name: string, fixedHex: boolean) {
  return ([data, enc]: HogValue[]): HogValue =>
    hmacChain(algorithm, name, data ?? null, fixedHex ? 'hex' : encodingOf(name, enc));
}

/** `HMAC(key, message)` in one call: the same as a two-element chain, named for signature checks. */
function hmac(algorithm: string, name: string) {
  return ([key, message, enc]: HogValue[]): HogValue =>
    hmacChain(algorithm, name, [key ?? null, message ?? null], encodingOf(name, enc));
}

/**
 * Compares two strings in time that depends only on their lengths, so a webhook signature check does
 * not tell an attacker how many leading characters of a forged signature were right.
 */
function constantTimeEquals([a, b]: HogValue[]): HogValue {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  // A signature's length is public (hex of a fixed-size digest): only its content must not leak.
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}

export const CRYPTO_FUNCTIONS: StlTable = {
  sha256HmacHex: define(2, 2, hmac('sha256', 'sha256HmacHex')),
  sha256Hmac: define(2, 3, hmac('sha256', 'sha256Hmac')),
  constantTimeEquals: define(2, 2, constantTimeEquals),
  md5Hex: define(1, 1, hasher('md5', 'md5Hex', true)),
  sha1Hex: define(1, 1, hasher('sha1', 'sha1Hex', true)),
  sha256Hex: define(1, 1, hasher('sha256', 'sha256Hex', true)),
  md5: define(1, 2, hasher('md5', 'md5', false)),
  sha1: define(1, 2, hasher('sha1', 'sha1', false)),
  sha256: define(1, 2, hasher('sha256', 'sha256', false)),
  sha256HmacChainHex: define(1, 1, chain('sha256', 'sha256HmacChainHex', true)),
  sha1HmacChainHex: define(1, 1, chain('sha1', 'sha1HmacChainHex', true)),
  sha256HmacChain: define(1, 2, chain('sha256', 'sha256HmacChain', false)),
  sha1HmacChain: define(1, 2, chain('sha1', 'sha1HmacChain', false)),
};
