/** CDP, product analytics and product-messaging templates. One `register` line per template. */
import { register } from './register.js';
import type { TemplateModule } from './types.js';
import * as jitsu from './jitsu/template.js';
import * as jitsuFixtures from './jitsu/fixtures.js';
import * as rudderstack from './rudderstack/template.js';
import * as rudderstackFixtures from './rudderstack/fixtures.js';
import * as june from './june/template.js';
import * as juneFixtures from './june/fixtures.js';
import * as knock from './knock/template.js';
import * as knockFixtures from './knock/fixtures.js';
import * as gleap from './gleap/template.js';
import * as gleapFixtures from './gleap/fixtures.js';
import * as avo from './avo/template.js';
import * as avoFixtures from './avo/fixtures.js';

export const CDP_AND_PRODUCT: TemplateModule[] = [
  register(jitsu, jitsuFixtures),
  register(rudderstack, rudderstackFixtures),
  register(june, juneFixtures),
  register(knock, knockFixtures),
  register(gleap, gleapFixtures),
  register(avo, avoFixtures),
];
