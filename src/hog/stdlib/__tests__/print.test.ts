import { describe, expect, it } from 'vitest';
import { printHogStringOutput, printHogValue, toConcatString, toHogString } from '../print.js';
import { type HogValue, makeHogError, makeTuple } from '../../values.js';
import { dict } from './helpers.js';

describe('printHogValue', () => {
  it('prints scalars as Hog literals', () => {
    expect(printHogValue(null)).toBe('null');
    expect(printHogValue(true)).toBe('true');
    expect(printHogValue(false)).toBe('false');
    expect(printHogValue(1)).toBe('1');
    expect(printHogValue(1.5)).toBe('1.5');
    expect(printHogValue(-3)).toBe('-3');
    expect(printHogValue(2.0)).toBe('2');
    expect(printHogValue(NaN)).toBe('NaN');
    expect(printHogValue(Infinity)).toBe('Infinity');
    expect(printHogValue(1e21)).toBe('1e+21');
    expect(printHogValue(0.1 + 0.2)).toBe('0.30000000000000004');
  });

  it('quotes strings and escapes the nine special characters', () => {
    expect(printHogValue("it's")).toBe("'it\\'s'");
    expect(printHogValue('back\\slash')).toBe("'back\\\\slash'");
    expect(printHogValue('a\b\f\r\n\t\0\vz')).toBe("'a\\b\\f\\r\\n\\t\\0\\vz'");
    expect(printHogValue('bell\x07')).toBe("'bell\x07'");
    expect(printHogValue('héllo 🦔')).toBe("'héllo 🦔'");
  });

  it('prints arrays with comma-space separators and nested strings quoted', () => {
    expect(printHogValue([])).toBe('[]');
    expect(printHogValue([1, 'a', null, [true]])).toBe("[1, 'a', null, [true]]");
    expect(printHogValue(["it's", 'back\\slash', 'nl\nx'])).toBe("['it\\'s', 'back\\\\slash', 'nl\\nx']");
  });

  it('prints tuples in parentheses, and short tuples as tuple(…)', () => {
    expect(printHogValue(makeTuple([1, 2]))).toBe('(1, 2)');
    expect(printHogValue(makeTuple([1, 'a', 3]))).toBe("(1, 'a', 3)");
    expect(printHogValue(makeTuple([]))).toBe('tuple()');
    expect(printHogValue(makeTuple([1]))).toBe('tuple(1)');
  });

  it('prints dicts with keys printed as values', () => {
    expect(printHogValue(new Map())).toBe('{}');
    const d = dict([
      ['key', 'value'],
      [1, 'one'],
      [true, 'yes'],
      [null, 'n'],
    ]);
    expect(printHogValue(d)).toBe("{'key': 'value', 1: 'one', true: 'yes', null: 'n'}");
  });

  it('prints errors with their type, message and truthy payload', () => {
    expect(printHogValue(makeHogError('Error', 'bad'))).toBe("Error('bad')");
    expect(printHogValue(makeHogError('RetryError', "it's", dict({ a: 1 })))).toBe("RetryError('it\\'s', {'a': 1})");
    expect(printHogValue({ __hogError__: true, type: 'E', message: 'm', payload: 0 })).toBe("E('m')");
  });

  it('prints datetimes with a fractional part always present', () => {
    expect(printHogValue({ __hogDateTime__: true, dt: 1714739696, zone: 'Europe/Brussels' })).toBe(
      "DateTime(1714739696.0, 'Europe/Brussels')",
    );
    expect(printHogValue({ __hogDateTime__: true, dt: 1714739696.25, zone: 'UTC' })).toBe(
      "DateTime(1714739696.25, 'UTC')",
    );
  });

  it('prints dates without zero padding', () => {
    expect(printHogValue({ __hogDate__: true, year: 2024, month: 5, day: 3 })).toBe('Date(2024, 5, 3)');
  });

  it('prints closures and callables as fn<name(argc)>, backtick-quoting odd names', () => {
    const callable = { __hogCallable__: 'local', name: 'add', argCount: 2, upvalueCount: 0, ip: 3, chunk: 'root' } as const;
    expect(printHogValue({ ...callable })).toBe('fn<add(2)>');
    expect(printHogValue({ __hogClosure__: true, callable: { ...callable }, upvalues: [] })).toBe('fn<add(2)>');
    expect(printHogValue({ ...callable, name: 'my fn`x' })).toBe('fn<`my fn``x`(2)>');
  });

  it('prints a container that contains itself as null at the point of recursion', () => {
    const obj = dict({ key: 'value' });
    obj.set('something', obj);
    expect(printHogValue(obj)).toBe("{'key': 'value', 'something': null}");
    const arr: HogValue[] = [1];
    arr.push(arr);
    expect(printHogValue(arr)).toBe('[1, null]');
  });

  it('prints the same object twice in full when it is not inside itself', () => {
    const inner = dict({ a: 1 });
    expect(printHogValue([inner, inner, dict({ x: inner })])).toBe("[{'a': 1}, {'a': 1}, {'x': {'a': 1}}]");
  });
});

describe('printHogStringOutput', () => {
  it('prints a top-level string raw and everything else as a value', () => {
    expect(printHogStringOutput("it's\n")).toBe("it's\n");
    expect(printHogStringOutput(['a'])).toBe("['a']");
    expect(printHogStringOutput(null)).toBe('null');
  });
});

describe('toHogString', () => {
  it('formats dates as YYYY-MM-DD and datetimes as ISO in their zone', () => {
    expect(toHogString({ __hogDate__: true, year: 2024, month: 5, day: 3 })).toBe('2024-05-03');
    expect(toHogString({ __hogDateTime__: true, dt: 1714739696, zone: 'Europe/Brussels' })).toBe(
      '2024-05-03T14:34:56.000+02:00',
    );
    expect(toHogString({ __hogDateTime__: true, dt: 1714739696.5, zone: 'UTC' })).toBe('2024-05-03T12:34:56.500Z');
  });

  it('turns null into the string null, but concat turns it into nothing', () => {
    expect(toHogString(null)).toBe('null');
    expect(toConcatString(null)).toBe('');
    expect(toHogString([1, 'a'])).toBe("[1, 'a']");
    expect(toHogString('plain')).toBe('plain');
  });
});
