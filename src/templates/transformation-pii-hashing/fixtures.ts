import { createHmac } from 'node:crypto';
import type { TransformationFixture } from '../types.js';

const hmac = (value: string) => createHmac('sha256', 'our-secret-salt').update(value).digest('hex');

export const fixtures: TransformationFixture[] = [
  {
    name: 'hashes the listed properties, nested ones included, with the secret salt',
    event: { event: 'signed up', properties: { email: 'ann@example.com', $set: { email: 'ann@example.com', name: 'Ann' }, plan: 'growth' } },
    inputs: { salt: 'our-secret-salt' },
    expect: {
      event: { properties: { email: hmac('ann@example.com'), $set: { email: hmac('ann@example.com'), name: 'Ann' }, plan: 'growth' } },
      result: 'transformed',
    },
  },
  {
    name: 'hashes numbers as their text, and leaves missing properties missing',
    event: { event: 'call', properties: { phone: 4915112345678 } },
    inputs: { salt: 'our-secret-salt' },
    expect: { event: { properties: { phone: hmac('4915112345678') } } },
  },
  {
    name: 'changes nothing when no listed property is present',
    event: { event: '$pageview', properties: { $current_url: 'https://example.com' } },
    inputs: { salt: 'our-secret-salt', properties_to_hash: ['email'] },
    expect: { event: { properties: { $current_url: 'https://example.com' } }, result: 'unchanged' },
  },
];
