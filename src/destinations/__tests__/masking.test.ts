import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compileTemplateSource } from '../../hog/index.js';
import { computeMaskingKey, maskingKeyOf, MaskingGate } from '../masking.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('computeMaskingKey', () => {
  it('hashes the value of the hash template with sha256', () => {
    const { bytecode } = compileTemplateSource('{person.id}-{event.event}');
    const result = computeMaskingKey({ bytecode }, { person: { id: 'p1' }, event: { event: 'signed_up' } });
    expect(result).toEqual({ ok: true, key: sha256('p1-signed_up') });
  });

  it('hashes non-string values as JSON', () => {
    expect(maskingKeyOf({ a: 1 })).toBe(sha256('{"a":1}'));
    expect(maskingKeyOf(null)).toBe(sha256('null'));
  });

  it('reports a failing hash template as an error', () => {
    const { bytecode } = compileTemplateSource("{match('x', '(')}");
    const result = computeMaskingKey({ bytecode }, {});
    expect(result.ok).toBe(false);
  });
});

describe('MaskingGate', () => {
  const ttl = { ttl: 60, threshold: null };

  it('runs once per hash per ttl', () => {
    const gate = new MaskingGate();
    expect(gate.shouldRun('d1', 'k', 0, ttl)).toBe(true);
    expect(gate.shouldRun('d1', 'k', 1_000, ttl)).toBe(false);
    expect(gate.shouldRun('d1', 'k', 59_999, ttl)).toBe(false);
    expect(gate.shouldRun('d1', 'k', 60_000, ttl)).toBe(true);
  });

  it('keeps hashes and destinations apart', () => {
    const gate = new MaskingGate();
    expect(gate.shouldRun('d1', 'a', 0, ttl)).toBe(true);
    expect(gate.shouldRun('d1', 'b', 0, ttl)).toBe(true);
    expect(gate.shouldRun('d2', 'a', 0, ttl)).toBe(true);
    expect(gate.shouldRun('d1', 'a', 0, ttl)).toBe(false);
  });

  it('runs again once threshold events have been seen in the window', () => {
    const gate = new MaskingGate();
    const masking = { ttl: 3600, threshold: 3 };
    const runs = Array.from({ length: 7 }, (_, i) => gate.shouldRun('d', 'k', i, masking));
    expect(runs).toEqual([true, false, false, true, false, false, true]);
  });

  it('forgets a destination on reset and sweeps expired entries', () => {
    const gate = new MaskingGate(10);
    gate.shouldRun('d1', 'a', 0, ttl);
    gate.reset('d1');
    expect(gate.shouldRun('d1', 'a', 1, ttl)).toBe(true);
    gate.shouldRun('d2', 'b', 2, ttl);
    expect(gate.size).toBe(2);
    gate.shouldRun('d3', 'c', 120_000, ttl);
    expect(gate.size).toBe(1);
  });
});
