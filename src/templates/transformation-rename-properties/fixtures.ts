import type { TransformationFixture } from '../types.js';

export const fixtures: TransformationFixture[] = [
  {
    name: 'renames a property, replacing one that already has the new name',
    event: { event: 'order placed', properties: { userId: 'u-1', user_id: 'stale', total: 10 } },
    inputs: {},
    expect: { event: { properties: { user_id: 'u-1', total: 10 } }, result: 'transformed' },
  },
  {
    name: 'copies a property and keeps the original, also from a renamed one',
    event: { event: 'order placed', properties: { price: 10, sku: 'A-1' } },
    inputs: { rename: { sku: 'product_id' }, copy: { price: 'revenue', sku: 'item' } },
    expect: { event: { properties: { price: 10, revenue: 10, product_id: 'A-1', item: 'A-1' } } },
  },
  {
    name: 'leaves events without the properties as they are',
    event: { event: '$pageview', properties: { a: 1 } },
    inputs: { rename: { b: 'c' }, copy: { d: 'e' } },
    expect: { event: { properties: { a: 1 } }, result: 'unchanged' },
  },
];
