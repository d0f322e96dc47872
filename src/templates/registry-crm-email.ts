/** CRM, support, email and engagement templates. One `register` line per template. */
import { register } from './register.js';
import type { TemplateModule } from './types.js';
import * as hubspot from './hubspot/template.js';
import * as hubspotFixtures from './hubspot/fixtures.js';

export const CRM_AND_EMAIL: TemplateModule[] = [
  register(hubspot, hubspotFixtures),
];
