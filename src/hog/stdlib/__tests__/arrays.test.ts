import { describe, expect, it } from 'vitest';
import { makeTuple } from '../../values.js';
import { call, dict } from './helpers.js';

describe('searching arrays', () => {
  it('indexOf is 1-based and strict', () => {
    expect(call('indexOf', [1, 2, 3], 2)).toBe(2);
    expect(call('indexOf', [1, 2, 3], '2')).toBe(0);
    expect(call('indexOf', null, 1)).toBe(0);
    expect(call('indexOf', 'abc', 'b')).toBe(0);
  });

  it('has and in are false for non-arrays', () => {
    expect(call('has', [1, 2], 2)).toBe(true);
    expect(call('has', ['1'], 1)).toBe(false);
    expect(call('has', 'banananas', 'banana')).toBe(false);
    expect(call('in', 1, makeTuple([1, 2]))).toBe(true);
    expect(call('in', 'a', 'car')).toBe(false);
    expect(call('in', 'a', null)).toBe(false);
    expect(call('has', [null], null)).toBe(true);
  });
});

describe('pushing and popping', () => {
  it('returns new arrays and leaves the input alone', () => {
    const arr = [1, 2, 3];
    expect(call('arrayPushBack', arr, 4)).toEqual([1, 2, 3, 4]);
    expect(call('arrayPushFront', arr, 0)).toEqual([0, 1, 2, 3]);
    expect(call('arrayPopBack', arr)).toEqual([1, 2]);
    expect(call('arrayPopFront', arr)).toEqual([2, 3]);
    expect(arr).toEqual([1, 2, 3]);
  });

  it('treats a non-array as empty', () => {
    expect(call('arrayPushBack', null, 1)).toEqual([1]);
    expect(call('arrayPushFront', 'x', 1)).toEqual([1]);
    expect(call('arrayPopBack', null)).toEqual([]);
    expect(call('arrayPopFront', [])).toEqual([]);
  });
});

describe('sorting', () => {
  it('sorts numbers numerically (natural order), not as strings', () => {
    expect(call('arraySort', [2, 10, 1])).toEqual([1, 2, 10]);
    expect(call('arrayReverseSort', [2, 10, 1])).toEqual([10, 2, 1]);
    expect(call('arraySort', [1.5, -3, 0])).toEqual([-3, 0, 1.5]);
  });

  it('sorts strings by UTF-16 code unit', () => {
    expect(call('arraySort', ['b', 'a', 'B', 'é'])).toEqual(['B', 'a', 'b', 'é']);
  });

  it('sorts mixed types by type first, nulls first', () => {
    expect(call('arraySort', ['a', 2, null, true, 1])).toEqual([null, true, 1, 2, 'a']);
  });

  it('does not mutate, and handles empty and non-arrays', () => {
    const arr = [3, 1, 2];
    call('arraySort', arr);
    expect(arr).toEqual([3, 1, 2]);
    expect(call('arraySort', [])).toEqual([]);
    expect(call('arraySort', null)).toEqual([]);
  });

  it('reverses into a new array', () => {
    const arr = [1, 2, 3];
    expect(call('arrayReverse', arr)).toEqual([3, 2, 1]);
    expect(arr).toEqual([1, 2, 3]);
    expect(call('arrayReverse', null)).toEqual([]);
  });
});

describe('arrayStringConcat', () => {
  it('joins like JS join, with nulls empty and nested arrays comma-joined', () => {
    expect(call('arrayStringConcat', ['a', 'b', 'c'])).toBe('abc');
    expect(call('arrayStringConcat', ['a', 'b'], ', ')).toBe('a, b');
    expect(call('arrayStringConcat', [1, null, true, [2, 3]], '-')).toBe('1--true-2,3');
    expect(call('arrayStringConcat', null)).toBe('');
    expect(call('arrayStringConcat', [])).toBe('');
  });
});

describe('range', () => {
  it('counts from 0, or from a start, up to but not including the end', () => {
    expect(call('range', 4)).toEqual([0, 1, 2, 3]);
    expect(call('range', 2, 5)).toEqual([2, 3, 4]);
    expect(call('range', 0)).toEqual([]);
    expect(call('range', 5, 2)).toEqual([]);
    expect(call('range', -2)).toEqual([]);
  });

  it('refuses absurdly large ranges', () => {
    expect(() => call('range', 1e12)).toThrow(/limit/);
  });
});

describe('keys and values of dicts with mixed keys', () => {
  it('keeps key types', () => {
    expect(call('keys', dict([[1, 'a'], [null, 'b'], ['x', 'c']]))).toEqual([1, null, 'x']);
  });
});
