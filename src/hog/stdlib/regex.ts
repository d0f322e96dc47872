/**
 * Linear-time (RE2) regular expressions and SQL LIKE (reference §4.6). STUB signatures; the
 * stdlib work implements them with re2js.
 */

/** Unanchored RE2 search. `(?i)` prefixes work. A pattern RE2 rejects throws a clear error. */
export function regexMatch(pattern: string, value: string): boolean {
  void pattern;
  void value;
  throw new Error('regexMatch not implemented yet');
}

/** SQL LIKE as an unanchored search: `%` any run, `_` one character. */
export function likeMatch(value: string, pattern: string, caseInsensitive: boolean): boolean {
  void value;
  void pattern;
  void caseInsensitive;
  throw new Error('likeMatch not implemented yet');
}
