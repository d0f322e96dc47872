import { describe, expect, it } from 'vitest';
import hogvm from '@posthog/hogvm';
import { ASYNC_STL, BYTECODE_STL, STL } from '../index.js';

const VM_HANDLED = new Set<string>();

describe('the STL registry', () => {
  it('has every native function of the npm VM, with the same arity', () => {
    const theirs = (hogvm as unknown as { STL: Record<string, { minArgs?: number; maxArgs?: number | null }> }).STL;
    const missing: string[] = [];
    const mismatched: string[] = [];
    for (const [name, spec] of Object.entries(theirs)) {
      if (VM_HANDLED.has(name)) continue;
      const ours = STL[name];
      if (!ours) {
        missing.push(name);
        continue;
      }
      const theirMin = spec.minArgs ?? 0;
      const theirMax = spec.maxArgs ?? undefined;
      if (ours.minArgs !== theirMin || ours.maxArgs !== theirMax) {
        mismatched.push(`${name}: ours ${ours.minArgs}-${ours.maxArgs} theirs ${theirMin}-${theirMax}`);
      }
    }
    expect(missing).toEqual([]);
    expect(mismatched).toEqual([]);
  });

  it('gives every function a sane arity range', () => {
    for (const [name, spec] of Object.entries(STL)) {
      expect(spec.minArgs, name).toBeGreaterThanOrEqual(0);
      if (spec.maxArgs !== undefined) expect(spec.maxArgs, name).toBeGreaterThanOrEqual(spec.minArgs);
    }
  });

  it('lists sleep as the only async function', () => {
    expect(Object.keys(ASYNC_STL)).toEqual(['sleep']);
    expect(ASYNC_STL.sleep).toEqual({ minArgs: 1, maxArgs: 1 });
  });

  it('keeps native and bytecode names apart', () => {
    for (const name of Object.keys(BYTECODE_STL)) expect(STL[name], name).toBeUndefined();
  });
});
