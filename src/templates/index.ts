/**
 * The template registry: one line per template. Each folder holds `template.ts` (the definition) and
 * `fixtures.ts` (events in, exact requests out), run by `__tests__/fixtures.test.ts`.
 */
import type { TemplateDefinition, TemplateModule } from './types.js';
import * as webhook from './webhook/template.js';
import * as webhookFixtures from './webhook/fixtures.js';

function register(template: { template: TemplateDefinition }, fixtures: { fixtures: TemplateModule['fixtures'] }): TemplateModule {
  return { template: template.template, fixtures: fixtures.fixtures };
}

export const TEMPLATE_MODULES: TemplateModule[] = [register(webhook, webhookFixtures)];

export const TEMPLATES: TemplateDefinition[] = TEMPLATE_MODULES.map((m) => m.template);

const byId = new Map(TEMPLATES.map((t) => [t.id, t]));

export function findTemplate(id: string): TemplateDefinition | undefined {
  return byId.get(id);
}
