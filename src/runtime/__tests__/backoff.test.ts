import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  nextRetryDelay,
  normalizeRetryPolicy,
  type NextRetryOptions,
  type RetryPolicy,
} from '../backoff.js';
import { InputValidationError } from '../errors.js';

const policy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({ ...DEFAULT_RETRY_POLICY, ...overrides });
const fixed = (value: number) => () => value;

describe('nextRetryDelay', () => {
  const cases: Array<[string, number, Partial<RetryPolicy>, NextRetryOptions, number | null]> = [
    // name, attempt, policy overrides, options, expected
    ['waits the initial delay after the first attempt (no jitter)', 1, { jitter: 'none' }, {}, 1000],
    ['doubles the delay after each attempt', 2, { jitter: 'none', maxAttempts: 5 }, {}, 2000],
    ['keeps doubling', 4, { jitter: 'none', maxAttempts: 10 }, {}, 8000],
    ['caps the exponential delay at maxDelayMs', 10, { jitter: 'none', maxAttempts: 20, maxDelayMs: 30_000 }, {}, 30_000],
    ['gives up once maxAttempts attempts were made', 3, {}, {}, null],
    ['never retries when maxAttempts is 1', 1, { maxAttempts: 1 }, {}, null],
    ['equal jitter never waits less than half the base', 1, { jitter: 'equal' }, { random: fixed(0) }, 500],
    ['equal jitter waits at most the base', 1, { jitter: 'equal' }, { random: fixed(0.999999) }, 999],
    ['equal jitter spreads over the upper half', 2, { jitter: 'equal', maxAttempts: 5 }, { random: fixed(0.5) }, 1500],
    ['full jitter may retry at once', 1, { jitter: 'full' }, { random: fixed(0) }, 0],
    ['full jitter spreads over the whole base', 2, { jitter: 'full', maxAttempts: 5 }, { random: fixed(0.25) }, 500],
    ['honours a Retry-After longer than the backoff', 1, { jitter: 'none' }, { retryAfterMs: 2000 }, 2000],
    ['keeps the backoff when Retry-After is shorter', 2, { jitter: 'none' }, { retryAfterMs: 100 }, 2000],
    ['rounds a fractional Retry-After up, never earlier', 1, { jitter: 'none' }, { retryAfterMs: 1500.2 }, 1501],
    ['honours Retry-After beyond maxDelayMs', 1, { maxDelayMs: 5000 }, { retryAfterMs: 600_000 }, 600_000],
    ['stops when Retry-After is beyond the window', 1, { maxWindowMs: 60_000 }, { retryAfterMs: 61_000 }, null],
    ['stops when the retry would start after the window', 2, { jitter: 'none', maxWindowMs: 10_000 }, { elapsedMs: 9000 }, null],
    ['retries when the retry starts exactly at the window end', 2, { jitter: 'none', maxWindowMs: 10_000 }, { elapsedMs: 8000 }, 2000],
    ['keeps trying for hours for a rate-limited policy', 40, { jitter: 'none', maxAttempts: 100, maxDelayMs: 600_000, maxWindowMs: 6 * 3_600_000 }, { elapsedMs: 3 * 3_600_000 }, 600_000],
  ];

  it.each(cases)('%s', (_name, attempt, overrides, options, expected) => {
    expect(nextRetryDelay(attempt, policy(overrides), options)).toBe(expected);
  });

  it('stays within [base/2, base] with equal jitter for any random value', () => {
    for (let i = 0; i < 200; i++) {
      const delay = nextRetryDelay(2, policy({ maxAttempts: 5 }))!;
      expect(delay).toBeGreaterThanOrEqual(1000);
      expect(delay).toBeLessThanOrEqual(2000);
    }
  });

  it('does not overflow for very large attempt numbers', () => {
    expect(nextRetryDelay(900, policy({ jitter: 'none', maxAttempts: 1000, maxWindowMs: 7 * 86_400_000 }))).toBe(
      DEFAULT_RETRY_POLICY.maxDelayMs,
    );
  });

  it('refuses an attempt number below 1', () => {
    expect(() => nextRetryDelay(0, policy())).toThrow(RangeError);
  });
});

describe('normalizeRetryPolicy', () => {
  it('fills the defaults: 3 attempts, 1 s initial delay, 1 h window, equal jitter', () => {
    expect(normalizeRetryPolicy({})).toEqual({
      maxAttempts: 3,
      initialDelayMs: 1000,
      maxDelayMs: 900_000,
      maxWindowMs: 3_600_000,
      jitter: 'equal',
    });
    expect(normalizeRetryPolicy()).toEqual(normalizeRetryPolicy({}));
  });

  it('keeps the fields the user set', () => {
    expect(normalizeRetryPolicy({ maxAttempts: 50, maxWindowMs: 6 * 3_600_000, jitter: 'full' })).toMatchObject({
      maxAttempts: 50,
      maxWindowMs: 21_600_000,
      jitter: 'full',
    });
  });

  it('raises the default cap when the initial delay alone is longer', () => {
    expect(normalizeRetryPolicy({ initialDelayMs: 3_600_000 }).maxDelayMs).toBe(3_600_000);
  });

  const invalid: Array<[unknown, string, RegExp]> = [
    [{ maxAttempts: 0 }, 'maxAttempts', /between 1 and 1000, got 0/],
    [{ maxAttempts: 2.5 }, 'maxAttempts', /must be an integer, got 2.5/],
    [{ maxAttempts: '3' }, 'maxAttempts', /must be an integer, got "3"/],
    [{ initialDelayMs: -1 }, 'initialDelayMs', /between 0 and/],
    [{ maxWindowMs: 8 * 86_400_000 }, 'maxWindowMs', /between 0 and 604800000/],
    [{ jitter: 'some' }, 'jitter', /one of full, equal, none, got "some"/],
    [{ initialDelayMs: 5000, maxDelayMs: 1000 }, 'maxDelayMs', /at least initialDelayMs \(5000\)/],
    [{ retries: 3 }, 'retries', /is not a retry policy field/],
    [null, '(root)', /must be an object/],
    [[], '(root)', /must be an object/],
  ];

  it.each(invalid)('refuses %j naming the field %s', (input, field, message) => {
    let caught: unknown;
    try {
      normalizeRetryPolicy(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputValidationError);
    expect((caught as InputValidationError).field).toBe(field);
    expect((caught as InputValidationError).code).toBe('SLUICE_ERR_RUNTIME_RETRY_POLICY_INVALID');
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).toContain(field);
  });
});
