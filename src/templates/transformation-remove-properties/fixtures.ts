import type { TransformationFixture } from '../types.js';

export const fixtures: TransformationFixture[] = [
  {
    name: 'removes the IP address by default',
    event: { event: '$pageview', properties: { $ip: '203.0.113.7', $browser: 'Firefox' } },
    inputs: {},
    expect: { event: { properties: { $browser: 'Firefox' } }, result: 'transformed' },
  },
  {
    name: 'removes nested and top-level properties, keeping their neighbours',
    event: { event: 'signed up', properties: { note: 'call me at 555-0100', $set: { phone: '555-0100', name: 'Ann' }, plan: 'growth' } },
    inputs: { properties_to_remove: ['note', '$set.phone', 'absent', 'plan.nested'] },
    expect: { event: { properties: { $set: { name: 'Ann' }, plan: 'growth' } } },
  },
  {
    name: 'removes a property whose value is null',
    event: { event: 'x', properties: { gone: null, kept: 1 } },
    inputs: { properties_to_remove: ['gone'] },
    expect: { event: { properties: { kept: 1 } } },
  },
];
