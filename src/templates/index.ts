/**
 * The template registry. Each folder holds `template.ts` (the definition) and `fixtures.ts` (events
 * in, exact requests out), run by `__tests__/fixtures.test.ts`. Templates are registered by group,
 * one line per template, in the `registry-*.ts` files.
 */
import { GENERIC_AND_CHAT } from './registry-generic-chat.js';
import { CRM_AND_EMAIL } from './registry-crm-email.js';
import { ANALYTICS_ADS_PRODUCTIVITY } from './registry-analytics-ads.js';
import type { TemplateDefinition, TemplateModule } from './types.js';

export const TEMPLATE_MODULES: TemplateModule[] = [...GENERIC_AND_CHAT, ...CRM_AND_EMAIL, ...ANALYTICS_ADS_PRODUCTIVITY];

export const TEMPLATES: TemplateDefinition[] = TEMPLATE_MODULES.map((m) => m.template);

const byId = new Map(TEMPLATES.map((t) => [t.id, t]));

export function findTemplate(id: string): TemplateDefinition | undefined {
  return byId.get(id);
}
