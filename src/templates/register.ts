import type { TemplateDefinition, TemplateFixture, TemplateModule } from './types.js';

/** Pairs a folder's `template.ts` and `fixtures.ts` modules. */
export function register(template: { template: TemplateDefinition }, fixtures: { fixtures: TemplateFixture[] }): TemplateModule {
  return { template: template.template, fixtures: fixtures.fixtures };
}
