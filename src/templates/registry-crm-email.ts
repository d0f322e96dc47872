/** CRM, support, email and engagement templates. One `register` line per template. */
import type { TemplateModule } from './types.js';

export const CRM_AND_EMAIL: TemplateModule[] = [];
