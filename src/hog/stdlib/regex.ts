/**
 * Linear-time (RE2) regular expressions and SQL LIKE, on re2js. Both are
 * unanchored searches. Compiled patterns are kept in a small LRU cache, since destinations match
 * the same few patterns on every event.
 */
import { RE2JS } from 're2js';

const CACHE_SIZE = 256;
const cache = new Map<string, RE2JS>();

/** Compile (or fetch from the cache) an RE2 pattern; a rejected pattern throws naming it. */
export function compileRegex(pattern: string): RE2JS {
  const hit = cache.get(pattern);
  if (hit) {
    cache.delete(pattern);
    cache.set(pattern, hit);
    return hit;
  }
  const compiled = compileUncached(pattern);
  cache.set(pattern, compiled);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return compiled;
}

function compileUncached(pattern: string): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new Error(`Invalid regular expression '${pattern}': ${reason}`);
  }
}

/** Unanchored RE2 search. `(?i)` prefixes work. A pattern RE2 rejects throws a clear error. */
export function regexMatch(pattern: string, value: string): boolean {
  return compileRegex(pattern).matcher(value).find();
}

/** `extractRegex`: the first capture group of the first match, else the whole match, else `''`. */
export function regexExtract(pattern: string, value: string): string {
  const re = compileRegex(pattern);
  const matcher = re.matcher(value);
  if (!matcher.find()) return '';
  return (re.groupCount() > 0 ? matcher.group(1) : matcher.group(0)) ?? '';
}

/** The RE2 form of a LIKE pattern: literals quoted, `%` any run (newlines too), `_` one character. */
export function likeToRegex(pattern: string, caseInsensitive: boolean): string {
  let body = '';
  for (const c of pattern) {
    if (c === '%') body += '.*';
    else if (c === '_') body += '.';
    else body += RE2JS.quote(c);
  }
  return `(?s${caseInsensitive ? 'i' : ''})${body}`;
}

/** SQL LIKE as an unanchored search: `%` any run, `_` one character. */
export function likeMatch(value: string, pattern: string, caseInsensitive: boolean): boolean {
  return regexMatch(likeToRegex(pattern, caseInsensitive), value);
}
