import { describe, expect, it } from 'vitest';
import { call } from './helpers.js';

describe('comparison functions', () => {
  it('equals and notEquals are strict, without coercion', () => {
    expect(call('equals', 1, 1)).toBe(true);
    expect(call('equals', 1, 1.0)).toBe(true);
    expect(call('equals', 1, '1')).toBe(false);
    expect(call('equals', null, null)).toBe(true);
    expect(call('notEquals', 1, '1')).toBe(true);
    expect(call('equals', [1], [1])).toBe(false);
  });

  it('orderings are raw JS comparisons', () => {
    expect(call('greater', 2, 1)).toBe(true);
    expect(call('greaterOrEquals', 1, 1)).toBe(true);
    expect(call('less', 'B', 'a')).toBe(true);
    expect(call('lessOrEquals', null, 0)).toBe(true);
    expect(call('less', '10', '9')).toBe(true);
  });
});

describe('logic functions', () => {
  it('and, or and not always return booleans', () => {
    expect(call('and', 1, 'a')).toBe(true);
    expect(call('and', 1, 0)).toBe(false);
    expect(call('or', 0, '')).toBe(false);
    expect(call('or', null, 'x')).toBe(true);
    expect(call('not', 0)).toBe(true);
    expect(call('not', 'a')).toBe(false);
    expect(call('and', [])).toBe(true);
  });

  it('if and multiIf pick by truthiness', () => {
    expect(call('if', true, 'a', 'b')).toBe('a');
    expect(call('if', 0, 'a', 'b')).toBe('b');
    expect(call('multiIf', false, 1, true, 2, 3)).toBe(2);
    expect(call('multiIf', false, 1, false, 2, 3)).toBe(3);
    expect(call('multiIf', false, 1, false, 2)).toBe(null);
  });
});

describe('arithmetic functions', () => {
  it('plus is raw JS + and concatenates strings', () => {
    expect(call('plus', 1, 2)).toBe(3);
    expect(call('plus', 'a', 'b')).toBe('ab');
    expect(call('minus', 5, 7)).toBe(-2);
  });

  it('min2 picks the smaller value', () => {
    expect(call('min2', 3, 2)).toBe(2);
    expect(call('min2', 'a', 'b')).toBe('a');
  });

  it('floor and round ignore their second argument', () => {
    expect(call('floor', 2.7)).toBe(2);
    expect(call('floor', -2.1)).toBe(-3);
    expect(call('round', 2.5)).toBe(3);
    expect(call('round', -2.5)).toBe(-2);
    expect(call('round', 1.234, 2)).toBe(1);
  });
});

describe('toInt and toFloat', () => {
  it('parse a leading number or give null', () => {
    expect(call('toInt', '12abc')).toBe(12);
    expect(call('toInt', 3.9)).toBe(3);
    expect(call('toInt', -3.9)).toBe(-3);
    expect(call('toInt', 'bla')).toBe(null);
    expect(call('toInt', true)).toBe(null);
    expect(call('toInt', null)).toBe(null);
    expect(call('toFloat', '1.5e3x')).toBe(1500);
    expect(call('toFloat', ' 2.25')).toBe(2.25);
    expect(call('toFloat', 'abc')).toBe(null);
    expect(call('toFloat', [1])).toBe(null);
  });

  it('convert datetimes to epoch seconds and dates to days since the epoch', () => {
    expect(call('toInt', { __hogDateTime__: true, dt: 1714739696.9, zone: 'UTC' })).toBe(1714739696);
    expect(call('toFloat', { __hogDateTime__: true, dt: 1714739696.9, zone: 'UTC' })).toBe(1714739696.9);
    expect(call('toInt', { __hogDate__: true, year: 1970, month: 1, day: 11 })).toBe(10);
    expect(call('toFloat', { __hogDate__: true, year: 1969, month: 12, day: 31 })).toBe(-1);
  });

  it('toUUID returns its argument as a string', () => {
    expect(call('toUUID', '0190a0b2-0000-4000-8000-000000000000')).toBe('0190a0b2-0000-4000-8000-000000000000');
  });
});
