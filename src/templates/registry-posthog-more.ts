/** More of PostHog's destinations, with PostHog's input contract. One `register` line per template. */
import type { TemplateModule } from './types.js';

export const MORE_POSTHOG: TemplateModule[] = [];
