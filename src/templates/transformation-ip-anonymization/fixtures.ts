import type { TransformationFixture } from '../types.js';

const withIp = (ip: unknown): TransformationFixture['event'] => ({ event: '$pageview', properties: { $ip: ip, $browser: 'Chrome' } });

export const fixtures: TransformationFixture[] = [
  {
    name: 'sets the last octet of an IPv4 address to 0',
    event: withIp('203.0.113.77'),
    inputs: {},
    expect: { event: { properties: { $ip: '203.0.113.0', $browser: 'Chrome' } }, result: 'transformed' },
  },
  {
    name: 'keeps the first 48 bits of a full IPv6 address',
    event: withIp('2001:0DB8:85a3:08d3:1319:8a2e:0370:7348'),
    inputs: {},
    expect: { event: { properties: { $ip: '2001:db8:85a3::', $browser: 'Chrome' } } },
  },
  {
    name: 'expands :: before truncating a short IPv6 address',
    event: withIp('2001:db8::1'),
    inputs: {},
    expect: { event: { properties: { $ip: '2001:db8:0::', $browser: 'Chrome' } } },
  },
  {
    name: 'truncates the IPv4 part of an IPv4-mapped IPv6 address',
    event: withIp('::ffff:198.51.100.23'),
    inputs: {},
    expect: { event: { properties: { $ip: '::ffff:198.51.100.0', $browser: 'Chrome' } } },
  },
  {
    name: 'removes a value that is not an IP address',
    event: withIp('203.0.113.999'),
    inputs: {},
    expect: { event: { properties: { $browser: 'Chrome' } } },
  },
  {
    name: 'removes a malformed IPv6 address',
    event: withIp('2001:db8::1::2'),
    inputs: {},
    expect: { event: { properties: { $browser: 'Chrome' } } },
  },
  {
    name: 'leaves an event without the property alone, reading another property when configured',
    event: { event: '$pageview', properties: { client_ip: '192.0.2.1' } },
    inputs: { property: 'client_ip' },
    expect: { event: { properties: { client_ip: '192.0.2.0' } } },
  },
];
