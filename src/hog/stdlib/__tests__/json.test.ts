import { describe, expect, it } from 'vitest';
import type { HogValue } from '../../values.js';
import { makeHogError, makeTuple } from '../../values.js';
import { call, dict } from './helpers.js';

describe('jsonStringify', () => {
  it('writes compact JSON with dicts as objects and tuples as arrays', () => {
    const d = dict([['a', [1, 2.5, null, true, makeTuple(['x', 'y'])]]]);
    expect(call('jsonStringify', d)).toBe('{"a":[1,2.5,null,true,["x","y"]]}');
  });

  it('indents only with a positive number', () => {
    expect(call('jsonStringify', dict({ a: 1 }), 2)).toBe('{\n  "a": 1\n}');
    expect(call('jsonStringify', dict({ a: 1 }), 0)).toBe('{"a":1}');
    expect(call('jsonStringify', dict({ a: 1 }), 'x')).toBe('{"a":1}');
  });

  it('turns non-string keys into property names and functions into labels', () => {
    const fn = { __hogCallable__: 'local', name: 'f', argCount: 1, upvalueCount: 0, ip: 0, chunk: 'root' } as const;
    const d = dict([
      [1, { __hogClosure__: true, callable: { ...fn }, upvalues: [] }],
      [null, 'n'],
    ]);
    expect(call('jsonStringify', d)).toBe('{"1":"fn<f(1)>","null":"n"}');
  });

  it('writes cycles as null', () => {
    const d = dict({ a: 1 });
    d.set('self', d);
    expect(call('jsonStringify', d)).toBe('{"a":1,"self":null}');
  });

  it('writes a bare string, number and null as JSON scalars', () => {
    expect(call('jsonStringify', 'a"b')).toBe('"a\\"b"');
    expect(call('jsonStringify', 1.5)).toBe('1.5');
    expect(call('jsonStringify', null)).toBe('null');
  });
});

describe('jsonParse', () => {
  it('turns objects into dicts and keeps arrays', () => {
    expect(call('jsonParse', '{"a":[1,{"b":null}],"c":"s"}')).toEqual(
      dict([
        ['a', [1, dict({ b: null })]],
        ['c', 's'],
      ]),
    );
  });

  it('revives datetimes, dates and errors written by jsonStringify', () => {
    const values: HogValue[] = [
      { __hogDateTime__: true, dt: 1714739696.5, zone: 'Europe/Brussels' },
      { __hogDate__: true, year: 2024, month: 2, day: 29 },
      makeHogError('RetryError', 'later', dict({ n: 1 })),
    ];
    for (const v of values) expect(call('jsonParse', call('jsonStringify', v))).toEqual(v);
  });

  it('throws the JSON syntax error on invalid input', () => {
    expect(() => call('jsonParse', '{bad')).toThrow(SyntaxError);
    expect(() => call('jsonParse', '')).toThrow();
  });

  it('keeps unicode text intact', () => {
    expect(call('jsonParse', '"h\\u00e9llo 🦔"')).toBe('héllo 🦔');
  });
});

describe('isValidJSON', () => {
  it('accepts valid JSON text only', () => {
    expect(call('isValidJSON', '{"a":1}')).toBe(true);
    expect(call('isValidJSON', '1')).toBe(true);
    expect(call('isValidJSON', '{a:1}')).toBe(false);
    expect(call('isValidJSON', null)).toBe(false);
  });
});

describe('JSON path helpers', () => {
  const text = '{"a":{"b":[10,20.5,"x",true]},"s":"str","n":123.1,"t":true,"o":{}}';

  it('JSONHas follows keys and 1-based or negative indexes', () => {
    expect(call('JSONHas', text, 'a', 'b', 1)).toBe(true);
    expect(call('JSONHas', text, 'a', 'b', -4)).toBe(true);
    expect(call('JSONHas', text, 'a', 'b', -5)).toBe(false);
    expect(call('JSONHas', text, 'a', 'b', 5)).toBe(false);
    expect(call('JSONHas', text, 'a', 'b', 0)).toBe(false);
    expect(call('JSONHas', text, 'zzz')).toBe(false);
    expect(call('JSONHas', dict({ a: dict({ b: null }) }), 'a', 'b')).toBe(true);
    expect(call('JSONHas', '{bad', 'a')).toBe(false);
  });

  it('JSONLength counts array items and object keys', () => {
    expect(call('JSONLength', text, 'a', 'b')).toBe(4);
    expect(call('JSONLength', text)).toBe(5);
    expect(call('JSONLength', text, 'o')).toBe(0);
    expect(call('JSONLength', text, 's')).toBe(0);
    expect(call('JSONLength', 'nope')).toBe(0);
  });

  it('JSONExtractBool only accepts real booleans', () => {
    expect(call('JSONExtractBool', text, 't')).toBe(true);
    expect(call('JSONExtractBool', '{"t":"true"}', 't')).toBe(false);
    expect(call('JSONExtractBool', 'true')).toBe(true);
    expect(call('JSONExtractBool', text, 'n')).toBe(false);
  });

  it('JSONExtractInt, Float and String convert or give null', () => {
    expect(call('JSONExtractInt', text, 'n')).toBe(123);
    expect(call('JSONExtractInt', text, 's')).toBe(null);
    expect(call('JSONExtractFloat', text, 'n')).toBe(123.1);
    expect(call('JSONExtractFloat', text, 'a', 'b', 2)).toBe(20.5);
    expect(call('JSONExtractString', text, 'n')).toBe('123.1');
    expect(call('JSONExtractString', text, 's')).toBe('str');
    expect(call('JSONExtractString', text, 'missing')).toBe(null);
    expect(call('JSONExtractInt', '{bad', 'n')).toBe(null);
  });

  it('JSONExtractArrayRaw returns arrays only', () => {
    expect(call('JSONExtractArrayRaw', text, 'a', 'b')).toEqual([10, 20.5, 'x', true]);
    expect(call('JSONExtractArrayRaw', text, 'a')).toBe(null);
  });

  it('JSONExtract ignores its trailing type name and gives null for invalid JSON', () => {
    expect(call('JSONExtract', text, 'a', 'b', 3, 'String')).toBe('x');
    expect(call('JSONExtract', text, 'Dynamic')).toEqual(call('jsonParse', text));
    expect(call('JSONExtract', '{bad', 'a', 'String')).toBe(null);
  });
});
