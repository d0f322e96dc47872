/** Analytics and data, advertising conversions, productivity templates. One `register` line per template. */
import { register } from './register.js';
import type { TemplateModule } from './types.js';
import * as amplitude from './amplitude/template.js';
import * as amplitudeFixtures from './amplitude/fixtures.js';

export const ANALYTICS_ADS_PRODUCTIVITY: TemplateModule[] = [
  register(amplitude, amplitudeFixtures),
];
