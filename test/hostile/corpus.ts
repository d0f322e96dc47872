/**
 * Hostile destinations: code, filters, masking and inputs written to exhaust a Sluice that runs them.
 * Each case must fail only its own invocation (or, for filters and masking, only its own event for its
 * destination) with a clear error. Shared by the test-run and the real-delivery suites.
 */

/** `[1..8]` doubled 27 times by reference: a few slots live, 2^27 * 8 values if anything expands it. */
export const SHARED_BOMB_CODE = `
let a := [1, 2, 3, 4, 5, 6, 7, 8]
for (let i := 0; i < 27; i := i + 1) {
  a := [a, a]
}`;

/** The same bomb as one expression, for filters, masking and input templates. */
export const SHARED_BOMB_EXPR = 'arrayReduce((acc, x) -> [acc, acc], range(27), [1, 2, 3, 4, 5, 6, 7, 8])';

export interface HostileCase {
  name: string;
  /** The destination's configuration, without name and enabled (the suites add those). */
  config: Record<string, unknown>;
  /** What the error (test runs, invocation errors, logs) must say. */
  error: RegExp;
  /** Where the failure shows up in real delivery: a failed invocation, or a filtering_failed metric. */
  fails: 'invocation' | 'filtering';
}

const LIMIT_ERROR = /Memory limit of \d+ bytes exceeded|timed out/;

function code(hog: string): Record<string, unknown> {
  return {
    hog,
    inputs_schema: [{ key: 'url', type: 'string', label: 'URL', required: true }],
    inputs: { url: { value: 'http://127.0.0.1:9/unused' } },
  };
}

export const HOSTILE_CASES: HostileCase[] = [
  { name: 'a shared-reference bomb in jsonStringify', config: code(`${SHARED_BOMB_CODE}\nprint(length(jsonStringify(a)))`), error: LIMIT_ERROR, fails: 'invocation' },
  { name: 'a shared-reference bomb printed', config: code(`${SHARED_BOMB_CODE}\nprint(a)`), error: LIMIT_ERROR, fails: 'invocation' },
  { name: 'a shared-reference bomb in an f-string', config: code(`${SHARED_BOMB_CODE}\nprint(f'{a}')`), error: LIMIT_ERROR, fails: 'invocation' },
  { name: 'a shared-reference bomb as a fetch body', config: code(`${SHARED_BOMB_CODE}\nfetch(inputs.url, {'method': 'POST', 'body': a})`), error: LIMIT_ERROR, fails: 'invocation' },
  { name: 'a shared-reference bomb as the result', config: code(`${SHARED_BOMB_CODE}\nreturn a`), error: LIMIT_ERROR, fails: 'invocation' },
  { name: 'a shared-reference bomb thrown as a payload', config: code(`${SHARED_BOMB_CODE}\nthrow Error('boom', {'a': a})`), error: LIMIT_ERROR, fails: 'invocation' },
  { name: 'a shared-reference bomb live across a fetch', config: code(`${SHARED_BOMB_CODE}\nfetch(inputs.url, {'method': 'GET'})\nprint(length(a))`), error: LIMIT_ERROR, fails: 'invocation' },
  { name: 'a runaway loop', config: code('let i := 0\nwhile (true) { i := i + 1 }'), error: /timed out/, fails: 'invocation' },
  { name: 'deep recursion', config: code('fun down(n) { return down(n + 1) }\ndown(0)'), error: /Call stack exceeded|Maximum call stack/, fails: 'invocation' },
  { name: 'a huge string', config: code("let s := 'xxxxxxxxxxxxxxxx'\nwhile (true) { s := concat(s, s) }"), error: LIMIT_ERROR, fails: 'invocation' },
  {
    name: 'three fetches',
    config: code("fetch(inputs.url, {'method': 'GET'})\nfetch(inputs.url, {'method': 'GET'})\nfetch(inputs.url, {'method': 'GET'})"),
    error: /at most 2 fetch calls|maximum number of async steps/,
    fails: 'invocation',
  },
  {
    name: 'a shared-reference bomb in an input template',
    config: {
      hog: 'print(inputs.payload)',
      inputs_schema: [{ key: 'payload', type: 'string', label: 'Payload' }],
      inputs: { payload: { value: `{jsonStringify(${SHARED_BOMB_EXPR})}` } },
    },
    error: LIMIT_ERROR,
    fails: 'invocation',
  },
  {
    name: 'a shared-reference bomb in a filter',
    config: { ...code("print('matched')"), filters: { hog: `length(jsonStringify(${SHARED_BOMB_EXPR})) > 0` } },
    error: LIMIT_ERROR,
    fails: 'filtering',
  },
  {
    name: 'a runaway filter',
    config: { ...code("print('matched')"), filters: { hog: 'length(arrayMap(x -> arrayMap(y -> arrayMap(z -> z, range(1000)), range(1000)), range(1000))) > 0' } },
    error: LIMIT_ERROR,
    fails: 'filtering',
  },
  {
    name: 'a shared-reference bomb in the masking hash',
    config: { ...code("print('matched')"), masking: { ttl: 60, hash: `{jsonStringify(${SHARED_BOMB_EXPR})}`, threshold: null } },
    error: LIMIT_ERROR,
    fails: 'filtering',
  },
];

/** A destination that captures 20 events of the type it listens to: amplification must stay bounded. */
export const CAPTURE_LOOP_HOG = `
for (let i := 0; i < 20; i := i + 1) {
  postHogCapture({'event': 'hostile loop', 'distinct_id': event.distinct_id, 'properties': {'i': i}})
}`;
