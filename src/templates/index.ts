/**
 * The template registry. Each folder holds `template.ts` (the definition) and `fixtures.ts` (events
 * in, exact requests out), run by `__tests__/fixtures.test.ts`. Templates are registered by group,
 * one line per template, in the `registry-*.ts` files.
 */
import { GENERIC_AND_CHAT } from './registry-generic-chat.js';
import { CRM_AND_EMAIL } from './registry-crm-email.js';
import { ANALYTICS_ADS_PRODUCTIVITY } from './registry-analytics-ads.js';
import { CDP_AND_PRODUCT } from './registry-cdp-product.js';
import { DEVTOOLS_AND_ENGAGEMENT } from './registry-devtools.js';
import { ADS_AND_DATA } from './registry-ads-data.js';
import { MORE_POSTHOG } from './registry-posthog-more.js';
import { WAREHOUSES_AND_MORE } from './registry-warehouses.js';
import { TRANSFORMATION_TEMPLATE_MODULES } from './registry-transformations.js';
import type { SourceTemplateModule, TemplateDefinition, TemplateModule } from './types.js';
import * as sourceCalendly from './source-calendly/template.js';
import * as sourceCalendlyFixtures from './source-calendly/fixtures.js';
import * as sourceGithub from './source-github/template.js';
import * as sourceGithubFixtures from './source-github/fixtures.js';
import * as sourceShopify from './source-shopify/template.js';
import * as sourceShopifyFixtures from './source-shopify/fixtures.js';
import * as sourceStripe from './source-stripe/template.js';
import * as sourceStripeFixtures from './source-stripe/fixtures.js';
import * as sourceWebhook from './source-webhook/template.js';
import * as sourceWebhookFixtures from './source-webhook/fixtures.js';
import * as sourceTypeform from './source-typeform/template.js';
import * as sourceTypeformFixtures from './source-typeform/fixtures.js';

export const TEMPLATE_MODULES: TemplateModule[] = [
  ...GENERIC_AND_CHAT,
  ...CRM_AND_EMAIL,
  ...ANALYTICS_ADS_PRODUCTIVITY,
  ...CDP_AND_PRODUCT,
  ...DEVTOOLS_AND_ENGAGEMENT,
  ...ADS_AND_DATA,
  ...MORE_POSTHOG,
  ...WAREHOUSES_AND_MORE,
];

export const TEMPLATES: TemplateDefinition[] = TEMPLATE_MODULES.map((m) => m.template);

/**
 * Webhook source templates (`type: 'source_webhook'`): a request in, events out. Kept apart from the
 * destination list, whose fixture runner and generated docs are about events in, requests out; their
 * fixtures run in `src/sources/__tests__/templates.test.ts`.
 */
export const SOURCE_TEMPLATE_MODULES: SourceTemplateModule[] = [
  { template: sourceWebhook.template, fixtures: sourceWebhookFixtures.fixtures },
  { template: sourceStripe.template, fixtures: sourceStripeFixtures.fixtures },
  { template: sourceGithub.template, fixtures: sourceGithubFixtures.fixtures },
  { template: sourceShopify.template, fixtures: sourceShopifyFixtures.fixtures },
  { template: sourceTypeform.template, fixtures: sourceTypeformFixtures.fixtures },
  { template: sourceCalendly.template, fixtures: sourceCalendlyFixtures.fixtures },
];

export const SOURCE_TEMPLATES: TemplateDefinition[] = SOURCE_TEMPLATE_MODULES.map((m) => m.template);

export { TRANSFORMATION_TEMPLATE_MODULES };

/** Transformation templates (`type: 'transformation'`, docs/transformations.md). */
export const TRANSFORMATION_TEMPLATES: TemplateDefinition[] = TRANSFORMATION_TEMPLATE_MODULES.map((m) => m.template);

const byId = new Map([...TEMPLATES, ...SOURCE_TEMPLATES, ...TRANSFORMATION_TEMPLATES].map((t) => [t.id, t]));

export function findTemplate(id: string): TemplateDefinition | undefined {
  return byId.get(id);
}

/**
 * The example request a source's test panel starts from: the body and headers of the template's first
 * fixture that captures an event (its signature header is left out: the panel has no secret to sign with).
 */
export function exampleRequestOf(templateId: string): { payload: unknown; headers: Record<string, string> } | null {
  const module = SOURCE_TEMPLATE_MODULES.find((m) => m.template.id === templateId);
  const fixture = module?.fixtures.find((f) => f.expect.status < 300 && f.expect.events.length > 0);
  if (!fixture) return null;
  let payload: unknown = fixture.request.body;
  try {
    payload = JSON.parse(fixture.request.body);
  } catch {
    // A text body stays text.
  }
  return { payload, headers: { ...(fixture.request.headers ?? {}) } };
}

