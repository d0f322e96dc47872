import { describe, expect, it } from 'vitest';
import hogvm from '@posthog/hogvm';
import { call } from './helpers.js';

type TheirFn = (args: unknown[]) => unknown;
const theirs = (hogvm as unknown as { STL: Record<string, { fn: TheirFn }> }).STL;

const cases: [unknown, unknown, boolean][] = [
  ['192.168.1.10', '192.168.1.0/24', true],
  ['192.168.2.10', '192.168.1.0/24', false],
  ['10.0.0.1', '10.0.0.0/8', true],
  ['11.0.0.1', '10.0.0.0/8', false],
  ['1.2.3.4', '0.0.0.0/0', true],
  ['1.2.3.4', '1.2.3.4/32', true],
  ['1.2.3.5', '1.2.3.4/32', false],
  ['172.16.5.4', '172.16.0.0/12', true],
  ['172.32.0.1', '172.16.0.0/12', false],
  ['192.168.1.127', '192.168.1.0/25', true],
  ['192.168.1.128', '192.168.1.0/25', false],
  ['2001:db8::1', '2001:db8::/32', true],
  ['2001:db9::1', '2001:db8::/32', false],
  ['::1', '::1/128', true],
  ['::2', '::1/128', false],
  ['fe80::1:2:3:4', 'fe80::/10', true],
  ['FE80::1', 'fe80::/10', true],
  ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::/64', true],
  ['::', '::/0', true],
  ['1.2.3.4', '::/0', false],
  ['::1', '0.0.0.0/0', false],
  ['256.1.1.1', '0.0.0.0/0', false],
  ['1.2.3', '0.0.0.0/0', false],
  ['1.2.3.4.5', '0.0.0.0/0', false],
  ['01.2.3.4', '0.0.0.0/0', false],
  ['1.2.3.-4', '0.0.0.0/0', false],
  ['a.b.c.d', '0.0.0.0/0', false],
  [' 1.2.3.4', '0.0.0.0/0', false],
  ['1.2.3.4', '1.2.3.0', false],
  ['1.2.3.4', '1.2.3.0/33', false],
  ['1.2.3.4', '1.2.3.0/-1', false],
  ['1.2.3.4', '1.2.3.0/abc', false],
  ['1.2.3.4', '1.2.3.0/', false],
  ['1.2.3.4', '/24', false],
  ['::1', '::/129', false],
  ['1::2::3', '::/0', false],
  ['12345::', '::/0', false],
  ['g::1', '::/0', false],
  ['1:2:3:4:5:6:7', '::/0', false],
  ['1:2:3:4:5:6:7:8:9', '::/0', false],
  ['', '0.0.0.0/0', false],
  [null, '0.0.0.0/0', false],
  ['1.2.3.4', null, false],
  [123, '0.0.0.0/0', false],
  ['1.2.3.4', ['1.2.3.0/24'], false],
];

describe('isIPAddressInRange', () => {
  it.each(cases)('checks %s in %s', (ip, cidr, expected) => {
    expect(call('isIPAddressInRange', ip as string, cidr as string)).toBe(expected);
  });

  it('agrees with the npm VM on every well-formed case', () => {
    for (const [ip, cidr, expected] of cases) {
      if (typeof ip !== 'string' || typeof cidr !== 'string' || ip === '') continue;
      expect(theirs.isIPAddressInRange!.fn([ip, cidr]), `${ip} in ${cidr}`).toBe(expected);
    }
  });

  it('understands IPv4-mapped IPv6 addresses', () => {
    expect(call('isIPAddressInRange', '::ffff:10.1.2.3', '::ffff:10.0.0.0/104')).toBe(true);
    expect(call('isIPAddressInRange', '::ffff:11.1.2.3', '::ffff:10.0.0.0/104')).toBe(false);
  });
});
