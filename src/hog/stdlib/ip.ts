/**
 * `isIPAddressInRange(ip, cidr)`: IPv4 and IPv6 CIDR membership. Strict parsing;
 * any malformed input, a family mismatch, null or a non-string gives false rather than an error.
 */
import type { HogValue } from '../values.js';
import { type StlTable, define } from './define.js';

const IPV4_PART = /^(0|[1-9][0-9]{0,2})$/;
const IPV6_GROUP = /^[0-9A-Fa-f]{1,4}$/;

export function parseIPv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!IPV4_PART.test(parts[i]!)) return null;
    const n = Number(parts[i]);
    if (n > 255) return null;
    bytes[i] = n;
  }
  return bytes;
}

/** Hex groups of an IPv6 text, with a trailing dotted quad turned into two groups. */
function ipv6Groups(text: string): string[] | null {
  const groups = text === '' ? [] : text.split(':');
  const last = groups[groups.length - 1];
  if (last === undefined || !last.includes('.')) return groups;
  const v4 = parseIPv4(last);
  if (!v4) return null;
  const hex = (hi: number, lo: number): string => ((hi << 8) | lo).toString(16);
  return [...groups.slice(0, -1), hex(v4[0]!, v4[1]!), hex(v4[2]!, v4[3]!)];
}

export function parseIPv6(text: string): Uint8Array | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = ipv6Groups(halves.length === 2 ? halves[0]! : text);
  const tail = halves.length === 2 ? ipv6Groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    if (!IPV6_GROUP.test(groups[i]!)) return null;
    const v = parseInt(groups[i]!, 16);
    bytes[2 * i] = v >> 8;
    bytes[2 * i + 1] = v & 0xff;
  }
  return bytes;
}

function parseIP(text: string): Uint8Array | null {
  return text.includes(':') ? parseIPv6(text) : parseIPv4(text);
}

function prefixMatches(address: Uint8Array, network: Uint8Array, bits: number): boolean {
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (address[i] !== network[i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (address[whole]! & mask) === (network[whole]! & mask);
}

export function isIPAddressInRange(ip: HogValue, cidr: HogValue): boolean {
  if (typeof ip !== 'string' || typeof cidr !== 'string') return false;
  const slash = cidr.indexOf('/');
  if (slash < 0) return false;
  const maskText = cidr.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(maskText)) return false;
  const address = parseIP(ip);
  const network = parseIP(cidr.slice(0, slash));
  if (!address || !network || address.length !== network.length) return false;
  const bits = Number(maskText);
  if (bits > address.length * 8) return false;
  return prefixMatches(address, network, bits);
}

export const IP_FUNCTIONS: StlTable = {
  isIPAddressInRange: define(2, 2, ([ip, cidr]) => isIPAddressInRange(ip ?? null, cidr ?? null)),
};
