import { describe, expect, it } from 'vitest';
import { likeMatch, likeToRegex, regexExtract, regexMatch } from '../regex.js';

describe('regexMatch', () => {
  it('searches anywhere in the string', () => {
    expect(regexMatch('an', 'banana')).toBe(true);
    expect(regexMatch('^an', 'banana')).toBe(false);
    expect(regexMatch('^b.*a$', 'banana')).toBe(true);
  });

  it('supports RE2 syntax including (?i) and character classes', () => {
    expect(regexMatch('(?i)BAN', 'banana')).toBe(true);
    expect(regexMatch('BAN', 'banana')).toBe(false);
    expect(regexMatch('\\d{3}-\\d{4}', 'call 555-1234')).toBe(true);
    expect(regexMatch('[[:alpha:]]+', '123')).toBe(false);
    expect(regexMatch('é+', 'caféé')).toBe(true);
  });

  it('throws a clear error naming a pattern RE2 rejects', () => {
    expect(() => regexMatch('(a', 'a')).toThrow(/Invalid regular expression '\(a'/);
    expect(() => regexMatch('(?<=a)b', 'ab')).toThrow(/Invalid regular expression/);
    expect(() => regexMatch('(a)\\1', 'aa')).toThrow(/Invalid regular expression/);
  });

  it('matches a catastrophic-backtracking pattern in linear time', () => {
    const hostile = 'a'.repeat(5000) + '!';
    const started = performance.now();
    expect(regexMatch('(a+)+$', 'a'.repeat(40) + '!')).toBe(false);
    expect(regexMatch('^(a+)+$', hostile)).toBe(false);
    expect(regexMatch('(a|aa)+b', hostile)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('returns the same answer from the cache', () => {
    for (let i = 0; i < 3; i++) expect(regexMatch('x+y', 'axxy')).toBe(true);
  });
});

describe('regexExtract', () => {
  it('gives the first group, else the whole match, else an empty string', () => {
    expect(regexExtract('id=(\\d+)', 'a id=42 b')).toBe('42');
    expect(regexExtract('\\d+', 'abc 123 456')).toBe('123');
    expect(regexExtract('\\d+', 'abc')).toBe('');
  });
});

describe('likeMatch', () => {
  it('is an unanchored search', () => {
    expect(likeMatch('banana', 'n', false)).toBe(true);
    expect(likeMatch('banana', 'x', false)).toBe(false);
  });

  it('treats % as any run and _ as one character', () => {
    expect(likeMatch('banana', 'b%a', false)).toBe(true);
    expect(likeMatch('banana', '%a%', false)).toBe(true);
    expect(likeMatch('bat', 'b_t', false)).toBe(true);
    expect(likeMatch('bt', 'b_t', false)).toBe(false);
    expect(likeMatch('line1\nline2', 'line1%line2', false)).toBe(true);
  });

  it('matches regex metacharacters literally', () => {
    expect(likeMatch('a.b', 'a.b', false)).toBe(true);
    expect(likeMatch('axb', 'a.b', false)).toBe(false);
    expect(likeMatch('(1+1)*[2]', '(1+1)*[2]', false)).toBe(true);
    expect(likeMatch('price $5', '$5', false)).toBe(true);
    expect(likeToRegex('a\\b', false)).toBe('(?s)a\\\\b');
  });

  it('ignores case only when asked', () => {
    expect(likeMatch('BANANA', '%nan%', false)).toBe(false);
    expect(likeMatch('BANANA', '%nan%', true)).toBe(true);
  });

  it('handles many wildcards against a long hostile string quickly', () => {
    const started = performance.now();
    expect(likeMatch('a'.repeat(20000), '%a%a%a%a%a%a%a%a%b', false)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
