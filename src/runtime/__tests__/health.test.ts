import { describe, expect, it } from 'vitest';
import {
  advance,
  costOf,
  DEFAULT_HEALTH_POLICY,
  healthPolicy,
  initialHealth,
  observe,
  priorityFor,
  reenable,
  type HealthChange,
  type HealthObservation,
  type HealthRecord,
  type HealthState,
} from '../health.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1);

/** Drives a record with an injected clock; collects every change. */
class Clocked {
  now = T0;
  record: HealthRecord = initialHealth(T0);
  readonly changes: HealthChange[] = [];

  see(observation: HealthObservation, times = 1, everyMs = 10): this {
    for (let i = 0; i < times; i++) {
      this.now += everyMs;
      this.apply(observe(this.record, observation, this.now));
    }
    return this;
  }

  wait(ms: number): this {
    this.now += ms;
    this.apply(advance(this.record, this.now));
    return this;
  }

  /** Fails every call until the state changes (or `max` calls). */
  failUntilChange(max = 10_000): HealthChange | null {
    const before = this.changes.length;
    for (let i = 0; i < max && this.changes.length === before; i++) this.see({ kind: 'failed', error: 'status 500' });
    return this.changes[before] ?? null;
  }

  private apply(step: { record: HealthRecord; change: HealthChange | null }): void {
    this.record = step.record;
    if (step.change) this.changes.push(step.change);
  }

  get states(): HealthState[] {
    return [this.changes[0]?.from ?? this.record.state, ...this.changes.map((c) => c.to)];
  }
}

describe('costOf', () => {
  const cases: Array<[string, HealthObservation, number]> = [
    ['a success costs nothing', { kind: 'succeeded' }, 0],
    ['a failed invocation costs 100', { kind: 'failed' }, 100],
    ['a fast fetch costs nothing', { kind: 'fetch', ms: 200, result: 'ok' }, 0],
    ['a retryable fetch failure costs 50', { kind: 'fetch', ms: 5, result: 'failed' }, 50],
    ['a timeout costs 100 plus its slowness', { kind: 'fetch', ms: 10_000, result: 'timeout' }, 120],
    ['a fetch at the lower bound costs nothing', { kind: 'fetch', ms: 1_000, result: 'ok' }, 0],
    ['a fetch half way costs half the slow cost', { kind: 'fetch', ms: 5_500, result: 'ok' }, 10],
    ['a fetch past the upper bound costs the full slow cost', { kind: 'fetch', ms: 60_000, result: 'ok' }, 20],
    ['fast Hog costs nothing', { kind: 'hog', ms: 3 }, 0],
    ['Hog half way costs 10', { kind: 'hog', ms: 60 }, 10],
    ['Hog at the VM limit costs 20', { kind: 'hog', ms: 100 }, 20],
  ];
  it.each(cases)('%s', (_name, observation, expected) => {
    expect(costOf(observation)).toBeCloseTo(expected, 6);
  });
});

describe('the health watcher with an injected clock', () => {
  it('defaults: bucket 10 000, refill 10/s, degraded at 80%, temporary disable 10 min, 3 per 24 h', () => {
    expect(DEFAULT_HEALTH_POLICY).toMatchObject({
      bucketSize: 10_000,
      refillPerSecond: 10,
      degradedAtRatio: 0.8,
      temporaryDisableMs: 10 * MINUTE,
      maxTemporaryDisables: 3,
      disableWindowMs: 24 * 60 * MINUTE,
    });
  });

  it('a destination failing every call: healthy → degraded → disabled temporarily → back after 10 min → … → disabled indefinitely', () => {
    const c = new Clocked();
    const degraded = c.failUntilChange()!;
    expect(degraded).toMatchObject({ from: 'healthy', to: 'degraded' });
    expect(degraded.reason).toMatch(/token bucket at 7,9\d\d of 10,000 tokens.*last problem: failed invocation: status 500/);
    // 2 001 failures of 100 each in 20 s: the bucket is empty
    const disabled = c.failUntilChange()!;
    expect(disabled).toMatchObject({ from: 'degraded', to: 'disabled_temporarily', until: disabled.at + 10 * MINUTE });

    // Nothing runs while disabled; stragglers change nothing; 9 minutes later still disabled.
    c.see({ kind: 'failed' }, 5);
    c.wait(9 * MINUTE);
    expect(c.record.state).toBe('disabled_temporarily');
    c.wait(1 * MINUTE);
    expect(c.record.state).toBe('degraded');
    expect(c.changes.at(-1)!.reason).toMatch(/temporary disable ended/);
    expect(c.record.tokens).toBe(8_000);

    // Second and third temporary disables, each followed by an automatic return.
    for (let n = 2; n <= 3; n++) {
      expect(c.failUntilChange()).toMatchObject({ from: 'degraded', to: 'disabled_temporarily' });
      c.wait(10 * MINUTE);
      expect(c.record.state).toBe('degraded');
    }
    const permanent = c.failUntilChange()!;
    expect(permanent).toMatchObject({ from: 'degraded', to: 'disabled_permanently', until: null });
    expect(permanent.reason).toMatch(/after 3 temporary disables within 24 h/);

    // It does not come back by itself, however long.
    c.wait(48 * 60 * MINUTE).see({ kind: 'succeeded' }, 10);
    expect(c.record.state).toBe('disabled_permanently');
    expect(c.states).toEqual([
      'healthy',
      'degraded',
      'disabled_temporarily',
      'degraded',
      'disabled_temporarily',
      'degraded',
      'disabled_temporarily',
      'degraded',
      'disabled_permanently',
    ]);
  });

  it('temporary disables older than 24 h do not count towards a permanent disable', () => {
    const c = new Clocked();
    for (let n = 1; n <= 3; n++) {
      expect(c.failUntilChange()?.to).toBe(n === 1 ? 'degraded' : 'disabled_temporarily');
      if (n === 1) expect(c.failUntilChange()?.to).toBe('disabled_temporarily');
      c.wait(10 * MINUTE);
    }
    c.wait(24 * 60 * MINUTE); // the three disables are now more than a day old, and it recovered meanwhile
    expect(c.record.state).toBe('healthy');
    expect(c.failUntilChange()?.to).toBe('degraded');
    expect(c.failUntilChange()?.to).toBe('disabled_temporarily');
  });

  it('a slow destination degrades, and with slow Hog as well it ends up disabled', () => {
    const slow = new Clocked();
    // 8 s per fetch (≈15.6 tokens), 10 invocations a second: ≈146 tokens/s net loss
    for (let i = 0; i < 20_000 && slow.record.state === 'healthy'; i++) slow.see({ kind: 'fetch', ms: 8_000, result: 'ok' }, 1, 100);
    expect(slow.record.state).toBe('degraded');
    expect(slow.changes[0]!.reason).toMatch(/slow fetch \(8000 ms\)/);
    const elapsed = slow.now - T0;
    expect(elapsed).toBeGreaterThan(10_000);
    expect(elapsed).toBeLessThan(20_000);

    const slowHog = new Clocked();
    for (let i = 0; i < 100_000 && slowHog.record.state !== 'disabled_temporarily'; i++) slowHog.see({ kind: 'hog', ms: 100 }, 1, 10);
    expect(slowHog.states).toEqual(['healthy', 'degraded', 'disabled_temporarily']);
  });

  it('a slow destination that stays within the refill rate stays healthy', () => {
    const c = new Clocked();
    // 2 s fetches cost ≈2.2 tokens; one a second is well under 10 tokens/s of refill.
    c.see({ kind: 'fetch', ms: 2_000, result: 'ok' }, 3_600, 1_000);
    expect(c.record.state).toBe('healthy');
    expect(c.changes).toEqual([]);
  });

  it('a recovering destination returns to healthy, but not before the 5 minute lock', () => {
    const c = new Clocked();
    c.failUntilChange();
    expect(c.record.state).toBe('degraded');
    const degradedAt = c.now;
    // Succeeding from now on: the bucket refills to 90% in ~2 min, but the lock holds until 5 min.
    c.see({ kind: 'succeeded' }, 240, 1_000);
    expect(c.record.tokens).toBeGreaterThanOrEqual(9_000);
    expect(c.record.state).toBe('degraded');
    c.see({ kind: 'succeeded' }, 61, 1_000);
    expect(c.record.state).toBe('healthy');
    const recovered = c.changes.at(-1)!;
    expect(recovered).toMatchObject({ from: 'degraded', to: 'healthy' });
    expect(recovered.at - degradedAt).toBeGreaterThanOrEqual(5 * MINUTE);
    expect(recovered.reason).toMatch(/^recovered/);
  });

  it('recovers by time alone (ticks without traffic)', () => {
    const c = new Clocked();
    c.failUntilChange();
    c.wait(6 * MINUTE);
    expect(c.record.state).toBe('healthy');
  });

  it('a user re-enable brings any disabled state back to degraded and forgets the count', () => {
    const c = new Clocked();
    c.failUntilChange();
    c.failUntilChange();
    expect(c.record.state).toBe('disabled_temporarily');
    const step = reenable(c.record, c.now + 1_000, 'Re-enabled by a user');
    expect(step.change).toMatchObject({ from: 'disabled_temporarily', to: 'degraded', reason: 'Re-enabled by a user', until: null });
    expect(step.record).toMatchObject({ state: 'degraded', tokens: 8_000, temporaryDisables: [] });

    const permanent: HealthRecord = { ...c.record, state: 'disabled_permanently', until: null };
    expect(reenable(permanent, c.now, 'saved').record.state).toBe('degraded');
    // Healthy and degraded destinations are left alone.
    expect(reenable(initialHealth(T0), T0, 'saved').change).toBeNull();
    expect(reenable(step.record, c.now, 'saved').change).toBeNull();
  });

  it('a single bad call does not degrade a healthy destination', () => {
    const c = new Clocked();
    c.see({ kind: 'fetch', ms: 10_000, result: 'timeout' }).see({ kind: 'failed' });
    expect(c.record.state).toBe('healthy');
    expect(c.record.tokens).toBeCloseTo(10_000 - 120 - 100, 0);
  });

  it('policies can be overridden; priorities order healthy before degraded', () => {
    const policy = healthPolicy({ bucketSize: 1_000, costs: { failedInvocation: 500 } });
    expect(policy.costs.failedFetch).toBe(50);
    let record = initialHealth(T0, policy);
    record = observe(record, { kind: 'failed' }, T0 + 1, policy).record;
    expect(record.state).toBe('degraded');
    expect(observe(record, { kind: 'failed' }, T0 + 2, policy).record.state).toBe('degraded');
    expect(priorityFor('healthy')).toBeLessThan(priorityFor('degraded'));
  });
});
