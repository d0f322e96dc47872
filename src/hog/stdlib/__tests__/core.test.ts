import { describe, expect, it } from 'vitest';
import { STL } from '../index.js';
import { type HogValue, isHogTuple, makeHogError, makeTuple } from '../../values.js';
import { call, dict, makeContext } from './helpers.js';

describe('print', () => {
  it('writes one line of space-joined arguments, strings raw, and returns null', () => {
    const ctx = makeContext();
    expect(STL.print.fn(['hello', 1, 'it\'s', ['a'], null, dict({ k: 'v' })], ctx)).toBe(null);
    expect(ctx.lines).toEqual(["hello 1 it's ['a'] null {'k': 'v'}"]);
  });

  it('writes an empty line with no arguments', () => {
    const ctx = makeContext();
    STL.print.fn([], ctx);
    expect(ctx.lines).toEqual(['']);
  });
});

describe('typeof', () => {
  it('names every value type', () => {
    const cases: [HogValue, string][] = [
      [null, 'null'],
      [true, 'boolean'],
      [1, 'integer'],
      [1.0, 'integer'],
      [1.5, 'float'],
      ['s', 'string'],
      [[], 'array'],
      [makeTuple([1, 2]), 'tuple'],
      [new Map(), 'object'],
      [makeHogError('Error', 'x'), 'error'],
      [{ __hogDate__: true, year: 2024, month: 1, day: 1 }, 'date'],
      [{ __hogDateTime__: true, dt: 0, zone: 'UTC' }, 'datetime'],
      [{ __hogCallable__: 'stl', name: 'x', argCount: 1, upvalueCount: 0, ip: 0, chunk: 'stl/x' }, 'function'],
      [{ __hogInterval__: true, value: 1, unit: 'day' }, 'object'],
      [new Map([['__hx_ast', 'Constant']]), 'sql'],
    ];
    for (const [value, name] of cases) expect(call('typeof', value)).toBe(name);
  });
});

describe('toString and concat', () => {
  it('toString ignores its zone argument and prints null as null', () => {
    expect(call('toString', null)).toBe('null');
    expect(call('toString', 1.0)).toBe('1');
    expect(call('toString', [1, 'a'])).toBe("[1, 'a']");
    expect(call('toString', 'x', 'Europe/Paris')).toBe('x');
  });

  it('concat joins toString of each argument, dropping nulls', () => {
    expect(call('concat', 'a', 1, null, true, [1, 'b'])).toBe("a1true[1, 'b']");
    expect(call('concat', null)).toBe('');
  });
});

describe('tuple', () => {
  it('builds tuples of any length', () => {
    const t = call('tuple', 1, 'a');
    expect(isHogTuple(t)).toBe(true);
    expect([...(t as HogValue[])]).toEqual([1, 'a']);
    expect(isHogTuple(call('tuple'))).toBe(true);
  });
});

describe('keys, values and length', () => {
  it('lists dict keys and values in insertion order', () => {
    const d = dict([
      ['b', 1],
      [2, 'x'],
    ]);
    expect(call('keys', d)).toEqual(['b', 2]);
    expect(call('values', d)).toEqual([1, 'x']);
  });

  it('lists 0-based indexes and a copy of the items for arrays and tuples', () => {
    const arr = ['a', 'b'];
    expect(call('keys', arr)).toEqual([0, 1]);
    const copy = call('values', makeTuple(['a', 'b']));
    expect(copy).toEqual(['a', 'b']);
    expect(isHogTuple(copy)).toBe(false);
    expect(call('values', arr)).not.toBe(arr);
  });

  it('gives empty arrays for null and scalars', () => {
    for (const v of [null, 1, 'abc', true]) {
      expect(call('keys', v)).toEqual([]);
      expect(call('values', v)).toEqual([]);
    }
  });

  it('measures strings in UTF-16 units and arrays in items, and gives null otherwise', () => {
    expect(call('length', 'héllo')).toBe(5);
    expect(call('length', '🦔')).toBe(2);
    expect(call('length', [1, 2, 3])).toBe(3);
    expect(call('length', makeTuple([]))).toBe(0);
    expect(call('length', null)).toBe(null);
    expect(call('length', 42)).toBe(null);
    expect(call('length', dict({ a: 1 }))).toBe(null);
  });
});

describe('null helpers', () => {
  it('tests for null', () => {
    expect(call('isNull', null)).toBe(true);
    expect(call('isNull', 0)).toBe(false);
    expect(call('isNotNull', '')).toBe(true);
    expect(call('isNotNull', null)).toBe(false);
  });

  it('ifNull and coalesce pick the first non-null value', () => {
    expect(call('ifNull', null, 2)).toBe(2);
    expect(call('ifNull', 0, 2)).toBe(0);
    expect(call('coalesce', null, null, false, 3)).toBe(false);
    expect(call('coalesce', null, null)).toBe(null);
  });

  it('assumeNotNull throws on null', () => {
    expect(call('assumeNotNull', 5)).toBe(5);
    expect(() => call('assumeNotNull', null)).toThrow('Value is null in assumeNotNull');
  });
});

describe('empty and notEmpty', () => {
  it('treats null, empty strings, arrays and dicts as empty', () => {
    for (const v of [null, '', [], makeTuple([]), new Map()]) {
      expect(call('empty', v)).toBe(true);
      expect(call('notEmpty', v)).toBe(false);
    }
  });

  it('never treats numbers, booleans or the string 0 as empty', () => {
    for (const v of [0, 1, false, true, '0', ' ', [null], dict({ a: null })]) {
      expect(call('empty', v)).toBe(false);
      expect(call('notEmpty', v)).toBe(true);
    }
  });
});

describe('error constructors', () => {
  it('Error, RetryError and NotImplementedError use their name as the type', () => {
    expect(call('Error', 'boom')).toEqual({ __hogError__: true, type: 'Error', message: 'boom' });
    expect(call('RetryError', 'again', dict({ n: 1 }))).toEqual({
      __hogError__: true,
      type: 'RetryError',
      message: 'again',
      payload: dict({ n: 1 }),
    });
    expect(call('NotImplementedError')).toEqual({
      __hogError__: true,
      type: 'NotImplementedError',
      message: 'An error occurred',
    });
  });

  it('HogError sets an arbitrary type', () => {
    expect(call('HogError', 'CustomError', 'msg', 42)).toEqual({
      __hogError__: true,
      type: 'CustomError',
      message: 'msg',
      payload: 42,
    });
    expect(call('HogError', 'X')).toEqual({ __hogError__: true, type: 'X', message: 'An error occurred' });
  });
});
