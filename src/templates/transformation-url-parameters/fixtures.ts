import type { TransformationFixture } from '../types.js';

export const fixtures: TransformationFixture[] = [
  {
    name: 'removes the whole query string by default, keeping the fragment',
    event: { event: '$pageview', properties: { $current_url: 'https://shop.example/cart?token=abc&email=a%40b.c#pay', $referrer: 'https://google.com/', other: 'x?y' } },
    inputs: {},
    expect: { event: { properties: { $current_url: 'https://shop.example/cart#pay', $referrer: 'https://google.com/', other: 'x?y' } }, result: 'transformed' },
  },
  {
    name: 'removes only the listed parameters, matching encoded names too',
    event: { event: '$pageview', properties: { $current_url: 'https://shop.example/?utm_source=news&token=abc&e%6Dail=a%40b.c&page=2' } },
    inputs: { parameters: ['token', 'email'] },
    expect: { event: { properties: { $current_url: 'https://shop.example/?utm_source=news&page=2' } } },
  },
  {
    name: 'drops the question mark when every parameter goes',
    event: { event: '$pageview', properties: { $current_url: 'https://shop.example/a?token=1' } },
    inputs: { parameters: ['token'] },
    expect: { event: { properties: { $current_url: 'https://shop.example/a' } } },
  },
  {
    name: 'leaves URLs without a query, and properties that are not text, alone',
    event: { event: '$pageview', properties: { $current_url: 'https://shop.example/a', $referrer: 42 } },
    inputs: {},
    expect: { event: { properties: { $current_url: 'https://shop.example/a', $referrer: 42 } }, result: 'unchanged' },
  },
];
