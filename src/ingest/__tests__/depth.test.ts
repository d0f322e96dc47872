import { describe, expect, it } from 'vitest';
import { findTooDeep } from '../depth.js';

function nestObjects(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

describe('the nesting depth check', () => {
  it('counts the value itself as level 1 and objects and arrays alike', () => {
    expect(findTooDeep(1, 1)).toBeNull();
    expect(findTooDeep({}, 1)).toBeNull();
    expect(findTooDeep({ a: [] }, 1)).toEqual({ path: 'a' });
    expect(findTooDeep({ a: [{}] }, 2)).toEqual({ path: 'a[0]' });
    expect(findTooDeep({ a: [{}] }, 3)).toBeNull();
  });

  it('accepts exactly the limit and names the path of the first level past it', () => {
    // nestObjects(65) is 64 objects around a number.
    expect(findTooDeep(nestObjects(65), 64)).toBeNull();
    expect(findTooDeep(nestObjects(66), 64)).toEqual({ path: 'a.a.a.a.a.a…' });
  });

  it('walks 200,000 levels without overflowing the stack', () => {
    const text = '['.repeat(200_000) + ']'.repeat(200_000);
    const deep = JSON.parse(text) as unknown;
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(findTooDeep(deep, 64)).toEqual({ path: '[0][0][0][0][0][0]…' });
  });

  it('finds a deep branch beside many shallow ones', () => {
    const wide = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, { x: [i] }]));
    expect(findTooDeep({ ...wide, deep: nestObjects(70) }, 64)?.path).toMatch(/^deep\.a\.a/);
    expect(findTooDeep(wide, 64)).toBeNull();
  });
});
