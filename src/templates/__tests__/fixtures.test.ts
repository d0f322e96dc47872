import { describe, expect, it } from 'vitest';
import { TEMPLATE_MODULES } from '../index.js';
import { runFixture } from '../runner.js';

describe.each(TEMPLATE_MODULES.map((m) => [m.template.id, m] as const))('template %s', (_id, module) => {
  it('has at least one fixture', () => {
    expect(module.fixtures.length).toBeGreaterThan(0);
  });

  it.each(module.fixtures.map((f) => [f.name, f] as const))('%s', async (_name, fixture) => {
    const result = await runFixture(module.template, fixture);
    expect(result.problems).toEqual([]);
  });
});
