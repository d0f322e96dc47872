/**
 * UUID version 7 (RFC 9562 §5.7): 48 bits of Unix time in milliseconds, then random bits. Ids made in
 * the same moment sort together, so a B-tree index on them (the events' `(project_id, uuid)` and the
 * queue's primary key) grows at its end instead of splitting pages all over the tree as random
 * version-4 ids make it do. The PostHog SDKs send version-7 event ids for the same reason.
 */
import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Random bytes drawn 4 KB at a time: one system call per ~400 ids. */
const pool = Buffer.alloc(4096);
let used = pool.length;

export function uuidv7(nowMs: number = Date.now()): string {
  if (used + 10 > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const r = used;
  used += 10;
  const high = Math.floor(nowMs / 0x1_0000_0000); // top 16 of the 48 time bits
  const low = nowMs >>> 0; // bottom 32
  return (
    HEX[(high >>> 8) & 0xff]! +
    HEX[high & 0xff]! +
    HEX[low >>> 24]! +
    HEX[(low >>> 16) & 0xff]! +
    '-' +
    HEX[(low >>> 8) & 0xff]! +
    HEX[low & 0xff]! +
    '-' +
    HEX[0x70 | (pool[r]! & 0x0f)]! +
    HEX[pool[r + 1]!]! +
    '-' +
    HEX[0x80 | (pool[r + 2]! & 0x3f)]! +
    HEX[pool[r + 3]!]! +
    '-' +
    HEX[pool[r + 4]!]! +
    HEX[pool[r + 5]!]! +
    HEX[pool[r + 6]!]! +
    HEX[pool[r + 7]!]! +
    HEX[pool[r + 8]!]! +
    HEX[pool[r + 9]!]!
  );
}

/**
 * A version-8 ("custom", RFC 9562 §5.8) UUID made of the first 16 bytes of `digest`, a hash of whatever
 * names the thing: the same name always gives the same id. Overwrites the version and variant bits.
 */
export function uuidv8FromDigest(digest: Buffer): string {
  const bytes = Buffer.from(digest.subarray(0, 16));
  bytes[6] = 0x80 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

