import { describe, expect, it } from 'vitest';
import { validateDestination } from '../../destinations/validation.js';
import { findTemplate, TEMPLATES, TRANSFORMATION_TEMPLATE_MODULES } from '../../templates/index.js';
import { runTransformationFixture } from '../../templates/runner.js';

describe.each(TRANSFORMATION_TEMPLATE_MODULES.map((m) => [m.template.id, m] as const))('transformation template %s', (_id, module) => {
  it.each(module.fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    const result = runTransformationFixture({ ...module.template, filters: module.template.filters }, fixture);
    expect(result.problems).toEqual([]);
    expect(result.passed).toBe(true);
  });
});

describe('transformation templates', () => {
  it('are transformations, each with fixtures, none of them in the destination gallery', () => {
    for (const { template, fixtures } of TRANSFORMATION_TEMPLATE_MODULES) {
      expect(template.type).toBe('transformation');
      expect(fixtures.length).toBeGreaterThan(0);
      expect(TEMPLATES.some((t) => t.id === template.id)).toBe(false);
      expect(findTemplate(template.id)).toBe(template);
    }
  });

  it('validate as created from the template through the API, with their default inputs', () => {
    for (const { template } of TRANSFORMATION_TEMPLATE_MODULES) {
      const inputs = template.inputs_schema.some((i) => i.key === 'salt') ? { salt: { value: 's' } } : {};
      const validated = validateDestination({ template_id: template.id, inputs }, { templates: findTemplate });
      expect(validated.ok ? validated.destination.type : validated.errors).toBe('transformation');
    }
  });

  it('the runner reports a fixture whose expectation is wrong, naming the difference', () => {
    const module = TRANSFORMATION_TEMPLATE_MODULES.find((m) => m.template.id === 'template-remove-properties')!;
    const result = runTransformationFixture(module.template, {
      name: 'wrong on purpose',
      event: { event: 'x', properties: { $ip: '1.2.3.4', a: 1 } },
      inputs: {},
      expect: { event: { properties: { $ip: '1.2.3.4', a: 1 } } },
    });
    expect(result.passed).toBe(false);
    expect(result.problems[0]).toContain('expected {"uuid"');
    const dropped = runTransformationFixture(module.template, { name: 'x', event: { event: 'x' }, inputs: {}, expect: { dropped: true } });
    expect(dropped.problems[0]).toContain('expected it dropped');
  });
});
