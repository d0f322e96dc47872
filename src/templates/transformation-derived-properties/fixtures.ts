import type { TransformationFixture } from '../types.js';

export const fixtures: TransformationFixture[] = [
  {
    name: 'adds the email domain by default',
    event: { event: 'signed up', properties: { email: 'ann@example.com' } },
    inputs: {},
    expect: { event: { properties: { email: 'ann@example.com', email_domain: 'example.com' } }, result: 'transformed' },
  },
  {
    name: 'skips a value that comes out null',
    event: { event: 'signed up', properties: { name: 'Ann' } },
    inputs: {},
    expect: { event: { properties: { name: 'Ann' } }, result: 'unchanged' },
  },
  {
    name: 'computes numbers and text from several properties, keeping their types',
    event: { event: 'order placed', distinct_id: 'u-9', properties: { price: 2.5, quantity: 4, country: 'de' } },
    inputs: {
      properties: {
        revenue: '{event.properties.price * event.properties.quantity}',
        market: "{upper(event.properties.country)}-{event.event}",
        buyer: '{event.distinct_id}',
      },
    },
    expect: { event: { properties: { price: 2.5, quantity: 4, country: 'de', revenue: 10, market: 'DE-order placed', buyer: 'u-9' } } },
  },
];
