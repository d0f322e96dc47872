import { describe, expect, it } from 'vitest';
import { call } from './helpers.js';

describe('case, reverse and trim', () => {
  it('converts case including unicode expansions', () => {
    expect(call('upper', 'straße')).toBe('STRASSE');
    expect(call('lower', 'ÉCOLE')).toBe('école');
  });

  it('returns null for a null input instead of throwing', () => {
    for (const name of ['upper', 'lower', 'reverse', 'trim', 'trimLeft', 'trimRight', 'encodeURLComponent', 'base64Encode']) {
      expect(call(name, null), name).toBe(null);
    }
    expect(call('replaceOne', null, 'a', 'b')).toBe(null);
    expect(call('replaceAll', null, 'a', 'b')).toBe(null);
    expect(call('splitByString', ',', null)).toBe(null);
  });

  it('rejects a non-string input with a clear type error', () => {
    expect(() => call('upper', 123)).toThrow('Function upper expects a string, got integer');
    expect(() => call('trim', ['a'])).toThrow('Function trim expects a string, got array');
  });

  it('reverses by UTF-16 units', () => {
    expect(call('reverse', 'abc')).toBe('cba');
    expect(call('reverse', '')).toBe('');
  });

  it('trims a single character from the chosen ends', () => {
    expect(call('trim', '  hi  ')).toBe('hi');
    expect(call('trimLeft', '  hi  ')).toBe('hi  ');
    expect(call('trimRight', '  hi  ')).toBe('  hi');
    expect(call('trim', 'xxhixx', 'x')).toBe('hi');
    expect(call('trim', '\thi\t')).toBe('\thi\t');
    expect(call('trim', '    ')).toBe('');
  });

  it('gives an empty string when the trim character is not exactly one character', () => {
    expect(call('trim', 'xxhixx', 'xx')).toBe('');
    expect(call('trimLeft', 'abc', '')).toBe('');
  });
});

describe('replaceOne and replaceAll', () => {
  it('replace the first or every literal occurrence', () => {
    expect(call('replaceOne', 'a.b.c', '.', '-')).toBe('a-b.c');
    expect(call('replaceAll', 'a.b.c', '.', '-')).toBe('a-b-c');
    expect(call('replaceAll', 'aaa', 'x', 'y')).toBe('aaa');
  });

  it('insert the replacement literally, without $ patterns', () => {
    expect(call('replaceAll', 'cost', 'cost', '$&$&')).toBe('$&$&');
    expect(call('replaceOne', 'ab', 'a', '$1')).toBe('$1b');
  });
});

describe('splitByString', () => {
  it('splits on the separator, optionally keeping only the first parts', () => {
    expect(call('splitByString', ' ', 'hello world and more')).toEqual(['hello', 'world', 'and', 'more']);
    expect(call('splitByString', ' ', 'hello world and more', 1)).toEqual(['hello']);
    expect(call('splitByString', ',', 'a,,b')).toEqual(['a', '', 'b']);
    expect(call('splitByString', '', 'abc')).toEqual(['a', 'b', 'c']);
  });
});

describe('substring and position', () => {
  it('substring uses a 1-based start and an optional length', () => {
    expect(call('substring', 'hello world', 7)).toBe('world');
    expect(call('substring', 'hello world', 1, 5)).toBe('hello');
    expect(call('substring', 'hello', 2, 100)).toBe('ello');
  });

  it('substring gives an empty string for bad starts, lengths and non-strings', () => {
    expect(call('substring', 'hello', 0, 2)).toBe('');
    expect(call('substring', 'hello', 2, -1)).toBe('');
    expect(call('substring', 'hello', 10)).toBe('');
    expect(call('substring', null, 1)).toBe('');
    expect(call('substring', 12345, 1, 2)).toBe('');
  });

  it('position gives a 1-based index, or 0', () => {
    expect(call('position', 'hello', 'l')).toBe(3);
    expect(call('position', 'hello', 'z')).toBe(0);
    expect(call('position', 'hello', 'L')).toBe(0);
    expect(call('positionCaseInsensitive', 'hello', 'L')).toBe(3);
    expect(call('position', null, 'a')).toBe(0);
    expect(call('position', 'a1', 1)).toBe(2);
  });

  it('startsWith is false for non-strings', () => {
    expect(call('startsWith', 'hello', 'he')).toBe(true);
    expect(call('startsWith', 'hello', 'lo')).toBe(false);
    expect(call('startsWith', null, 'a')).toBe(false);
    expect(call('startsWith', 123, '1')).toBe(false);
  });
});

describe('like and match', () => {
  it('like is an unanchored search with % and _ wildcards', () => {
    expect(call('like', 'banana', 'n')).toBe(true);
    expect(call('like', 'banana', 'b%a')).toBe(true);
    expect(call('like', 'banana', 'B%')).toBe(false);
    expect(call('ilike', 'banana', 'B%')).toBe(true);
    expect(call('notLike', 'banana', 'x')).toBe(true);
    expect(call('notILike', 'banana', 'BAN')).toBe(false);
  });

  it('like never matches a null value or pattern', () => {
    expect(call('like', null, '%')).toBe(false);
    expect(call('like', 'a', null)).toBe(false);
    expect(call('notLike', null, 'x')).toBe(true);
  });

  it('match is a regex search that is false for null or empty operands', () => {
    expect(call('match', 'hello123', '\\d+')).toBe(true);
    expect(call('match', 'hello', '^\\d+$')).toBe(false);
    expect(call('match', null, 'a')).toBe(false);
    expect(call('match', 'a', '')).toBe(false);
    expect(call('match', '', '.*')).toBe(false);
  });

  it('extractRegex gives the first group or the match, and an empty string otherwise', () => {
    expect(call('extractRegex', 'order-1234', '(\\d+)')).toBe('1234');
    expect(call('extractRegex', 'order-1234', '[a-z]+')).toBe('order');
    expect(call('extractRegex', 'order', '\\d')).toBe('');
    expect(call('extractRegex', null, '\\d')).toBe('');
  });

  it('multiSearchAnyCaseInsensitive returns 1 or 0', () => {
    expect(call('multiSearchAnyCaseInsensitive', 'Hello World', ['xyz', 'WORLD'])).toBe(1);
    expect(call('multiSearchAnyCaseInsensitive', 'Hello', ['xyz'])).toBe(0);
    expect(call('multiSearchAnyCaseInsensitive', null, ['a'])).toBe(0);
    expect(call('multiSearchAnyCaseInsensitive', 'a', 'a')).toBe(0);
  });
});

describe('URL and base64 encoding', () => {
  it('round-trips URL components including unicode', () => {
    expect(call('encodeURLComponent', 'a b&c=é')).toBe('a%20b%26c%3D%C3%A9');
    expect(call('decodeURLComponent', 'a%20b%26c%3D%C3%A9')).toBe('a b&c=é');
  });

  it('throws on a malformed escape, but tryDecodeURLComponent gives null', () => {
    expect(() => call('decodeURLComponent', '%E0%A4%A')).toThrow();
    expect(call('tryDecodeURLComponent', '%E0%A4%A')).toBe(null);
    expect(call('tryDecodeURLComponent', '%41')).toBe('A');
  });

  it('round-trips base64 as UTF-8', () => {
    expect(call('base64Encode', 'héllo 🦔')).toBe('aMOpbGxvIPCfppQ=');
    expect(call('base64Decode', 'aMOpbGxvIPCfppQ=')).toBe('héllo 🦔');
    expect(call('base64Encode', '')).toBe('');
  });

  it('tryBase64Decode gives an empty string for invalid base64', () => {
    expect(call('tryBase64Decode', 'aGVsbG8=')).toBe('hello');
    expect(call('tryBase64Decode', 'not base64!!')).toBe('');
    expect(call('tryBase64Decode', null)).toBe('');
  });
});

describe('random values', () => {
  it('generates v4 UUIDs', () => {
    const uuid = call('generateUUIDv4') as string;
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(call('generateUUIDv4')).not.toBe(uuid);
  });

  it('generates floats in [0, 1)', () => {
    for (let i = 0; i < 20; i++) {
      const x = call('randomFloat') as number;
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});
